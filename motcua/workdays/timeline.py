"""The fast engine: working sessions precomputed as integer arrays, searched with ``bisect``.

For a calendar and an office-hours profile, a ``Timeline`` holds every working session of a
range of years as three parallel lists of integers (microseconds on the Vietnam-time scale,
see ``units.py``):

- ``starts[i]``, ``ends[i]``: the session ``[start, end)``;
- ``cum_end[i]``: working microseconds from the range origin to ``ends[i]``.

``W(t)``, the working time elapsed from the origin to ``t``, is continuous, non-decreasing,
strictly increasing inside sessions and flat between them. Every operation is one or two
binary searches on these lists; nothing walks day by day.

Conventions (DOMAIN A.1), chosen so the algebraic properties hold exactly:

- A session is working on ``[start, end)``: its end instant is *not* working time, so a clock
  that would start at exactly 11:30 starts at 13:30 (``next_working_us``).
- ``add_us(s, d)`` is the earliest instant ``t >= s`` lying in a closed session
  ``[start, end]`` with ``W(t) - W(s) >= d``. For ``d > 0`` it lies in ``(start, end]``: the
  due instant is never the start of a session (1 day from 07:30 Monday is 17:30 Monday), and
  adding more time from a session end continues in the next session. For ``d == 0`` it is
  ``s`` itself when ``s`` is in a closed session (including exactly at its end), otherwise
  the start of the next session (the clock start). Hence for all ``a, b >= 0``
  ``add(add(s, a), b) == add(s, a + b)``.

The range of years grows on demand (any year 1976–2199; Vietnam's offset is fixed since 1975).
A grown range is a new immutable state swapped in one assignment, so concurrent readers always
see consistent lists.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from .calendar import WorkCalendar
from .errors import OutOfRangeError
from .hours import OfficeHours
from .units import (
    _ONE_US,
    _ORIGIN,
    FIRST_YEAR,
    LAST_YEAR,
    VN_TZ,
    WORKING_DAY_US,
    date_to_us,
    from_us,
    time_to_us,
    to_us,
    us_to_date,
)

_YEAR_US = 366 * 86_400_000_000
# The range is built one year past the last supported year, so an instant late in LAST_YEAR
# still has a next session.
_BUILD_LIMIT = LAST_YEAR + 1


@dataclass(frozen=True, slots=True)
class _State:
    first_year: int
    last_year: int
    low: int  # 1 January first_year, 00:00
    high: int  # 1 January last_year + 1, 00:00
    safe_high: int  # instants before this have a next session inside the range
    starts: list[int]
    ends: list[int]
    cum_start: list[int]
    cum_end: list[int]


def _build(calendar: WorkCalendar, hours: OfficeHours, first_year: int, last_year: int) -> _State:
    starts: list[int] = []
    ends: list[int] = []
    cum_start: list[int] = []
    cum_end: list[int] = []
    total = 0
    day = date(first_year, 1, 1)
    stop = date(last_year + 1, 1, 1)
    one_day = timedelta(days=1)
    while day < stop:
        if calendar.is_working_day(day):
            midnight = date_to_us(day)
            for session in hours.sessions_on(day):
                start = midnight + time_to_us(session.start)
                end = midnight + time_to_us(session.end)
                starts.append(start)
                ends.append(end)
                cum_start.append(total)
                total += end - start
                cum_end.append(total)
        day += one_day
    high = date_to_us(stop)
    return _State(
        first_year, last_year, date_to_us(date(first_year, 1, 1)), high, high - _YEAR_US,
        starts, ends, cum_start, cum_end,
    )  # fmt: skip


class Timeline:
    """Working sessions of ``calendar`` under ``hours``, with O(log n) working-time arithmetic.

    Methods ending in ``_us`` take and return integers (microseconds on the Vietnam-time
    scale, see ``units.to_us``); they are the hot path used by the benchmark and by the
    datetime-level API.
    """

    __slots__ = ("_state", "calendar", "hours")

    def __init__(
        self,
        calendar: WorkCalendar,
        hours: OfficeHours,
        first_year: int | None = None,
        last_year: int | None = None,
    ) -> None:
        self.calendar = calendar
        self.hours = hours
        this_year = datetime.now(VN_TZ).year  # only picks the initial window; any year works
        first = first_year if first_year is not None else this_year - 2
        last = last_year if last_year is not None else this_year + 2
        self._state = _build(calendar, hours, max(first, FIRST_YEAR), min(last, LAST_YEAR))

    @property
    def years(self) -> tuple[int, int]:
        return self._state.first_year, self._state.last_year

    # -- range management -----------------------------------------------------------------
    def _grow(self, first_year: int, last_year: int) -> _State:
        state = self._state
        first = max(min(first_year, state.first_year), FIRST_YEAR)
        last = min(max(last_year, state.last_year), _BUILD_LIMIT)
        if (first, last) != (state.first_year, state.last_year):
            state = _build(self.calendar, self.hours, first, last)
            self._state = state  # one assignment: readers see the old or the new state
        return state

    def _cover(self, us: int) -> _State:
        """A state whose range contains ``us`` and, after it, at least one more session."""
        state = self._state
        if state.low <= us < state.safe_high:
            return state
        try:
            year = us_to_date(us).year
        except (OverflowError, ValueError):
            year = 0
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise OutOfRangeError(_show(us), FIRST_YEAR, LAST_YEAR)
        return self._grow(year - 1, year + 1)

    def _cover_work(self, state: _State, target: int) -> _State:
        """Grow the range at its end until ``cum_end[-1] >= target``. Growing at the end keeps
        the origin, so positions computed before stay valid."""
        while state.cum_end[-1] < target:
            if state.last_year >= _BUILD_LIMIT:
                raise OutOfRangeError(f"năm {_BUILD_LIMIT}", FIRST_YEAR, LAST_YEAR)
            missing_years = (target - state.cum_end[-1]) // (200 * WORKING_DAY_US) + 1
            state = self._grow(state.first_year, state.last_year + missing_years)
        return state

    def ensure_years(self, first_year: int, last_year: int) -> None:
        """Precompute a range now (e.g. at process start) instead of on first use."""
        self._grow(first_year, last_year)

    # -- integer hot path -----------------------------------------------------------------
    def is_working_us(self, t: int) -> bool:
        """True when ``t`` is inside a session, ``start <= t < end``."""
        state = self._cover(t)
        i = bisect_right(state.starts, t) - 1
        return i >= 0 and t < state.ends[i]

    def next_working_us(self, t: int) -> int:
        """``t`` itself when working, otherwise the start of the next session."""
        state = self._cover(t)
        i = bisect_right(state.starts, t) - 1
        if i >= 0 and t < state.ends[i]:
            return t
        return state.starts[i + 1]

    def add_us(self, s: int, d: int) -> int:
        """The due instant for ``d`` working microseconds from ``s`` (see module docstring)."""
        state = self._state
        if not state.low <= s < state.safe_high:
            state = self._cover(s)
        starts = state.starts
        i = bisect_right(starts, s) - 1
        if i >= 0 and s <= state.ends[i]:
            if d == 0:
                return s
            target = state.cum_start[i] + (s - starts[i]) + d
            if target <= state.cum_end[i]:  # same session: the common case
                return s + d
        else:
            if d == 0:
                return starts[i + 1]
            target = state.cum_start[i + 1] + d
        cum_end = state.cum_end
        if target > cum_end[-1]:
            state = self._cover_work(state, target)
            starts, cum_end = state.starts, state.cum_end
        k = bisect_left(cum_end, target)
        return starts[k] + (target - state.cum_start[k])

    def position_pair_us(self, a: int, b: int) -> tuple[int, int]:
        """``(W(a), W(b))`` computed on one consistent state."""
        self._cover(a)
        state = self._cover(b)  # growing only widens the range, so ``a`` is still covered
        return self._position(state, a), self._position(state, b)

    @staticmethod
    def _position(state: _State, t: int) -> int:
        i = bisect_right(state.starts, t) - 1
        if i < 0:
            return 0
        end = state.ends[i]
        return state.cum_end[i] if t >= end else state.cum_start[i] + (t - state.starts[i])

    def working_between_us(self, a: int, b: int) -> int:
        """``W(b) - W(a)``: working microseconds from ``a`` to ``b``, negative when ``b < a``."""
        wa, wb = self.position_pair_us(a, b)
        return wb - wa

    def day_bounds_us(self, day: date) -> tuple[int, int] | None:
        """(start of first session, end of last session) of ``day``; None if not working."""
        if not self.calendar.is_working_day(day):
            return None
        midnight = date_to_us(day)
        state = self._cover(midnight)
        i = bisect_left(state.starts, midnight)
        j = bisect_left(state.starts, midnight + 86_400_000_000) - 1
        return state.starts[i], state.ends[j]

    # -- datetime convenience -------------------------------------------------------------
    def add(self, start: datetime, duration_us: int) -> datetime:
        """``add_us`` on aware datetimes; the result is in Asia/Ho_Chi_Minh.

        ``to_us``/``from_us`` are inlined: this is the hot path of every due instant."""
        try:
            s = (start - _ORIGIN) // _ONE_US
        except TypeError:
            s = to_us(start)  # raises the Vietnamese naive/not-a-datetime error
        return _ORIGIN + _ONE_US * self.add_us(s, duration_us)


def _show(us: int) -> object:
    try:
        return from_us(us)
    except OverflowError:
        return us
