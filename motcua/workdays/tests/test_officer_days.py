"""Real officer days (JOURNEYS.md 1–2): clock starts, due instants and the 15:00 rule."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

import pytest

from motcua.workdays import (
    VN_TZ,
    Channel,
    add_working,
    appointment,
    clock_start,
    get_schedule,
    half_days,
    is_working_time,
    next_working_instant,
    parse_vn_datetime,
    working_between,
    working_days,
    working_hours,
    working_minutes,
)

p = parse_vn_datetime


def test_receipt_monday_after_1500_ten_working_days() -> None:
    """JOURNEYS 1: received Mon 17/11/2025 15:40 at the counter, 10 working days."""
    slip = appointment(p("17/11/2025 15:40"), 10, "direct")
    assert slip.clock_start == p("17/11/2025 15:40")  # the overall clock runs from reception
    assert slip.due_at == p("01/12/2025 15:40")  # "10 working days later at the same time"
    assert slip.handover_at == p("18/11/2025 07:30")  # the paper file goes tomorrow morning
    assert slip.after_cutoff
    assert [(s.date.day, s.reason_vi) for s in slip.skipped] == [
        (22, "Thứ Bảy"),
        (23, "Chủ nhật"),
        (29, "Thứ Bảy"),
        (30, "Chủ nhật"),
    ]
    assert any("sau 15:00" in note for note in slip.notes)
    assert slip.due_at.tzinfo is VN_TZ


@pytest.mark.parametrize(("received", "after"), [("17/11/2025 14:59", False), ("17/11/2025 15:00", False)])
def test_cutoff_is_strictly_after_1500(received: str, after: bool) -> None:
    slip = appointment(p(received), 10, Channel.DIRECT)
    assert slip.after_cutoff is after
    assert slip.handover_at == slip.clock_start == p(received)


def test_cutoff_one_second_after_1500() -> None:
    slip = appointment(p("17/11/2025 15:00") + timedelta(seconds=1), 10, "postal")
    assert slip.after_cutoff and slip.handover_at == p("18/11/2025 07:30")


def test_online_after_1500_is_forwarded_at_once() -> None:
    slip = appointment(p("17/11/2025 15:40"), 10, "online")
    assert not slip.after_cutoff
    assert slip.handover_at == p("17/11/2025 15:40")


def test_one_day_from_0730_monday_ends_1730_monday() -> None:
    assert add_working(p("17/11/2025 07:30"), 1) == p("17/11/2025 17:30")
    assert add_working(p("17/11/2025 13:30"), half_days(1)) == p("17/11/2025 17:30")
    assert add_working(p("17/11/2025 07:30"), "0,5") == p("17/11/2025 11:30")  # never 13:30


def test_online_friday_night_starts_monday_morning() -> None:
    received = p("21/11/2025 22:00")
    assert clock_start(received) == p("24/11/2025 07:30")
    slip = appointment(received, 1, "online")
    assert slip.due_at == p("24/11/2025 17:30")
    assert slip.notes[0].startswith("Tiếp nhận ngoài giờ làm việc")
    # Hà Tĩnh in summer opens at 07:00.
    assert get_schedule("ha-tinh").clock_start(p("22/05/2026 22:00")) == p("25/05/2026 07:00")


def test_eve_of_tet_2026_after_1500() -> None:
    """HN-DOC's boundary case: paper dossier on Fri 13/02/2026 at 15:10, Tết off 14–22/02."""
    slip = appointment(p("13/02/2026 15:10"), 5, "direct")
    assert slip.handover_at == p("23/02/2026 07:30")
    # 140 minutes on Friday, four full days 23–26/02, 340 minutes on Friday 27/02.
    assert slip.due_at == p("27/02/2026 15:10")
    assert [s.date.day for s in slip.skipped] == list(range(14, 23))
    assert "Tết Nguyên đán" in slip.skipped[3].reason_vi
    assert "9859/VPCP-KGVX" in slip.skipped[3].reason_vi


