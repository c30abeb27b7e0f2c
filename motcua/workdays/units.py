"""Instants and working durations: conversions shared by the whole core.

Instants are handled internally as integer microseconds since 2000-01-01 00:00 Vietnam time
(``us``). Integers keep the arithmetic exact (no float drift, so the algebraic properties of
``add_working`` hold to the microsecond), and Vietnam has kept a fixed UTC+7 offset with no
daylight saving since 13/06/1975, so local wall-clock time and the integer scale map one to
one over the supported range.

Working durations are handled as integer microseconds of *working* time. DOMAIN A.1:
1 working day = 8 working hours = 480 minutes; 0.5 day = 240 minutes; 0.25 day = 120 minutes.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from numbers import Real
from zoneinfo import ZoneInfo

from .errors import (
    DatetimeParseError,
    DurationTooLongError,
    InvalidDurationError,
    NaiveDatetimeError,
    NegativeDurationError,
    NotADatetimeError,
)

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

US_PER_SECOND = 1_000_000
US_PER_MINUTE = 60 * US_PER_SECOND
US_PER_HOUR = 60 * US_PER_MINUTE
DAY_US = 86_400 * US_PER_SECOND
MINUTES_PER_WORKING_DAY = 480
WORKING_DAY_US = MINUTES_PER_WORKING_DAY * US_PER_MINUTE
MAX_WORKING_DAYS = 365

# The origin of the integer scale. Subtracting two aware datetimes that share a tzinfo object
# is pure field arithmetic in CPython (no utcoffset() calls), so ``(dt - _ORIGIN) // _ONE_US``
# is both exact and about 3x faster than ``dt.timestamp()``; a naive ``dt`` raises TypeError,
# which doubles as the naive-datetime check.
_ORIGIN = datetime(2000, 1, 1, tzinfo=VN_TZ)
_ORIGIN_ORDINAL = date(2000, 1, 1).toordinal()
_ONE_US = timedelta(microseconds=1)

# Years for which the fixed +07:00 mapping is valid (Vietnam unified its offset in 1975).
FIRST_YEAR = 1976
LAST_YEAR = 2199


def to_us(value: datetime) -> int:
    """Aware datetime → integer microseconds on the Vietnam-time scale.

    Raises ``NaiveDatetimeError`` for a naive datetime (DOMAIN A.1: everything is aware).
    """
    try:
        return (value - _ORIGIN) // _ONE_US
    except TypeError:
        if isinstance(value, datetime):
            raise NaiveDatetimeError(value) from None
        raise NotADatetimeError(value) from None


def from_us(us: int) -> datetime:
    """Integer microseconds → aware datetime in Asia/Ho_Chi_Minh.

    Adding a timedelta to an aware datetime is wall-clock arithmetic, which is exact here
    because the offset is constant after 1975.
    """
    return _ORIGIN + _ONE_US * us


def date_to_us(day: date) -> int:
    """Local midnight of ``day`` on the integer scale."""
    return (day.toordinal() - _ORIGIN_ORDINAL) * DAY_US


def us_to_date(us: int) -> date:
    """Local calendar date of an instant on the integer scale."""
    return date.fromordinal(us // DAY_US + _ORIGIN_ORDINAL)


def time_to_us(value: time) -> int:
    """Time of day → microseconds after local midnight."""
    return (value.hour * 3600 + value.minute * 60 + value.second) * US_PER_SECOND + value.microsecond


def _exact(value: object) -> Fraction:
    """Exact rational value of a number; floats are read through their shortest decimal form,
    so ``0.1`` day means one tenth of a day (48 minutes), not the binary approximation."""
    if isinstance(value, bool):
        raise InvalidDurationError(value, "cần một số")
    if isinstance(value, int | Fraction):
        return Fraction(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise InvalidDurationError(value, "cần một số hữu hạn")
        return Fraction(Decimal(repr(value)))
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise InvalidDurationError(value, "cần một số hữu hạn")
        return Fraction(value)
    if isinstance(value, str):
        try:
            return _exact(Decimal(value.strip().replace(",", ".")))
        except InvalidOperation:
            raise InvalidDurationError(value, "cần một số (ví dụ 0,5 hoặc 10)") from None
    if isinstance(value, Real):
        return Fraction(float(value))
    raise InvalidDurationError(value, "cần một số hoặc timedelta")


def _checked(us: int, original: object) -> int:
    if us < 0:
        raise NegativeDurationError(original)
    if us > MAX_WORKING_DAYS * WORKING_DAY_US:
        raise DurationTooLongError(original, MAX_WORKING_DAYS)
    return us


def _scaled(value: object, unit_us: int) -> int:
    # Round half up to the microsecond: the only inexact step, and it is far below any
    # instant a person can see.
    return math.floor(_exact(value) * unit_us + Fraction(1, 2))


def duration_us(value: object, unit: str = "days") -> int:
    """Working duration → integer microseconds of working time.

    ``value`` is a ``timedelta`` (taken as working time as is) or a number in ``unit``:
    ``"days"`` (the legal unit; 1 day = 480 working minutes), ``"half_days"``, ``"hours"`` or
    ``"minutes"``. Floats, Decimals, Fractions and strings such as ``"0,5"`` are accepted.
    Negative durations and durations above 365 working days are rejected.
    """
    if isinstance(value, timedelta):
        return _checked(value // _ONE_US, value)
    unit_us = _UNITS.get(unit)
    if unit_us is None:
        raise InvalidDurationError(unit, "đơn vị phải là days, half_days, hours hoặc minutes")
    shown = f"{value} {_UNIT_NAMES_VI[unit]}"
    if isinstance(value, int) and not isinstance(value, bool):
        return _checked(value * unit_us, shown)
    return _checked(_scaled(value, unit_us), shown)


_UNITS = {
    "days": WORKING_DAY_US,
    "half_days": WORKING_DAY_US // 2,
    "hours": US_PER_HOUR,
    "minutes": US_PER_MINUTE,
}
_UNIT_NAMES_VI = {"days": "ngày", "half_days": "buổi", "hours": "giờ", "minutes": "phút"}


def working_days(value: object) -> timedelta:
    """A working duration of ``value`` working days (1 day = 8 working hours)."""
    return _ONE_US * duration_us(value, "days")


def half_days(value: object) -> timedelta:
    """A working duration of ``value`` half days (buổi; 4 working hours each)."""
    return _ONE_US * duration_us(value, "half_days")


def working_hours(value: object) -> timedelta:
    return _ONE_US * duration_us(value, "hours")


def working_minutes(value: object) -> timedelta:
    return _ONE_US * duration_us(value, "minutes")


def as_working_days(value: timedelta) -> Fraction:
    """Working time → exact number of working days (``timedelta(hours=12)`` → 3/2)."""
    return Fraction(value // _ONE_US, WORKING_DAY_US)


def us_to_timedelta(us: int) -> timedelta:
    return _ONE_US * us


def format_working_days(us: int) -> str:
    """Working microseconds → '9,75 ngày làm việc' (Vietnamese decimal comma)."""
    days = Fraction(us, WORKING_DAY_US)
    text = str(days.numerator) if days.denominator == 1 else f"{float(days):.4f}".rstrip("0").rstrip(".")
    return f"{text.replace('.', ',')} ngày làm việc"


_VN_DATETIME = re.compile(r"\s*(\d{1,2})/(\d{1,2})/(\d{4})\s+(\d{1,2})[:hg](\d{2})\s*")


def parse_vn_datetime(text: str) -> datetime:
    """Parse 'dd/mm/yyyy HH:MM' (the form officers type) into an aware Vietnam datetime.

    Raises ``DatetimeParseError`` with the message
    "Không đọc được thời điểm '...': cần dạng dd/mm/yyyy HH:MM".
    """
    match = _VN_DATETIME.fullmatch(text) if isinstance(text, str) else None
    if match is None:
        raise DatetimeParseError(text)
    day, month, year, hour, minute = (int(part) for part in match.groups())
    try:
        return datetime(year, month, day, hour, minute, tzinfo=VN_TZ)
    except ValueError:
        raise DatetimeParseError(text) from None


def format_vn_datetime(value: datetime) -> str:
    """Aware datetime → 'HH:MM dd/mm/yyyy' in Vietnam time."""
    return value.astimezone(VN_TZ).strftime("%H:%M %d/%m/%Y")
