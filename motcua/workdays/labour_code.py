"""Public holidays computed from the Labour Code alone.

Used only for years without an official civil-service schedule (DOMAIN B.2.3: when the yearly
notice exists it is the authority). The rules, with their DOMAIN tags:

- Labour Code 2019 Art. 112 cl. 1 [V PD-LD]: 1/1; Tết Âm lịch 5 days; 30/4; 1/5; 2/9 plus one
  adjacent day; Giỗ Tổ Hùng Vương 10/3 lunar.
- Tết: the usual convention "ngày cuối năm âm lịch + 4 ngày đầu năm" (the Prime Minister fixes
  the real days every year; see 2025, where the official five days were 28 Chạp–mùng 3).
- The day adjacent to 2/9 defaults to 1/9 [M] (``national_day_adjacent``).
- Ngày Văn hóa Việt Nam 24/11 from 01/07/2026 [S] (``culture_day_from``).
- Art. 111 cl. 3 [V]: a holiday falling on a weekly rest day (Sat/Sun for civil servants) gives
  a compensatory day on the next working day.
- Older codes [M], so that 2000–2020 are plausible: Tết 4 days and 2/9 one day before the 2019
  code (2/9 became 2 days from 2021, Tết 5 days from 2013); Giỗ Tổ from 2007.

Lunar dates come from ``vnlunar`` with the Vietnamese time zone (UTC+7); ``lunardate``
follows the Chinese calendar and is wrong for Vietnam in some years.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Literal

import vnlunar

from .days import CalendarDay, DayKind
from .errors import CalendarDataError

VN_LUNAR_TIME_ZONE = 7.0


@dataclass(frozen=True, slots=True)
class LabourCodeRules:
    """The configurable parts of the Labour-Code computation (the [M]/[S] facts)."""

    national_day_adjacent: Literal["before", "after"] = "before"  # 1/9 by default [M]
    culture_day_from: date | None = date(2026, 7, 1)  # Ngày Văn hóa Việt Nam 24/11 [S]
    culture_day_basis: str = "Nghị quyết 28/2026/QH16"
    two_day_national_day_from_year: int = 2021  # Labour Code 2019 in force 01/01/2021
    five_day_tet_from_year: int = 2013  # Labour Code 2012 in force 01/05/2013 [M]
    hung_kings_from_year: int = 2007  # [M]
    weekend: tuple[int, ...] = (5, 6)  # Saturday, Sunday (civil-service week, QĐ 188/1999)


DEFAULT_RULES = LabourCodeRules()


def lunar_to_solar(day: int, month: int, year: int) -> date:
    """Solar date of a (non-leap) Vietnamese lunar date."""
    result = vnlunar.convert_lunar_to_solar(day, month, year, 0, VN_LUNAR_TIME_ZONE)
    if not result:
        raise CalendarDataError(f"Không đổi được ngày âm lịch {day}/{month}/{year} sang dương lịch.")
    solar_day, solar_month, solar_year = result
    return date(solar_year, solar_month, solar_day)


@lru_cache(maxsize=512)
def tet_first_day(year: int) -> date:
    """Mùng 1 Tết of the lunar year that starts in solar ``year``."""
    return lunar_to_solar(1, 1, year)


@lru_cache(maxsize=512)
def hung_kings_day(year: int) -> date:
    """Giỗ Tổ Hùng Vương, 10/3 lunar."""
    return lunar_to_solar(10, 3, year)


def _basis(year: int) -> str:
    if year >= 2021:
        return "Bộ luật Lao động 2019, Điều 112"
    if year >= 2013:
        return "Bộ luật Lao động 2012, Điều 115"
    return "Bộ luật Lao động 1994 (sửa đổi 2007), Điều 73"


def statutory_holidays(year: int, rules: LabourCodeRules = DEFAULT_RULES) -> list[CalendarDay]:
    """The public holidays of ``year`` (without compensatory days), sorted by date."""
    basis = _basis(year)
    days: list[tuple[date, str, str]] = [(date(year, 1, 1), "Tết Dương lịch", basis)]

    first = tet_first_day(year)
    tet_length = 5 if year >= rules.five_day_tet_from_year else 4
    for offset in range(-1, tet_length - 1):
        days.append((first + timedelta(days=offset), "Tết Nguyên đán", basis))

    if year >= rules.hung_kings_from_year:
        days.append((hung_kings_day(year), "Giỗ Tổ Hùng Vương (10/3 âm lịch)", basis))
    days.append((date(year, 4, 30), "Ngày Chiến thắng (30/4)", basis))
    days.append((date(year, 5, 1), "Ngày Quốc tế Lao động (1/5)", basis))
    days.append((date(year, 9, 2), "Quốc khánh (2/9)", basis))
    if year >= rules.two_day_national_day_from_year:
        adjacent = date(year, 9, 1) if rules.national_day_adjacent == "before" else date(year, 9, 3)
        days.append((adjacent, "Quốc khánh (ngày liền kề 2/9)", basis))
    culture_day = date(year, 11, 24)
    if rules.culture_day_from is not None and culture_day >= rules.culture_day_from:
        days.append((culture_day, "Ngày Văn hóa Việt Nam (24/11)", rules.culture_day_basis))

    # Tết of the *next* lunar year may start on 31/12 in principle; it belongs to that year's
    # computation, so keep only dates inside ``year``.
    return sorted(
        (
            CalendarDay(d, DayKind.HOLIDAY, name, legal_basis=b, confidence="computed")
            for d, name, b in days
            if d.year == year
        ),
        key=lambda day: day.date,
    )


def compensatory_days(
    holidays: list[CalendarDay], rules: LabourCodeRules = DEFAULT_RULES
) -> list[CalendarDay]:
    """Art. 111 cl. 3: each holiday on a weekly rest day gives a day off on the next working
    day that is neither a holiday nor already a compensatory day."""
    holiday_dates = {day.date for day in holidays}
    taken: set[date] = set()
    result: list[CalendarDay] = []
    basis = "Bộ luật Lao động 2019, Điều 111 khoản 3"
    for holiday in holidays:
        if holiday.date.weekday() not in rules.weekend:
            continue
        candidate = holiday.date + timedelta(days=1)
        while candidate.weekday() in rules.weekend or candidate in holiday_dates or candidate in taken:
            candidate += timedelta(days=1)
        taken.add(candidate)
        result.append(
            CalendarDay(
                candidate,
                DayKind.COMPENSATORY,
                f"Nghỉ bù {holiday.name_vi} (trùng {holiday.date:%d/%m})",
                legal_basis=basis,
                confidence="computed",
            )
        )
    return result


def labour_code_days(year: int, rules: LabourCodeRules = DEFAULT_RULES) -> list[CalendarDay]:
    """All days off of ``year`` computed from the Labour Code: holidays and compensatory days.

    A compensatory day pushed into January of the next year by a late-December holiday is
    returned with that year's computation (the caller asks for the neighbour years too).
    """
    own = statutory_holidays(year, rules)
    previous = statutory_holidays(year - 1, rules)
    days = [day for day in compensatory_days(previous, rules) if day.date.year == year]
    days += own
    days += [day for day in compensatory_days(own, rules) if day.date.year == year]
    return sorted(days, key=lambda day: day.date)