def test_same_day_procedure_after_1500_moves_to_end_of_next_working_day() -> None:
    slip = appointment(p("13/02/2026 15:10"), 0, "direct", same_day=True)
    assert slip.due_at == p("23/02/2026 17:30")
    before = appointment(p("12/02/2026 10:00"), 0, "direct", same_day=True)
    assert before.due_at == p("12/02/2026 17:30")


def test_short_procedure_due_on_the_reception_day_moves_when_after_1500() -> None:
    slip = appointment(p("17/11/2025 15:10"), working_hours(1), "direct")
    assert slip.due_at == p("18/11/2025 17:30")
    online = appointment(p("17/11/2025 15:10"), working_hours(1), "online")
    assert online.due_at == p("17/11/2025 16:10")


def test_makeup_saturdays_count() -> None:
    assert add_working(p("09/01/2026 08:00"), 1) == p("10/01/2026 08:00")
    assert add_working(p("21/08/2026 10:00"), 1) == p("22/08/2026 10:00")
    assert is_working_time(p("10/01/2026 09:00"))
    assert not is_working_time(p("17/01/2026 09:00"))
    slip = appointment(p("10/01/2026 09:00"), 1, "direct")
    assert slip.clock_start == p("10/01/2026 09:00")


def test_ha_tinh_summer_and_winter_switch() -> None:
    ha_tinh = get_schedule("ha-tinh")
    assert not ha_tinh.is_working_time(p("15/04/2026 07:10"))  # winter: opens 07:30
    assert ha_tinh.is_working_time(p("16/04/2026 07:10"))  # summer: opens 07:00
    assert ha_tinh.is_working_time(p("15/10/2026 07:10"))
    assert not ha_tinh.is_working_time(p("16/10/2026 07:10"))
    assert not ha_tinh.is_working_time(p("15/10/2026 13:45"))  # summer afternoon from 14:00
    assert ha_tinh.is_working_time(p("16/10/2026 13:45"))
    # 110 winter minutes on 15/04, then 370 summer minutes: 270 in the morning, 100 after 14:00.
    assert ha_tinh.add_working(p("15/04/2026 15:40"), 1) == p("16/04/2026 15:40")
    # 30 + 210 summer minutes on 15/10, then the whole winter morning of 16/10 (240).
    assert ha_tinh.add_working(p("15/10/2026 11:00"), 1) == p("16/10/2026 11:30")
    assert ha_tinh.working_day_bounds(p("16/04/2026 00:00").date()) == (
        p("16/04/2026 07:00"),
        p("16/04/2026 17:30"),
    )


def test_session_end_conventions() -> None:
    # A clock cannot start at a session end: 11:30 → 13:30.
    assert next_working_instant(p("17/11/2025 11:30")) == p("17/11/2025 13:30")
    assert not is_working_time(p("17/11/2025 11:30"))
    # Adding from a session end continues in the next session...
    assert add_working(p("17/11/2025 11:30"), 0.25) == p("17/11/2025 15:30")
    # ...and adding nothing is the instant itself (it already lies at the end of a session).
    assert add_working(p("17/11/2025 11:30"), 0) == p("17/11/2025 11:30")
    assert add_working(p("22/11/2025 10:00"), 0) == p("24/11/2025 07:30")  # Saturday → clock start
    assert add_working(p("17/11/2025 07:30"), 1) != p("18/11/2025 07:30")


def test_working_between_is_signed() -> None:
    assert working_between(p("21/11/2025 17:30"), p("24/11/2025 07:30")) == timedelta(0)
    assert working_between(p("17/11/2025 07:30"), p("01/12/2025 07:30")) == working_days(10)
    assert working_between(p("01/12/2025 07:30"), p("17/11/2025 07:30")) == -working_days(10)
    assert working_between(p("17/11/2025 11:00"), p("17/11/2025 14:00")) == working_minutes(60)


def test_other_time_zones_are_accepted_and_results_are_in_vietnam_time() -> None:
    received_utc = datetime(2025, 11, 17, 8, 40, tzinfo=UTC)  # 15:40 in Vietnam
    due = add_working(received_utc, 10)
    assert due == p("01/12/2025 15:40")
    assert due.utcoffset() == timedelta(hours=7)
    assert str(due) == "2025-12-01 15:40:00+07:00"


