"""Navigation by role: each person sees the menu entries of the roles they hold today."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from motcua.org.models import Role
from motcua.org.selectors import roles_of

# (url name, label, roles that see it; empty = every signed-in person)
NAVIGATION: list[tuple[str, str, frozenset[str]]] = [
    ("home", _("Trang chính"), frozenset()),
]


def register_nav(url_name: str, label, roles) -> None:
    """Apps add their own entries at import time (in their AppConfig.ready)."""
    entry = (url_name, label, frozenset(roles))
    if entry not in NAVIGATION:
        NAVIGATION.append(entry)


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "user_roles": set()}
    roles = roles_of(user)
    items = []
    for url_name, label, allowed in NAVIGATION:
        if allowed and not (roles & allowed) and Role.SYSTEM_ADMIN not in roles:
            continue
        try:
            items.append({"url": reverse(url_name), "label": label, "active": request.path == reverse(url_name)})
        except NoReverseMatch:
            continue
    from motcua.org.home import OFFICER_WORK_ROLES

    return {"nav_items": items, "user_roles": roles, "role_labels": [Role(r).label for r in sorted(roles)],
            # the header's "Tìm hồ sơ theo mã" box
            "is_officer": bool(roles & (OFFICER_WORK_ROLES | {Role.SYSTEM_ADMIN}))}
