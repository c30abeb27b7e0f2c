"""The service index of QĐ 766/QĐ-TTg (DOMAIN B.4, C.1), per agency and calendar month, with ranking.

The groups and indicators are data (`data/index766.json`; their display strings are translated, listed for
makemessages in the generated `index766_strings.py`): group, numerator, denominator, threshold,
points and validity dates (DOMAIN A.4). An indicator scores `min(rate / threshold, 1) × points`.
An indicator our data cannot compute is shown "chưa có dữ liệu" with its reason and scores nothing;
an indicator whose denominator is 0 in the month is "không phát sinh". Each agency's total is shown
beside the maximum of the indicators that could be computed."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.apps import apps
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext, gettext_lazy, pgettext_lazy

from motcua.catalog.models import Component, OnlineLevel, ProcedureCase, ProcedureVersion
from motcua.dossiers.models import Channel, Dossier
from motcua.org.models import Unit
from motcua.reports.measures import MEASURES, RESOLVED, Measure, _exists, payments_installed
from motcua.reports.periods import Period, month_period
from motcua.reports.results import annotate, column_q, in_table_q
from motcua.reports.strings_gen import CONTEXT as STRINGS_CONTEXT

DATA = Path(__file__).resolve().parent / "data" / "index766.json"


def _text(value: str):
    """A display string of the JSON, translated at display time (lazily: `definitions()` is cached across
    requests and languages). makemessages finds these strings, under the context "QĐ 766", in the generated
    `index766_strings.py` (`python -m motcua.reports.strings_gen` after editing the JSON)."""
    return pgettext_lazy(STRINGS_CONTEXT, value) if value else ""


@dataclass(frozen=True)
class Group:
    key: str
    name: str
    points: float


@dataclass(frozen=True)
class Indicator:
    id: str
    group: str
    name: str
    numerator: str
    denominator: str
    threshold: float
    points: float
    valid_from: dt.date
    valid_to: dt.date | None
    measure: str | None
    no_data: str
    assumption: str = ""    # what the project assumed where the QĐ 766 annex was not read (shown with the formula)

    def valid_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    @property
    def on_dossiers(self) -> bool:
        """Counted over dossiers (its numbers drill down to a list of dossiers)."""
        return bool(self.measure) and not self.measure.startswith("catalog_") and self.measure != "feedback_classified"

    @property
    def counts(self) -> str:
        """What its numbers count, i.e. the list behind them: dossiers, procedures (the catalog) or feedback;
        "" when it has no data source."""
        if not self.measure:
            return ""
        if self.measure.startswith("catalog_"):
            return "procedures"
        return "feedback" if self.measure == "feedback_classified" else "dossiers"

    @property
    def formula(self) -> str:
        text = gettext("min((%(numerator)s) / (%(denominator)s) ÷ %(threshold)s%%; 1) × %(points)s điểm") % {
            "numerator": self.numerator, "denominator": self.denominator, "threshold": f"{self.threshold:g}",
            "points": f"{self.points:g}"}
        return f"{text} ({self.assumption})" if self.assumption else text


@cache
def definitions() -> tuple[list[Group], list[Indicator]]:
    raw = json.loads(DATA.read_text(encoding="utf-8"))
    groups = [Group(g["key"], _text(g["name"]), float(g["points"])) for g in raw["groups"]]
    indicators = [Indicator(
        id=i["id"], group=i["group"], name=_text(i["name"]), numerator=_text(i["numerator"]),
        denominator=_text(i["denominator"]),
        threshold=float(i["threshold"]), points=float(i["points"]),
        valid_from=dt.date.fromisoformat(i["valid_from"]),
        valid_to=dt.date.fromisoformat(i["valid_to"]) if i["valid_to"] else None,
        measure=i["measure"], no_data=_text(i["no_data"]), assumption=_text(i.get("assumption", "")))
        for i in raw["indicators"]]
    return groups, indicators


@dataclass
class Score:
    indicator: Indicator
    numerator: int | None = None
    denominator: int | None = None
    no_data: str = ""

    @property
    def rate(self) -> float | None:
        if self.no_data or not self.denominator:
            return None
        return round(100 * self.numerator / self.denominator, 1)

    @property
    def points(self) -> float | None:
        if self.rate is None:
            return None
        return round(min(self.rate / self.indicator.threshold, 1) * self.indicator.points, 2)

    @property
    def state(self) -> str:
        if self.no_data:
            return "no_data"
        return "none" if not self.denominator else "scored"


@dataclass
class AgencyIndex:
    agency: Unit
    scores: list[Score] = field(default_factory=list)
    rank: int = 0

    @property
    def total(self) -> float:
        return round(sum(s.points or 0 for s in self.scores), 2)

    @property
    def computable_max(self) -> float:
        return round(sum(s.indicator.points for s in self.scores if s.points is not None), 2)

    def group_points(self, key: str) -> tuple[float, float]:
        scores = [s for s in self.scores if s.indicator.group == key]
        return (round(sum(s.points or 0 for s in scores), 2),
                round(sum(s.indicator.points for s in scores if s.points is not None), 2))

    def as_dict(self, groups: list[Group]) -> dict:
        return {
            "agency": {"code": self.agency.code, "name": self.agency.name}, "rank": self.rank, "total": self.total,
            "computable_max": self.computable_max,
            "groups": [{
                "key": g.key, "name": str(g.name), "max_points": g.points,
                "points": self.group_points(g.key)[0], "computable_max": self.group_points(g.key)[1],
                "indicators": [{
                    "id": s.indicator.id, "name": str(s.indicator.name), "formula": s.indicator.formula,
                    "threshold": s.indicator.threshold, "max_points": s.indicator.points,
                    "numerator": s.numerator, "denominator": s.denominator, "rate": s.rate, "points": s.points,
                    "no_data": str(s.no_data) or None,
                } for s in self.scores if s.indicator.group == g.key]} for g in groups],
        }


def _owner(agencies: list[Unit]):
    """unit id → the ranked agency it belongs to (the longest path prefix), computed lazily."""
    paths = sorted(((a.path, a) for a in agencies), key=lambda item: -len(item[0]))
    cache_: dict[int, Unit | None] = {}

    def owner(unit_ids) -> dict[int, Unit | None]:
        missing = [i for i in unit_ids if i not in cache_]
        for pk, path in Unit.objects.filter(pk__in=missing).values_list("pk", "path"):
            cache_[pk] = next((a for p, a in paths if path.startswith(p)), None)
        return {i: cache_.get(i) for i in unit_ids}

    return owner


def _fold(rows: dict[int, tuple[int, int]], owner) -> dict[int, list[int]]:
    result: dict[int, list[int]] = {}
    owners = owner(list(rows))
    for unit_id, (num, den) in rows.items():
        agency = owners.get(unit_id)
        if agency is None:
            continue
        slot = result.setdefault(agency.pk, [0, 0])
        slot[0] += num
        slot[1] += den
    return result


def on_time_766(base: QuerySet[Dossier], period: Period) -> dict[int, tuple[int, int]]:
    """2.1: (resolved early or on time + in progress within time, minus dossiers with a repeated
    supplement request) / dossiers received or handled in the month, by agency."""
    good = (column_q("c8", period) | column_q("c9", period) | column_q("c12", period)) & Q(m_repeat=False)
    rows = (annotate(base, period).alias(m_repeat=_exists("m_repeat")).filter(in_table_q(period)).order_by()
            .values("agency").annotate(den=Count("pk"), num=Count("pk", filter=good)))
    return {r["agency"]: (r["num"], r["den"]) for r in rows}


def on_time_766_dossiers(base: QuerySet[Dossier], period: Period, part: str) -> QuerySet[Dossier]:
    qs = annotate(base, period).alias(m_repeat=_exists("m_repeat")).filter(in_table_q(period))
    if part == "num":
        qs = qs.filter((column_q("c8", period) | column_q("c9", period) | column_q("c12", period))
                       & Q(m_repeat=False))
    return qs


# 5.4 Satisfaction with TTHC handling (DOMAIN C.1.3): 100 % − (late-dossier rate + rate of dossiers with PAKN or
# a dislike), over the dossiers resolved in the month. Late is 2.1's rule for a resolved dossier (after the
# appointment day, or a supplement requested more than once); a dislike is a "Không hài lòng" rating on the
# three-level scale of DOMAIN B.7; a PAKN is a feedback (portal.Feedback) about the dossier. Assumptions, shown
# with the formula (index766.json): a dossier that is both late and disliked is subtracted once (the union,
# so the rate never goes below 0), and a rating or feedback sent after the month still counts for the month the
# dossier was resolved in (the index is recomputed, "real time").
SATISFACTION_766 = Measure(
    "satisfaction_766", gettext_lazy("Hài lòng về giải quyết TTHC"), "resolved_at", RESOLVED,
    MEASURES["on_time"].numerator & Q(m_repeat=False) & Q(m_dislike=False) & Q(m_feedback=False),
    aliases=(*MEASURES["on_time"].aliases, "m_repeat", "m_dislike", "m_feedback"), needs_app="motcua.portal")

# 5.1 PAKN received and classified: feedback (portal.Feedback) received in the month, by the agency it is
# about; classified when it carries its subject (about the procedure's rules / about how a dossier was
# handled), which the public form asks for at reception. Scoring the classified share is an assumption (the
# annex was not read), stated with the formula.
FEEDBACK_CLASSES = ("procedure", "dossier")


def _feedback_of(period: Period):
    from motcua.portal.models import Feedback

    return Feedback.objects.filter(created_at__gte=period.start, created_at__lt=period.end, agency__isnull=False)


def feedback_classified(period: Period) -> dict[int, tuple[int, int]]:
    rows = (_feedback_of(period).order_by().values("agency")
            .annotate(den=Count("pk"), num=Count("pk", filter=Q(subject__in=FEEDBACK_CLASSES))))
    return {r["agency"]: (r["num"], r["den"]) for r in rows}


def _catalog(measure: str, base: QuerySet[Dossier], period: Period) -> dict[int, tuple[int, int]]:
    """Catalog-based indicators: procedures in force at the month's end, by the agency carrying them."""
    versions, den_q, num_q = _catalog_parts(measure, base, period)
    rows = (versions.order_by().values("agency")
            .annotate(den=Count("pk", filter=den_q), num=Count("pk", filter=den_q & num_q)))
    return {r["agency"]: (r["num"], r["den"]) for r in rows}


