"""The working calendar: which dates are working days (DOMAIN A.1, B.2).

A date is a working day when it is Monday–Friday and not a holiday, compensatory day, swap
day or local closure, or when it is a make-up day (làm bù). The rows come from, in order of
authority (a later source replaces an earlier one for the same date):

1. the Labour Code computation (``labour_code.py``), only for years **without** an official
   schedule;
2. the official yearly civil-service schedule (``data/<year>.toml``): when it exists it is the
   whole truth for that year (it lists every off day and make-up Saturday), and the Labour
   Code is not consulted for that year at all;
3. extra rows given by the caller (local closures after a typhoon, or a schedule stored in the
   database), which override both.

A ``WorkCalendar`` is immutable; per-year lookups are computed once and cached.
"""

from __future__ import annotations

import tomllib
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from .days import WEEKDAY_NAMES_VI, CalendarDay, DayKind, SkippedDay
from .errors import CalendarDataError
from .labour_code import DEFAULT_RULES, LabourCodeRules, labour_code_days

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True, slots=True)
class OfficialSchedule:
    """The official yearly schedule of days off and make-up days for civil servants."""

    year: int
    days: tuple[CalendarDay, ...]
    title_vi: str = ""
    source: str = ""


def _date_field(entry: Mapping[str, Any], key: str, source: str) -> date:
    value = entry.get(key)
    if not isinstance(value, date):
        raise CalendarDataError(f"{source}: mục '{entry.get('name_vi', '?')}' thiếu hoặc sai '{key}'.")
    return value


def parse_official_schedule(data: Mapping[str, Any], source: str = "") -> OfficialSchedule:
    """Build a schedule from parsed TOML (or any mapping of the same shape)."""
    year = data.get("year")
    if not isinstance(year, int):
        raise CalendarDataError(f"{source}: thiếu năm (year).")
    days: dict[date, CalendarDay] = {}
    for entry in data.get("days", []):
        if "date" in entry:
            first = last = _date_field(entry, "date", source)
        else:
            first, last = _date_field(entry, "start", source), _date_field(entry, "end", source)
        if last < first:
            raise CalendarDataError(f"{source}: khoảng ngày {first:%d/%m/%Y}–{last:%d/%m/%Y} bị ngược.")
        current = first
        while current <= last:
            if current.year != year:
                raise CalendarDataError(f"{source}: ngày {current:%d/%m/%Y} không thuộc năm {year}.")
            if current in days:
                raise CalendarDataError(f"{source}: ngày {current:%d/%m/%Y} được khai hai lần.")
            row = CalendarDay(
                current,
                entry.get("kind", ""),  # validated (Vietnamese message) by CalendarDay
                entry.get("name_vi", ""),
                legal_basis=entry.get("legal_basis", ""),
                confidence=entry.get("confidence", "M"),
            )
            _check_row_fits_weekday(row, source)
            days[current] = row
            current += timedelta(days=1)
    return OfficialSchedule(
        year=year,
        days=tuple(sorted(days.values(), key=lambda row: row.date)),
        title_vi=data.get("title_vi", ""),
        source=source,
    )


def _check_row_fits_weekday(row: CalendarDay, source: str) -> None:
    # A make-up day on a weekday or a swap day on a weekend is a typing mistake in the
    # notice transcription, never a real arrangement.
    weekend = row.date.weekday() >= 5
    if row.kind is DayKind.MAKEUP_WORKDAY and not weekend:
        raise CalendarDataError(f"{source}: ngày làm bù {row.date:%d/%m/%Y} không phải thứ Bảy/Chủ nhật.")
    if row.kind is DayKind.SWAP_OFF and weekend:
        raise CalendarDataError(f"{source}: ngày nghỉ hoán đổi {row.date:%d/%m/%Y} rơi vào cuối tuần.")


def load_official_schedule(path: Path | str) -> OfficialSchedule:
    path = Path(path)
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    return parse_official_schedule(data, source=path.name)


@lru_cache(maxsize=1)
def bundled_schedules() -> tuple[OfficialSchedule, ...]:
    """The schedules shipped in ``data/``: adding next year is adding a file."""
    return tuple(load_official_schedule(path) for path in sorted(DATA_DIR.glob("*.toml")))


