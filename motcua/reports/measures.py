"""Ratios counted over dossiers: a numerator and a denominator, each a `Q` on the same annotated
queryset, dated by one of the dossier's instants. The KPI dashboard and the QĐ 766 index count with
them (one GROUP BY query per measure) and list the dossiers behind a number with the same `Q`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.apps import apps
from django.db import connection, transaction
from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import TruncDate, TruncMonth
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Fee, OnlineLevel
from motcua.dossiers.models import (
    Channel,
    Dossier,
    DossierFile,
    Outcome,
    ResultDocument,
    Status,
    StepRun,
    SupplementRound,
)
from motcua.lib.formats import VN_TZ


@contextmanager
def aggregate_plan(*, work_mem: str = "") -> Iterator[None]:
    """Around one report aggregate on PostgreSQL: no JIT compilation for this transaction. The correlated
    EXISTS in the FILTER clauses push the estimated cost past `jit_above_cost`, and compiling takes longer
    than the scan (EXPLAIN ANALYZE on 1,000,000 dossiers: 1.2–1.8 s of JIT for a 0.45 s query).
    `work_mem` (e.g. "64MB"), for this transaction only: the KPI pass needs its `id IN (SELECT …)` sets
    hashed in memory (below)."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")
            if work_mem:
                cursor.execute("SELECT set_config('work_mem', %s, true)", [work_mem])
        yield


def payments_installed() -> bool:
    return apps.is_installed("motcua.integrations.payments")


def _exists(name: str):
    if name == "m_steps":
        return Exists(StepRun.objects.filter(dossier=OuterRef("pk")))
    if name == "m_result":
        return Exists(ResultDocument.objects.filter(dossier=OuterRef("pk")))
    if name == "m_files":
        return Exists(DossierFile.objects.filter(dossier=OuterRef("pk")))
    if name == "m_reuse":
        from motcua.records.models import Reuse

        return Exists(Reuse.objects.filter(dossier=OuterRef("pk")))
    if name == "m_record":
        from motcua.records.models import Record

        return Exists(Record.objects.filter(result__dossier=OuterRef("pk")))
    if name == "m_archived":
        from motcua.records.models import Record

        # digitised, stored and reusable (plan VIII.7): component files, and the result kept in the data store
        return Exists(Record.objects.filter(result__dossier=OuterRef("pk"), result__dossier__files__isnull=False))
    if name == "m_fee":
        return Exists(Fee.objects.filter(case=OuterRef("case"), amount__gt=0))
    if name == "m_paid":
        from motcua.integrations.payments.models import Payment, PaymentMethod, PaymentStatus

        # paid ONLINE: a fee recorded at the counter (cash, transfer, card) does not count
        return Exists(Payment.objects.filter(dossier=OuterRef("pk"), status=PaymentStatus.PAID,
                                             method=PaymentMethod.ONLINE))
    if name == "m_repeat":
        return Exists(SupplementRound.objects.filter(dossier=OuterRef("pk"), repeated=True))
    if name == "m_dislike":
        from motcua.portal.models import Rating, Satisfaction

        return Exists(Rating.objects.filter(dossier=OuterRef("pk"), satisfaction=Satisfaction.NOT_SATISFIED))
    if name == "m_feedback":
        from motcua.portal.models import Feedback

        return Exists(Feedback.objects.filter(dossier=OuterRef("pk")))
    if name == "m_resolved_day":
        return TruncDate("resolved_at", tzinfo=VN_TZ)
    if name == "m_due_day":
        return TruncDate("due_at", tzinfo=VN_TZ)
    raise KeyError(name)