def _catalog_parts(measure: str, base: QuerySet[Dossier], period: Period
                   ) -> tuple[QuerySet[ProcedureVersion], Q, Q]:
    """The versions a catalog-based indicator counts, with its denominator and numerator conditions."""
    day = period.date_to
    versions = ProcedureVersion.objects.in_force_on(day)
    if measure == "catalog_complete":
        complete = (Q(m_case=True) & Q(m_component=True) & ~Q(name="") & ~Q(applicants=""))
        versions = versions.alias(
            m_case=Exists(ProcedureCase.objects.filter(version=OuterRef("pk"), processing_time__gt=0)),
            m_component=Exists(Component.objects.filter(case__version=OuterRef("pk"))))
        den_q, num_q = Q(), complete
    elif measure == "catalog_online":
        den_q, num_q = Q(), ~Q(online_level=OnlineLevel.OFFLINE)
    elif measure == "catalog_online_used":
        online = base.filter(channel=Channel.ONLINE, received_at__gte=period.start, received_at__lt=period.end,
                             version__procedure=OuterRef("procedure"))
        versions = versions.alias(m_used=Exists(online))
        den_q, num_q = ~Q(online_level=OnlineLevel.OFFLINE), Q(m_used=True)
    elif measure == "catalog_paid":
        from motcua.integrations.payments.models import PaymentMethod, PaymentStatus

        # online payments only (a fee recorded at the counter is not one)
        paid = base.filter(payments__status=PaymentStatus.PAID, payments__method=PaymentMethod.ONLINE,
                           payments__paid_at__gte=period.start, payments__paid_at__lt=period.end,
                           version__procedure=OuterRef("procedure"))
        versions = versions.alias(m_paid=Exists(paid))
        den_q, num_q = Q(has_fee=True), Q(m_paid=True)
    else:
        raise KeyError(measure)
    return versions, den_q, num_q


