"""Statutory periods (ND 09/2019 cut-off), the targets adapter, the QĐ 766 definitions as data."""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.reports.index766 import definitions
from motcua.reports.periods import PeriodError, check_period, current_quarter, report_period
from motcua.reports.targets import targets_for

D = dt.date


@pytest.mark.parametrize("kind, number, start, end", [
    ("quarter", 1, D(2025, 12, 15), D(2026, 3, 14)),
    ("quarter", 2, D(2026, 3, 15), D(2026, 6, 14)),
    ("quarter", 4, D(2026, 9, 15), D(2026, 12, 14)),
    ("half", 1, D(2025, 12, 15), D(2026, 6, 14)),
    ("nine_months", 1, D(2025, 12, 15), D(2026, 9, 14)),
    ("year", 1, D(2025, 12, 15), D(2026, 12, 14)),
    ("month", 1, D(2025, 12, 15), D(2026, 1, 14)),
    ("month", 3, D(2026, 2, 15), D(2026, 3, 14)),
])
def test_statutory_windows(kind, number, start, end):
    period = report_period(kind, 2026, number)
    assert (period.date_from, period.date_to) == (start, end)


def test_calendar_windows_and_the_quarter_after_the_cut_off():
    assert report_period("quarter", 2026, 1, cutoff_day=None).date_to == D(2026, 3, 31)
    assert report_period("month", 2026, 2, cutoff_day=None).date_to == D(2026, 2, 28)
    assert current_quarter(D(2026, 12, 20)).label == "Quý I năm 2027"
    assert current_quarter(D(2026, 11, 27)).label == "Quý IV năm 2026"


def test_period_checks():
    today = D(2026, 11, 27)
    with pytest.raises(PeriodError, match="phải sau"):
        check_period(D(2026, 3, 1), D(2026, 2, 1), today=today)
    with pytest.raises(PeriodError, match="sau ngày hôm nay"):
        check_period(D(2026, 12, 1), D(2026, 12, 31), today=today)
    with pytest.raises(PeriodError, match="366"):
        check_period(D(2025, 1, 1), D(2026, 1, 31), today=today)
    assert check_period(D(2025, 12, 15), D(2026, 12, 14), today=today).date_to == D(2026, 12, 14)


@pytest.mark.django_db
def test_targets_fall_back_to_the_seed_table_and_say_so():
    targets = targets_for(2031)
    assert targets.source == "default" and "mặc định" in targets.note
    assert {k: targets.value(k) for k in ("online_rate", "full_online_rate", "electronic_circulation",
                                          "digitized_results", "reuse", "online_payment_procedures",
                                          "online_payment_share", "waiting_minutes", "satisfaction",
                                          "digitized_archived")} == {
        "online_rate": 70, "full_online_rate": 90, "electronic_circulation": 100, "digitized_results": 90,
        "digitized_archived": 100,
        "reuse": 70, "online_payment_procedures": 80, "online_payment_share": 50, "waiting_minutes": 15,
        "satisfaction": 94}


@pytest.mark.django_db
def test_targets_come_from_the_plan_when_it_has_them():
    from motcua.plans import demo as plans_demo
    from motcua.plans.models import PlanTarget

    plans_demo.load()
    years = set(PlanTarget.objects.values_list("year", flat=True))
    if not years:
        pytest.skip("the plans demo holds no targets")
    year = min(years)
    targets = targets_for(year)
    assert targets.source == "plan"
    key = PlanTarget.objects.filter(year=year).values_list("key", flat=True).first()
    assert targets.values[key]["default"] is False


def test_index766_definitions_add_up_to_the_group_weights():
    groups, indicators = definitions()
    assert sum(g.points for g in groups) == 100
    for group in groups:
        assert sum(i.points for i in indicators if i.group == group.key) == group.points, group.key
    assert {i.threshold for i in indicators if i.id in {"3.1", "3.5", "4.2", "4.3"}} == {80}
    assert next(i for i in indicators if i.id == "3.3").threshold == 50
    assert next(i for i in indicators if i.id == "5.4").threshold == 90
    assert all(i.measure or i.no_data for i in indicators)
