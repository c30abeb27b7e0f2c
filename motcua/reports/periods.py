"""Reporting periods (DOMAIN B.3.1, C.2.4): the legal cut-off windows of ND 09/2019 and calendar ones.

Statutory windows run from day 15 of the month before the period to day 14 of its last month:
quarter I of 2026 is 15/12/2025 → 14/03/2026, six months 15/12 → 14/06, nine months 15/12 → 14/09,
the year 15/12 → 14/12, a month 15 of the previous month → 14. The cut-off day is a parameter
(`cutoff_day`, 14 by default); `cutoff_day=None` gives calendar periods (QĐ 766 dashboards).

A `Period` is two local dates, both included; `start`/`end` are the aware instants [start, end).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from motcua.lib.formats import VN_TZ, vn_date

KINDS = ("month", "quarter", "half", "nine_months", "year")
KIND_LABELS = {"month": "Tháng", "quarter": "Quý", "half": "6 tháng", "nine_months": "9 tháng", "year": "Năm"}
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
MAX_DAYS = 366


class PeriodError(ValueError):
    """A period that cannot be reported; the message is Vietnamese and names the problem."""


@dataclass(frozen=True)
class Period:
    date_from: dt.date
    date_to: dt.date
    label: str = ""

    @property
    def start(self) -> dt.datetime:
        return dt.datetime.combine(self.date_from, dt.time.min, tzinfo=VN_TZ)

    @property
    def end(self) -> dt.datetime:
        """The first instant after the period (exclusive bound)."""
        return dt.datetime.combine(self.date_to + dt.timedelta(days=1), dt.time.min, tzinfo=VN_TZ)

    @property
    def title(self) -> str:
        span = f"từ ngày {vn_date(self.date_from)} đến ngày {vn_date(self.date_to)}"
        return f"{self.label} ({span})" if self.label else span.capitalize()

    @property
    def in_sentence(self) -> str:
        """The title inside a sentence: only its first letter lowered ("quý I năm 2026", never "quý i")."""
        title = self.title
        return title[:1].lower() + title[1:]

    def query(self) -> str:
        return f"tu={self.date_from:%d/%m/%Y}&den={self.date_to:%d/%m/%Y}"


def _month_end(year: int, month: int, cutoff_day: int | None) -> dt.date:
    if cutoff_day is not None:
        return dt.date(year, month, cutoff_day)
    following = dt.date(year + (month == 12), month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def _month_start(year: int, month: int, cutoff_day: int | None) -> dt.date:
    """First day of the window of `month`: day cutoff+1 of the previous month, or day 1."""
    if cutoff_day is None:
        return dt.date(year, month, 1)
    previous_year, previous_month = (year - 1, 12) if month == 1 else (year, month - 1)
    return dt.date(previous_year, previous_month, cutoff_day + 1)


def report_period(kind: str, year: int, number: int = 1, *, cutoff_day: int | None = 14) -> Period:
    """The reporting window: `report_period("quarter", 2026, 1)` → 15/12/2025–14/03/2026.

    `number` is the month (1–12) or the quarter (1–4); it is ignored for half, nine_months and year."""
    if kind not in KINDS:
        raise PeriodError(f"Loại kỳ báo cáo không hợp lệ: {kind!r} (tháng, quý, 6 tháng, 9 tháng, năm).")
    if cutoff_day is not None and not 1 <= cutoff_day <= 27:
        raise PeriodError("Ngày chốt số liệu phải từ 1 đến 27.")
    if kind == "month":
        if not 1 <= number <= 12:
            raise PeriodError("Tháng phải từ 1 đến 12.")
        first_month, last_month, label = number, number, f"Tháng {number:02d}/{year}"
    elif kind == "quarter":
        if not 1 <= number <= 4:
            raise PeriodError("Quý phải từ I đến IV.")
        first_month, last_month, label = 3 * number - 2, 3 * number, f"Quý {ROMAN[number]} năm {year}"
    elif kind == "half":
        first_month, last_month, label = 1, 6, f"6 tháng đầu năm {year}"
    elif kind == "nine_months":
        first_month, last_month, label = 1, 9, f"9 tháng đầu năm {year}"
    else:
        first_month, last_month, label = 1, 12, f"Năm {year}"
    return Period(_month_start(year, first_month, cutoff_day), _month_end(year, last_month, cutoff_day), label)


def current_quarter(day: dt.date | None = None, *, cutoff_day: int | None = 14) -> Period:
    """The statutory quarter whose window holds `day` (after 14/12 it is quarter I of the next year)."""
    day = day or timezone.localdate()
    for year in (day.year, day.year + 1):
        for number in range(1, 5):
            period = report_period("quarter", year, number, cutoff_day=cutoff_day)
            if period.date_from <= day <= period.date_to:
                return period
    raise AssertionError("unreachable: the quarters cover every day")


def check_period(date_from: dt.date, date_to: dt.date, *, today: dt.date | None = None,
                 label: str = "") -> Period:
    """A free period as asked for: not reversed, not starting in the future, at most a year long."""
    today = today or timezone.localdate()
    if date_to < date_from:
        raise PeriodError("“Đến ngày” phải sau hoặc bằng “Từ ngày”.")
    if date_from > today:
        raise PeriodError(f"Kỳ báo cáo bắt đầu sau ngày hôm nay ({vn_date(today)}): chưa có số liệu.")
    if (date_to - date_from).days + 1 > MAX_DAYS:
        raise PeriodError(f"Kỳ báo cáo dài tối đa {MAX_DAYS} ngày (một năm).")
    return Period(date_from, date_to, label)


def parse_date(value: str) -> dt.date:
    """dd/mm/yyyy (the screens) or yyyy-mm-dd (the API)."""
    value = (value or "").strip()
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(value, pattern).date()  # noqa: DTZ007 - a date, no time
        except ValueError:
            continue
    raise PeriodError(f"Ngày “{value}” không hợp lệ: dùng dạng dd/mm/yyyy, ví dụ 14/03/2026.")


def parse_month(value: str) -> tuple[int, int]:
    """"2026-10" → (2026, 10)."""
    try:
        year, month = (int(part) for part in (value or "").strip().split("-"))
    except ValueError:
        raise PeriodError(f"Tháng “{value}” không hợp lệ: dùng dạng yyyy-mm, ví dụ 2026-10.") from None
    if not 1 <= month <= 12 or not 2000 <= year <= 2100:
        raise PeriodError(f"Tháng “{value}” không hợp lệ: dùng dạng yyyy-mm, ví dụ 2026-10.")
    return year, month


def month_period(year: int, month: int) -> Period:
    """A calendar month (QĐ 766 is computed on calendar months, DOMAIN C.2.4)."""
    return report_period("month", year, month, cutoff_day=None)


def local_date(instant: dt.datetime | None) -> dt.date | None:
    return instant.astimezone(VN_TZ).date() if instant is not None else None