def compute(measure: str, base: QuerySet[Dossier], period: Period) -> dict[int, tuple[int, int]]:
    if measure == "on_time_766":
        return on_time_766(base, period)
    if measure.startswith("catalog_"):
        return _catalog(measure, base, period)
    if measure == "feedback_classified":
        return feedback_classified(period)
    if measure == SATISFACTION_766.key:
        return SATISFACTION_766.by_group(base, period.start, period.end, "agency")
    return MEASURES[measure].by_group(base, period.start, period.end, "agency")


def _needs_payments(indicator: Indicator) -> bool:
    return indicator.measure in {"catalog_paid", "paid_online"}


def _needs_portal(indicator: Indicator) -> bool:
    return indicator.measure in {"feedback_classified", SATISFACTION_766.key}


def index_766(base: QuerySet[Dossier], agencies: list[Unit], year: int, month: int
              ) -> tuple[list[Group], list[AgencyIndex]]:
    """Every agency's scores for the month, ranked (best first; equal totals share a rank)."""
    period = month_period(year, month)
    groups, indicators = definitions()
    indicators = [i for i in indicators if i.valid_on(period.date_to)]
    owner = _owner(agencies)
    results = {a.pk: AgencyIndex(a) for a in agencies}
    for indicator in indicators:
        no_data = str(indicator.no_data) if indicator.measure is None else ""
        if not no_data and _needs_payments(indicator) and not payments_installed():
            no_data = gettext("Chưa cài đặt chức năng thanh toán trực tuyến.")
        if not no_data and _needs_portal(indicator) and not apps.is_installed("motcua.portal"):
            no_data = gettext("Chưa cài đặt Cổng dịch vụ công (đánh giá mức độ hài lòng, phản ánh, kiến nghị).")
        counts = {} if no_data else _fold(compute(indicator.measure, base, period), owner)
        for agency in agencies:
            num, den = counts.get(agency.pk, (0, 0))
            results[agency.pk].scores.append(
                Score(indicator, None if no_data else num, None if no_data else den, no_data))
    ranked = sorted(results.values(), key=lambda r: (-r.total, r.agency.path))
    previous, rank = None, 0
    for position, item in enumerate(ranked, start=1):
        if item.total != previous:
            rank, previous = position, item.total
        item.rank = rank
    return groups, ranked


