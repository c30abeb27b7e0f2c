"""The public board (bảng công khai): each agency's on-time rate, online rate and satisfaction for a year.

One definition with the KPI dashboard (reports.kpi): the board counts through the same measures
(reports.measures.MEASURES "on_time", "online", "satisfaction") over the same dossiers of an agency
(reports.scope.unit_q: received at, handled by, or belonging to the agency or one of its units), so the
board and the dashboard show the same figures for the same agency and year:

- on-time rate: dossiers resolved in the year, resolved on or before the appointment day (local days,
  DOMAIN C.1.3 2.1 / the II.06a results table) / dossiers resolved in the year;
- online rate: dossiers received online in the year / dossiers received in the year;
- satisfaction (DOMAIN B.7): ratings "rất hài lòng" and "hài lòng" given in the year / ratings given in the year.

Each measure is one grouped count over (desk, handling unit, agency); every group's counts are then added
to each agency owning any of the three units, once."""

from __future__ import annotations

from dataclasses import dataclass

from motcua.dossiers.models import Dossier
from motcua.org.models import Unit
from motcua.reports.kpi import year_period
from motcua.reports.measures import MEASURES, aggregate_plan

BOARD_MEASURES = ("on_time", "online", "satisfaction")
GROUP = ("desk", "handling_unit", "agency")


@dataclass(frozen=True)
class Ratio:
    numerator: int
    denominator: int

    @property
    def value(self) -> float | None:
        return round(100 * self.numerator / self.denominator, 1) if self.denominator else None


@dataclass(frozen=True)
class BoardRow:
    agency: Unit
    on_time: Ratio
    online: Ratio
    satisfaction: Ratio

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time.value

    @property
    def online_rate(self) -> float | None:
        return self.online.value

    @property
    def satisfaction_rate(self) -> float | None:
        return self.satisfaction.value


def board_agencies():
    return Unit.objects.filter(kind__in=[Unit.Kind.AGENCY, Unit.Kind.COMMUNE]).order_by("name")


def board(*, year: int) -> list[BoardRow]:
    """Every agency (sở, ngành, and commune) with something to count in `year`, by name."""
    period = year_period(year)
    agencies = list(board_agencies())
    grouped = {}
    for key in BOARD_MEASURES:
        if MEASURES[key].available:
            with aggregate_plan():      # no JIT on PostgreSQL: it costs more than the scan (see measures)
                grouped[key] = MEASURES[key].by_group(Dossier.objects.all(), period.start, period.end, GROUP)
    unit_ids = {pk for rows in grouped.values() for triple in rows for pk in triple if pk is not None}
    paths = dict(Unit.objects.filter(pk__in=unit_ids).values_list("pk", "path"))
    owners_of_unit: dict[int, set[int]] = {
        pk: {a.pk for a in agencies if path.startswith(a.path)} for pk, path in paths.items()}
    totals: dict[int, dict[str, list[int]]] = {}
    for key, rows in grouped.items():
        for triple, (num, den) in rows.items():
            owners = set().union(*(owners_of_unit.get(pk, set()) for pk in triple if pk is not None))
            for agency_pk in owners:
                slot = totals.setdefault(agency_pk, {}).setdefault(key, [0, 0])
                slot[0] += num
                slot[1] += den
    result = []
    for agency in agencies:
        counts = totals.get(agency.pk)
        if not counts or not any(den for _num, den in counts.values()):
            continue
        ratios = {key: Ratio(*counts.get(key, (0, 0))) for key in BOARD_MEASURES}
        result.append(BoardRow(agency=agency, **ratios))
    return result