class WorkCalendar:
    """Immutable working calendar. Build variants with ``with_extra_days``/``with_schedule``."""

    __slots__ = ("_extra", "_off_cache", "_official", "_rules", "_year_cache")

    def __init__(
        self,
        *,
        official: Iterable[OfficialSchedule] | None = None,
        extra_days: Iterable[CalendarDay] = (),
        rules: LabourCodeRules = DEFAULT_RULES,
    ) -> None:
        schedules = bundled_schedules() if official is None else tuple(official)
        self._official: dict[int, OfficialSchedule] = {s.year: s for s in schedules}
        self._extra: dict[date, CalendarDay] = {}
        for day in extra_days:
            if not isinstance(day, CalendarDay):
                raise CalendarDataError(f"'{day!r}' không phải một ngày lịch (CalendarDay).")
            self._extra[day.date] = day
        self._rules = rules
        self._year_cache: dict[int, dict[date, CalendarDay]] = {}
        self._off_cache: dict[int, tuple[list[date], list[SkippedDay]]] = {}

    # -- variants -------------------------------------------------------------------------
    def with_extra_days(self, days: Iterable[CalendarDay]) -> WorkCalendar:
        """A new calendar with more rows (e.g. local closures) overriding existing ones."""
        return WorkCalendar(
            official=self._official.values(),
            extra_days=[*self._extra.values(), *days],
            rules=self._rules,
        )

    def with_schedule(self, schedule: OfficialSchedule) -> WorkCalendar:
        """A new calendar where ``schedule`` is the official schedule of its year."""
        schedules = {**self._official, schedule.year: schedule}
        return WorkCalendar(official=schedules.values(), extra_days=self._extra.values(), rules=self._rules)

    @property
    def extra_days(self) -> tuple[CalendarDay, ...]:
        return tuple(sorted(self._extra.values(), key=lambda day: day.date))

    @property
    def rules(self) -> LabourCodeRules:
        return self._rules

    # -- per-year data ----------------------------------------------------------------------
    def has_official_schedule(self, year: int) -> bool:
        return year in self._official

    def official_years(self) -> tuple[int, ...]:
        return tuple(sorted(self._official))

    def schedule_notice(self, year: int) -> str | None:
        """None when ``year`` has an official schedule; otherwise the Vietnamese notice that
        its days off were computed from the Labour Code alone."""
        if self.has_official_schedule(year):
            return None
        return (
            f"Năm {year} chưa có lịch nghỉ chính thức của cán bộ, công chức: ngày nghỉ được tính "
            "theo Bộ luật Lao động (Điều 111, 112), có thể khác lịch do Thủ tướng quyết định."
        )

    def _rows(self, year: int) -> dict[date, CalendarDay]:
        rows = self._year_cache.get(year)
        if rows is None:
            schedule = self._official.get(year)
            base = list(schedule.days) if schedule is not None else labour_code_days(year, self._rules)
            rows = {day.date: day for day in base}
            rows.update((d, day) for d, day in self._extra.items() if d.year == year)
            self._year_cache[year] = rows
        return rows

    def days_of_year(self, year: int) -> tuple[CalendarDay, ...]:
        """The effective rows of ``year`` (off days and make-up days), sorted by date."""
        return tuple(sorted(self._rows(year).values(), key=lambda day: day.date))

    # -- per-date questions -----------------------------------------------------------------
    def day(self, on: date) -> CalendarDay | None:
        """The calendar row of ``on``, or None for an ordinary weekday or weekend."""
        return self._rows(on.year).get(on)

    def is_working_day(self, on: date) -> bool:
        row = self._rows(on.year).get(on)
        if row is not None:
            return row.is_working
        return on.weekday() < 5

    def reason_off(self, on: date) -> SkippedDay | None:
        """Why ``on`` is not a working day (None when it is one)."""
        row = self._rows(on.year).get(on)
        if row is not None:
            if row.is_working:
                return None
            return SkippedDay(on, row.reason_vi, row.kind, row.legal_basis)
        if on.weekday() >= 5:
            return SkippedDay(on, WEEKDAY_NAMES_VI[on.weekday()], None)
        return None

    def _off_days(self, year: int) -> tuple[list[date], list[SkippedDay]]:
        """Every non-working date of ``year`` with its reason, sorted (computed once)."""
        cached = self._off_cache.get(year)
        if cached is None:
            dates: list[date] = []
            reasons: list[SkippedDay] = []
            current, stop = date(year, 1, 1), date(year + 1, 1, 1)
            while current < stop:
                skipped = self.reason_off(current)
                if skipped is not None:
                    dates.append(current)
                    reasons.append(skipped)
                current += timedelta(days=1)
            cached = self._off_cache[year] = (dates, reasons)
        return cached

    def non_working_days(self, first: date, last: date) -> list[SkippedDay]:
        """Non-working dates in ``first``..``last`` (inclusive), each with its reason."""
        result: list[SkippedDay] = []
        for year in range(first.year, last.year + 1):
            dates, reasons = self._off_days(year)
            result += reasons[bisect_left(dates, first) : bisect_right(dates, last)]
        return result

    def next_working_day(self, after: date) -> date:
        """The first working date strictly after ``after``."""
        current = after + timedelta(days=1)
        while not self.is_working_day(current):
            current += timedelta(days=1)
        return current


@lru_cache(maxsize=1)
def default_calendar() -> WorkCalendar:
    """The national calendar: bundled official schedules plus the Labour Code elsewhere."""
    return WorkCalendar()
