"""Every official off day and make-up Saturday of 2024–2026 (DOMAIN B.2.3, C.5), with the
working days around each off period."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from motcua.workdays import DayKind, default_calendar, has_official_schedule


def _span(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


# (first off date, last off date, working day before, working day after)
OFF_PERIODS = [
    # 2024
    (date(2024, 1, 1), date(2024, 1, 1), date(2023, 12, 29), date(2024, 1, 2)),  # Tết Dương lịch
    (date(2024, 2, 8), date(2024, 2, 14), date(2024, 2, 7), date(2024, 2, 15)),  # Tết Giáp Thìn
    (date(2024, 4, 18), date(2024, 4, 18), date(2024, 4, 17), date(2024, 4, 19)),  # Giỗ Tổ
    (date(2024, 4, 27), date(2024, 5, 1), date(2024, 4, 26), date(2024, 5, 2)),  # 30/4–1/5
    (date(2024, 8, 31), date(2024, 9, 3), date(2024, 8, 30), date(2024, 9, 4)),  # Quốc khánh
    # 2025
    (date(2025, 1, 1), date(2025, 1, 1), date(2024, 12, 31), date(2025, 1, 2)),
    (date(2025, 1, 25), date(2025, 2, 2), date(2025, 1, 24), date(2025, 2, 3)),  # Tết Ất Tỵ, 9 days
    (date(2025, 4, 5), date(2025, 4, 7), date(2025, 4, 4), date(2025, 4, 8)),  # Giỗ Tổ Mon 07/04
    (date(2025, 4, 30), date(2025, 5, 4), date(2025, 4, 29), date(2025, 5, 5)),
    (date(2025, 8, 30), date(2025, 9, 2), date(2025, 8, 29), date(2025, 9, 3)),
    # 2026
    (date(2026, 1, 1), date(2026, 1, 4), date(2025, 12, 31), date(2026, 1, 5)),
    (date(2026, 2, 14), date(2026, 2, 22), date(2026, 2, 13), date(2026, 2, 23)),  # Tết Bính Ngọ
    (date(2026, 4, 25), date(2026, 4, 27), date(2026, 4, 24), date(2026, 4, 28)),  # Giỗ Tổ + bù
    (date(2026, 4, 30), date(2026, 5, 3), date(2026, 4, 29), date(2026, 5, 4)),
    (date(2026, 8, 29), date(2026, 9, 2), date(2026, 8, 28), date(2026, 9, 3)),
    (date(2026, 11, 24), date(2026, 11, 24), date(2026, 11, 23), date(2026, 11, 25)),  # Văn hóa VN
]

MAKEUP_SATURDAYS = [date(2024, 5, 4), date(2025, 4, 26), date(2026, 1, 10), date(2026, 8, 22)]

# Weekdays off with their exact kind (the rows of the data files).
KINDS = {
    date(2024, 1, 1): DayKind.HOLIDAY,
    date(2024, 2, 8): DayKind.COMPENSATORY,
    date(2024, 2, 9): DayKind.HOLIDAY,
    date(2024, 2, 13): DayKind.HOLIDAY,
    date(2024, 2, 14): DayKind.COMPENSATORY,
    date(2024, 4, 18): DayKind.HOLIDAY,
    date(2024, 4, 29): DayKind.SWAP_OFF,
    date(2024, 4, 30): DayKind.HOLIDAY,
    date(2024, 5, 1): DayKind.HOLIDAY,
    date(2024, 9, 2): DayKind.HOLIDAY,
    date(2024, 9, 3): DayKind.HOLIDAY,
    date(2025, 1, 1): DayKind.HOLIDAY,
    date(2025, 1, 27): DayKind.HOLIDAY,
    date(2025, 1, 31): DayKind.HOLIDAY,
    date(2025, 4, 7): DayKind.HOLIDAY,
    date(2025, 4, 30): DayKind.HOLIDAY,
    date(2025, 5, 1): DayKind.HOLIDAY,
    date(2025, 5, 2): DayKind.SWAP_OFF,
    date(2025, 9, 1): DayKind.HOLIDAY,
    date(2025, 9, 2): DayKind.HOLIDAY,
    date(2026, 1, 1): DayKind.HOLIDAY,
    date(2026, 1, 2): DayKind.SWAP_OFF,
    date(2026, 2, 16): DayKind.HOLIDAY,
    date(2026, 2, 20): DayKind.HOLIDAY,
    date(2026, 4, 26): DayKind.HOLIDAY,
    date(2026, 4, 27): DayKind.COMPENSATORY,
    date(2026, 4, 30): DayKind.HOLIDAY,
    date(2026, 5, 1): DayKind.HOLIDAY,
    date(2026, 8, 31): DayKind.SWAP_OFF,
    date(2026, 9, 1): DayKind.HOLIDAY,
    date(2026, 9, 2): DayKind.HOLIDAY,
    date(2026, 11, 24): DayKind.HOLIDAY,
    **dict.fromkeys(MAKEUP_SATURDAYS, DayKind.MAKEUP_WORKDAY),
}


@pytest.mark.parametrize(("first", "last", "before", "after"), OFF_PERIODS, ids=lambda v: f"{v}")
def test_off_period_and_neighbours(first: date, last: date, before: date, after: date) -> None:
    calendar = default_calendar()
    for day in _span(first, last):
        assert not calendar.is_working_day(day), day
    assert calendar.is_working_day(before)
    assert calendar.is_working_day(after)
    # The neighbours really are adjacent working days: nothing else hides in between.
    assert calendar.next_working_day(before) == after


@pytest.mark.parametrize("saturday", MAKEUP_SATURDAYS, ids=str)
def test_makeup_saturdays_are_working_days(saturday: date) -> None:
    calendar = default_calendar()
    assert saturday.weekday() == 5
    assert calendar.is_working_day(saturday)
    assert not calendar.is_working_day(saturday + timedelta(days=1))  # the Sunday stays off
    assert calendar.is_working_day(saturday - timedelta(days=1))


@pytest.mark.parametrize(("day", "kind"), sorted(KINDS.items()), ids=lambda v: f"{v}")
def test_kind_and_legal_basis_of_each_row(day: date, kind: DayKind) -> None:
    row = default_calendar().day(day)
    assert row is not None
    assert row.kind is kind
    assert row.legal_basis
    assert row.confidence in {"V", "V-quoted", "S", "M"}


def test_official_years_are_complete_and_nothing_else_is_off() -> None:
    """Outside the listed periods, 2024–2026 follow the plain Monday–Friday week."""
    calendar = default_calendar()
    special = {d for first, last, _, _ in OFF_PERIODS for d in _span(first, last)}
    for day in _span(date(2024, 1, 1), date(2026, 12, 31)):
        if day in special:
            continue
        expected = day.weekday() < 5 or day in MAKEUP_SATURDAYS
        assert calendar.is_working_day(day) is expected, day


def test_official_rows_use_the_cited_documents() -> None:
    calendar = default_calendar()
    assert "12729/VPCP-KGVX" in calendar.day(date(2026, 1, 10)).legal_basis
    assert "9859/VPCP-KGVX" in calendar.day(date(2026, 2, 17)).legal_basis
    assert "6150/TB-BLĐTBXH" in calendar.day(date(2025, 9, 1)).legal_basis
    assert "8726/VPCP-KGVX" in calendar.day(date(2025, 1, 28)).legal_basis
    assert "2450/VPCP-KGVX" in calendar.day(date(2024, 5, 4)).legal_basis


def test_years_with_official_schedules() -> None:
    assert has_official_schedule(2024)
    assert has_official_schedule(2025)
    assert has_official_schedule(2026)
    assert not has_official_schedule(2027)
    assert default_calendar().schedule_notice(2026) is None
    assert "Bộ luật Lao động" in default_calendar().schedule_notice(2027)


def test_official_data_wins_over_the_labour_code_convention() -> None:
    """2025: the official Tết days are 28 Chạp–mùng 3; the convention would end on Sat 01/02
    and give a compensatory Monday 03/02, which the official schedule does not have."""
    calendar = default_calendar()
    assert calendar.is_working_day(date(2025, 2, 3))
    assert calendar.day(date(2025, 1, 27)).kind is DayKind.HOLIDAY
