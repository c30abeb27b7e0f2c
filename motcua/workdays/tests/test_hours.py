"""Office-hours profiles (DOMAIN A.1, C.6.1)."""

from __future__ import annotations

from datetime import date, time
from types import MappingProxyType

import pytest

from motcua.workdays import (
    DEFAULT_HOURS,
    HA_TINH_HOURS,
    InvalidOfficeHoursError,
    OfficeHours,
    Season,
    Session,
    WorkSchedule,
    get_office_hours,
    parse_vn_datetime,
)

p = parse_vn_datetime


def test_default_profile_is_eight_hours_all_year() -> None:
    for day in (date(2026, 1, 5), date(2026, 7, 6)):
        sessions = DEFAULT_HOURS.sessions_on(day)
        assert [str(s) for s in sessions] == ["07:30–11:30", "13:30–17:30"]
        assert sum(s.minutes for s in sessions) == 480


@pytest.mark.parametrize(
    ("day", "season"),
    [
        (date(2026, 4, 15), "winter"),
        (date(2026, 4, 16), "summer"),
        (date(2026, 10, 15), "summer"),
        (date(2026, 10, 16), "winter"),
        (date(2026, 1, 1), "winter"),
        (date(2026, 12, 31), "winter"),
    ],
)
def test_ha_tinh_seasons(day: date, season: str) -> None:
    assert HA_TINH_HOURS.season_on(day).code == season
    assert sum(s.minutes for s in HA_TINH_HOURS.sessions_on(day)) == 480


def test_switch_dates_are_yearly_data() -> None:
    profile = OfficeHours(
        code="ha-tinh-2027",
        name_vi="Hà Tĩnh 2027",
        seasons=HA_TINH_HOURS.seasons,
        switch_dates=MappingProxyType({2027: {"summer": date(2027, 5, 1)}}),
    )
    assert profile.season_on(date(2027, 4, 20)).code == "winter"
    assert profile.season_on(date(2027, 5, 1)).code == "summer"
    assert profile.season_on(date(2026, 4, 20)).code == "summer"


def test_saturday_receiving_does_not_make_saturday_working() -> None:
    profile = OfficeHours(
        code="bhxh",
        name_vi="Nhận hồ sơ sáng thứ Bảy",
        seasons=DEFAULT_HOURS.seasons,
        receives_saturday_morning=True,
        saturday_receiving=Session(time(7, 30), time(11, 30)),
    )
    schedule = WorkSchedule(hours=profile)
    saturday = p("22/11/2025 09:00")
    assert not schedule.is_working_time(saturday)
    slip = schedule.appointment(saturday, 1, "direct")
    assert slip.clock_start == p("24/11/2025 07:30")
    assert slip.due_at == p("24/11/2025 17:30")


def test_profiles_by_code() -> None:
    assert get_office_hours("ha-tinh") is HA_TINH_HOURS
    assert get_office_hours("default") is DEFAULT_HOURS


def test_overlapping_sessions_are_rejected() -> None:
    with pytest.raises(InvalidOfficeHoursError, match="chồng lên nhau"):
        Season("x", "X", (1, 1), (Session(time(7), time(12)), Session(time(11), time(17))))
    with pytest.raises(InvalidOfficeHoursError, match="ngày chuyển mùa"):
        OfficeHours("x", "X", HA_TINH_HOURS.seasons, switch_dates={2027: {"spring": date(2027, 3, 1)}})
