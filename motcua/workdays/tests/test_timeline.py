"""The integer engine: lazy year ranges and the epoch conversions."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from motcua.workdays import DEFAULT_HOURS, VN_TZ, Timeline, default_calendar, parse_vn_datetime
from motcua.workdays.units import WORKING_DAY_US, from_us, to_us

p = parse_vn_datetime


def test_conversion_round_trip_is_exact() -> None:
    rng = random.Random(7)
    for _ in range(2000):
        instant = datetime(2000, 1, 1, tzinfo=VN_TZ) + timedelta(
            microseconds=rng.randrange(200 * 365 * 86400 * 10**6)
        )
        assert from_us(to_us(instant)) == instant
        utc_origin = datetime(1999, 12, 31, 17, tzinfo=UTC)  # 01/01/2000 00:00 in Vietnam
        assert to_us(instant) == (instant.astimezone(UTC) - utc_origin) // timedelta(microseconds=1)


def test_lazy_ranges_agree_with_a_wide_precomputation() -> None:
    calendar = default_calendar()
    wide = Timeline(calendar, DEFAULT_HOURS, 1998, 2104)
    rng = random.Random(11)
    for _ in range(25):
        narrow = Timeline(calendar, DEFAULT_HOURS, 2026, 2026)  # grows both ways on demand
        start = to_us(p("01/01/2000 00:00")) + rng.randrange(100 * 365 * 86400 * 10**6)
        other = start + rng.randrange(-8, 8) * 365 * 86400 * 10**6
        duration = rng.randrange(365 * WORKING_DAY_US)
        assert narrow.add_us(start, duration) == wide.add_us(start, duration)
        assert narrow.working_between_us(start, other) == wide.working_between_us(start, other)
        assert narrow.next_working_us(other) == wide.next_working_us(other)


def test_growing_keeps_results_consistent_within_one_timeline() -> None:
    timeline = Timeline(default_calendar(), DEFAULT_HOURS, 2026, 2026)
    early, late = to_us(p("17/11/2025 15:40")), to_us(p("02/01/2031 09:00"))
    first = timeline.working_between_us(early, late)
    timeline.ensure_years(2001, 2090)
    assert timeline.years == (2001, 2090)
    assert timeline.working_between_us(early, late) == first
    assert timeline.add_us(early, first) == timeline.add_us(late, 0)
