"""Benchmark of the working-time engine (motcua.workdays) against a day-by-day walk.

Computes 1,000,000 due instants (aware datetime in → aware datetime out) for random reception
instants over 2024–2026 and random durations of 0.5–30 working days, with the fast path used
by ``add_working`` (``Timeline.add``: bisect over precomputed integer sessions). The same run
measures a plain day-by-day walking implementation on a smaller sample, checks that both agree
on every instant of that sample, and prints the speed-up.

Run: ``.venv/bin/python bench/workdays_bench.py`` (options: --n, --baseline-n, --repeat, --seed,
--profile).
Target: < 2 s for 1,000,000 (about 2 µs each) and at least 10x the baseline.
"""

from __future__ import annotations

import argparse
import gc
import platform
import random
import sys
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from motcua.workdays import VN_TZ, WorkSchedule, get_schedule
from motcua.workdays.units import WORKING_DAY_US

ONE_US = timedelta(microseconds=1)


def walking_add(schedule: WorkSchedule, start: datetime, duration_us: int) -> datetime:
    """The baseline: walk day by day, session by session, with datetime arithmetic.

    Same rule as the engine (the earliest instant in a closed session at which the working
    time has elapsed), written the way a first implementation usually is."""
    start = start.astimezone(VN_TZ)
    remaining = ONE_US * duration_us
    day = start.date()
    while True:
        if schedule.calendar.is_working_day(day):
            for session in schedule.hours.sessions_on(day):
                begin = datetime.combine(day, session.start, tzinfo=VN_TZ)
                end = datetime.combine(day, session.end, tzinfo=VN_TZ)
                if end < start:
                    continue
                begin = max(begin, start)
                if remaining <= end - begin:
                    return begin + remaining
                remaining -= end - begin
        day += timedelta(days=1)


def make_inputs(n: int, seed: int) -> tuple[list[datetime], list[int]]:
    rng = random.Random(seed)
    first = datetime(2024, 1, 1, tzinfo=VN_TZ)
    span_minutes = int((datetime(2027, 1, 1, tzinfo=VN_TZ) - first).total_seconds() // 60)
    received = [
        first + timedelta(minutes=rng.randrange(span_minutes), seconds=rng.randrange(60)) for _ in range(n)
    ]
    durations = [round(rng.uniform(0.5, 30.0) * WORKING_DAY_US) for _ in range(n)]
    return received, durations


def timed(function: Callable[[datetime, int], datetime], received: list[datetime], durations: list[int]):
    # gc off while timing, as timeit does: the loop allocates only short-lived objects.
    gc.collect()
    gc.disable()
    try:
        started = time.perf_counter()
        results = list(map(function, received, durations))
        elapsed = time.perf_counter() - started
    finally:
        gc.enable()
    return elapsed, results


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="due instants for the engine")
    parser.add_argument("--baseline-n", type=int, default=20_000, help="due instants for the baseline")
    parser.add_argument("--seed", type=int, default=20251117)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of the engine; the best counts")
    parser.add_argument("--profile", default="default", help="office-hours profile code")
    return parser


def run(quick: bool, dataset=None) -> list[dict]:
    """For bench/run.py: the figures as rows (quick: 200,000 instants, one run)."""
    argv = ["--n", "200000", "--baseline-n", "5000", "--repeat", "1"] if quick else []
    return bench(parser().parse_args(argv))


def main() -> int:
    rows = bench(parser().parse_args())
    return 0 if all(r["pass"] is not False for r in rows) else 1


def bench(args) -> list[dict]:
    from bench.common import row

    schedule = get_schedule(args.profile)
    timeline = schedule.timeline
    started = time.perf_counter()
    timeline.ensure_years(2023, 2029)  # the precomputation a server does once
    build_s = time.perf_counter() - started
    received, durations = make_inputs(args.n, args.seed)

    print(f"Python {platform.python_version()} on {platform.machine()}, profile '{args.profile}'")
    print(f"Timeline precomputation 2023–2029: {build_s * 1000:.1f} ms")

    # Warm-up (also builds caches), then the measured runs; the best run is the figure (as
    # timeit does: slower runs measure other processes on the machine, not the code).
    timed(timeline.add, received[:10_000], durations[:10_000])
    runs = [timed(timeline.add, received, durations) for _ in range(args.repeat)]
    fast_s, fast_results = min(runs, key=lambda run: run[0])
    fast_us = fast_s / args.n * 1e6
    all_runs = ", ".join(f"{run[0]:.3f}" for run in runs)
    print(
        f"Engine   Timeline.add        : {args.n:>9,} due instants in {fast_s:7.3f} s = {fast_us:6.2f} µs/op"
        f"  (best of {args.repeat}: {all_runs} s)"
    )

    public_n = min(args.n, 200_000)
    public_s, _ = timed(
        lambda start, d: schedule.add_working(start, ONE_US * d), received[:public_n], durations[:public_n]
    )
    print(
        f"Engine   add_working (public): {public_n:>9,} due instants in {public_s:7.3f} s "
        f"= {public_s / public_n * 1e6:6.2f} µs/op"
    )

    slip_n = min(args.n, 20_000)
    channels = ["direct", "postal", "online"]
    slip_s, _ = timed(
        lambda start, d: schedule.appointment(start, ONE_US * d, channels[d % 3]),
        received[:slip_n],
        durations[:slip_n],
    )
    print(
        f"Engine   appointment() slip  : {slip_n:>9,} receipts      in {slip_s:7.3f} s "
        f"= {slip_s / slip_n * 1e6:6.2f} µs/op (with skipped days and notes)"
    )

    base_n = min(args.n, args.baseline_n)
    base_runs = [
        timed(lambda start, d: walking_add(schedule, start, d), received[:base_n], durations[:base_n])
        for _ in range(args.repeat)
    ]
    base_s, base_results = min(base_runs, key=lambda run: run[0])
    base_us = base_s / base_n * 1e6
    print(
        f"Baseline day-by-day walk     : {base_n:>9,} due instants in {base_s:7.3f} s = {base_us:6.2f} µs/op"
        f"  (best of {args.repeat})"
    )

    mismatches = sum(a != b for a, b in zip(fast_results[:base_n], base_results, strict=True))
    ratio = base_us / fast_us
    print()
    print(f"Speed-up over the baseline   : {ratio:,.1f}x")
    print(f"1,000,000 due instants would take {fast_us:.2f} s (target < 2 s)")
    print(f"Agreement with the baseline  : {base_n - mismatches:,}/{base_n:,} identical due instants")
    ok = mismatches == 0 and fast_us < 2.0 and ratio >= 10
    print("RESULT: OK" if ok else "RESULT: BELOW TARGET")
    return [
        row("workdays: due instant (Timeline.add) vs day-by-day walk", fast_us, "µs/op", baseline=base_us,
            target="< 2 µs/op, ratio ≤ 0.1, all agree", ok=ok),
        row("workdays: appointment() receipt slip", slip_s / slip_n * 1e6, "µs/op"),
    ]


if __name__ == "__main__":
    raise SystemExit(main())
