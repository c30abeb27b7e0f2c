"""The Labour-Code computation for years without an official schedule, and calendar data."""

from __future__ import annotations

from datetime import date

import pytest

from motcua.workdays import (
    CalendarDataError,
    CalendarDay,
    DayKind,
    LabourCodeRules,
    WorkCalendar,
    default_calendar,
    hung_kings_day,
    labour_code_days,
    parse_official_schedule,
    tet_first_day,
)


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2024, date(2024, 2, 10)),
        (2025, date(2025, 1, 29)),
        (2026, date(2026, 2, 17)),
        (2027, date(2027, 2, 6)),
    ],
)
def test_tet_first_day_from_vnlunar(year: int, expected: date) -> None:
    assert tet_first_day(year) == expected


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2024, date(2024, 4, 18)),
        (2025, date(2025, 4, 7)),
        (2026, date(2026, 4, 26)),
        (2027, date(2027, 4, 16)),
    ],
)
def test_hung_kings_day_from_vnlunar(year: int, expected: date) -> None:
    assert hung_kings_day(year) == expected


def _off(year: int, rules: LabourCodeRules | None = None) -> dict[date, CalendarDay]:
    rows = labour_code_days(year, rules or LabourCodeRules())
    return {row.date: row for row in rows}


def test_2027_computed_from_the_labour_code() -> None:
    off = _off(2027)
    # Tết: last day of the lunar year (Fri 05/02) + mùng 1–4 (Sat 06 – Tue 09/02); the Saturday
    # and Sunday give compensatory days on Wed 10 and Thu 11 (Art. 111 cl. 3).
    for day in range(5, 10):
        assert off[date(2027, 2, day)].kind is DayKind.HOLIDAY
    assert off[date(2027, 2, 10)].kind is DayKind.COMPENSATORY
    assert off[date(2027, 2, 11)].kind is DayKind.COMPENSATORY
    assert date(2027, 2, 12) not in off
    # 1/5 is a Saturday: compensatory Monday 03/05.
    assert off[date(2027, 5, 3)].kind is DayKind.COMPENSATORY
    # 2/9 and the default adjacent day 1/9 [M]; 24/11 from 2026 [S].
    assert date(2027, 9, 1) in off and date(2027, 9, 2) in off
    assert off[date(2027, 11, 24)].legal_basis == "Nghị quyết 28/2026/QH16"
    calendar = default_calendar()
    assert not calendar.is_working_day(date(2027, 2, 11))
    assert calendar.is_working_day(date(2027, 2, 12))


def test_adjacent_national_day_and_culture_day_are_configurable() -> None:
    off = _off(2027, LabourCodeRules(national_day_adjacent="after", culture_day_from=None))
    assert date(2027, 9, 3) in off and date(2027, 9, 1) not in off
    assert date(2027, 11, 24) not in off


def test_culture_day_starts_in_2026_only() -> None:
    assert date(2025, 11, 24) not in _off(2025)
    assert date(2026, 11, 24) in _off(2026)


def test_older_codes_for_2000_to_2020() -> None:
    off_2019 = _off(2019)
    assert date(2019, 9, 2) in off_2019 and date(2019, 9, 1) not in off_2019  # one day before 2021
    off_2005 = _off(2005)
    assert not any("Giỗ Tổ" in row.name_vi for row in off_2005.values())  # from 2007
    assert sum(row.name_vi == "Tết Nguyên đán" for row in off_2005.values()) == 4


def test_compensatory_day_can_fall_in_the_next_year() -> None:
    # A holiday on a weekend late in December does not exist today, but Tết DL on a Saturday
    # gives a compensatory Monday in the same year: 01/01/2028 is a Saturday.
    off = _off(2028)
    assert off[date(2028, 1, 3)].kind is DayKind.COMPENSATORY


def test_local_closure_overrides_and_is_immutable() -> None:
    base = default_calendar()
    closure = CalendarDay(
        date(2025, 11, 18), DayKind.LOCAL_CLOSURE, "Nghỉ tránh bão số 13", "QĐ 99/QĐ-UBND", "local"
    )
    closed = base.with_extra_days([closure])
    assert base.is_working_day(date(2025, 11, 18))
    assert not closed.is_working_day(date(2025, 11, 18))
    assert closed.reason_off(date(2025, 11, 18)).reason_vi == "Nghỉ tránh bão số 13 (QĐ 99/QĐ-UBND)"
    # A closure on a make-up Saturday closes it too.
    saturday = CalendarDay(date(2026, 1, 10), DayKind.LOCAL_CLOSURE, "Mưa lũ", confidence="local")
    assert not base.with_extra_days([saturday]).is_working_day(date(2026, 1, 10))


def test_next_years_schedule_is_a_data_change_only() -> None:
    data = {
        "year": 2027,
        "days": [
            {"start": date(2027, 2, 4), "end": date(2027, 2, 12), "kind": "holiday", "name_vi": "Tết Đinh Mùi",
             "legal_basis": "Công văn 1/VPCP-KGVX", "confidence": "V"},
            {"date": date(2027, 1, 30), "kind": "makeup_workday", "name_vi": "Làm bù",
             "legal_basis": "Công văn 1/VPCP-KGVX", "confidence": "V"},
        ],
    }  # fmt: skip
    calendar = default_calendar().with_schedule(parse_official_schedule(data, "2027.toml"))
    assert calendar.has_official_schedule(2027)
    assert not calendar.is_working_day(date(2027, 2, 4))
    assert calendar.is_working_day(date(2027, 1, 30))
    # The official schedule is the whole truth: the computed 1/5 compensatory Monday is gone.
    assert calendar.is_working_day(date(2027, 5, 3))


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"date": date(2027, 3, 3), "kind": "makeup_workday", "name_vi": "x"}, "không phải thứ Bảy"),
        ({"date": date(2027, 3, 6), "kind": "swap_off", "name_vi": "x"}, "rơi vào cuối tuần"),
        ({"date": date(2027, 3, 3), "kind": "nghỉ", "name_vi": "x"}, "Loại ngày 'nghỉ'"),
        ({"date": date(2028, 3, 3), "kind": "holiday", "name_vi": "x"}, "không thuộc năm 2027"),
        ({"start": date(2027, 3, 5), "end": date(2027, 3, 3), "kind": "holiday", "name_vi": "x"}, "bị ngược"),
        ({"date": date(2027, 3, 3), "kind": "holiday", "name_vi": ""}, "thiếu tên"),
        ({"kind": "holiday", "name_vi": "x"}, "thiếu hoặc sai 'start'"),
    ],
)
def test_bad_schedule_data_is_rejected_in_vietnamese(entry: dict, message: str) -> None:
    with pytest.raises(CalendarDataError, match=message):
        parse_official_schedule({"year": 2027, "days": [entry]}, "2027.toml")


def test_duplicate_dates_are_rejected() -> None:
    entry = {"date": date(2027, 3, 3), "kind": "holiday", "name_vi": "x"}
    with pytest.raises(CalendarDataError, match="khai hai lần"):
        parse_official_schedule({"year": 2027, "days": [entry, entry]})


def test_calendar_without_official_data_computes_every_year() -> None:
    calendar = WorkCalendar(official=[])
    assert not calendar.has_official_schedule(2026)
    # The convention for 2026 agrees with the official Tết days (Mon 16 – Fri 20/02).
    for day in range(16, 21):
        assert not calendar.is_working_day(date(2026, 2, day))
    assert calendar.is_working_day(date(2026, 2, 23))
