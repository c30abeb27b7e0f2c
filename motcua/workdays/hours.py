"""Office-hours profiles (giờ làm việc), DOMAIN A.1 and C.6.1.

A profile gives the working sessions of a working day. It may have seasons that switch on
fixed month/day dates, with per-year overrides because provinces announce the switch every
year. ``receives_saturday_morning`` only says that the desk receives dossiers on Saturday
morning: it never makes Saturday a working day for deadlines (DOMAIN C.5).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, time
from types import MappingProxyType

from .errors import InvalidOfficeHoursError, UnknownProfileError


@dataclass(frozen=True, slots=True)
class Session:
    """One working session of a day, ``start`` inclusive, ``end`` exclusive."""

    start: time
    end: time

    def __post_init__(self) -> None:
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            raise InvalidOfficeHoursError("Giờ làm việc là giờ địa phương, không kèm múi giờ.")
        if not self.start < self.end:
            raise InvalidOfficeHoursError(
                f"Buổi làm việc {self.start:%H:%M}–{self.end:%H:%M} không hợp lệ: giờ bắt đầu phải trước giờ kết thúc."
            )

    @property
    def minutes(self) -> int:
        return (self.end.hour * 60 + self.end.minute) - (self.start.hour * 60 + self.start.minute)

    def __str__(self) -> str:
        return f"{self.start:%H:%M}–{self.end:%H:%M}"


def _check_day(sessions: tuple[Session, ...], label: str) -> None:
    if not sessions:
        raise InvalidOfficeHoursError(f"{label}: cần ít nhất một buổi làm việc.")
    for before, after in itertools.pairwise(sessions):
        if not before.end < after.start:
            raise InvalidOfficeHoursError(
                f"{label}: buổi {before} và buổi {after} chồng lên nhau hoặc liền nhau."
            )


@dataclass(frozen=True, slots=True)
class Season:
    """Sessions used from ``starts`` (month, day) until the next season's start."""

    code: str
    name_vi: str
    starts: tuple[int, int]
    sessions: tuple[Session, ...]

    def __post_init__(self) -> None:
        _check_day(self.sessions, f"Mùa '{self.name_vi}'")
        month, day = self.starts
        date(2024, month, day)  # leap year: rejects 31/04 and the like


@dataclass(frozen=True, slots=True)
class OfficeHours:
    """A named office-hours profile.

    ``switch_dates`` overrides season starts for given years: ``{2025: {"summer": date(2025, 4, 16)}}``.
    """

    code: str
    name_vi: str
    seasons: tuple[Season, ...]
    switch_dates: Mapping[int, Mapping[str, date]] = field(default_factory=lambda: MappingProxyType({}))
    receives_saturday_morning: bool = False
    saturday_receiving: Session | None = None

    def __post_init__(self) -> None:
        if not self.seasons:
            raise InvalidOfficeHoursError(f"Bộ giờ '{self.code}' không có mùa nào.")
        codes = [season.code for season in self.seasons]
        if len(set(codes)) != len(codes):
            raise InvalidOfficeHoursError(f"Bộ giờ '{self.code}' có hai mùa trùng mã.")
        for year, overrides in self.switch_dates.items():
            for season_code, switch in overrides.items():
                if season_code not in codes or switch.year != year:
                    raise InvalidOfficeHoursError(
                        f"Bộ giờ '{self.code}': ngày chuyển mùa '{season_code}' năm {year} không hợp lệ."
                    )

    def _season_start(self, season: Season, year: int) -> date:
        override = self.switch_dates.get(year, {}).get(season.code)
        return override if override is not None else date(year, *season.starts)

    def season_on(self, on: date) -> Season:
        """The season in force on ``on``: the one whose latest start is on or before it."""
        if len(self.seasons) == 1:
            return self.seasons[0]
        best: tuple[date, Season] | None = None
        for year in (on.year - 1, on.year):
            for season in self.seasons:
                start = self._season_start(season, year)
                if start <= on and (best is None or start > best[0]):
                    best = (start, season)
        assert best is not None  # every season starts once a year, so last year has one
        return best[1]

    def sessions_on(self, on: date) -> tuple[Session, ...]:
        """Working sessions of ``on`` if it is a working day (the calendar decides that)."""
        return self.season_on(on).sessions


def _t(text: str) -> time:
    hour, minute = text.split(":")
    return time(int(hour), int(minute))


def _sessions(*pairs: tuple[str, str]) -> tuple[Session, ...]:
    return tuple(Session(_t(start), _t(end)) for start, end in pairs)


# DOMAIN A.1: when no agency profile applies, 07:30–11:30 and 13:30–17:30 all year (8 hours).
DEFAULT_HOURS = OfficeHours(
    code="default",
    name_vi="Giờ hành chính mặc định",
    seasons=(Season("all-year", "Cả năm", (1, 1), _sessions(("07:30", "11:30"), ("13:30", "17:30"))),),
)

# DOMAIN C.6.1 (Hà Tĩnh notices): summer 16/04–15/10 07:00–11:30 and 14:00–17:30; winter
# 07:30–11:30 and 13:30–17:30; both 8 hours. Switch dates are yearly data (``switch_dates``).
HA_TINH_HOURS = OfficeHours(
    code="ha-tinh",
    name_vi="Giờ làm việc tỉnh Hà Tĩnh (mùa hè / mùa đông)",
    seasons=(
        Season("summer", "Mùa hè", (4, 16), _sessions(("07:00", "11:30"), ("14:00", "17:30"))),
        Season("winter", "Mùa đông", (10, 16), _sessions(("07:30", "11:30"), ("13:30", "17:30"))),
    ),
)

_PROFILES: dict[str, OfficeHours] = {profile.code: profile for profile in (DEFAULT_HOURS, HA_TINH_HOURS)}
PROFILES: Mapping[str, OfficeHours] = MappingProxyType(_PROFILES)


def register_office_hours(profile: OfficeHours) -> None:
    """Make a profile available by code (the Django side registers agency profiles)."""
    _PROFILES[profile.code] = profile


def get_office_hours(code: str) -> OfficeHours:
    """The profile with ``code``; raises ``UnknownProfileError`` (Vietnamese message)."""
    try:
        return _PROFILES[code]
    except (KeyError, TypeError):
        raise UnknownProfileError(str(code), list(_PROFILES)) from None
