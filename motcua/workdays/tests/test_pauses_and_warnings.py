"""Supplementation pauses (DOMAIN A.1) and the warning instant (JOURNEYS 2)."""

from __future__ import annotations

import pytest

from motcua.workdays import (
    InvalidPauseError,
    add_working,
    due_with_pauses,
    parse_vn_datetime,
    warning_instant,
    working_between,
    working_days,
)

p = parse_vn_datetime

# JOURNEYS 2: appraisal step of 7 days starting Mon 24/11/2025 07:30; on day 3 (Wed) at 10:00
# the specialist requests a supplement, which arrives complete two days later (Fri 10:00).
START = p("24/11/2025 07:30")
REQUEST = p("26/11/2025 10:00")
ARRIVAL = p("28/11/2025 10:00")


def test_resume_moves_the_due_by_the_paused_working_time() -> None:
    plain = add_working(START, 7)
    assert plain == p("02/12/2025 17:30")
    due = due_with_pauses(START, 7, [(REQUEST, ARRIVAL)])
    paused = working_between(REQUEST, ARRIVAL)
    assert paused == working_days(2)
    assert due == add_working(plain, paused)
    assert due == p("04/12/2025 17:30")


def test_restart_runs_the_full_duration_from_the_arrival() -> None:
    due = due_with_pauses(START, 7, [(REQUEST, ARRIVAL)], mode="restart")
    assert due == add_working(ARRIVAL, 7)
    assert due == p("09/12/2025 10:00")


def test_pause_after_the_due_changes_nothing() -> None:
    late = (p("03/12/2025 09:00"), p("05/12/2025 09:00"))
    assert due_with_pauses(START, 7, [late]) == p("02/12/2025 17:30")
    assert due_with_pauses(START, 7, [late], mode="restart") == p("02/12/2025 17:30")


def test_two_pauses_add_up() -> None:
    pauses = [(REQUEST, ARRIVAL), (p("02/12/2025 08:00"), p("02/12/2025 10:30"))]
    due = due_with_pauses(START, 7, pauses)
    assert due == add_working(p("04/12/2025 17:30"), working_between(*pauses[1]))


def test_pause_outside_office_hours_costs_nothing() -> None:
    weekend = (p("29/11/2025 08:00"), p("30/11/2025 20:00"))
    assert due_with_pauses(START, 7, [weekend]) == add_working(START, 7)


def test_warning_instant_when_a_quarter_remains() -> None:
    # 10 days from Mon 17/11/2025 15:40: 7.5 days consumed on Thu 27/11 at 09:40.
    start = p("17/11/2025 15:40")
    assert warning_instant(start, 10) == p("27/11/2025 09:40")
    assert warning_instant(start, 10, remaining_share=0) == add_working(start, 10)
    assert warning_instant(start, 10, remaining_share="0.5") == add_working(start, 5)


def test_warning_instant_counts_pauses() -> None:
    pauses = [(REQUEST, ARRIVAL)]
    warn = warning_instant(START, 7, 0.25, pauses=pauses)
    due = due_with_pauses(START, 7, pauses)
    assert working_between(warn, due) - working_between(REQUEST, ARRIVAL) * 0 == working_days(1.75)
    restart = warning_instant(START, 7, 0.25, pauses=pauses, mode="restart")
    assert restart == add_working(ARRIVAL, 5.25)


@pytest.mark.parametrize(
    ("pauses", "message"),
    [
        ([(ARRIVAL, REQUEST)], "trước thời điểm yêu cầu bổ sung"),
        ([(p("20/11/2025 10:00"), ARRIVAL)], "trước thời điểm bắt đầu tính thời hạn"),
        ([(REQUEST, ARRIVAL), (p("27/11/2025 10:00"), p("01/12/2025 10:00"))], "chồng lên nhau"),
        ([(REQUEST, None)], "cần đủ hai thời điểm"),
        ([(REQUEST,)], "cần đủ hai thời điểm"),
    ],
)
def test_bad_pauses_are_rejected_in_vietnamese(pauses: list, message: str) -> None:
    with pytest.raises(InvalidPauseError, match=message):
        due_with_pauses(START, 7, pauses)


def test_unknown_pause_mode() -> None:
    with pytest.raises(InvalidPauseError, match="chỉ nhận 'resume' hoặc 'restart'"):
        due_with_pauses(START, 7, [], mode="hold")
