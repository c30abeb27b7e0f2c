"""The one-stop implementation table: Biểu II.07b/VPCP/KSTT (DOMAIN B.3.4), derived from the catalog.

The unit is procedures (TTHC), not dossiers. The table is taken on one day (`as_of`, the end of the
reporting period, never later than today): a procedure counts through its version in force on that
day (`ProcedureVersion.objects.in_force_on`; abolished ones are not in force).

Columns (3–14):
- 3–6: TTHC within the locality's competence — versions of level province / district / commune
  (central-level procedures are not the locality's and are left out);
- 7–10: TTHC handled through the one-stop or inter-agency one-stop mechanism — a version is if one of
  its cases is received at a one-stop desk (a unit of kind "Bộ phận Một cửa" or "Trung tâm Phục vụ
  hành chính công", or a unit inside one). The receiving desk of a case is the unit of the first step
  of its internal process (as configured on `as_of`); a case without one is received at a one-stop desk
  under the agency, if it has one (the rule `portal.selectors.desk_for` applies to online dossiers).
  Column 8/9/10 by the level of that desk (of the first such case): under a commune → commune, under
  a district → district, otherwise the provincial desk (the provincial centre and the department counters);
- 11–14: internal processes for handling those TTHC through the one-stop mechanism issued: TTHC of
  columns 7–10 of which every case has an internal process with at least one step, configured on or
  before `as_of`; split by the level of the procedure. (Counted in TTHC, not in processes: a TTHC with
  several cases has one process per case.)

Headers as printed by a provincial system (TTHC within the locality's competence / handled through
the one-stop mechanism / internal processes under the one-stop mechanism issued, each total, province,
district, commune).

Rows are the reporting units — the nearest agency, district, commune or province at or above the
version's agency (a public-service unit under a department counts for the department) — or fields.
After 01/07/2025 (two-level local government) the district columns are empty; a district-level version
still in force after that day is shown and flagged, never dropped silently.

Checks: 3 = 4 + 5 + 6, 7 = 8 + 9 + 10, 11 = 12 + 13 + 14, 7 ≤ 3, 11 ≤ 7.

Counting is done over one row per version in Python: a province's catalog holds a few thousand versions
at most, read in three queries (versions, cases with their first step, units). The count of a cell and
its drill-down list use the same predicate (`in_column`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Level, ProcedureCase, ProcedureVersion, Step
from motcua.org.models import Unit

DISTRICT_ABOLISHED_ON = dt.date(2025, 7, 1)
LOCAL_LEVELS = (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE)
ROW_KINDS = {Unit.Kind.AGENCY, Unit.Kind.DISTRICT, Unit.Kind.COMMUNE, Unit.Kind.PROVINCE, Unit.Kind.SERVICE_CENTRE}
DESK_KINDS = {Unit.Kind.ONE_STOP, Unit.Kind.SERVICE_CENTRE}
GROUP_LABELS = {"agency": _("Đơn vị"), "field": _("Lĩnh vực")}


@dataclass(frozen=True)
class Column:
    key: str
    number: int
    name: str       # the API's name for it
    group: str      # the merged header above it
    label: str      # its own header
    part: str       # "all" | "one_stop" | "process"
    level: str      # "" (total) | province | district | commune


_GROUPS = {
    "all": _("Tổng số TTHC thuộc thẩm quyền giải quyết của địa phương"),
    "one_stop": _("TTHC được thực hiện theo cơ chế một cửa, một cửa liên thông"),
    "process": _("Quy trình nội bộ giải quyết TTHC theo cơ chế một cửa, một cửa liên thông được ban hành"),
}
_LABELS = {"": _("Tổng số TTHC"), "province": _("Cấp tỉnh"), "district": _("Cấp huyện"), "commune": _("Cấp xã")}
_ONE_STOP_LABELS = {**_LABELS, "province": _("Tại Bộ phận Một cửa cấp tỉnh"),
                    "district": _("Tại Bộ phận Một cửa cấp huyện"), "commune": _("Tại Bộ phận Một cửa cấp xã")}
_NAMES = {"all": "procedures", "one_stop": "one_stop", "process": "internal_process"}

COLUMNS: list[Column] = []
for _index, _part in enumerate(("all", "one_stop", "process")):
    for _offset, _level in enumerate(("", "province", "district", "commune")):
        _number = 3 + 4 * _index + _offset
        COLUMNS.append(Column(
            key=f"c{_number}", number=_number, name=f"{_NAMES[_part]}_{_level or 'total'}", group=_GROUPS[_part],
            label=(_ONE_STOP_LABELS if _part == "one_stop" else _LABELS)[_level], part=_part, level=_level))
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}
DISTRICT_KEYS = frozenset(c.key for c in COLUMNS if c.level == "district")
CHECKS = [("c3", ("c4", "c5", "c6")), ("c7", ("c8", "c9", "c10")), ("c11", ("c12", "c13", "c14"))]
SUBSETS = [("c7", "c3"), ("c11", "c7")]


def district_abolished(as_of: dt.date) -> bool:
    return as_of >= DISTRICT_ABOLISHED_ON


@dataclass(frozen=True)
class ProcedureFact:
    """What the table needs to know of one version in force."""

    version_id: int
    code: str
    name: str
    level: str
    agency_id: int
    agency_name: str
    row_unit_id: int
    field_id: int
    field_name: str
    online_level: str
    desk_id: int | None          # the one-stop desk that receives it (None: not through the one-stop)
    desk_name: str
    desk_level: str              # province | district | commune | ""
    process_on: dt.date | None   # internal process issued (latest configured day over its cases)

    def group_key(self, group: str) -> int:
        return self.field_id if group == "field" else self.row_unit_id


def in_column(key: str, fact: ProcedureFact) -> bool:
    """Whether a procedure is counted in a column: the one rule behind each count and its list."""
    column = COLUMN_BY_KEY[key]
    if column.part == "one_stop":
        return fact.desk_id is not None and (not column.level or fact.desk_level == column.level)
    if column.part == "process" and (fact.process_on is None or fact.desk_id is None):
        return False
    return not column.level or fact.level == column.level


@dataclass
class OneStopRow:
    number: int | None
    key: int | None
    label: str
    values: dict[str, int] = field(default_factory=dict)

    def failed_checks(self) -> list[str]:
        failures = []
        for total, parts in CHECKS:
            if self.values[total] != sum(self.values[p] for p in parts):
                failures.append(gettext("cột %(total)s ≠ %(parts)s") % {
                    "total": COLUMN_BY_KEY[total].number,
                    "parts": " + ".join(str(COLUMN_BY_KEY[p].number) for p in parts)})
        for part, whole in SUBSETS:
            if self.values[part] > self.values[whole]:
                failures.append(gettext("cột %(part)s > cột %(whole)s") % {
                    "part": COLUMN_BY_KEY[part].number, "whole": COLUMN_BY_KEY[whole].number})
        return failures

    def shown(self, key: str, abolished: bool) -> int | None:
        """The value printed in a cell: None (blank) in a district column after 01/07/2025 when it is 0."""
        value = self.values[key]
        if abolished and key in DISTRICT_KEYS and value == 0:
            return None
        return value

    def named(self, abolished: bool) -> dict[str, int | None]:
        return {c.name: self.shown(c.key, abolished) for c in COLUMNS}


@dataclass
class OneStopTable:
    as_of: dt.date
    group: str
    rows: list[OneStopRow]
    total: OneStopRow
    facts: list[ProcedureFact]

    @property
    def district_abolished(self) -> bool:
        return district_abolished(self.as_of)

    @property
    def failures(self) -> list[str]:
        return [f"{row.label}: {failure}" for row in [*self.rows, self.total] for failure in row.failed_checks()]

    @property
    def warnings(self) -> list[str]:
        if not self.district_abolished:
            return []
        left = [f.code for f in self.facts if f.level == Level.DISTRICT]
        if not left:
            return []
        codes = ", ".join(sorted(left)[:10]) + ("…" if len(left) > 10 else "")
        return [ngettext("%(count)s TTHC cấp huyện vẫn còn hiệu lực trong danh mục sau ngày 01/07/2025 "
                         "(%(codes)s): cần công bố bãi bỏ hoặc thay thế.",
                         "%(count)s TTHC cấp huyện vẫn còn hiệu lực trong danh mục sau ngày 01/07/2025 "
                         "(%(codes)s): cần công bố bãi bỏ hoặc thay thế.", len(left)) % {"count": len(left), "codes": codes}]


# --- Reading the catalog ------------------------------------------------------------------------------

def versions_in_force(as_of: dt.date, *, units: QuerySet[Unit] | None = None, unit: Unit | None = None,
                      field_id: int | None = None) -> QuerySet[ProcedureVersion]:
    """Local-level versions in force on `as_of` whose agency is one of `units` (the caller's) and, if
    given, inside `unit` and of `field_id`."""
    qs = ProcedureVersion.objects.in_force_on(as_of).filter(level__in=LOCAL_LEVELS)
    if units is not None:
        qs = qs.filter(agency__in=units)
    if unit is not None:
        qs = qs.filter(agency__path__startswith=unit.path)
    if field_id is not None:
        qs = qs.filter(field_id=field_id)
    return qs


class UnitIndex:
    """Every unit's kind, path and name, to place agencies and desks without a query per row."""

    def __init__(self):
        self.by_id = {u["id"]: u for u in Unit.objects.values("id", "kind", "path", "name")}
        self.by_path = {u["path"]: u for u in self.by_id.values()}

    def chain(self, unit_id: int) -> list[dict]:
        """The unit and its ancestors, nearest first."""
        unit = self.by_id[unit_id]
        parts = unit["path"].split("/")[:-1]
        chain = []
        for end in range(len(parts), 0, -1):
            found = self.by_path.get("/".join(parts[:end]) + "/")
            if found is not None:
                chain.append(found)
        return chain

    def row_unit(self, unit_id: int) -> int:
        for unit in self.chain(unit_id):
            if unit["kind"] in ROW_KINDS:
                return unit["id"]
        return unit_id

    def is_desk(self, unit_id: int) -> bool:
        return any(u["kind"] in DESK_KINDS for u in self.chain(unit_id))

    def level(self, unit_id: int) -> str:
        kinds = {u["kind"] for u in self.chain(unit_id)}
        if Unit.Kind.COMMUNE in kinds:
            return Level.COMMUNE
        if Unit.Kind.DISTRICT in kinds:
            return Level.DISTRICT
        return Level.PROVINCE

    def own_desk(self, agency_id: int) -> int | None:
        """A one-stop desk inside the agency (the fallback of `desk_for`), the first by path."""
        path = self.by_id[agency_id]["path"]
        desks = sorted((u["path"], u["id"]) for u in self.by_id.values()
                       if u["kind"] == Unit.Kind.ONE_STOP and u["path"].startswith(path))
        return desks[0][1] if desks else None


def procedure_facts(versions: QuerySet[ProcedureVersion], as_of: dt.date) -> list[ProcedureFact]:
    rows = list(versions.order_by("procedure__code").values(
        "id", "procedure__code", "name", "level", "agency_id", "agency__name", "field_id", "field__name",
        "online_level"))
    first_step = Step.objects.filter(process__case=OuterRef("pk")).order_by("order", "id").values("unit_id")[:1]
    cases: dict[int, list[dict]] = {}
    for case in (ProcedureCase.objects.filter(version__in=versions.values("pk"))
                 .annotate(first_unit=Subquery(first_step), steps=Count("process__steps"))
                 .order_by("version_id", "order", "id")
                 .values("version_id", "process__configured_on", "first_unit", "steps")):
        cases.setdefault(case["version_id"], []).append(case)
    units = UnitIndex()
    own_desks: dict[int, int | None] = {}
    facts = []
    for row in rows:
        desk_id = None
        issued: list[dt.date | None] = []
        for case in cases.get(row["id"], []):
            configured = case["process__configured_on"]
            valid = configured is not None and configured <= as_of and case["steps"] > 0
            issued.append(configured if valid else None)
            if desk_id is not None:
                continue
            if valid and case["first_unit"] is not None:
                candidate = case["first_unit"]
            else:
                if row["agency_id"] not in own_desks:
                    own_desks[row["agency_id"]] = units.own_desk(row["agency_id"])
                candidate = own_desks[row["agency_id"]]
            if candidate is not None and units.is_desk(candidate):
                desk_id = candidate
        process_on = max(issued) if issued and all(issued) else None
        facts.append(ProcedureFact(
            version_id=row["id"], code=row["procedure__code"], name=row["name"], level=row["level"],
            agency_id=row["agency_id"], agency_name=row["agency__name"], row_unit_id=units.row_unit(row["agency_id"]),
            field_id=row["field_id"], field_name=row["field__name"], online_level=row["online_level"],
            desk_id=desk_id, desk_name=units.by_id[desk_id]["name"] if desk_id else "",
            desk_level=units.level(desk_id) if desk_id else "", process_on=process_on))
    return facts


def _labels(group: str, facts: list[ProcedureFact], units: dict[int, str]) -> dict[int, str]:
    if group == "field":
        return {f.field_id: f.field_name for f in facts}
    return units


def onestop_table(versions: QuerySet[ProcedureVersion], as_of: dt.date, *, group: str = "agency") -> OneStopTable:
    facts = procedure_facts(versions, as_of)
    keys = sorted({f.group_key(group) for f in facts})
    unit_rows = Unit.objects.filter(pk__in=keys).values_list("pk", "name", "path") if group != "field" else []
    order = {pk: path for pk, _name, path in unit_rows}
    labels = _labels(group, facts, {pk: name for pk, name, _path in unit_rows})
    rows = []
    for key in keys:
        mine = [f for f in facts if f.group_key(group) == key]
        rows.append(OneStopRow(None, key, labels.get(key, "—"),
                               {c.key: sum(1 for f in mine if in_column(c.key, f)) for c in COLUMNS}))
    # Units in the order of the organisation tree; fields by name.
    rows.sort(key=(lambda r: order.get(r.key, "")) if group != "field" else (lambda r: r.label))
    for number, row in enumerate(rows, start=1):
        row.number = number
    total = OneStopRow(None, None, _("Tổng cộng"), {c.key: sum(r.values[c.key] for r in rows) for c in COLUMNS})
    return OneStopTable(as_of=as_of, group=group, rows=rows, total=total, facts=facts)


def cell_procedures(table: OneStopTable, key: str, group_value: int | None = None) -> list[ProcedureFact]:
    """The procedures behind one cell (`group_value=None`: the totals row), by code."""
    return [f for f in table.facts
            if in_column(key, f) and (group_value is None or f.group_key(table.group) == group_value)]