def _related_dossiers(name: str) -> QuerySet | None:
    """The ids of the dossiers having the row `name`'s EXISTS looks for, when it is one of the dossier's own
    relations (an uncorrelated `id IN (SELECT …)` that PostgreSQL hashes once per query), None otherwise."""
    if name == "m_steps":
        return StepRun.objects.values("dossier_id")
    if name == "m_result":
        return ResultDocument.objects.values("dossier_id")
    if name == "m_files":
        return DossierFile.objects.values("dossier_id")
    if name == "m_reuse":
        from motcua.records.models import Reuse

        return Reuse.objects.values("dossier_id")
    if name == "m_record":
        from motcua.records.models import Record

        return Record.objects.filter(result__isnull=False).values("result__dossier_id")
    if name == "m_archived":
        from motcua.records.models import Record

        return Record.objects.filter(result__dossier__files__isnull=False).values("result__dossier_id")
    if name == "m_paid":
        from motcua.integrations.payments.models import Payment, PaymentMethod, PaymentStatus

        return Payment.objects.filter(status=PaymentStatus.PAID, method=PaymentMethod.ONLINE).values("dossier_id")
    return None


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    date_field: str          # which instant dates the dossier (received_at / resolved_at)
    denominator: Q
    numerator: Q             # applied on top of the denominator
    aliases: tuple[str, ...] = ()
    numerator_text: str = ""
    denominator_text: str = ""
    needs_payments: bool = False
    needs_app: str = ""

    @property
    def relation(self) -> str:
        """The alias when the numerator is exactly "has a row in that relation" (`Q(m_steps=True)`…), else ""."""
        for name in self.aliases:
            if self.numerator == Q(**{name: True}) and _related_dossiers(name) is not None:
                return name
        return ""

    @property
    def available(self) -> bool:
        return ((not self.needs_payments or payments_installed())
                and (not self.needs_app or apps.is_installed(self.needs_app)))

    def prepared(self, base: QuerySet[Dossier]) -> QuerySet[Dossier]:
        return base.alias(**{name: _exists(name) for name in self.aliases}).filter(
            **{f"{self.date_field}__isnull": False})

    def within(self, base: QuerySet[Dossier], start: dt.datetime, end: dt.datetime) -> QuerySet[Dossier]:
        return self.prepared(base).filter(**{f"{self.date_field}__gte": start, f"{self.date_field}__lt": end})

    def dossiers(self, base: QuerySet[Dossier], start: dt.datetime, end: dt.datetime, part: str) -> QuerySet[Dossier]:
        """`part`: "den" (the denominator's dossiers) or "num" (the numerator's)."""
        qs = self.within(base, start, end).filter(self.denominator)
        return qs.filter(self.numerator) if part == "num" else qs

    def counts(self, base: QuerySet[Dossier], start: dt.datetime, end: dt.datetime) -> tuple[int, int]:
        months = self.by_month(base, start, end).values()
        return sum(num for num, _den in months), sum(den for _num, den in months)

    def by_month(self, base: QuerySet[Dossier], start: dt.datetime, end: dt.datetime) -> dict[tuple[int, int], tuple]:
        rows = (self.within(base, start, end).order_by()
                .annotate(m_month=TruncMonth(self.date_field, tzinfo=VN_TZ)).values("m_month")
                .annotate(den=Count("pk", filter=self.denominator),
                          num=Count("pk", filter=self.denominator & self.numerator)))
        result = {}
        for row in rows:
            month = row["m_month"]
            result[(month.year, month.month)] = (row["num"], row["den"])
        return result

    def by_month_sql(self, index: int) -> dict:
        """The two conditional counts of this measure, named for a query that counts several at once."""
        return {f"den{index}": Count("pk", filter=self.denominator),
                f"num{index}": Count("pk", filter=self.denominator & self.numerator)}

    def by_group(self, base: QuerySet[Dossier], start: dt.datetime, end: dt.datetime,
                 group: str | tuple[str, ...] = "agency") -> dict:
        """(numerator, denominator) per value of `group`; a tuple of fields keys the result by tuples."""
        fields = (group,) if isinstance(group, str) else group
        rows = (self.within(base, start, end).order_by().values(*fields)
                .annotate(den=Count("pk", filter=self.denominator),
                          num=Count("pk", filter=self.denominator & self.numerator)))
        if isinstance(group, str):
            return {row[group]: (row["num"], row["den"]) for row in rows}
        return {tuple(row[f] for f in fields): (row["num"], row["den"]) for row in rows}


RECEIVED = Q(received_at__isnull=False)
RESOLVED = Q(resolved_at__isnull=False)

