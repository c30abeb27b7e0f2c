"""Một Cửa working-time core: calendar, office hours and deadline arithmetic (pure Python).

DOMAIN.md A.1 is the specification. The module-level functions use the national calendar
and the default office hours (07:30–11:30, 13:30–17:30); for an agency profile or local
closures use ``get_schedule("ha-tinh", extra_days=[...])``, which has the same methods.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from fractions import Fraction

from .budgets import split_budget, validate_budgets
from .calendar import (
    OfficialSchedule,
    WorkCalendar,
    bundled_schedules,
    default_calendar,
    load_official_schedule,
    parse_official_schedule,
)
from .days import CalendarDay, DayKind, SkippedDay
from .errors import (
    CalendarDataError,
    DatetimeParseError,
    DurationTooLongError,
    InvalidBudgetError,
    InvalidChannelError,
    InvalidDurationError,
    InvalidOfficeHoursError,
    InvalidPauseError,
    NaiveDatetimeError,
    NegativeDurationError,
    NotADatetimeError,
    OutOfRangeError,
    UnknownProfileError,
    WorkdaysError,
)
from .hours import (
    DEFAULT_HOURS,
    HA_TINH_HOURS,
    PROFILES,
    OfficeHours,
    Season,
    Session,
    get_office_hours,
    register_office_hours,
)
from .labour_code import LabourCodeRules, hung_kings_day, labour_code_days, tet_first_day
from .schedule import (
    DEFAULT_POLICY,
    Appointment,
    AppointmentPolicy,
    Channel,
    Duration,
    PauseMode,
    WorkSchedule,
    get_schedule,
)
from .timeline import Timeline
from .units import (
    MINUTES_PER_WORKING_DAY,
    VN_TZ,
    as_working_days,
    duration_us,
    format_vn_datetime,
    half_days,
    parse_vn_datetime,
    working_days,
    working_hours,
    working_minutes,
)


def is_working_time(instant: datetime) -> bool:
    return get_schedule().is_working_time(instant)


def next_working_instant(instant: datetime) -> datetime:
    return get_schedule().next_working_instant(instant)


def clock_start(received_at: datetime) -> datetime:
    return get_schedule().clock_start(received_at)


def add_working(start: datetime, duration: Duration, unit: str = "days") -> datetime:
    return get_schedule().add_working(start, duration, unit)


def working_between(a: datetime, b: datetime) -> timedelta:
    return get_schedule().working_between(a, b)


def appointment(
    received_at: datetime, working_days: Duration, channel: Channel | str, *, same_day: bool = False
) -> Appointment:
    return get_schedule().appointment(received_at, working_days, channel, same_day=same_day)


def due_with_pauses(
    start: datetime,
    duration: Duration,
    pauses: Iterable[Sequence[datetime]] = (),
    mode: PauseMode | str = PauseMode.RESUME,
) -> datetime:
    return get_schedule().due_with_pauses(start, duration, pauses, mode)


def warning_instant(
    start: datetime,
    duration: Duration,
    remaining_share: float | Fraction | str = 0.25,
    pauses: Iterable[Sequence[datetime]] = (),
    mode: PauseMode | str = PauseMode.RESUME,
) -> datetime:
    return get_schedule().warning_instant(start, duration, remaining_share, pauses, mode)


def has_official_schedule(year: int) -> bool:
    return default_calendar().has_official_schedule(year)


for _function in (
    is_working_time, next_working_instant, clock_start, add_working, working_between,
    appointment, due_with_pauses, warning_instant,
):  # fmt: skip
    _function.__doc__ = getattr(WorkSchedule, _function.__name__).__doc__
del _function
has_official_schedule.__doc__ = WorkCalendar.has_official_schedule.__doc__

__all__ = [
    "DEFAULT_HOURS",
    "DEFAULT_POLICY",
    "HA_TINH_HOURS",
    "MINUTES_PER_WORKING_DAY",
    "PROFILES",
    "VN_TZ",
    "Appointment",
    "AppointmentPolicy",
    "CalendarDataError",
    "CalendarDay",
    "Channel",
    "DatetimeParseError",
    "DayKind",
    "Duration",
    "DurationTooLongError",
    "InvalidBudgetError",
    "InvalidChannelError",
    "InvalidDurationError",
    "InvalidOfficeHoursError",
    "InvalidPauseError",
    "LabourCodeRules",
    "NaiveDatetimeError",
    "NegativeDurationError",
    "NotADatetimeError",
    "OfficeHours",
    "OfficialSchedule",
    "OutOfRangeError",
    "PauseMode",
    "Season",
    "Session",
    "SkippedDay",
    "Timeline",
    "UnknownProfileError",
    "WorkCalendar",
    "WorkSchedule",
    "WorkdaysError",
    "add_working",
    "appointment",
    "as_working_days",
    "bundled_schedules",
    "clock_start",
    "default_calendar",
    "due_with_pauses",
    "duration_us",
    "format_vn_datetime",
    "get_office_hours",
    "get_schedule",
    "half_days",
    "has_official_schedule",
    "hung_kings_day",
    "is_working_time",
    "labour_code_days",
    "load_official_schedule",
    "next_working_instant",
    "parse_official_schedule",
    "parse_vn_datetime",
    "register_office_hours",
    "split_budget",
    "tet_first_day",
    "validate_budgets",
    "warning_instant",
    "working_between",
    "working_days",
    "working_hours",
    "working_minutes",
]