def indicator_dossiers(base: QuerySet[Dossier], indicator_id: str, year: int, month: int, part: str
                       ) -> QuerySet[Dossier]:
    """The dossiers behind a dossier-based indicator's number (catalog-based ones have none)."""
    period = month_period(year, month)
    indicator = next(i for i in definitions()[1] if i.id == indicator_id)
    if indicator.measure == "on_time_766":
        return on_time_766_dossiers(base, period, part)
    if indicator.measure == SATISFACTION_766.key:
        return SATISFACTION_766.dossiers(base, period.start, period.end, part)
    if indicator.measure in MEASURES:
        return MEASURES[indicator.measure].dossiers(base, period.start, period.end, part)
    raise KeyError(indicator_id)


def owned_units_q(agency: Unit | None, agencies: list[Unit], field: str = "agency__path") -> Q:
    """The units whose counts `_fold` gives to `agency` among the ranked `agencies` (the longest path prefix
    wins), as a condition on `field`; `agency` None: the units of any of them."""
    if agency is None:
        tops = [a for a in agencies if not any(b is not a and a.path.startswith(b.path) for b in agencies)]
        condition = Q(pk__in=[])
        for top in tops:
            condition |= Q(**{f"{field}__startswith": top.path})
        return condition
    condition = Q(**{f"{field}__startswith": agency.path})
    for other in agencies:
        if other.pk != agency.pk and other.path.startswith(agency.path) and len(other.path) > len(agency.path):
            condition &= ~Q(**{f"{field}__startswith": other.path})
    return condition


def _valid_indicator(indicator_id: str, kind: str, period: Period) -> Indicator:
    indicator = next((i for i in definitions()[1] if i.id == indicator_id), None)
    if indicator is None or indicator.counts != kind or not indicator.valid_on(period.date_to):
        raise KeyError(indicator_id)
    if _needs_payments(indicator) and not payments_installed():
        raise KeyError(indicator_id)
    if _needs_portal(indicator) and not apps.is_installed("motcua.portal"):
        raise KeyError(indicator_id)
    return indicator


def indicator_procedures(base: QuerySet[Dossier], indicator_id: str, year: int, month: int, part: str, *,
                         agency: Unit | None, agencies: list[Unit]) -> QuerySet[ProcedureVersion]:
    """The procedure versions behind a catalog-based indicator's number (1.3, 3.1, 3.2, 3.5) for one ranked
    agency (None: all of `agencies`): the same versions and conditions `_catalog` counts."""
    period = month_period(year, month)
    indicator = _valid_indicator(indicator_id, "procedures", period)
    versions, den_q, num_q = _catalog_parts(indicator.measure, base, period)
    condition = den_q & num_q if part == "num" else den_q
    return versions.filter(owned_units_q(agency, agencies)).filter(condition)


def indicator_feedback(indicator_id: str, year: int, month: int, part: str, *, agency: Unit | None,
                       agencies: list[Unit]):
    """The feedback behind 5.1's number: received in the month about one ranked agency (None: any of
    `agencies`), "num" those classified — the same rows `feedback_classified` counts."""
    period = month_period(year, month)
    _valid_indicator(indicator_id, "feedback", period)
    qs = _feedback_of(period).filter(owned_units_q(agency, agencies))
    if part == "num":
        qs = qs.filter(subject__in=FEEDBACK_CLASSES)
    return qs
