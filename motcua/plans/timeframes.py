"""Time frames of a plan's tasks, parsed from Vietnamese ("Tháng 3 đến tháng 7 năm 2024", "Quý II, III",
"Thường xuyên trong năm 2024", "Theo quy định tại Thông tư 01/2020/TT-VPCP"…) into a window and a rhythm.

Pure Python: no Django. A text with no date at all ("Theo Kế hoạch của tỉnh") is kept verbatim and flagged
for the office to set dates; a text that names a date the parser cannot read ("Tháng 13 năm 2024") is an error.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field

from motcua.lib.text import fold, nfc

CONTINUOUS = "continuous"  # "Thường xuyên": all year long, checked every report period
PERIODIC = "periodic"      # a statutory rhythm: the report periods of TT 01/2020 (DOMAIN B.3.1)

ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


@dataclass(frozen=True)
class Period:
    """One report period: its label, the cut-off window, and the day its instance is due."""

    label: str
    start: dt.date
    end: dt.date

    @property
    def due(self) -> dt.date:
        # The report covers data up to the cut-off day; the office sends it right after, so the cut-off day is
        # the task instance's due day.
        return self.end


def report_periods(year: int, *, cutoff_day: int = 14) -> list[Period]:
    """The periods of a year under ND 09/2019 Art. 12 as TT 01/2020 follows it (DOMAIN B.3.1, C.2.4):
    quarter I from 15/12 of the previous year to 14/03, II 15/03–14/06, III 15/06–14/09, and the year from
    15/12 of the previous year to 14/12. `cutoff_day` is the last day of each window (a parameter, as some
    provinces use other boundaries)."""
    first = cutoff_day + 1

    def window(start_month: int, start_year: int, end_month: int) -> tuple[dt.date, dt.date]:
        return dt.date(start_year, start_month, first), dt.date(year, end_month, cutoff_day)

    q1 = window(12, year - 1, 3)
    q2 = window(3, year, 6)
    q3 = window(6, year, 9)
    annual = window(12, year - 1, 12)
    return [Period("Quý I", *q1), Period("Quý II", *q2), Period("Quý III", *q3), Period("Cả năm", *annual)]


@dataclass(frozen=True)
class Timeframe:
    text: str
    start: dt.date | None = None
    end: dt.date | None = None
    recurrence: str | None = None
    needs_dates: bool = False  # no date in the text: the office sets dates
    error: str = ""            # the text names a date that cannot be read
    periods: list[Period] = field(default_factory=list, compare=False)

    def as_json(self) -> dict:
        return {
            "text": self.text,
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
            "recurrence": self.recurrence,
        }


class _Unreadable(ValueError):
    pass


_YEAR = r"(?:,?\s*(?:nam|/)\s*(\d{4}))?"
_MONTH_RANGE = re.compile(r"(?:tu\s+)?thang\s+(\d{1,2})\s*(?:den|-|–)\s*(?:het\s+)?thang\s+(\d{1,2})" + _YEAR)
_MONTH = re.compile(r"thang\s+(\d{1,2})" + _YEAR)
_QUARTERS = re.compile(r"quy\s+([ivx\d]+(?:\s*(?:,|va|-|–|den)\s*(?:quy\s+)?[ivx\d]+)*)" + _YEAR)
_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_YEAR_ONLY = re.compile(r"\bnam\s+(\d{4})")
_HALF = re.compile(r"(6|sau)\s+thang\s+(dau|cuoi)\s+nam" + _YEAR)
# Anything that looks like a date: if none of these is in the text, it simply has no date.
_DATE_LIKE = re.compile(r"\bthang\s+\d|\bquy\s+[ivx\d]+\b|\bngay\s+\d|\d{1,2}/\d{1,2}/\d{2,4}|\bnam\s+\d{2,4}\b")
_STATUTORY = re.compile(r"thong tu (?:so )?01/2020/tt-vpcp|che do bao cao dinh ky")


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _month(value: str) -> int:
    month = int(value)
    if not 1 <= month <= 12:
        raise _Unreadable(f"tháng {month} không có")
    return month


def _quarter(token: str) -> int:
    number = ROMAN.get(token) or (int(token) if token.isdigit() else 0)
    if not 1 <= number <= 4:
        raise _Unreadable(f"quý {token.upper()} không có")
    return number


def _date(day: str, month: str, year: str) -> dt.date:
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        raise _Unreadable(f"ngày {day}/{month}/{year} không có") from None


def parse_timeframe(text: str, *, year: int) -> Timeframe:
    """Parse one time-frame text; `year` is the plan's year, used when the text names none."""
    text = " ".join(nfc(text or "").split())
    key = fold(text)
    try:
        result = _parse(text, key, year)
    except _Unreadable as exc:
        return Timeframe(text, error=f"Không đọc được thời gian “{text}”: {exc}.")
    if result is not None:
        return result
    if _DATE_LIKE.search(key):
        return Timeframe(text, error=f"Không đọc được thời gian “{text}”.")
    return Timeframe(text, needs_dates=True)


def _parse(text: str, key: str, year: int) -> Timeframe | None:
    if _STATUTORY.search(key):
        periods = report_periods(year)
        return Timeframe(text, periods[-1].start, periods[-1].end, PERIODIC, periods=periods)
    if key.startswith("thuong xuyen") or " thuong xuyen" in key:
        match = _YEAR_ONLY.search(key)
        y = int(match.group(1)) if match else year
        return Timeframe(text, dt.date(y, 1, 1), dt.date(y, 12, 31), CONTINUOUS, periods=report_periods(y))
    if match := _MONTH_RANGE.search(key):
        y = int(match.group(3) or year)
        first, last = _month(match.group(1)), _month(match.group(2))
        if last < first:
            raise _Unreadable(f"tháng {first} đến tháng {last} đảo ngược")
        return Timeframe(text, dt.date(y, first, 1), _month_end(y, last))
    if match := _QUARTERS.search(key):
        tokens = [t for t in re.split(r"\s*(?:,|va|-|–|den|quy)\s*", match.group(1)) if t]
        quarters = [_quarter(t) for t in tokens]
        y = int(match.group(2) or year)
        first, last = min(quarters), max(quarters)
        return Timeframe(text, dt.date(y, 3 * first - 2, 1), _month_end(y, 3 * last))
    if match := _HALF.search(key):
        y = int(match.group(3) or year)
        if match.group(2) == "dau":
            return Timeframe(text, dt.date(y, 1, 1), dt.date(y, 6, 30))
        return Timeframe(text, dt.date(y, 7, 1), dt.date(y, 12, 31))
    if match := _MONTH.search(key):
        y = int(match.group(2) or year)
        month = _month(match.group(1))
        return Timeframe(text, dt.date(y, month, 1), _month_end(y, month))
    dates = [_date(*m) for m in _DATE.findall(key)]
    if dates:
        if len(dates) >= 2:
            return Timeframe(text, min(dates), max(dates))
        if re.search(r"\b(truoc|cham nhat|han)\b", key):
            return Timeframe(text, None, dates[0])
        return Timeframe(text, dates[0], dates[0])
    if match := _YEAR_ONLY.search(key):
        y = int(match.group(1))
        return Timeframe(text, dt.date(y, 1, 1), dt.date(y, 12, 31))
    return None
