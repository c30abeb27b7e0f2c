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