MEASURES = {m.key: m for m in [
    Measure("online", _("Hồ sơ nộp trực tuyến"), "received_at", RECEIVED, Q(channel=Channel.ONLINE),
            numerator_text=_("hồ sơ tiếp nhận trực tuyến"), denominator_text=_("hồ sơ tiếp nhận")),
    Measure("full_online", _("Hồ sơ trực tuyến của TTHC toàn trình"), "received_at",
            Q(version__online_level=OnlineLevel.FULL), Q(channel=Channel.ONLINE),
            numerator_text=_("hồ sơ nộp trực tuyến của TTHC trực tuyến toàn trình"),
            denominator_text=_("hồ sơ tiếp nhận của TTHC trực tuyến toàn trình")),
    Measure("circulation", _("Hồ sơ luân chuyển điện tử"), "received_at", ~Q(status=Status.RECEIVED),
            Q(m_steps=True), aliases=("m_steps",),
            numerator_text=_("hồ sơ chuyển xử lý qua quy trình điện tử (có phiếu kiểm soát điện tử)"),
            denominator_text=_("hồ sơ đã chuyển khỏi bước tiếp nhận")),
    Measure("results_digitized", _("Kết quả được số hóa"), "resolved_at", RESOLVED, Q(m_result=True),
            aliases=("m_result",), numerator_text=_("hồ sơ đã giải quyết có tệp kết quả điện tử"),
            denominator_text=_("hồ sơ đã giải quyết")),
    Measure("components_digitized", _("Thành phần hồ sơ được số hóa"), "received_at", RECEIVED, Q(m_files=True),
            aliases=("m_files",), numerator_text=_("hồ sơ có tệp thành phần (số hóa tại quầy, tải lên, tái sử dụng)"),
            denominator_text=_("hồ sơ tiếp nhận")),
    Measure("reuse", _("Hồ sơ tái sử dụng dữ liệu số"), "received_at", RECEIVED, Q(m_reuse=True),
            aliases=("m_reuse",), numerator_text=_("hồ sơ có ít nhất một giấy tờ tái sử dụng từ kho dữ liệu"),
            denominator_text=_("hồ sơ tiếp nhận")),
    Measure("data_store", _("Kết quả đưa vào kho dữ liệu của người dân"), "resolved_at", RESOLVED, Q(m_record=True),
            aliases=("m_record",), numerator_text=_("hồ sơ đã giải quyết có kết quả lưu vào kho dữ liệu điện tử"),
            denominator_text=_("hồ sơ đã giải quyết")),
    Measure("digitized_archived", _("Hồ sơ giải quyết thành công được số hóa, lưu trữ, tái sử dụng được"), "resolved_at",
            RESOLVED & Q(outcome=Outcome.APPROVED), Q(m_archived=True), aliases=("m_archived",),
            numerator_text=_("hồ sơ giải quyết thành công có tệp thành phần hồ sơ điện tử và có kết quả điện tử "
                            "đã lưu vào kho dữ liệu của người dân, doanh nghiệp"),
            denominator_text=_("hồ sơ giải quyết thành công (quyết định chấp thuận)")),
    Measure("paid_online", _("Hồ sơ thanh toán trực tuyến"), "received_at", Q(m_fee=True), Q(m_paid=True),
            aliases=("m_fee", "m_paid"), needs_payments=True,
            numerator_text=_("hồ sơ có phí, lệ phí đã thanh toán trực tuyến"),
            denominator_text=_("hồ sơ tiếp nhận của trường hợp có phí, lệ phí")),
    Measure("satisfaction", _("Đánh giá hài lòng"), "rating__created_at", Q(),
            Q(rating__satisfaction__in=["very_satisfied", "satisfied"]), needs_app="motcua.portal",
            numerator_text=_("đánh giá “rất hài lòng” và “hài lòng”"),
            denominator_text=_("đánh giá của người dân, doanh nghiệp về hồ sơ (theo ngày đánh giá)")),
    Measure("on_time", _("Hồ sơ giải quyết đúng hạn"), "resolved_at", RESOLVED,
            # resolved_at <= due_at first: the same answer (local days are monotone in the instant), and the
            # two conversions to local days are then only computed for the dossiers resolved after the instant
            Q(due_at__isnull=True) | Q(resolved_at__lte=F("due_at")) | Q(m_resolved_day__lte=F("m_due_day")),
            aliases=("m_resolved_day", "m_due_day"),
            numerator_text=_("hồ sơ giải quyết trước hạn và đúng hạn (theo ngày)"),
            denominator_text=_("hồ sơ đã giải quyết")),
]}


def month_buckets(start: dt.datetime, end: dt.datetime) -> list[tuple[tuple[int, int], dt.datetime]]:
    """The calendar months (Asia/Ho_Chi_Minh) that [start, end) touches: ((year, month), upper bound)
    where the upper bound is the next month's first instant, or `end` for the last one."""
    local = start.astimezone(VN_TZ)
    year, month = local.year, local.month
    buckets = []
    while True:
        following = dt.datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=VN_TZ)
        buckets.append(((year, month), min(following, end)))
        if following >= end:
            return buckets
        year, month = following.year, following.month


