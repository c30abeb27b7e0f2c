"""The results of handling dossiers: Biểu II.06a/VPCP/KSTT (and Biểu 06 at unit level), DOMAIN B.3.3.

Thirteen columns; 3–13 are counts. Every count is one `Count("pk", filter=Q)` in one GROUP BY query,
and the drill-down list of a cell is the same base queryset filtered by the same `Q`: one source
of truth (`column_q`). Counting rules, for a period [S, E) (local dates, both included):

- in the table (col 3) = received before E and either received in the period or not resolved before S;
- col 4/5 = received in the period online / in person or by post; col 6 = received before S (carried over);
- resolved (col 7) = result ready (`resolved_at`) before E; early / on time / late (8/9/10) by the
  local date of `resolved_at` against the local date of the appointment (`Rules.granularity="date"`,
  the default) or by the instants (`"instant"`, as TH-DVC does). A dossier without an appointment
  counts on time. The appointment is the current one (after supplement pauses and an apology);
  `Rules.appointment="original"` judges against the first one instead;
- in progress (col 11) = not resolved before E; within time (12) if its appointment is at or after E,
  or it was waiting for a supplement at E, or it is stopped (B.1.5: TH-DVC counts "chờ bổ sung" and
  "dừng xử lý" within time); overdue (13) otherwise.

Checks: 3 = 4 + 5 + 6, 7 = 8 + 9 + 10, 11 = 12 + 13, 3 = 7 + 11, for every row and the totals.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce, TruncDate
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import Channel, Dossier, Status, SupplementRound
from motcua.lib.formats import VN_TZ
from motcua.reports.measures import aggregate_plan
from motcua.reports.periods import Period


@dataclass(frozen=True)
class Column:
    key: str
    number: int
    name: str       # the API's name for it
    group: str      # the merged header above it
    label: str      # its own header


COLUMNS = [
    Column("c3", 3, "received_total", _("Số hồ sơ nhận giải quyết"), _("Tổng số")),
    Column("c4", 4, "received_online", _("Số hồ sơ nhận giải quyết"), _("Trong kỳ: trực tuyến")),
    Column("c5", 5, "received_direct_postal", _("Số hồ sơ nhận giải quyết"),
           _("Trong kỳ: trực tiếp, dịch vụ bưu chính")),
    Column("c6", 6, "carried_over", _("Số hồ sơ nhận giải quyết"), _("Từ kỳ trước chuyển qua")),
    Column("c7", 7, "resolved_total", _("Số hồ sơ đã giải quyết"), _("Tổng số")),
    Column("c8", 8, "resolved_early", _("Số hồ sơ đã giải quyết"), _("Trước hạn")),
    Column("c9", 9, "resolved_on_time", _("Số hồ sơ đã giải quyết"), _("Đúng hạn")),
    Column("c10", 10, "resolved_late", _("Số hồ sơ đã giải quyết"), _("Quá hạn")),
    Column("c11", 11, "in_progress_total", _("Số hồ sơ đang giải quyết"), _("Tổng số")),
    Column("c12", 12, "in_progress_within_time", _("Số hồ sơ đang giải quyết"), _("Trong hạn")),
    Column("c13", 13, "in_progress_overdue", _("Số hồ sơ đang giải quyết"), _("Quá hạn")),
]
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}
CHECKS = [("c3", ("c4", "c5", "c6")), ("c7", ("c8", "c9", "c10")), ("c11", ("c12", "c13")), ("c3", ("c7", "c11"))]

# Grouping: the rows of the table (GROUP BY one column of the dossier).
GROUPS = {
    "field": ("version__field", _("Lĩnh vực")),
    "agency": ("agency", _("Cơ quan")),
    "unit": ("handling_unit", _("Đơn vị giải quyết")),
}
GROUP_LABELS = {key: label for key, (_column, label) in GROUPS.items()}


@dataclass(frozen=True)
class Rules:
    granularity: str = "date"       # "date" | "instant"
    appointment: str = "current"    # "current" (due_at) | "original" (the one before an apology)

    def __post_init__(self):
        if self.granularity not in {"date", "instant"} or self.appointment not in {"current", "original"}:
            raise ValueError("Rules: granularity date|instant, appointment current|original")


DEFAULT_RULES = Rules()
WAITING_STATUSES = [Status.STOPPED]


def annotate(qs: QuerySet[Dossier], period: Period, rules: Rules = DEFAULT_RULES) -> QuerySet[Dossier]:
    """The aliases the column conditions read: the appointment, both local dates, and whether the
    dossier was waiting for a supplement at the end of the period."""
    appointment = F("due_at") if rules.appointment == "current" else Coalesce("original_due_at", "due_at")
    waiting = SupplementRound.objects.filter(dossier=OuterRef("pk"), requested_at__lt=period.end).filter(
        Q(received_at__isnull=True) | Q(received_at__gte=period.end))
    qs = qs.alias(rpt_appointment=appointment, rpt_waiting_at_end=Exists(waiting))
    if rules.granularity == "date":
        qs = qs.alias(rpt_resolved_day=TruncDate("resolved_at", tzinfo=VN_TZ),
                      rpt_due_day=TruncDate("rpt_appointment", tzinfo=VN_TZ))
    return qs


def in_table_q(period: Period) -> Q:
    """Column 3: the dossiers the period reports on."""
    return Q(received_at__lt=period.end) & (
        Q(received_at__gte=period.start) | Q(resolved_at__isnull=True) | Q(resolved_at__gte=period.start))


def column_q(key: str, period: Period, rules: Rules = DEFAULT_RULES) -> Q:
    """The condition of one column, for dossiers already in the table (`in_table_q`) and annotated
    (`annotate`). The count of a cell and its list of dossiers both use exactly this."""
    s, e = period.start, period.end
    in_period = Q(received_at__gte=s, received_at__lt=e)
    resolved = Q(resolved_at__lt=e)
    open_at_end = Q(resolved_at__isnull=True) | Q(resolved_at__gte=e)
    no_appointment = Q(rpt_appointment__isnull=True)
    if rules.granularity == "date":
        early = Q(rpt_resolved_day__lt=F("rpt_due_day"))
        on_time = Q(rpt_resolved_day=F("rpt_due_day"))
        late = Q(rpt_resolved_day__gt=F("rpt_due_day"))
    else:
        early = Q(resolved_at__lt=F("rpt_appointment"))
        on_time = Q(resolved_at=F("rpt_appointment"))
        late = Q(resolved_at__gt=F("rpt_appointment"))
    excused = Q(status__in=WAITING_STATUSES) | Q(rpt_waiting_at_end=True)
    conditions = {
        "c3": Q(),
        "c4": in_period & Q(channel=Channel.ONLINE),
        "c5": in_period & ~Q(channel=Channel.ONLINE),
        "c6": Q(received_at__lt=s),
        "c7": resolved,
        "c8": resolved & ~no_appointment & early,
        "c9": resolved & (no_appointment | on_time),
        "c10": resolved & ~no_appointment & late,
        "c11": open_at_end,
        "c12": open_at_end & (no_appointment | Q(rpt_appointment__gte=e) | excused),
        "c13": open_at_end & Q(rpt_appointment__lt=e) & ~Q(status__in=WAITING_STATUSES)
        & Q(rpt_waiting_at_end=False),
    }
    return conditions[key]


@dataclass
class ResultRow:
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
        return failures

    def named(self) -> dict[str, int]:
        return {c.name: self.values[c.key] for c in COLUMNS}


@dataclass
class ResultTable:
    period: Period
    group: str
    rows: list[ResultRow]
    total: ResultRow
    rules: Rules = DEFAULT_RULES

    @property
    def failures(self) -> list[str]:
        return [f"{row.label}: {failure}" for row in [*self.rows, self.total] for failure in row.failed_checks()]


def table_queryset(base: QuerySet[Dossier], period: Period, rules: Rules = DEFAULT_RULES) -> QuerySet[Dossier]:
    return annotate(base, period, rules).filter(in_table_q(period))


def _label_map(group: str, keys: list) -> dict:
    from motcua.catalog.models import Field
    from motcua.org.models import Unit

    if group == "field":
        return dict(Field.objects.filter(pk__in=keys).values_list("pk", "name"))
    return dict(Unit.objects.filter(pk__in=keys).values_list("pk", "name"))


def results_table(base: QuerySet[Dossier], period: Period, *, group: str = "field",
                  rules: Rules = DEFAULT_RULES) -> ResultTable:
    """One aggregate query (GROUP BY the group column) plus one for the row labels."""
    column, _label = GROUPS[group]
    counts = {c.key: Count("pk", filter=column_q(c.key, period, rules)) if c.key != "c3" else Count("pk")
              for c in COLUMNS}
    with aggregate_plan():
        data = list(table_queryset(base, period, rules).order_by().values(column).annotate(**counts))
    labels = _label_map(group, [item[column] for item in data])
    rows = [ResultRow(None, item[column], labels.get(item[column], "—"), {c.key: item[c.key] for c in COLUMNS})
            for item in data]
    rows.sort(key=lambda r: r.label)
    for number, row in enumerate(rows, start=1):
        row.number = number
    total = ResultRow(None, None, _("Tổng cộng"), {c.key: sum(r.values[c.key] for r in rows) for c in COLUMNS})
    return ResultTable(period=period, group=group, rows=rows, total=total, rules=rules)


def cell_dossiers(base: QuerySet[Dossier], period: Period, key: str, *, group: str = "field",
                  group_value: int | None = None, rules: Rules = DEFAULT_RULES) -> QuerySet[Dossier]:
    """The dossiers behind one cell (`group_value=None`: the totals row)."""
    qs = table_queryset(base, period, rules)
    if group_value is not None:
        qs = qs.filter(**{GROUPS[group][0]: group_value})
    return qs.filter(column_q(key, period, rules))
