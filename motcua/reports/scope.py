"""Whose dossiers a report counts: the caller's units (org.selectors.visible_units), optionally one
agency or unit (with its sub-units) and one field — the same unit rule as the tracking book, so the
report and the book count the same dossiers."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from motcua.catalog.models import Field
from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import dossiers_visible_to
from motcua.org.models import Role, Unit, User
from motcua.org.selectors import roles_of, visible_units

REPORT_ROLES = frozenset({Role.CONTROL_OFFICER, Role.AGENCY_LEADER, Role.HEAD_OF_UNIT, Role.SYSTEM_ADMIN,
                          Role.ONE_STOP_OFFICER})
NAV_ROLES = frozenset({Role.CONTROL_OFFICER, Role.AGENCY_LEADER, Role.HEAD_OF_UNIT})


class NotVisible(LookupError):
    """An agency, unit or field the person may not see (404)."""


def may_report(user: User) -> bool:
    return user.is_authenticated and (user.is_superuser or bool(roles_of(user) & REPORT_ROLES))


@dataclass(frozen=True)
class Scope:
    unit: Unit | None = None
    field: Field | None = None


def resolve_scope(user: User, *, unit_code: str = "", field_code: str = "") -> Scope:
    unit = field = None
    if unit_code:
        unit = visible_units(user).filter(code=unit_code.strip()).first()
        if unit is None:
            raise NotVisible(f"Không có cơ quan, đơn vị “{unit_code}” trong phạm vi bạn được xem.")
    if field_code:
        field = Field.objects.filter(code=field_code.strip()).first()
        if field is None:
            raise NotVisible(f"Không có lĩnh vực “{field_code}”.")
    return Scope(unit=unit, field=field)


def unit_q(unit: Unit) -> Q:
    path = unit.path
    return Q(desk__path__startswith=path) | Q(handling_unit__path__startswith=path) | Q(agency__path__startswith=path)


def report_dossiers(user: User, scope: Scope | None = None) -> QuerySet[Dossier]:
    """The dossiers this person's reports count (received at, or handled by, a unit they may see)."""
    if user.is_superuser or Role.SYSTEM_ADMIN in roles_of(user):
        qs = Dossier.objects.all()
    else:
        ids = list(visible_units(user).values_list("pk", flat=True))
        # A person who sees every unit (a province-level role) needs no per-row unit test at all.
        qs = Dossier.objects.all() if len(ids) == Unit.objects.count() else dossiers_visible_to(user)
    scope = scope or Scope()
    if scope.unit is not None:
        qs = qs.filter(unit_q(scope.unit))
    if scope.field is not None:
        qs = qs.filter(version__field=scope.field)
    return qs


def catalog_units(user: User) -> QuerySet[Unit] | None:
    """The units whose procedures a catalog-based count may include: None (every one) for the system
    administrator, else the person's units — never another agency's procedures."""
    if user.is_superuser or Role.SYSTEM_ADMIN in roles_of(user):
        return None
    return visible_units(user)


def visible_agencies(user: User) -> QuerySet[Unit]:
    """Agencies and communes the person may see — the rows of the QĐ 766 ranking."""
    return (visible_units(user).filter(kind__in=[Unit.Kind.AGENCY, Unit.Kind.COMMUNE, Unit.Kind.PROVINCE])
            .order_by("path"))
