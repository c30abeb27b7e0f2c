"""Deadlines on aware datetimes: clock start, due instants, the 15:00 rule, pauses, warnings.

A ``WorkSchedule`` joins a calendar, an office-hours profile and the appointment policy, and
answers every deadline question of DOMAIN A.1 on aware datetimes (Asia/Ho_Chi_Minh). Results
are always in Asia/Ho_Chi_Minh; inputs may be in any time zone but never naive.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from fractions import Fraction

from .calendar import WorkCalendar, default_calendar
from .days import CalendarDay, SkippedDay
from .errors import InvalidChannelError, InvalidPauseError, WorkdaysError
from .hours import OfficeHours, get_office_hours
from .timeline import Timeline
from .units import (
    _exact,
    date_to_us,
    duration_us,
    format_vn_datetime,
    from_us,
    time_to_us,
    to_us,
    us_to_date,
    us_to_timedelta,
)

Duration = timedelta | int | float | Decimal | Fraction | str
"""A working duration: a ``timedelta`` of working time, or a number of working days."""


class Channel(enum.StrEnum):
    DIRECT = "direct"  # trực tiếp
    POSTAL = "postal"  # qua bưu chính công ích
    ONLINE = "online"  # trực tuyến

    @classmethod
    def parse(cls, value: object) -> Channel:
        try:
            return cls(value)
        except ValueError:
            raise InvalidChannelError(value, [c.value for c in cls]) from None


class PauseMode(enum.StrEnum):
    RESUME = "resume"  # default: the remaining time continues after the supplement arrives
    RESTART = "restart"  # the procedure's own law restarts the clock from zero

    @classmethod
    def parse(cls, value: object) -> PauseMode:
        try:
            return cls(value)
        except ValueError:
            raise InvalidPauseError(
                f"Cách tính khi tạm dừng '{value}' không hợp lệ: chỉ nhận 'resume' hoặc 'restart'."
            ) from None


@dataclass(frozen=True, slots=True)
class AppointmentPolicy:
    """The configurable parts of the 15:00 rule (DOMAIN A.1, B.1.3)."""

    cutoff: time = time(15, 0)
    # A.1 applies the rule to paper dossiers; B.1.3's forwarding rule is wider, so it is data.
    cutoff_channels: frozenset[Channel] = frozenset({Channel.DIRECT, Channel.POSTAL})
    # Treat every procedure of at most this many working days as a same-day procedure (e.g.
    # Decimal("0.5")). None (default): only the explicit ``same_day`` flag does, because a
    # "0,5 ngày" procedure is legally due 4 working hours after reception, not at day's end.
    same_day_max_days: Decimal | None = None


DEFAULT_POLICY = AppointmentPolicy()


@dataclass(frozen=True, slots=True)
class Appointment:
    """The receipt's appointment (hẹn trả) and how it was reached."""

    received_at: datetime
    clock_start: datetime  # the instant the legal time starts to run
    due_at: datetime  # hẹn trả kết quả
    handover_at: datetime  # when the first internal step starts
    duration: timedelta  # legal working time
    channel: Channel
    after_cutoff: bool
    same_day: bool
    skipped: tuple[SkippedDay, ...]  # non-working dates strictly between clock start and due
    notes: tuple[str, ...]  # Vietnamese explanations for the receipt and the officer


