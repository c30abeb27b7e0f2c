"""Reads about people and units. Every query of officer data goes through `visible_units`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from motcua.org.models import OFFICER_ROLES, Delegation, Role, RoleAssignment, Unit, User


@dataclass(frozen=True)
class Grant:
    """One role a person holds in a unit today, directly or by delegation."""

    role: str
    unit: Unit
    includes_subunits: bool
    delegated_by: User | None = None

    @property
    def role_label(self) -> str:
        return Role(self.role).label


def today() -> dt.date:
    return timezone.localdate()


def grants_of(user: User, *, on: dt.date | None = None) -> list[Grant]:
    if not user.is_authenticated:
        return []
    day = on or today()
    cache_key = f"_grants_{day.isoformat()}"
    cached = getattr(user, cache_key, None)
    if cached is not None:
        return cached
    grants = [
        Grant(a.role, a.unit, a.includes_subunits)
        for a in RoleAssignment.objects.active_on(day).filter(user=user).select_related("unit")
    ]
    grants += [
        Grant(d.role, d.unit, True, d.delegator)
        for d in Delegation.objects.active_on(day).filter(delegate=user).select_related("unit", "delegator")
    ]
    setattr(user, cache_key, grants)
    return grants


def roles_of(user: User, *, on: dt.date | None = None) -> set[str]:
    roles = {g.role for g in grants_of(user, on=on)}
    if user.is_authenticated and user.is_superuser:
        roles.add(Role.SYSTEM_ADMIN)
    return roles


def is_officer(user: User) -> bool:
    return bool(roles_of(user) & OFFICER_ROLES)


def visible_units(user: User, *, role: str | None = None, on: dt.date | None = None) -> QuerySet[Unit]:
    """Units whose data the person may see: each unit they hold an officer role in, and its
    sub-units when the assignment includes them. System administrators see every unit."""
    if not user.is_authenticated:
        return Unit.objects.none()
    if user.is_superuser or (role is None and Role.SYSTEM_ADMIN in roles_of(user, on=on)):
        return Unit.objects.all()
    condition = Q(pk__in=[])
    for grant in grants_of(user, on=on):
        if grant.role == Role.CITIZEN or (role is not None and grant.role != role):
            continue
        if grant.includes_subunits:
            condition |= Q(path__startswith=grant.unit.path)
        else:
            condition |= Q(pk=grant.unit.pk)
    return Unit.objects.filter(condition)


def unit_tree(root: Unit | None = None) -> list[Unit]:
    qs = Unit.objects.all() if root is None else root.subtree()
    return list(qs.order_by("path"))


def has_any_role(user: User, roles) -> bool:
    return bool(roles_of(user) & set(roles))


def is_system_admin(user: User) -> bool:
    return Role.SYSTEM_ADMIN in roles_of(user)


AUDIT_READER_ROLES = frozenset({Role.CONTROL_OFFICER, Role.SYSTEM_ADMIN})


def can_read_audit(user: User) -> bool:
    return has_any_role(user, AUDIT_READER_ROLES)


def search_audit(
    *,
    text: str = "",
    action: str = "",
    object_type: str = "",
    actor: User | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet:
    """Audit entries newest first. `text` is matched without diacritics on `search_text`;
    dates are whole local days (Asia/Ho_Chi_Minh)."""
    from motcua.lib.text import fold
    from motcua.org.models import AuditEntry

    qs = AuditEntry.objects.order_by("-seq")
    for word in fold(text).split():
        qs = qs.filter(search_text__contains=word)
    if action:
        qs = qs.filter(action=action)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if actor is not None:
        qs = qs.filter(actor=actor)
    tz = timezone.get_current_timezone()
    if date_from:
        qs = qs.filter(at__gte=dt.datetime.combine(date_from, dt.time.min, tzinfo=tz))
    if date_to:
        qs = qs.filter(at__lt=dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min, tzinfo=tz))
    return qs


def audit_diff(before: dict | None, after: dict | None) -> list[tuple[str, object, object]]:
    """(field, before, after) for every field that one side names, unchanged fields left out."""
    before, after = before or {}, after or {}
    rows = []
    for key in [*before, *(k for k in after if k not in before)]:
        old, new = before.get(key), after.get(key)
        if key in before and key in after and old == new:
            continue
        rows.append((key, old, new))
    return rows


def people_of_unit(unit: Unit, *, on: dt.date | None = None) -> list[RoleAssignment]:
    """Role assignments in the unit, current ones first, then ended ones."""
    day = on or today()
    assignments = list(RoleAssignment.objects.filter(unit=unit).select_related("user").order_by("user__full_name", "role"))
    return sorted(assignments, key=lambda a: (a.valid_to is not None and a.valid_to < day, a.user.full_name))


def delegations_of_unit(unit: Unit) -> QuerySet[Delegation]:
    return Delegation.objects.filter(unit=unit).select_related("delegator", "delegate").order_by("-starts_on")


def delegations_of(user: User) -> QuerySet[Delegation]:
    return (Delegation.objects.filter(Q(delegator=user) | Q(delegate=user))
            .select_related("delegator", "delegate", "unit").order_by("-starts_on"))


def colleagues_of(user: User) -> QuerySet[User]:
    """People holding a current officer role in a unit this person may see: whom they may delegate to."""
    units = visible_units(user)
    ids = (RoleAssignment.objects.active_on(today()).filter(unit__in=units).exclude(role=Role.CITIZEN)
           .values("user"))
    return User.objects.filter(pk__in=ids, is_active=True).exclude(pk=user.pk).order_by("full_name")
