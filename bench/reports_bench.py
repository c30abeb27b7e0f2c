"""Benchmark of the results table (Biểu II.06a) on PostgreSQL against a hand-written SQL aggregate.

In `make bench` (bench/run.py calls `run(quick, dataset)`): on the generated province (`bench/generate.py`,
dossiers of 2022–2025), for the statutory quarter IV/2025 and the KPI dashboard of 2025.

Standalone (``.venv/bin/python bench/reports_bench.py``): creates a scratch PostgreSQL database
`motcua_bench_reports` on 127.0.0.1 (dropped afterwards), migrates it, loads the demo organisation and
catalog, and writes N dossiers (1,000,000 by default) with COPY: received over three years at every agency
of the demo catalog, a quarter online, most resolved some days later (some late), some returned, waiting
for a supplement (with its round) or stopped; statutory quarter III/2026 and the KPI dashboard of 2026.

Then, in the same run and alternating which goes first:

1. ORM: `motcua.reports.results.results_table` for the quarter for the whole province, grouped by field
   (one GROUP BY query with Count(filter=…) per column + the labels);
2. SQL: the same 11 counts per field written by hand (COUNT(*) FILTER …) through psycopg.

Both run with JIT off (the ORM's report aggregates set it per transaction; the SQL connection per
session), and both answers are compared (they must be equal). It also times the same table for a
province-level control officer (scoped through visible_units) and the KPI dashboard for the year as
that officer. Targets: table < 0.5 s and ≤ 1.5 × the SQL; KPI dashboard < 1 s (exit status 1 otherwise).

Options of the standalone run: --n 1000000, --repeat 5, --keep, --reuse.
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

DB_NAME = "motcua_bench_reports"
ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
DB_URL = f"postgresql://postgres@127.0.0.1:5432/{DB_NAME}"
VN = ZoneInfo("Asia/Ho_Chi_Minh")
TARGET_SECONDS = 0.5
TARGET_RATIO = 1.5
TARGET_KPI_SECONDS = 1.0
# The ratio target counts from this many dossiers: below, both sides take a few ms and the ORM's fixed
# cost (its transaction, SET LOCAL, the labels query) is most of the ratio.
RATIO_FROM = 100_000


def create_database(reuse: bool) -> bool:
    """True when a fresh database was created (it then needs migrating and filling)."""
    import psycopg

    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]).fetchone()
        if exists and reuse:
            return False
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME}")
        conn.execute(f"CREATE DATABASE {DB_NAME}")
    return True


def drop_database() -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME}")


def fill(n: int, seed: int = 766) -> None:
    """N dossiers and their supplement rounds with COPY (text format, written in chunks)."""
    import psycopg
    from django.db.models import NOT_PROVIDED

    from motcua.catalog.models import ProcedureVersion
    from motcua.dossiers.models import Applicant, Dossier, SupplementRound
    from motcua.org.models import Unit

    rng = random.Random(seed)
    desk = Unit.objects.get(code="000.01.30.H27")
    applicant = Applicant.objects.create(kind="citizen", identifier="042087999999", name="Người nộp mẫu")
    versions = [(v.pk, v.cases.order_by("pk").values_list("pk", flat=True).first(), v.agency.agency().pk)
                for v in ProcedureVersion.objects.select_related("agency")]
    versions = [v for v in versions if v[1] is not None]
    fields = [f for f in Dossier._meta.concrete_fields if not f.primary_key]
    columns = [f.column for f in fields]
    fixed = {}
    for f in fields:
        if f.default is not NOT_PROVIDED and not callable(f.default):
            fixed[f.column] = str(f.default)
        elif f.null:
            fixed[f.column] = r"\N"
        else:
            fixed[f.column] = ""
    fixed.update({"desk_id": str(desk.pk), "applicant_id": str(applicant.pk), "applicant_kind": "citizen",
                  "applicant_identifier": applicant.identifier, "applicant_name": applicant.name,
                  "return_channel": "counter", "form_set": "tt03_2025", "sets_count": "1"})
    start = dt.datetime(2024, 1, 2, 8, 0, tzinfo=VN)
    now = dt.datetime(2026, 11, 27, 12, 0, tzinfo=VN)
    span = (now - start).total_seconds()
    rounds = []
    t0 = time.perf_counter()
    with psycopg.connect(DB_URL) as conn, conn.cursor() as cur:
        with cur.copy(f"COPY dossiers_dossier ({', '.join(columns)}) FROM STDIN") as copy:
            buffer = io.StringIO()
            for i in range(n):
                version_id, case_id, agency_id = versions[i % len(versions)]
                received = start + dt.timedelta(seconds=rng.random() * span)
                due = received + dt.timedelta(days=rng.choice((3, 7, 14, 21)))
                channel = "online" if rng.random() < 0.27 else ("postal" if rng.random() < 0.05 else "direct")
                roll = rng.random()
                resolved = returned = None
                if roll < 0.02:
                    status = "stopped"
                elif roll < 0.04:
                    status = "supplement_requested"
                    rounds.append((i, received + dt.timedelta(days=1)))
                else:
                    resolved = received + dt.timedelta(days=rng.uniform(0.5, 1.15) * (due - received).days)
                    if resolved > now:
                        status, resolved = "in_progress", None
                    elif rng.random() < 0.8:
                        status, returned = "returned", resolved + dt.timedelta(days=1)
                    else:
                        status = "resolved"
                row = dict(fixed)
                row.update({"code": f"B{i:09d}", "agency_id": str(agency_id), "handling_unit_id": str(agency_id),
                            "version_id": str(version_id), "case_id": str(case_id), "status": status,
                            "channel": channel, "submitted_at": received.isoformat(),
                            "received_at": received.isoformat(), "clock_start": received.isoformat(),
                            "due_at": due.isoformat(), "warn_at": due.isoformat(),
                            "resolved_at": resolved.isoformat() if resolved else r"\N",
                            "returned_at": returned.isoformat() if returned else r"\N",
                            "created_at": received.isoformat()})
                buffer.write("\t".join(row[c] for c in columns) + "\n")
                if i % 20000 == 19999:
                    copy.write(buffer.getvalue())
                    buffer = io.StringIO()
            copy.write(buffer.getvalue())
        conn.commit()
        ids = dict(cur.execute("SELECT code, id FROM dossiers_dossier WHERE status = 'supplement_requested'")
                   .fetchall())
        round_fields = [f for f in SupplementRound._meta.concrete_fields if not f.primary_key]
        round_columns = [f.column for f in round_fields]
        with cur.copy(f"COPY dossiers_supplementround ({', '.join(round_columns)}) FROM STDIN") as copy:
            for i, requested in rounds:
                values = {"dossier_id": str(ids[f"B{i:09d}"]), "number": f"YCBS-B{i:09d}",
                          "requested_at": requested.isoformat(), "requested_by_id": r"\N", "items": "[]",
                          "reason": "bench", "repeated": "f", "received_at": r"\N", "received_by_id": r"\N"}
                copy.write("\t".join(values[c] for c in round_columns) + "\n")
        conn.commit()
        cur.execute("ANALYZE")
    print(f"generated {n:,} dossiers (+{len(rounds):,} supplement rounds) with COPY in "
          f"{time.perf_counter() - t0:.0f} s")


SQL = """
WITH d AS (
  SELECT d.*, v.field_id,
         (d.resolved_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS r_day,
         (d.due_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS d_day
  FROM dossiers_dossier d JOIN catalog_procedureversion v ON v.id = d.version_id
  WHERE d.received_at < %(e)s AND (d.received_at >= %(s)s OR d.resolved_at IS NULL OR d.resolved_at >= %(s)s)
)
SELECT field_id,
  COUNT(*),
  COUNT(*) FILTER (WHERE received_at >= %(s)s AND channel = 'online'),
  COUNT(*) FILTER (WHERE received_at >= %(s)s AND channel <> 'online'),
  COUNT(*) FILTER (WHERE received_at < %(s)s),
  COUNT(*) FILTER (WHERE resolved_at < %(e)s),
  COUNT(*) FILTER (WHERE resolved_at < %(e)s AND due_at IS NOT NULL AND r_day < d_day),
  COUNT(*) FILTER (WHERE resolved_at < %(e)s AND (due_at IS NULL OR r_day = d_day)),
  COUNT(*) FILTER (WHERE resolved_at < %(e)s AND due_at IS NOT NULL AND r_day > d_day),
  COUNT(*) FILTER (WHERE resolved_at IS NULL OR resolved_at >= %(e)s),
  COUNT(*) FILTER (WHERE (resolved_at IS NULL OR resolved_at >= %(e)s) AND (due_at IS NULL OR due_at >= %(e)s
                   OR status = 'stopped' OR EXISTS (SELECT 1 FROM dossiers_supplementround r WHERE r.dossier_id = d.id
                   AND r.requested_at < %(e)s AND (r.received_at IS NULL OR r.received_at >= %(e)s)))),
  COUNT(*) FILTER (WHERE (resolved_at IS NULL OR resolved_at >= %(e)s) AND due_at < %(e)s AND status <> 'stopped'
                   AND NOT EXISTS (SELECT 1 FROM dossiers_supplementround r WHERE r.dossier_id = d.id
                   AND r.requested_at < %(e)s AND (r.received_at IS NULL OR r.received_at >= %(e)s)))
FROM d GROUP BY field_id
"""


def timed(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


def province_officer():
    """A TTHC control officer of the province (the one bench/http_bench.py logs in as)."""
    from motcua.org.models import Role, RoleAssignment, Unit, User

    officer, _ = User.objects.get_or_create(username="bench_kiemsoat_tinh",
                                            defaults={"full_name": "Kiểm soát TTHC tỉnh", "password": "!bench"})
    RoleAssignment.objects.get_or_create(user=officer, unit=Unit.objects.get(kind=Unit.Kind.PROVINCE),
                                         role=Role.CONTROL_OFFICER)
    return officer


def measure(url: str, period, kpi_year: int, repeat: int) -> dict:
    """Time the results table (ORM vs the hand-written SQL, interleaved), the scoped table and the KPI
    dashboard on the database Django is connected to (`url` for psycopg); print and return the figures.
    Both sides of the comparison run with JIT off: the ORM's report aggregates set it per transaction
    (`measures.aggregate_plan`), the SQL's connection sets it for its session."""
    import psycopg

    from motcua.org.models import User
    from motcua.reports.kpi import kpi_dashboard
    from motcua.reports.results import COLUMNS, results_table
    from motcua.reports.scope import report_dossiers

    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    officer = province_officer()
    params = {"s": period.start, "e": period.end}
    total = report_dossiers(admin).count()
    print(f"dossiers in {url.rsplit('/', 1)[1]}: {total:,}; period {period.title}; KPI year {kpi_year}", flush=True)

    def orm():
        return results_table(report_dossiers(admin), period)

    def orm_scoped():
        return results_table(report_dossiers(officer), period)

    conn = psycopg.connect(url.replace("postgres://", "postgresql://", 1), autocommit=True)
    conn.execute("SET jit = off")

    def sql():
        return conn.execute(SQL, params).fetchall()

    try:
        orm(), sql()  # warm caches on both sides
        orm_times, sql_times = [], []
        table = rows = None
        for k in range(repeat):
            for label, fn in ([("orm", orm), ("sql", sql)] if k % 2 == 0 else [("sql", sql), ("orm", orm)]):
                t = time.perf_counter()
                result = fn()
                (orm_times if label == "orm" else sql_times).append(time.perf_counter() - t)
                if label == "orm":
                    table = result
                else:
                    rows = result
    finally:
        conn.close()
    orm_s, sql_s = statistics.median(orm_times), statistics.median(sql_times)
    by_field = {r[0]: list(r[1:]) for r in rows}
    mine = {row.key: [row.values[c.key] for c in COLUMNS] for row in table.rows}
    agree = by_field == mine
    scoped_s, scoped = timed(orm_scoped, repeat)
    kpi_s, _ = timed(lambda: kpi_dashboard(report_dossiers(officer), kpi_year), max(1, repeat // 2 + 1))
    ratio = orm_s / sql_s
    print(f"results table, {period.title}, whole province, {len(table.rows)} fields "
          f"(median of {repeat}, interleaved):")
    print(f"  ORM results_table (admin, no scope filter):  {orm_s * 1000:7.0f} ms")
    print(f"  hand-written SQL aggregate (psycopg):        {sql_s * 1000:7.0f} ms   ratio {ratio:.2f}×")
    print(f"  ORM results_table (province control officer, scoped): {scoped_s * 1000:7.0f} ms")
    print(f"  KPI dashboard, year {kpi_year}, province control officer:  {kpi_s * 1000:7.0f} ms")
    print(f"  totals: {table.total.values}")
    print(f"  same numbers as the SQL: {agree}; scoped totals equal: {scoped.total.values == table.total.values}; "
          f"checks: {'ok' if not table.failures else table.failures}")
    print(f"targets: table < {TARGET_SECONDS} s and ≤ {TARGET_RATIO}× SQL (the ratio from {RATIO_FROM:,} dossiers); "
          f"KPI < {TARGET_KPI_SECONDS} s", flush=True)
    return {"orm_s": orm_s, "sql_s": sql_s, "ratio": ratio, "scoped_s": scoped_s, "kpi_s": kpi_s, "agree": agree,
            "scoped_equal": scoped.total.values == table.total.values, "failures": table.failures,
            "period": period.title, "kpi_year": kpi_year, "dossiers": total}


def ok_of(figures: dict) -> dict[str, bool]:
    ratio_ok = figures["ratio"] <= TARGET_RATIO or figures["dossiers"] < RATIO_FROM
    return {"table": figures["orm_s"] < TARGET_SECONDS and ratio_ok,
            "numbers": figures["agree"] and figures["scoped_equal"] and not figures["failures"],
            "kpi": figures["kpi_s"] < TARGET_KPI_SECONDS}


def standalone(args) -> int:
    """The script's own scratch database (`motcua_bench_reports`, its own COPY of --n dossiers)."""
    fresh = create_database(args.reuse)
    os.environ["DATABASE_URL"] = DB_URL.replace("postgresql://", "postgres://")
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    import django

    django.setup()
    try:
        from django.core.management import call_command

        from motcua.catalog import demo as catalog_demo
        from motcua.org import demo as org_demo
        from motcua.reports.periods import report_period

        if fresh:
            call_command("migrate", verbosity=0)
            org_demo.load()
            catalog_demo.load()
            fill(args.n)
        figures = measure(DB_URL, report_period("quarter", 2026, 3), 2026, args.repeat)
        ok = all(ok_of(figures).values())
        print(f"RESULT: {'OK' if ok else 'MISSED'}")
        return 0 if ok else 1
    finally:
        if not args.keep:
            drop_database()


def run(quick: bool, dataset=None) -> list[dict]:
    """For bench/run.py: the generated province (`bench/generate.py`, dossiers of 2022–2025) instead of this
    script's own COPY — the statutory quarter IV/2025 (15/09–14/12/2025) and the KPI dashboard of 2025."""
    from bench.common import row
    from bench.generate import ensure_dataset

    url = dataset.url if dataset else ensure_dataset(10_000 if quick else 1_000_000, 1)
    os.environ["DATABASE_URL"] = url
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    os.environ.setdefault("MOTCUA_VAR_DIR", str(Path("/tmp") / url.rsplit("/", 1)[1]))
    import django

    django.setup()
    from motcua.reports.periods import report_period

    f = measure(url, report_period("quarter", 2025, 4), 2025, 3 if quick else 7)
    ok = ok_of(f)
    ms = 1000.0
    full = f["dossiers"] >= RATIO_FROM
    return [
        row("reports: results table quarter IV/2025, province (results_table)", f["orm_s"] * ms, "ms",
            baseline=f["sql_s"] * ms, target=f"< {TARGET_SECONDS * ms:.0f} ms and ratio ≤ {TARGET_RATIO}"
            + ("" if full else " (ratio: 100,000+ dossiers)"),
            ok=ok["table"]),
        row("reports: results table, province control officer (scoped)", f["scoped_s"] * ms, "ms"),
        row("reports: results table = SQL aggregate, scoped = unscoped, column checks", int(ok["numbers"]), "",
            target="1", ok=ok["numbers"]),
        row(f"reports: KPI dashboard {f['kpi_year']}, province (kpi_dashboard)", f["kpi_s"] * ms, "ms",
            target=f"< {TARGET_KPI_SECONDS * ms:.0f} ms", ok=ok["kpi"]),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    parser.add_argument("--reuse", action="store_true", help="reuse a kept scratch database (no regeneration)")
    return standalone(parser.parse_args())


if __name__ == "__main__":
    sys.exit(main())
