"""Work list and handoff with 1,000,000 dossiers on PostgreSQL (issue 6, Speed).

Creates a scratch database `motcua_bench_worklist` on 127.0.0.1 (dropped afterwards unless --keep),
migrates it, loads the demo organisation and catalog, adds specialists in the processing departments,
then writes --n dossiers (default 1,000,000) with COPY: received over two years, spread over the demo
procedures that have an internal process; about 78% returned or stopped (their step runs are not
generated), the rest open — received, in progress at a random step, waiting for a supplement, or
resolved at the desk — each with the StepRun row of its current step, assigned to one of the step
unit's specialists (15% left unassigned at the unit). ANALYZE, then:

1. the work list of one specialist through the page's selector `motcua.dossiers.worklists.worklist`
   (open steps assigned to them or unassigned at their unit, sorted by due, first page of 50, with the
   total and the late count): p50/p95 over --runs runs. Target p95 < 100 ms.
2. a handoff (`transitions.hand_on`, one transaction with history row and audit entry) on --runs
   different in-progress dossiers: median. Target < 10 ms.

Run: ``.venv/bin/python bench/worklist_bench.py`` (options: --n, --runs, --keep). Exit status 1 when a
target is missed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import random
import statistics
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DB_NAME = "motcua_bench_worklist"
ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
VN = ZoneInfo("Asia/Ho_Chi_Minh")
TARGET_LIST_P95_MS = 100
TARGET_HANDOFF_MEDIAN_MS = 10
SPECIALISTS_PER_UNIT = 12
NOW = dt.datetime(2025, 11, 17, 9, 0, tzinfo=VN)


def create_database() -> str:
    import psycopg

    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME}")
        conn.execute(f"CREATE DATABASE {DB_NAME}")
    return f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"


def drop_database() -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")


def text(value) -> str:
    """One COPY text-format field."""
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return str(value).replace("\\", "\\\\").replace("\t", " ").replace("\n", " ")


class Copier:
    """COPY rows into a model's table; columns the generator leaves out get the model default
    (or NULL / ''), so the bench keeps working when another engineer adds a column."""

    def __init__(self, model, given: list[str]):
        from django.db.models import NOT_PROVIDED

        self.table = model._meta.db_table
        fields = model._meta.concrete_fields
        self.columns = [f.column for f in fields]
        self.given = given
        self.fill = {}
        for f in fields:
            if f.column in given:
                continue
            if f.default is not NOT_PROVIDED:
                default = f.default() if callable(f.default) else f.default
                self.fill[f.column] = "{}" if isinstance(default, dict) else ("[]" if isinstance(default, list)
                                                                              else default)
            else:
                self.fill[f.column] = None if f.null else ""

    def copy(self, cursor, rows) -> int:
        n = 0
        quoted = ", ".join(f'"{c}"' for c in self.columns)
        with cursor.copy(f'COPY "{self.table}" ({quoted}) FROM STDIN') as copy:
            buffer = io.StringIO()
            for row in rows:
                values = dict(zip(self.given, row, strict=True))
                buffer.write("\t".join(text(values[c] if c in values else self.fill[c]) for c in self.columns))
                buffer.write("\n")
                n += 1
                if n % 20000 == 0:
                    copy.write(buffer.getvalue())
                    buffer = io.StringIO()
            copy.write(buffer.getvalue())
        return n


def setup_people(units) -> dict[int, list[int]]:
    """SPECIALISTS_PER_UNIT specialists in every unit that has a specialist step; ids by unit."""
    from motcua.org.models import Role, RoleAssignment, User

    by_unit: dict[int, list[int]] = {}
    for unit in units:
        ids = []
        for i in range(SPECIALISTS_PER_UNIT):
            user = User.objects.create_user(username=f"cv{unit.pk}_{i}", password=None,
                                            full_name=f"Chuyên viên {i} {unit.short_name or unit.name}"[:150])
            RoleAssignment.objects.create(user=user, unit=unit, role=Role.SPECIALIST)
            ids.append(user.pk)
        by_unit[unit.pk] = ids
    return by_unit


def generate(n: int, seed: int = 20251117) -> dict:
    from django.db import connection

    from motcua.catalog.models import ProcedureCase
    from motcua.dossiers.intake import WARN_REMAINING_SHARE, case_duration
    from motcua.dossiers.models import Applicant, Dossier, Status, StepRun
    from motcua.dossiers.transitions import step_minutes
    from motcua.org.calendar import schedule_for_unit
    from motcua.org.models import Unit

    rng = random.Random(seed)
    cases = [c for c in ProcedureCase.objects.select_related("version__agency", "process")
             if getattr(c, "process", None) is not None]
    plans = []
    for case in cases:
        steps = list(case.process.steps.select_related("unit").order_by("order"))
        if len(steps) >= 3:
            plans.append((case, steps, case.version.agency.agency()))
    step_units = {s.unit for _, steps, _ in plans for s in steps if s.role == "specialist"}
    people = setup_people(sorted(step_units, key=lambda u: u.pk))
    desk = Unit.objects.get(code="000.01.30.H27")
    schedule = schedule_for_unit(desk)
    # Reception instants: 2 years of working days, 07:30–17:00; appointments computed per (case, day).
    days = [NOW.date() - dt.timedelta(days=d) for d in range(1, 730)]
    days = [d for d in days if d.weekday() < 5]
    durations = {case.pk: case_duration(case) for case, _, _ in plans}
    statuses = ([Status.RETURNED] * 740 + [Status.STOPPED] * 40 + [Status.IN_PROGRESS] * 160
                + [Status.SUPPLEMENT_REQUESTED] * 20 + [Status.RECEIVED] * 15 + [Status.RESOLVED] * 25)
    applicants = 20000
    with connection.cursor() as cursor:
        raw = cursor.cursor
        Copier(Applicant, ["id", "kind", "identifier", "name", "search_text"]).copy(
            raw, ((i, "citizen", f"042087{i:06d}", f"Công dân {i}", f"cong dan {i}") for i in range(1, applicants + 1)))
        raw.execute(f"SELECT setval(pg_get_serial_sequence('{Applicant._meta.db_table}', 'id'), {applicants})")

        dossier_cols = ["id", "code", "agency_id", "desk_id", "handling_unit_id", "version_id", "case_id", "status",
                        "channel", "applicant_id", "applicant_kind", "applicant_identifier", "applicant_name",
                        "submitted_at", "received_at", "clock_start", "handover_at", "due_at", "warn_at",
                        "resolved_at", "returned_at", "current_step_id", "paused_since", "search_text", "created_at"]
        run_cols = ["id", "dossier_id", "step_id", "kind", "order", "description", "unit_id", "role", "assignee_id",
                    "budget_minutes", "counted", "received_at", "due_at", "result", "list_due", "paused_since"]
        runs: list[tuple] = []
        appointments: dict[tuple[int, dt.date], tuple] = {}
        seq_by_day: dict[tuple[int, dt.date], int] = {}
        counts = {"open": 0}

        def dossiers():
            run_id = 0
            for pk in range(1, n + 1):
                case, steps, agency = plans[rng.randrange(len(plans))]
                day = days[int(len(days) * rng.random() ** 1.6)]  # more of them recent
                received = dt.datetime.combine(day, dt.time(7, 30), tzinfo=VN) + dt.timedelta(
                    minutes=rng.randrange(0, 570))
                key = (case.pk, day)
                if key not in appointments:
                    a = schedule.appointment(dt.datetime.combine(day, dt.time(9, 0), tzinfo=VN), durations[case.pk],
                                             "direct")
                    warn = schedule.warning_instant(a.clock_start, durations[case.pk],
                                                    remaining_share=WARN_REMAINING_SHARE)
                    appointments[key] = (a.clock_start, a.handover_at, a.due_at, warn)
                clock_start, handover, due, warn = appointments[key]
                status = statuses[rng.randrange(len(statuses))]
                if day < (NOW - dt.timedelta(days=120)).date() and status not in {Status.RETURNED, Status.STOPPED}:
                    status = Status.RETURNED  # old dossiers are finished
                seq = seq_by_day[(agency.pk, day)] = seq_by_day.get((agency.pk, day), 0) + 1
                code = f"{agency.code}-{day:%y%m%d}-{seq:05d}"
                applicant = rng.randrange(1, applicants + 1)
                current = None
                paused = None
                resolved = received + dt.timedelta(days=10) if status in {Status.RESOLVED, Status.RETURNED} else None
                if status not in {Status.RETURNED, Status.STOPPED}:
                    counts["open"] += 1
                    if status == Status.RECEIVED:
                        step = steps[0]
                    elif status == Status.RESOLVED:
                        step = steps[-1]
                    else:
                        step = steps[rng.randrange(1, len(steps) - 1)]
                    run_id += 1
                    current = run_id
                    at = received + dt.timedelta(hours=rng.randrange(1, 200))
                    minutes = step_minutes(step, case.time_unit)
                    run_due = at + dt.timedelta(minutes=minutes * 3) if minutes and step.counted else None
                    assignee = None
                    if step.unit_id in people and rng.random() > 0.15:
                        assignee = rng.choice(people[step.unit_id])
                    if status == Status.SUPPLEMENT_REQUESTED:
                        paused = at + dt.timedelta(hours=2)
                    # list_due / paused_since: the open run's copies of its listing instant and clock stop.
                    runs.append((run_id, pk, step.pk, "process", step.order, step.description[:1000], step.unit_id,
                                 step.role, assignee, minutes, step.counted, at, run_due, "", run_due or due, paused))
                yield (pk, code, agency.pk, desk.pk, agency.pk, case.version_id, case.pk, status, "direct", applicant,
                       "citizen", f"042087{applicant:06d}", f"Công dân {applicant}", received, received, clock_start,
                       handover, due, warn, resolved, resolved if status == Status.RETURNED else None, current, paused,
                       f"cong dan {applicant} {code}", received)

        # FKs are DEFERRABLE INITIALLY DEFERRED: dossiers may point at step runs written just after.
        started = time.perf_counter()
        written = Copier(Dossier, dossier_cols).copy(raw, dossiers())
        Copier(StepRun, run_cols).copy(raw, iter(runs))
        raw.execute(f"SELECT setval(pg_get_serial_sequence('{Dossier._meta.db_table}', 'id'), {n})")
        raw.execute(f"SELECT setval(pg_get_serial_sequence('{StepRun._meta.db_table}', 'id'), {max(len(runs), 1)})")
        elapsed = time.perf_counter() - started
    return {"dossiers": written, "runs": len(runs), "open": counts["open"], "seconds": elapsed, "people": people}


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    args = parser.parse_args()

    os.environ["DATABASE_URL"] = create_database()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    os.environ.setdefault("MOTCUA_VAR_DIR", str(Path("/tmp") / DB_NAME))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    try:
        call_command("migrate", verbosity=0)
        from motcua.catalog import demo as catalog_demo
        from motcua.org import demo as org_demo

        org_demo.load()
        catalog_demo.load()
        with transaction.atomic():
            info = generate(args.n)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(f"generated {info['dossiers']:,} dossiers ({info['open']:,} open, {info['runs']:,} step runs) "
              f"in {info['seconds']:.0f} s", flush=True)
        return measure(info, args.runs)
    finally:
        if not args.keep:
            drop_database()


def measure(info: dict, runs: int) -> int:
    from django.db import connection
    from django.db.models import Count
    from django.test.utils import CaptureQueriesContext

    from motcua.dossiers import transitions as t
    from motcua.dossiers.models import Dossier, Status, StepRun
    from motcua.dossiers.worklists import worklist
    from motcua.org.models import User

    # The busiest specialist: the work list with the most rows.
    ids = [pk for people in info["people"].values() for pk in people]
    busiest = (StepRun.objects.filter(assignee_id__in=ids, finished_at__isnull=True).values("assignee_id")
               .annotate(n=Count("id")).order_by("-n").first())
    user = User.objects.get(pk=busiest["assignee_id"])
    first = worklist(user, now=NOW)
    print(f"specialist {user.username}: {first.total:,} open steps on the list ({first.counts['late']:,} late), "
          f"page of {len(first.items)}", flush=True)
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        listing = worklist(user, now=NOW)
        assert len(listing.items) == min(50, listing.total)
        timings.append((time.perf_counter() - started) * 1000)
    p50, p95 = pct(timings, 0.5), pct(timings, 0.95)
    print(f"work list (worklists.worklist, 50 rows + counts): p50 {p50:.1f} ms, p95 {p95:.1f} ms "
          f"(target p95 < {TARGET_LIST_P95_MS} ms)", flush=True)
    # The plan of every query the work list runs (page parts, counts, rows by key).
    with CaptureQueriesContext(connection) as queries:
        worklist(user, now=NOW)
    plans = []
    with connection.cursor() as cursor:
        for query in queries.captured_queries:
            if "dossiers_" in query["sql"]:
                cursor.execute(f"EXPLAIN {query['sql']}")
                plans.append("\n".join(r[0] for r in cursor.fetchall()))
    seq_scan = any("Seq Scan on dossiers_" in plan for plan in plans)
    print(f"work-list plans ({len(queries.captured_queries)} queries): "
          f"{'SEQUENTIAL SCAN of a dossiers table' if seq_scan else 'no sequential scan of the dossier or step-run table'}")

    # Handoffs: in-progress dossiers not at their last two steps, one handoff each.
    candidates = list(Dossier.objects.filter(status=Status.IN_PROGRESS, current_step__order__lte=3)
                      .values_list("pk", flat=True)[: runs * 2])
    random.Random(7).shuffle(candidates)
    actor = User.objects.get(username="lan")
    handoffs = []
    instant = NOW
    for pk in candidates[:runs]:
        dossier = Dossier.objects.get(pk=pk)
        instant += dt.timedelta(seconds=5)
        started = time.perf_counter()
        t.hand_on(dossier=dossier, acting_user=actor, at=instant)
        handoffs.append((time.perf_counter() - started) * 1000)
    median = statistics.median(handoffs)
    print(f"handoff (transitions.hand_on, {len(handoffs)} dossiers): median {median:.1f} ms, "
          f"p95 {pct(handoffs, 0.95):.1f} ms (target median < {TARGET_HANDOFF_MEDIAN_MS} ms)", flush=True)
    ok = p95 < TARGET_LIST_P95_MS and median < TARGET_HANDOFF_MEDIAN_MS and not seq_scan
    print("RESULT: OK" if ok else "RESULT: MISSED TARGET", flush=True)
    return 0 if ok else 1


def run(quick: bool, dataset=None) -> list[dict]:
    """For bench/run.py: `measure` on the generated province (bench/generate.py: its specialists are
    cv<unit>_<i> too) instead of this script's own dossiers; its printed figures become rows."""
    import contextlib
    import io
    import re

    from bench.common import row
    from bench.generate import ensure_dataset

    url = dataset.url if dataset else ensure_dataset(10_000 if quick else 1_000_000, 1)
    os.environ["DATABASE_URL"] = url
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    os.environ.setdefault("MOTCUA_VAR_DIR", str(Path("/tmp") / url.rsplit("/", 1)[1]))
    import django

    django.setup()
    from motcua.org.models import Role, RoleAssignment

    people: dict[int, list[int]] = {}
    for user_id, unit_id in (RoleAssignment.objects.filter(role=Role.SPECIALIST, user__username__startswith="cv")
                             .values_list("user_id", "unit_id").order_by("user_id")):
        people.setdefault(unit_id, []).append(user_id)

    class Tee(io.StringIO):
        def write(self, text):
            sys.__stdout__.write(text)
            return super().write(text)

    out = Tee()
    with contextlib.redirect_stdout(out):
        status = measure({"people": people}, 50 if quick else 200)
    text = out.getvalue()
    listing = re.search(r"work list .*?p50 ([\d.]+) ms, p95 ([\d.]+) ms", text)
    handoff = re.search(r"handoff .*?median ([\d.]+) ms", text)
    seq_scan = "SEQUENTIAL SCAN" in text
    rows = []
    if listing:
        rows += [row("worklist: work list (worklists.worklist) p50", float(listing.group(1)), "ms"),
                 row("worklist: work list (worklists.worklist) p95", float(listing.group(2)), "ms",
                     target=f"< {TARGET_LIST_P95_MS} ms", ok=float(listing.group(2)) < TARGET_LIST_P95_MS)]
    if handoff:
        rows.append(row("worklist: handoff (transitions.hand_on) median", float(handoff.group(1)), "ms",
                        target=f"< {TARGET_HANDOFF_MEDIAN_MS} ms",
                        ok=float(handoff.group(1)) < TARGET_HANDOFF_MEDIAN_MS))
    rows.append(row("worklist: plan without sequential scan of dossier tables", 0 if seq_scan else 1, "",
                    target="1", ok=not seq_scan))
    if not listing or not handoff:
        rows.append(row(f"worklist: measure exit status {status} (figures not found)", status, "", ok=False))
    return rows


if __name__ == "__main__":
    sys.exit(main())
