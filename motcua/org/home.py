"""Home page sections by role.

Each app adds what a person's home shows for its roles, from its AppConfig.ready():

    register_home_section("dossiers/home_worklist.html", roles={Role.SPECIALIST}, context=worklist_context)

`context(request)` returns the data the template reads as `section`. A section with no roles is
shown to every signed-in person. Sections appear in `order`, then registration order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.http import HttpRequest

from motcua.org.models import Role


@dataclass(frozen=True)
class HomeSection:
    template_name: str
    roles: frozenset[str]
    context: Callable[[HttpRequest], dict] | None = field(default=None, compare=False)
    order: int = 100


HOME_SECTIONS: list[HomeSection] = []


def register_home_section(template_name: str, roles: Iterable[str] = (), *,
                          context: Callable[[HttpRequest], dict] | None = None, order: int = 100) -> None:
    section = HomeSection(template_name, frozenset(roles), context, order)
    if all(s.template_name != template_name for s in HOME_SECTIONS):
        HOME_SECTIONS.append(section)


def sections_for(request: HttpRequest, roles: set[str]) -> list[dict]:
    """The sections this person sees, each with its rendered-ready data. A system administrator
    sees only the sections registered for system administrators (not every role's work list)."""
    chosen = [s for s in HOME_SECTIONS if not s.roles or roles & s.roles]
    chosen.sort(key=lambda s: s.order)
    return [{"template_name": s.template_name, "data": s.context(request) if s.context else {}} for s in chosen]


OFFICER_WORK_ROLES = frozenset({Role.ONE_STOP_OFFICER, Role.SPECIALIST, Role.HEAD_OF_UNIT, Role.AGENCY_LEADER,
                                Role.CONTROL_OFFICER})


# --- The organisation's own sections --------------------------------------------------------------

def officer_context(request: HttpRequest) -> dict:
    from motcua.org.selectors import delegations_of, grants_of, today

    day = today()
    return {
        "grants": [g for g in grants_of(request.user) if g.role != Role.CITIZEN],
        "delegations": [d for d in delegations_of(request.user) if d.revoked_at is None and d.ends_on >= day],
    }


def leader_context(request: HttpRequest) -> dict:
    from motcua.org.models import RoleAssignment
    from motcua.org.selectors import today, visible_units

    units = visible_units(request.user, role=Role.HEAD_OF_UNIT) | visible_units(request.user, role=Role.AGENCY_LEADER)
    staff = (RoleAssignment.objects.active_on(today()).filter(unit__in=units.values("pk"))
             .exclude(user=request.user).select_related("user", "unit").order_by("unit__path", "user__full_name"))
    return {"staff": list(staff[:200])}


def control_context(request: HttpRequest) -> dict:
    from motcua.org.models import AuditEntry, AuditHead

    return {"entries": list(AuditEntry.objects.order_by("-seq")[:10]), "head": AuditHead.objects.filter(pk=1).first()}


def admin_context(request: HttpRequest) -> dict:
    from motcua.org.models import AuditEntry, Delegation, RoleAssignment, Unit, User
    from motcua.org.selectors import today

    day = today()
    return {
        "counts": {
            "units": Unit.objects.filter(is_active=True).count(),
            "closed_units": Unit.objects.filter(is_active=False).count(),
            "people": User.objects.filter(is_active=True).count(),
            "assignments": RoleAssignment.objects.active_on(day).count(),
            "delegations": Delegation.objects.active_on(day).count(),
            "audit_entries": AuditEntry.objects.count(),
        }
    }


def citizen_context(request: HttpRequest) -> dict:
    from django.urls import Resolver404, resolve

    try:
        resolve("/thu-tuc/")
    except Resolver404:
        procedures_url = ""
    else:
        procedures_url = "/thu-tuc/"
    return {"procedures_url": procedures_url}


def register_org_sections() -> None:
    register_home_section("org/home/admin.html", {Role.SYSTEM_ADMIN}, context=admin_context, order=10)
    register_home_section("org/home/control.html", {Role.CONTROL_OFFICER}, context=control_context, order=20)
    register_home_section("org/home/leader.html", {Role.HEAD_OF_UNIT, Role.AGENCY_LEADER}, context=leader_context,
                          order=30)
    register_home_section("org/home/officer.html", OFFICER_WORK_ROLES, context=officer_context, order=90)
    register_home_section("org/home/citizen.html", {Role.CITIZEN}, context=citizen_context, order=10)
