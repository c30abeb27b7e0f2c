"""The scale-out path, tried: the hot queries on the dossier table as it is and on a copy partitioned
by year of reception (PostgreSQL declarative partitioning, RANGE on received_at).

    .venv/bin/python bench/scaleout.py --size 10000000     # not part of make bench
    .venv/bin/python bench/scaleout.py --size 1000000 --repeat 5

On the generated dataset (`bench/generate.py`, made if missing), builds `dossiers_dossier_byyear`: the
same columns, one partition per year 2022–2026 and a default one, every index of the dossier table
re-created on the partitioned parent (unique ones become plain: a unique index on a partitioned table
must contain the partition key), then ANALYZE. Then it times, on both tables (median of --repeat,
alternating which goes first), the queries the application runs — captured from the real code and
re-pointed at the partitioned copy by renaming the table:

- the quarterly results table (`reports.results.results_table`, quarter III/2025, whole province),
  and the hand-written SQL aggregate of bench/reports_bench.py when that file is there;
- the work list of the busiest specialist (every query `dossiers.worklists.worklist` runs);
- the tracking book for one month (`dossiers.book.book_dossiers`, first page);
- the lookup of one dossier by code.

For each it prints both medians, the ratio (partitioned / plain) and how many partitions the plan of
the partitioned query touches; the figures go to bench/results/scaleout-<size>-<timestamp>.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import os
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PART = "dossiers_dossier_byyear"
YEARS = range(2022, 2027)


def build_partitioned(cursor) -> float:
    """(Re)build the partitioned copy; returns the seconds it took."""
    started = time.perf_counter()
    cursor.execute(f"DROP TABLE IF EXISTS {PART} CASCADE")
    cursor.execute(f"CREATE TABLE {PART} (LIKE dossiers_dossier INCLUDING DEFAULTS INCLUDING CONSTRAINTS) "
                   "PARTITION BY RANGE (received_at)")
    for year in YEARS:
        cursor.execute(f"CREATE TABLE {PART}_y{year} PARTITION OF {PART} FOR VALUES FROM "
                       f"('{year}-01-01 00:00+07') TO ('{year + 1}-01-01 00:00+07')")
    cursor.execute(f"CREATE TABLE {PART}_other PARTITION OF {PART} DEFAULT")
    cursor.execute(f"INSERT INTO {PART} SELECT * FROM dossiers_dossier")
    cursor.execute("SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index "
                   "WHERE indrelid = 'dossiers_dossier'::regclass")
    for name, ddl in cursor.fetchall():
        ddl = ddl.replace("CREATE UNIQUE INDEX", "CREATE INDEX")
        ddl = ddl.replace(f"INDEX {name} ON", f"INDEX {name.replace('dossiers_dossier', 'byyear')}_p ON")
        ddl = re.sub(r" ON (public\.)?dossiers_dossier ", f" ON {PART} ", ddl)
        cursor.execute(ddl)
    cursor.execute(f"VACUUM (ANALYZE) {PART}")
    return time.perf_counter() - started


def repoint(sql: str) -> str:
    return sql.replace('"dossiers_dossier"', f'"{PART}"').replace(" dossiers_dossier ", f" {PART} ")


def partitions_in(plan: str) -> int:
    return len(set(re.findall(rf"on {PART}_(\w+)", plan)))


def run_queries(cursor, queries: list[str]) -> float:
    started = time.perf_counter()
    for sql in queries:
        cursor.execute(sql)
        cursor.fetchall()
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--rebuild", action="store_true", help="rebuild the partitioned copy even if present")
    args = parser.parse_args()

    from bench.generate import ensure_dataset

    url = ensure_dataset(args.size, args.seed)
    os.environ["DATABASE_URL"] = url
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    os.environ.setdefault("MOTCUA_VAR_DIR", f"/tmp/{url.rsplit('/', 1)[1]}")
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Count
    from django.test.utils import CaptureQueriesContext

    from motcua.dossiers.book import BookFilter, book_dossiers
    from motcua.dossiers.models import Dossier, StepRun
    from motcua.dossiers.worklists import worklist
    from motcua.org.models import User
    from motcua.reports.periods import report_period
    from motcua.reports.results import results_table

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM dossiers_dossier")
        total = cursor.fetchone()[0]
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [PART])
        present = cursor.fetchone()[0]
        if present:
            cursor.execute(f"SELECT count(*) FROM {PART}")
            present = cursor.fetchone()[0] == total
        build_s = None
        if args.rebuild or not present:
            print(f"building {PART} from {total:,} dossiers …", flush=True)
            connection.set_autocommit(True)
            build_s = build_partitioned(cursor)
            print(f"  built in {build_s:.0f} s", flush=True)
        cursor.execute("SELECT c.relname, c.reltuples::bigint FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                       "WHERE i.inhparent = %s::regclass ORDER BY 1", [PART])
        sizes = cursor.fetchall()
    print("partitions: " + ", ".join(f"{name.removeprefix(PART + '_')} {rows:,}" for name, rows in sizes))

    def captured(fn) -> list[str]:
        with CaptureQueriesContext(connection) as queries:
            fn()
        return [q["sql"] for q in queries.captured_queries if "dossiers_dossier" in q["sql"]]

    period = report_period("quarter", 2025, 3)
    busiest = (StepRun.objects.filter(finished_at__isnull=True, assignee__isnull=False).values("assignee_id")
               .annotate(n=Count("id")).order_by("-n", "assignee_id").first())
    specialist = User.objects.get(pk=busiest["assignee_id"])
    control = User.objects.get(username="admin")
    code = Dossier.objects.filter(pk=total // 2).values_list("code", flat=True).first()
    cases = {
        "quarterly results table (ORM, Q3/2025)": captured(lambda: results_table(Dossier.objects.all(), period)),
        f"work list ({specialist.username}, {busiest['n']} open steps)": captured(lambda: worklist(specialist)),
        "tracking book, one month (first page)": captured(lambda: list(book_dossiers(
            control, BookFilter(date_from=dt.date(2025, 3, 1), date_to=dt.date(2025, 3, 31)))[:50])),
        "lookup by code": captured(lambda: list(Dossier.objects.filter(code=code))),
    }
    reports_bench = ROOT / "bench" / "reports_bench.py"
    if reports_bench.exists():
        spec = importlib.util.spec_from_file_location("reports_bench", reports_bench)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        if hasattr(module, "SQL"):
            with connection.cursor() as cursor:
                sql = cursor.mogrify(module.SQL, {"s": period.start, "e": period.end}) \
                    if hasattr(cursor, "mogrify") else None
            if sql is None:
                import psycopg

                with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as raw:
                    sql = psycopg.ClientCursor(raw).mogrify(module.SQL, {"s": period.start, "e": period.end})
            cases["quarterly results, hand-written SQL aggregate"] = [sql]

    rows = []
    with connection.cursor() as cursor:
        for label, queries in cases.items():
            parted = [repoint(q) for q in queries]
            run_queries(cursor, queries)
            run_queries(cursor, parted)  # warm both
            plain_t, part_t = [], []
            for k in range(args.repeat):
                order = [(queries, plain_t), (parted, part_t)]
                for sqls, sink in (order if k % 2 == 0 else order[::-1]):
                    sink.append(run_queries(cursor, sqls))
            touched = 0
            for q in parted:
                cursor.execute(f"EXPLAIN {q}")
                touched = max(touched, partitions_in("\n".join(r[0] for r in cursor.fetchall())))
            plain_ms, part_ms = statistics.median(plain_t) * 1000, statistics.median(part_t) * 1000
            rows.append({"query": label, "queries": len(queries), "plain_ms": round(plain_ms, 1),
                         "partitioned_ms": round(part_ms, 1), "ratio": round(part_ms / plain_ms, 2),
                         "partitions_in_plan": touched})
            print(f"  {label:<55} plain {plain_ms:9.1f} ms   by year {part_ms:9.1f} ms   "
                  f"× {part_ms / plain_ms:5.2f}   partitions in plan {touched}/{len(sizes)}", flush=True)
    out = ROOT / "bench" / "results" / f"scaleout-{args.size}-{dt.datetime.now(dt.UTC):%Y%m%d-%H%M%S}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"dataset_size": total, "load": os.getloadavg(), "build_s": build_s,
                               "partitions": sizes, "rows": rows}, ensure_ascii=False, indent=1) + "\n")
    print(f"written to {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
