"""Publication of TTHC in the period (the content of Biểu II.02a/VPCP/KSTT, DOMAIN B.3.5), from the
catalog's publication decisions.

The circular's column layout for this form was not available (DOMAIN B.3.5 lists its expected content
only): the columns below follow that content — publication decisions, and the TTHC newly issued /
amended / replaced / abolished, by level — and the printed note says so.

A decision belongs to the period when it was signed in it (`signed_on`, both bounds included). Its
local-level versions (province, district, commune; central-level ones are not the locality's) count
once each, by their `kind`. The abolition the catalog adds by itself for a procedure replaced by another
code in the same decision is part of that replacement, not a separate abolition, and is not counted.

Columns: 3 decisions (distinct, with at least one counted version in the row); 4 TTHC published, 5 new,
6 amended, 7 replaced, 8 abolished; 9/10/11 of column 4 at province / district / commune level.
Checks: 4 = 5 + 6 + 7 + 8 = 9 + 10 + 11. The total of column 3 counts each decision once, so it
may be less than the sum of the rows (one decision can publish TTHC of several units).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import ChangeKind, Level, ProcedureVersion
from motcua.org.models import Unit
from motcua.reports.onestop import LOCAL_LEVELS, UnitIndex
from motcua.reports.periods import Period


@dataclass(frozen=True)
class Column:
    key: str
    number: int
    name: str
    group: str
    label: str


_TTHC = _("Số TTHC được công bố")
_LEVELS = _("Trong đó, theo cấp thực hiện")
COLUMNS = [
    Column("c3", 3, "decisions", _("Số quyết định công bố"), _("Số quyết định")),
    Column("c4", 4, "procedures_total", _TTHC, _("Tổng số")),
    Column("c5", 5, "procedures_new", _TTHC, _("Ban hành mới")),
    Column("c6", 6, "procedures_amended", _TTHC, _("Sửa đổi, bổ sung")),
    Column("c7", 7, "procedures_replaced", _TTHC, _("Thay thế")),
    Column("c8", 8, "procedures_abolished", _TTHC, _("Bãi bỏ")),
    Column("c9", 9, "procedures_province", _LEVELS, _("Cấp tỉnh")),
    Column("c10", 10, "procedures_district", _LEVELS, _("Cấp huyện")),
    Column("c11", 11, "procedures_commune", _LEVELS, _("Cấp xã")),
]
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}
KIND_OF = {"c5": ChangeKind.NEW, "c6": ChangeKind.AMENDED, "c7": ChangeKind.REPLACED, "c8": ChangeKind.ABOLISHED}
LEVEL_OF = {"c9": Level.PROVINCE, "c10": Level.DISTRICT, "c11": Level.COMMUNE}
CHECKS = [("c4", ("c5", "c6", "c7", "c8")), ("c4", ("c9", "c10", "c11"))]
GROUP_LABELS = {"agency": _("Đơn vị"), "field": _("Lĩnh vực")}


@dataclass(frozen=True)
class Published:
    """One version brought in by a decision of the period."""

    version_id: int
    code: str
    name: str
    kind: str
    level: str
    agency_name: str
    row_unit_id: int
    field_id: int
    field_name: str
    decision_id: int
    decision_number: str
    signed_on: object
    effective_from: object

    def group_key(self, group: str) -> int:
        return self.field_id if group == "field" else self.row_unit_id


def in_column(key: str, item: Published) -> bool:
    if key in KIND_OF:
        return item.kind == KIND_OF[key]
    if key in LEVEL_OF:
        return item.level == LEVEL_OF[key]
    return True     # c3 (through its decision) and c4


@dataclass
class PublicationRow:
    number: int | None
    key: int | None
    label: str
    values: dict[str, int] = field(default_factory=dict)

    def failed_checks(self) -> list[str]:
        return [gettext("cột %(total)s ≠ %(parts)s") % {
                    "total": COLUMN_BY_KEY[total].number,
                    "parts": " + ".join(str(COLUMN_BY_KEY[p].number) for p in parts)}
                for total, parts in CHECKS if self.values[total] != sum(self.values[p] for p in parts)]

    def named(self) -> dict[str, int]:
        return {c.name: self.values[c.key] for c in COLUMNS}


@dataclass
class PublicationTable:
    period: Period
    group: str
    rows: list[PublicationRow]
    total: PublicationRow
    items: list[Published]

    @property
    def failures(self) -> list[str]:
        return [f"{row.label}: {failure}" for row in [*self.rows, self.total] for failure in row.failed_checks()]


def published_versions(period: Period, *, units: QuerySet[Unit] | None = None, unit: Unit | None = None,
                       field_id: int | None = None) -> QuerySet[ProcedureVersion]:
    """Local-level versions of decisions signed in the period, without the automatic abolitions of
    procedures replaced in the same decision."""
    replaced_here = ProcedureVersion.objects.filter(decision=OuterRef("decision"), replaces=OuterRef("procedure"),
                                                    kind=ChangeKind.REPLACED).exclude(procedure=OuterRef("procedure"))
    qs = (ProcedureVersion.objects
          .filter(decision__signed_on__gte=period.date_from, decision__signed_on__lte=period.date_to,
                  level__in=LOCAL_LEVELS)
          .exclude(kind=ChangeKind.ABOLISHED, pk__in=ProcedureVersion.objects.filter(Exists(replaced_here))
                   .values("pk")))
    if units is not None:
        qs = qs.filter(agency__in=units)
    if unit is not None:
        qs = qs.filter(agency__path__startswith=unit.path)
    if field_id is not None:
        qs = qs.filter(field_id=field_id)
    return qs


def published_items(versions: QuerySet[ProcedureVersion]) -> list[Published]:
    units = UnitIndex()
    rows = versions.order_by("decision__signed_on", "decision__number", "procedure__code").values(
        "id", "procedure__code", "name", "kind", "level", "agency_id", "agency__name", "field_id", "field__name",
        "decision_id", "decision__number", "decision__signed_on", "effective_from")
    return [Published(
        version_id=r["id"], code=r["procedure__code"], name=r["name"], kind=r["kind"], level=r["level"],
        agency_name=r["agency__name"], row_unit_id=units.row_unit(r["agency_id"]), field_id=r["field_id"],
        field_name=r["field__name"], decision_id=r["decision_id"], decision_number=r["decision__number"],
        signed_on=r["decision__signed_on"], effective_from=r["effective_from"]) for r in rows]


def _values(items: list[Published]) -> dict[str, int]:
    values = {c.key: sum(1 for i in items if in_column(c.key, i)) for c in COLUMNS}
    values["c3"] = len({i.decision_id for i in items})
    return values


def publication_table(versions: QuerySet[ProcedureVersion], period: Period, *, group: str = "agency"
                      ) -> PublicationTable:
    items = published_items(versions)
    keys = sorted({i.group_key(group) for i in items})
    if group == "field":
        labels, order = {i.field_id: i.field_name for i in items}, {}
    else:
        found = Unit.objects.filter(pk__in=keys).values_list("pk", "name", "path")
        labels, order = {pk: name for pk, name, _ in found}, {pk: path for pk, _, path in found}
    rows = [PublicationRow(None, key, labels.get(key, "—"), _values([i for i in items if i.group_key(group) == key]))
            for key in keys]
    rows.sort(key=(lambda r: r.label) if group == "field" else (lambda r: order.get(r.key, "")))
    for number, row in enumerate(rows, start=1):
        row.number = number
    return PublicationTable(period=period, group=group, rows=rows, total=PublicationRow(None, None, _("Tổng cộng"),
                            _values(items)), items=items)


def cell_items(table: PublicationTable, key: str, group_value: int | None = None) -> list[Published]:
    return [i for i in table.items
            if in_column(key, i) and (group_value is None or i.group_key(table.group) == group_value)]


def cell_decisions(items: list[Published]) -> list[dict]:
    """The decisions behind a column-3 cell, each with how many of the listed TTHC it published."""
    decisions: dict[int, dict] = {}
    for item in items:
        entry = decisions.setdefault(item.decision_id, {"number": item.decision_number, "signed_on": item.signed_on,
                                                        "id": item.decision_id, "count": 0})
        entry["count"] += 1
    return sorted(decisions.values(), key=lambda d: (d["signed_on"], d["number"]))
