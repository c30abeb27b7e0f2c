"""Property tests of the working-time arithmetic, checked against a day-by-day oracle."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from motcua.workdays import VN_TZ, WorkSchedule, get_schedule, split_budget

SCHEDULES = [get_schedule("default"), get_schedule("ha-tinh")]
BOUNDARY_TIMES = [time(0), time(7), time(7, 30), time(11, 30), time(12), time(13, 30), time(14), time(17, 30)]
ONE_US = timedelta(microseconds=1)

schedules = st.sampled_from(SCHEDULES)
arbitrary_instants = st.datetimes(
    min_value=datetime(2023, 10, 1),  # noqa: DTZ001 - hypothesis bounds must be naive
    max_value=datetime(2027, 3, 31),  # noqa: DTZ001
    timezones=st.just(VN_TZ),
)
boundary_instants = st.builds(
    lambda day, moment: datetime.combine(day, moment, tzinfo=VN_TZ),
    st.dates(min_value=date(2023, 10, 1), max_value=date(2027, 3, 31)),
    st.sampled_from(BOUNDARY_TIMES),
)
instants = st.one_of(arbitrary_instants, boundary_instants)
durations = st.one_of(
    st.integers(min_value=0, max_value=40 * 480 * 60_000_000).map(lambda us: ONE_US * us),
    st.integers(min_value=0, max_value=40 * 32).map(lambda quarters: timedelta(minutes=15 * quarters)),
    st.just(timedelta(0)),
)
positive_durations = durations.filter(lambda d: d > timedelta(0))
PROPERTY = settings(max_examples=200, deadline=None)


def _sessions_from(schedule: WorkSchedule, start: datetime):
    """Every session (start, end) from the date of ``start`` on, walking day by day."""
    day = start.astimezone(VN_TZ).date()
    while True:
        if schedule.calendar.is_working_day(day):
            for session in schedule.hours.sessions_on(day):
                yield (
                    datetime.combine(day, session.start, tzinfo=VN_TZ),
                    datetime.combine(day, session.end, tzinfo=VN_TZ),
                )
        day += timedelta(days=1)


def oracle_add(schedule: WorkSchedule, start: datetime, duration: timedelta) -> datetime:
    remaining = duration
    for begin, end in _sessions_from(schedule, start):
        if end < start:
            continue
        begin = max(begin, start)
        if remaining <= end - begin:
            return begin + remaining
        remaining -= end - begin
    raise AssertionError("unreachable")


def oracle_between(schedule: WorkSchedule, a: datetime, b: datetime) -> timedelta:
    total = timedelta(0)
    for begin, end in _sessions_from(schedule, a):
        if begin >= b:
            return total
        total += max(timedelta(0), min(end, b) - max(begin, a))
    raise AssertionError("unreachable")


@PROPERTY
@given(schedules, instants, durations)
def test_add_matches_the_day_by_day_oracle(schedule: WorkSchedule, start: datetime, d: timedelta) -> None:
    assert schedule.add_working(start, d) == oracle_add(schedule, start, d)


@PROPERTY
@given(schedules, instants, instants)
def test_working_between_matches_the_oracle(schedule: WorkSchedule, a: datetime, b: datetime) -> None:
    a, b = min(a, b), max(a, b)
    assert schedule.working_between(a, b) == oracle_between(schedule, a, b)
    assert schedule.working_between(b, a) == -oracle_between(schedule, a, b)


@PROPERTY
@given(schedules, instants, durations)
def test_due_lies_in_a_session_or_at_its_end(schedule: WorkSchedule, start: datetime, d: timedelta) -> None:
    due = schedule.add_working(start, d)
    assert due >= start
    assert schedule.is_working_time(due) or schedule.is_working_time(due - ONE_US)
    if d > timedelta(0):
        # Never at the start of a session: the instant just before is working time.
        assert schedule.is_working_time(due - ONE_US)


@PROPERTY
@given(schedules, instants, positive_durations, durations)
def test_add_is_associative(schedule: WorkSchedule, s: datetime, a: timedelta, b: timedelta) -> None:
    assert schedule.add_working(schedule.add_working(s, a), b) == schedule.add_working(s, a + b)


@PROPERTY
@given(schedules, instants, durations)
def test_working_between_inverts_add(schedule: WorkSchedule, s: datetime, d: timedelta) -> None:
    assert schedule.working_between(s, schedule.add_working(s, d)) == d


@PROPERTY
@given(schedules, instants, instants, durations)
def test_add_is_monotonic(schedule: WorkSchedule, s1: datetime, s2: datetime, d: timedelta) -> None:
    s1, s2 = min(s1, s2), max(s1, s2)
    assert schedule.add_working(s1, d) <= schedule.add_working(s2, d)


@PROPERTY
@given(schedules, instants, instants, instants)
def test_working_between_is_additive(schedule: WorkSchedule, a: datetime, b: datetime, c: datetime) -> None:
    assert schedule.working_between(a, b) + schedule.working_between(b, c) == schedule.working_between(a, c)


@PROPERTY
@given(schedules, instants)
def test_next_working_instant(schedule: WorkSchedule, t: datetime) -> None:
    nxt = schedule.next_working_instant(t)
    assert nxt >= t
    assert schedule.is_working_time(nxt)
    assert schedule.working_between(t, nxt) == timedelta(0)
    assert (nxt == t) == schedule.is_working_time(t)


@PROPERTY
@given(
    schedules,
    instants,
    positive_durations,
    st.lists(st.tuples(st.integers(0, 20 * 24 * 60), st.integers(0, 10 * 24 * 60)), max_size=3),
    st.sampled_from(["resume", "restart"]),
)
def test_pausing_never_shortens_a_deadline(
    schedule: WorkSchedule, start: datetime, d: timedelta, gaps: list[tuple[int, int]], mode: str
) -> None:
    pauses = []
    cursor = start
    for wait, length in gaps:
        begin = cursor + timedelta(minutes=wait)
        cursor = begin + timedelta(minutes=length)
        pauses.append((begin, cursor))
    due = schedule.due_with_pauses(start, d, pauses, mode)
    assert due >= schedule.add_working(start, d)
    if mode == "resume":
        assert due <= schedule.due_with_pauses(start, d, pauses, "restart")
        # Exactly the paused working time that fell before the due is added.
        paused = sum(
            (schedule.working_between(a, min(b, due)) for a, b in pauses if a < due),
            timedelta(0),
        )
        assert schedule.working_between(start, due) == d + paused


@PROPERTY
@given(
    st.integers(min_value=0, max_value=365 * 480),
    st.lists(st.integers(min_value=0, max_value=20), min_size=1, max_size=12).filter(any),
)
def test_split_budget_sums_to_the_total(total_minutes: int, weights: list[int]) -> None:
    budgets = split_budget(timedelta(minutes=total_minutes), weights)
    assert sum(budgets) == total_minutes
    assert all(b >= 0 for b in budgets)
    assert all(b == 0 for b, w in zip(budgets, weights, strict=True) if w == 0)
    if total_minutes >= len(weights):
        assert all(b > 0 for b, w in zip(budgets, weights, strict=True) if w > 0)


@PROPERTY
@given(
    schedules,
    instants,
    st.integers(min_value=0, max_value=30 * 4).map(lambda quarters: timedelta(hours=2 * quarters)),
    st.sampled_from(["direct", "postal", "online"]),
    st.booleans(),
)
def test_appointment_is_never_earlier_than_the_arithmetic(
    schedule: WorkSchedule, received: datetime, d: timedelta, channel: str, same_day: bool
) -> None:
    slip = schedule.appointment(received, d, channel, same_day=same_day)
    assert slip.clock_start == schedule.clock_start(received)
    assert slip.due_at >= schedule.add_working(slip.clock_start, d)
    assert received <= slip.clock_start <= slip.handover_at <= slip.due_at
    # Every due lies at the end of working time; a zero legal time is a same-day procedure.
    assert schedule.is_working_time(slip.due_at - ONE_US)
    if d == timedelta(0):
        assert slip.same_day and slip.due_at.date() >= slip.clock_start.date()
    for skipped in slip.skipped:
        assert not schedule.calendar.is_working_day(skipped.date)
        assert slip.clock_start.date() < skipped.date < slip.due_at.date()
