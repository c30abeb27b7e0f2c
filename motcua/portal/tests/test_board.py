"""The public board and the KPI dashboard count the same thing (one definition): dossiers resolved in the
year and on time by the appointment day, dossiers received online in the year, ratings given in the year."""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.dossiers.models import Dossier
from motcua.org.models import Unit
from motcua.portal.board import board
from motcua.portal.models import Rating
from motcua.reports.kpi import kpi_dashboard
from motcua.reports.scope import Scope, report_dossiers
from motcua.reports.tests.conftest import VN, Desk, at

SO_NOI_VU = "000.00.12.H27"


@pytest.fixture
def year_of_dossiers(db):
    desk = Desk()
    carried = desk.receive("22/12/2025 09:00")                      # received 2025, resolved (on time) 2026
    desk.resolve(carried, "05/01/2026 10:00")
    early = desk.receive("05/01/2026 08:00", channel="online")     # on time, rated "very satisfied"
    desk.resolve(early, "07/01/2026 15:00")
    desk.give_back(early, "08/01/2026 09:00")
    late = desk.receive("06/01/2026 08:00")                        # resolved a week after the appointment
    late.refresh_from_db()
    desk.resolve(late, (late.due_at + dt.timedelta(days=7)).astimezone(VN).strftime("%d/%m/%Y %H:%M"))
    same_day = desk.receive("12/01/2026 08:00", channel="online")  # minutes after the appointment, same day
    same_day.refresh_from_db()
    when = same_day.due_at.astimezone(VN) + dt.timedelta(minutes=10)
    assert when.date() == same_day.due_at.astimezone(VN).date()
    desk.resolve(same_day, when.strftime("%d/%m/%Y %H:%M"))
    desk.receive("30/12/2026 16:00", channel="online")              # still in progress
    desk.receive("10/12/2025 09:00", channel="online")              # 2025 only
    Rating.objects.create(dossier=early, satisfaction="very_satisfied", created_at=at("09/01/2026 10:00"))
    Rating.objects.create(dossier=late, satisfaction="not_satisfied", created_at=at("02/02/2026 10:00"))
    Rating.objects.create(dossier=carried, satisfaction="satisfied", created_at=at("28/12/2025 10:00"))
    return Dossier.objects.all()


def kpi_figures(sysadmin, unit: Unit, year: int) -> dict:
    values, _targets = kpi_dashboard(report_dossiers(sysadmin, Scope(unit=unit)), year, unit=unit,
                                     today=dt.date(year, 12, 31))
    by_key = {v.definition.key: v for v in values}
    return {name: (by_key[key].numerator, by_key[key].denominator, by_key[key].value)
            for name, key in (("on_time", "on_time"), ("online", "online_rate"), ("satisfaction", "satisfaction"))}


def board_figures(row) -> dict:
    return {name: (getattr(row, name).numerator, getattr(row, name).denominator, getattr(row, name).value)
            for name in ("on_time", "online", "satisfaction")}


@pytest.mark.parametrize("year", [2025, 2026])
def test_board_equals_the_kpi_dashboard_for_the_same_agency_and_year(year_of_dossiers, sysadmin, year):
    agency = Unit.objects.get(code=SO_NOI_VU)
    rows = {r.agency.code: r for r in board(year=year)}
    assert board_figures(rows[SO_NOI_VU]) == kpi_figures(sysadmin, agency, year)


def test_board_counts_resolved_in_the_year_by_day_and_ratings_of_the_year(year_of_dossiers):
    row = {r.agency.code: r for r in board(year=2026)}[SO_NOI_VU]
    # resolved in 2026: carried, early, late, same_day; on time by the day: all but `late`
    assert (row.on_time.numerator, row.on_time.denominator) == (3, 4)
    # received in 2026: early, late, same_day, the one in progress (3 of them online)
    assert (row.online.numerator, row.online.denominator) == (3, 4)
    # ratings given in 2026: very satisfied, not satisfied (the 2025 rating is 2025's)
    assert (row.satisfaction.numerator, row.satisfaction.denominator, row.satisfaction_rate) == (1, 2, 50.0)
    last_year = {r.agency.code: r for r in board(year=2025)}[SO_NOI_VU]
    assert (last_year.online.numerator, last_year.online.denominator) == (1, 2)
    assert (last_year.on_time.denominator, last_year.satisfaction.numerator) == (0, 1)


def test_board_page_states_the_period_and_the_definitions(client, year_of_dossiers):
    body = client.get("/cong/bang-cong-khai/", {"nam": "2026"}).content.decode()
    assert "Kỳ số liệu: từ 01/01/2026 đến 31/12/2026" in body
    assert "Số hồ sơ giải quyết xong trong kỳ, trước hoặc đúng ngày hẹn trả (so theo ngày)" in body
    assert "Số đánh giá “Rất hài lòng” và “Hài lòng”" in body
    assert "75,0% <span class=\"muted\">(3/4)</span>" in body and "50,0% <span class=\"muted\">(1/2)</span>" in body