class WorkSchedule:
    """Working-time arithmetic for one calendar and one office-hours profile."""

    __slots__ = ("calendar", "hours", "policy", "timeline")

    def __init__(
        self,
        calendar: WorkCalendar | None = None,
        hours: OfficeHours | str = "default",
        policy: AppointmentPolicy = DEFAULT_POLICY,
    ) -> None:
        self.calendar = calendar if calendar is not None else default_calendar()
        self.hours = get_office_hours(hours) if isinstance(hours, str) else hours
        self.policy = policy
        self.timeline = Timeline(self.calendar, self.hours)

    # -- the basic questions ----------------------------------------------------------------
    def is_working_time(self, instant: datetime) -> bool:
        """True inside a working session; a session's end instant is not working time."""
        return self.timeline.is_working_us(to_us(instant))

    def next_working_instant(self, instant: datetime) -> datetime:
        """``instant`` when it is working time, otherwise the start of the next session
        (so 11:30 exactly gives 13:30 under the default profile)."""
        return from_us(self.timeline.next_working_us(to_us(instant)))

    def clock_start(self, received_at: datetime) -> datetime:
        """DOMAIN A.1 "Start of the clock": received within office hours → the received
        instant; outside office hours (night, weekend, holiday) → the next working instant."""
        return self.next_working_instant(received_at)

    def add_working(self, start: datetime, duration: Duration, unit: str = "days") -> datetime:
        """The due instant: the **earliest** instant at which ``duration`` of working time has
        elapsed since ``start`` (DOMAIN A.1). One day from 07:30 Monday is 17:30 Monday; the
        result never lands on the start of a session. A zero duration gives the clock start
        (or ``start`` itself when it is exactly a session end). Numbers are in ``unit``."""
        return self.timeline.add(start, duration_us(duration, unit))

    def working_between(self, a: datetime, b: datetime) -> timedelta:
        """Working time from ``a`` to ``b``; negative when ``b`` is before ``a``
        (``working_between(a, b) == -working_between(b, a)``), which reads naturally as
        "time left" or "overdue by"."""
        return us_to_timedelta(self.timeline.working_between_us(to_us(a), to_us(b)))

    def working_day_bounds(self, day: date) -> tuple[datetime, datetime] | None:
        """Start of the first and end of the last session of ``day``; None if not working."""
        bounds = self.timeline.day_bounds_us(day)
        return None if bounds is None else (from_us(bounds[0]), from_us(bounds[1]))

    def skipped_days(self, first: datetime, last: datetime) -> list[SkippedDay]:
        """Non-working dates strictly between the local dates of ``first`` and ``last``."""
        a, b = us_to_date(to_us(first)), us_to_date(to_us(last))
        return self.calendar.non_working_days(a + timedelta(days=1), b - timedelta(days=1))

    def schedule_notices(self, first: datetime, last: datetime) -> list[str]:
        """The "computed from the Labour Code alone" notice of each year touched."""
        a, b = us_to_date(to_us(first)).year, us_to_date(to_us(last)).year
        return [n for y in range(a, b + 1) if (n := self.calendar.schedule_notice(y)) is not None]

    # -- the receipt's appointment ----------------------------------------------------------
    def appointment(
        self,
        received_at: datetime,
        working_days: Duration,
        channel: Channel | str,
        *,
        same_day: bool = False,
    ) -> Appointment:
        """The appointment printed on the receipt (DOMAIN A.1, B.1.3).

        - The clock starts at ``clock_start(received_at)``; the due instant is
          ``add_working(clock_start, working_days)``.
        - The 15:00 rule, for channels in ``policy.cutoff_channels`` (paper: direct, postal),
          when the dossier is received on a working day after ``policy.cutoff`` (strictly
          after 15:00:00): ``handover_at`` is the start of the next working day; and when the
          result would be due on the reception date (``same_day=True``, or a short duration
          that ends that day) the appointment moves to the end of the next working day.
          Otherwise the overall clock still runs from reception.
        - ``same_day=True`` (procedures whose law says "trong ngày", e.g. chứng thực; or any
          zero duration, or any duration up to ``policy.same_day_max_days`` when set): the result is due at the end
          of the clock-start working day, never earlier than the arithmetic due.
        - ``handover_at`` is otherwise the clock start (forwarded immediately).
        """
        channel = Channel.parse(channel)
        d = duration_us(working_days, "days")
        limit = self.policy.same_day_max_days
        # A zero legal time ("giải quyết ngay") is a same-day procedure: the result is due by the end
        # of the clock-start working day, not at the instant the clock starts.
        same_day = same_day or d == 0 or (limit is not None and d <= duration_us(limit, "days"))
        timeline = self.timeline
        received = to_us(received_at)
        start = timeline.next_working_us(received)
        normal_due = timeline.add_us(start, d)
        notes: list[str] = []
        if start != received:
            notes.append(
                f"Tiếp nhận ngoài giờ làm việc: thời hạn tính từ {format_vn_datetime(from_us(start))}."
            )

        received_day = us_to_date(received)
        cutoff_us = time_to_us(self.policy.cutoff)
        after_cutoff = (
            channel in self.policy.cutoff_channels
            and self.calendar.is_working_day(received_day)
            and received - date_to_us(received_day) > cutoff_us
        )
        due = normal_due
        handover = start
        if same_day:
            due = max(due, self._end_of_day(us_to_date(start)))
        if after_cutoff:
            next_day = self.calendar.next_working_day(received_day)
            handover = self._start_of_day(next_day)
            notes.append(
                f"Tiếp nhận sau {self.policy.cutoff:%H:%M}: hồ sơ giấy chuyển cho bộ phận giải quyết vào "
                f"đầu ngày làm việc tiếp theo ({format_vn_datetime(from_us(handover))})."
            )
            if same_day or us_to_date(due) == received_day:
                due = max(due, self._end_of_day(next_day))
                notes.append(
                    "Kết quả lẽ ra trả trong ngày tiếp nhận: hẹn trả vào cuối ngày làm việc tiếp theo."
                )
        notes.extend(self.schedule_notices(received_at, from_us(due)))
        start_dt, due_dt = from_us(start), from_us(due)
        return Appointment(
            received_at=received_at,
            clock_start=start_dt,
            due_at=due_dt,
            handover_at=from_us(handover),
            duration=us_to_timedelta(d),
            channel=channel,
            after_cutoff=after_cutoff,
            same_day=same_day,
            skipped=tuple(self.skipped_days(start_dt, due_dt)),
            notes=tuple(notes),
        )

    def _start_of_day(self, day: date) -> int:
        bounds = self.timeline.day_bounds_us(day)
        if bounds is None:
            raise WorkdaysError(f"Ngày {day:%d/%m/%Y} không phải ngày làm việc.")
        return bounds[0]

    def _end_of_day(self, day: date) -> int:
        bounds = self.timeline.day_bounds_us(day)
        if bounds is None:
            raise WorkdaysError(f"Ngày {day:%d/%m/%Y} không phải ngày làm việc.")
        return bounds[1]

    # -- supplementation pauses -------------------------------------------------------------
    def _pauses_us(self, start: int, pauses: Iterable[Sequence[datetime]]) -> list[tuple[int, int]]:
        result: list[tuple[int, int]] = []
        for pause in pauses:
            if len(pause) != 2 or pause[1] is None:
                raise InvalidPauseError(
                    "Mỗi lần tạm dừng cần đủ hai thời điểm: yêu cầu bổ sung và nhận đủ bổ sung."
                )
            a, b = to_us(pause[0]), to_us(pause[1])
            if b < a:
                raise InvalidPauseError(
                    f"Thời điểm nhận bổ sung {format_vn_datetime(pause[1])} trước thời điểm yêu cầu "
                    f"bổ sung {format_vn_datetime(pause[0])}."
                )
            if a < start:
                raise InvalidPauseError(
                    f"Yêu cầu bổ sung lúc {format_vn_datetime(pause[0])} trước thời điểm bắt đầu tính thời hạn."
                )
            if result and a < result[-1][1]:
                raise InvalidPauseError(
                    f"Các lần tạm dừng chồng lên nhau hoặc không theo thứ tự thời gian "
                    f"(lần bắt đầu {format_vn_datetime(pause[0])})."
                )
            result.append((a, b))
        return result

    def _restart_point(self, s: int, d: int, pauses: list[tuple[int, int]]) -> int:
        # Each pause issued before the current due restarts the whole duration at its end.
        current = s
        for a, b in pauses:
            if a >= self.timeline.add_us(current, d):
                break
            current = b
        return current

    def _resume_due(self, s: int, d: int, pauses: list[tuple[int, int]]) -> int:
        timeline = self.timeline
        current, remaining = s, d
        for a, b in pauses:
            if a >= timeline.add_us(current, remaining):
                break  # requested after the due instant: the deadline has already passed
            remaining -= max(0, timeline.working_between_us(current, a))
            current = b
        return timeline.add_us(current, remaining)

    def due_with_pauses(
        self,
        start: datetime,
        duration: Duration,
        pauses: Iterable[Sequence[datetime]] = (),
        mode: PauseMode | str = PauseMode.RESUME,
    ) -> datetime:
        """Due instant when the clock pauses while waiting for supplements (DOMAIN A.1).

        ``pauses`` are ``(requested_at, complete_supplement_at)`` pairs in time order, none
        before ``start``. Mode ``resume`` (default): working time inside a pause does not count
        and the remaining time continues at its end. Mode ``restart``: the full duration runs
        again from the supplement's arrival. A pause requested at or after the current due
        instant changes nothing. Pausing never makes a deadline earlier.
        """
        mode = PauseMode.parse(mode)
        s = to_us(start)
        d = duration_us(duration, "days")
        paused = self._pauses_us(s, pauses)
        if mode is PauseMode.RESTART:
            return from_us(self.timeline.add_us(self._restart_point(s, d, paused), d))
        return from_us(self._resume_due(s, d, paused))

    def warning_instant(
        self,
        start: datetime,
        duration: Duration,
        remaining_share: float | Fraction | str = 0.25,
        pauses: Iterable[Sequence[datetime]] = (),
        mode: PauseMode | str = PauseMode.RESUME,
    ) -> datetime:
        """The instant at which only ``remaining_share`` of the working budget remains
        (the amber state of a work list), counting pauses like ``due_with_pauses``."""
        share = _exact(remaining_share)
        if not 0 <= share <= 1:
            raise WorkdaysError(f"Tỷ lệ thời gian còn lại '{remaining_share}' phải nằm trong khoảng 0–1.")
        mode = PauseMode.parse(mode)
        s = to_us(start)
        d = duration_us(duration, "days")
        consumed = math.ceil(d * (1 - share))
        paused = self._pauses_us(s, pauses)
        if mode is PauseMode.RESTART:
            return from_us(self.timeline.add_us(self._restart_point(s, d, paused), consumed))
        return from_us(self._resume_due(s, consumed, paused))


_SCHEDULES: dict[tuple[object, ...], tuple[OfficeHours, WorkSchedule]] = {}


def get_schedule(
    profile: str | OfficeHours = "default",
    *,
    extra_days: Iterable[CalendarDay] = (),
    policy: AppointmentPolicy = DEFAULT_POLICY,
) -> WorkSchedule:
    """A cached schedule for an office-hours profile (by code) and optional extra days
    (e.g. local closures). Unknown codes raise ``UnknownProfileError``."""
    hours = get_office_hours(profile) if isinstance(profile, str) else profile
    extras = tuple(sorted(set(extra_days), key=lambda day: (day.date, day.kind, day.name_vi)))
    key = (id(hours), extras, policy)
    cached = _SCHEDULES.get(key)
    if cached is not None and cached[0] is hours:
        return cached[1]
    calendar = default_calendar().with_extra_days(extras) if extras else default_calendar()
    schedule = WorkSchedule(calendar, hours, policy)
    if len(_SCHEDULES) >= 256:
        _SCHEDULES.clear()
    _SCHEDULES[key] = (hours, schedule)
    return schedule