def _bucket(date_field: str, start: dt.datetime, buckets: list) -> Case:
    """The index of the month bucket `date_field` falls in, -1 outside [start, end) or when empty: a few
    comparisons with constants, cheaper per row than converting the instant to local time and truncating."""
    whens = [When(**{f"{date_field}__lt": start}, then=Value(-1))]
    whens += [When(**{f"{date_field}__lt": upper}, then=Value(index)) for index, (_key, upper) in enumerate(buckets)]
    return Case(*whens, default=Value(-1), output_field=IntegerField())


def months_of(measures: list[Measure], base: QuerySet[Dossier], start: dt.datetime, end: dt.datetime
              ) -> dict[str, dict[tuple[int, int], tuple]]:
    """`Measure.by_month` for several measures in one pass over the dossiers: the measures dated by the
    dossier's own instants (received_at, resolved_at) count in ONE aggregate over the dossiers with any of
    those instants in [start, end), grouped by the month bucket of each instant, every measure's numerator
    and denominator a conditional count read back for its own instant's month (`_own_months`). A measure
    dated through a relation (a rating's date) gets a query of its own over that relation. Same numbers as
    one `by_month` per measure (test_kpi_single_pass)."""
    result: dict[str, dict[tuple[int, int], tuple]] = {}
    own = [m for m in measures if "__" not in m.date_field]
    if own:
        result.update(_own_months(own, base, start, end))
    for measure in measures:
        if "__" not in measure.date_field:
            continue
        with aggregate_plan():
            result[measure.key] = measure.by_month(base, start, end)
    return result


# The KPI pass's memory for its hashed `id IN (SELECT dossier_id FROM R)` sets (and its hash aggregate), for
# its own transaction: PostgreSQL hashes such a set only when it fits in work_mem × hash_mem_multiplier, and
# otherwise would run the subquery for every dossier. 64 MB holds a few million ids.
PASS_WORK_MEM = "64MB"


def _own_months(measures: list[Measure], base: QuerySet[Dossier], start: dt.datetime, end: dt.datetime
                ) -> dict[str, dict[tuple[int, int], tuple]]:
    """The pass itself. A numerator that is "has a row in relation R" counts `id IN (SELECT dossier_id FROM R)`:
    PostgreSQL reads R once into a hash table and probes it for each dossier of the pass (a hashed SubPlan,
    about 0.15 µs a probe), where a correlated EXISTS ran the subquery once per dossier (0.35–0.45 µs even on
    an empty table) and a separate semi-join query per relation read the year's dossiers again for each
    (1,000,000 dossiers: 110–250 ms each)."""
    buckets = month_buckets(start, end)
    date_fields = list(dict.fromkeys(m.date_field for m in measures))
    keys = {field: f"m_b{index}" for index, field in enumerate(date_fields)}
    within = Q()
    for field in date_fields:
        within |= Q(**{f"{field}__gte": start, f"{field}__lt": end})
    aliases = {name: _exists(name) for m in measures for name in m.aliases if name != m.relation}
    counts: dict[str, Count] = {}
    seen: dict[Q, str] = {}       # one conditional count per distinct condition (several measures share one)
    named: dict[str, tuple[str, str]] = {}

    def count_of(condition: Q) -> str:
        if condition not in seen:
            seen[condition] = f"c{len(seen)}"
            counts[seen[condition]] = Count("pk", filter=condition)
        return seen[condition]

    for measure in measures:
        numerator = (Q(pk__in=_related_dossiers(measure.relation)) if measure.relation else measure.numerator)
        named[measure.key] = (count_of(measure.denominator & numerator), count_of(measure.denominator))
    rows = (base.alias(**aliases).filter(within).order_by()
            .annotate(**{keys[field]: _bucket(field, start, buckets) for field in date_fields})
            .values(*keys.values()).annotate(**counts))
    with aggregate_plan(work_mem=PASS_WORK_MEM):
        rows = list(rows)
    result: dict[str, dict[tuple[int, int], tuple]] = {m.key: {} for m in measures}
    for row in rows:
        for measure in measures:
            bucket = row[keys[measure.date_field]]
            if bucket < 0:
                continue
            month = buckets[bucket][0]
            num_name, den_name = named[measure.key]
            num, den = result[measure.key].get(month, (0, 0))
            result[measure.key][month] = (num + row[num_name], den + row[den_name])
    return result