@pytest.mark.parametrize(
    ("value", "minutes"),
    [
        (1, 480),
        (0.5, 240),
        (0.25, 120),
        (Decimal("1.5"), 720),
        ("0,25", 120),
        (0.1, 48),
        (half_days(3), 720),
        (working_hours(2.5), 150),
    ],
)
def test_duration_units(value: object, minutes: int) -> None:
    assert add_working(p("17/11/2025 07:30"), value) - p("17/11/2025 07:30") >= timedelta(0)
    assert working_between(p("17/11/2025 07:30"), add_working(p("17/11/2025 07:30"), value)) == (
        timedelta(minutes=minutes)
    )


def test_units_argument() -> None:
    start = p("17/11/2025 07:30")
    assert add_working(start, 90, unit="minutes") == p("17/11/2025 09:00")
    assert add_working(start, 5, unit="hours") == p("17/11/2025 14:30")
    assert add_working(start, 1, unit="half_days") == p("17/11/2025 11:30")


def test_far_years_extend_the_timeline() -> None:
    assert add_working(p("02/01/2099 10:00"), 1) == p("05/01/2099 10:00")  # Fri → Mon
    assert add_working(p("04/01/2000 07:30"), 1) == p("04/01/2000 17:30")
    assert not is_working_time(p("03/01/2000 09:00"))  # compensatory for Sat 01/01/2000
    assert add_working(p("20/12/2030 10:00"), 300) > p("01/01/2032 00:00")


def test_local_closure_moves_the_appointment() -> None:
    from motcua.workdays import CalendarDay, DayKind

    typhoon = CalendarDay(
        p("19/11/2025 00:00").date(), DayKind.LOCAL_CLOSURE, "Nghỉ tránh bão", "QĐ 5/QĐ-UBND", "local"
    )
    schedule = get_schedule("default", extra_days=[typhoon])
    slip = schedule.appointment(p("17/11/2025 15:40"), 10, "direct")
    assert slip.due_at == p("02/12/2025 15:40")
    assert slip.skipped[0].reason_vi == "Nghỉ tránh bão (QĐ 5/QĐ-UBND)"
    assert get_schedule("default", extra_days=[typhoon]) is schedule  # cached


def test_same_day_threshold_is_configurable() -> None:
    from decimal import Decimal

    from motcua.workdays import AppointmentPolicy

    strict = appointment(p("17/11/2025 08:00"), 0.5, "direct")
    assert strict.due_at == p("17/11/2025 14:00")  # 4 working hours, the default
    policy = AppointmentPolicy(same_day_max_days=Decimal("0.5"))
    lenient = get_schedule("default", policy=policy).appointment(p("17/11/2025 08:00"), 0.5, "direct")
    assert lenient.same_day and lenient.due_at == p("17/11/2025 17:30")
    late = get_schedule("default", policy=policy).appointment(p("17/11/2025 15:20"), 0.5, "direct")
    assert late.due_at == p("18/11/2025 17:30")


def test_cutoff_time_and_channels_are_configurable() -> None:
    from motcua.workdays import AppointmentPolicy

    policy = AppointmentPolicy(cutoff=time(16, 0), cutoff_channels=frozenset(Channel))
    schedule = get_schedule("default", policy=policy)
    assert not schedule.appointment(p("17/11/2025 15:40"), 10, "direct").after_cutoff
    online = schedule.appointment(p("17/11/2025 16:10"), 10, "online")
    assert online.after_cutoff and online.handover_at == p("18/11/2025 07:30")


def test_postal_dossier_received_on_a_holiday() -> None:
    slip = appointment(p("02/09/2025 09:00"), 1, "postal")
    assert not slip.after_cutoff
    assert slip.clock_start == slip.handover_at == p("03/09/2025 07:30")
    assert slip.due_at == p("03/09/2025 17:30")


def test_working_time_as_days() -> None:
    from fractions import Fraction

    from motcua.workdays import as_working_days

    assert as_working_days(working_between(p("17/11/2025 07:30"), p("18/11/2025 11:30"))) == Fraction(3, 2)
