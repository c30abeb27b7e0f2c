"""Benchmark of catalog search (motcua.catalog.selectors.search_versions) with 5,000 procedures.

Builds a throwaway database — a temporary SQLite file by default, or with --pg a scratch
PostgreSQL database `motcua_bench` on 127.0.0.1 that is dropped afterwards — migrates it, loads the
demo organisation and generates N procedures (each a version in force with a case, two components
and a fee on one in four). Then it times what the public listing and the API do per request:
the count plus the first page of 25, for a mix of diacritic-free words, codes and filters.

Run: ``.venv/bin/python bench/catalog_bench.py`` (options: --n 5000, --queries 400, --pg).
Target: p95 < 50 ms per search.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WORDS = ["Cấp", "giấy phép", "đăng ký", "thẩm định", "công nhận", "xác nhận", "tuyển dụng", "thành lập", "giải thể",
         "hội", "quỹ", "lưu trữ", "tôn giáo", "thi đua", "khen thưởng", "người có công", "việc làm", "thanh niên",
         "trợ cấp", "lao động", "đơn vị sự nghiệp", "tín ngưỡng", "điều lệ", "danh hiệu", "chứng chỉ"]
QUERIES = ["thi dua", "luu tru", "giay phep lao dong", "ton giao", "1.0123", "xac nhan", "hoi", "tro cap",
           "THANH LẬP", "cong nhan danh hieu", "khong co tu nay"]


def setup_database(pg: bool) -> tuple[str, Callable[[], None]]:
    if pg:
        import psycopg

        admin = "postgresql://postgres@127.0.0.1:5432/postgres"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS motcua_bench")
            conn.execute("CREATE DATABASE motcua_bench")

        def drop():
            from django.db import connections

            connections.close_all()
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute("DROP DATABASE IF EXISTS motcua_bench")

        return "postgres://postgres@127.0.0.1:5432/motcua_bench", drop
    folder = tempfile.mkdtemp(prefix="motcua-bench-")
    path = Path(folder) / "catalog.sqlite3"

    def remove():
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        Path(folder).rmdir()

    return f"sqlite:///{path}", remove


def generate(n: int, rng: random.Random) -> None:
    from motcua.catalog.models import (
        Component,
        Fee,
        Field,
        Procedure,
        ProcedureCase,
        ProcedureVersion,
        PublicationDecision,
    )
    from motcua.lib.text import fold
    from motcua.org.models import Unit

    agencies = list(Unit.objects.filter(kind__in=["agency", "commune"]))
    fields = [Field.objects.create(code=f"F{i:02d}", name=name) for i, name in enumerate(
        ["Thi đua, khen thưởng", "Công chức, viên chức", "Văn thư, lưu trữ", "Tôn giáo", "Hội, quỹ",
         "Việc làm", "Người có công", "Công tác thanh niên", "Tổ chức hành chính", "Chính quyền địa phương"])]
    import datetime as dt

    decision = PublicationDecision.objects.create(number="BENCH/QĐ", signed_on=dt.date(2025, 1, 2), signer="Bench",
                                                  effective_from=dt.date(2025, 1, 2))
    procedures = Procedure.objects.bulk_create([Procedure(code=f"1.{100000 + i:06d}") for i in range(n)])
    versions = []
    for procedure in procedures:
        field, agency = rng.choice(fields), rng.choice(agencies)
        name = " ".join(rng.sample(WORDS, 4)).capitalize()
        has_fee = rng.random() < 0.25
        versions.append(ProcedureVersion(
            procedure=procedure, decision=decision, kind="new", effective_from=decision.effective_from, name=name,
            field=field, level="commune" if agency.kind == "commune" else "province", agency=agency,
            online_level=rng.choice(["full", "partial", "offline"]), has_fee=has_fee,
            search_text=fold(f"{procedure.code} {name} {field.name} {agency.name} {agency.short_name}"),
        ))
    versions = ProcedureVersion.objects.bulk_create(versions, batch_size=500)
    cases = ProcedureCase.objects.bulk_create(
        [ProcedureCase(version=v, name="", processing_time=rng.choice([1, 3, 5, 10, 15, 20])) for v in versions],
        batch_size=500)
    Component.objects.bulk_create([Component(case=c, order=i, name=f"Giấy tờ {i}", originals=1)
                                   for c in cases for i in (1, 2)], batch_size=1000)
    Fee.objects.bulk_create([Fee(case=c, name="Phí thẩm định", amount=500000)
                             for c, v in zip(cases, versions, strict=True) if v.has_fee], batch_size=1000)


def bench(args) -> list[dict]:
    from bench.common import row

    url, cleanup = setup_database(args.pg)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    import django

    django.setup()
    try:
        from django.core.management import call_command
        from django.db import connection

        from motcua.catalog.selectors import search_versions
        from motcua.org import demo as org_demo

        call_command("migrate", verbosity=0)
        org_demo.load()
        t0 = time.perf_counter()
        rng = random.Random(args.seed)
        generate(args.n, rng)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        built = time.perf_counter() - t0
        agencies = ["", "", "000.00.12.H27", "000.00.52.H27"]
        cases = []
        for _ in range(args.queries):
            cases.append({"q": rng.choice([*QUERIES, ""]), "field": rng.choice(["", "", "F01", "F03"]),
                          "agency": rng.choice(agencies), "online_level": rng.choice(["", "", "full"]),
                          "has_fee": rng.choice([None, None, True])})
        for params in cases[:20]:  # warm-up
            qs = search_versions(**params)
            qs.count()
            list(qs[:25])
        timings = []
        hits = 0
        for params in cases:
            start = time.perf_counter()
            qs = search_versions(**params)
            total = qs.count()
            page = list(qs[:25])
            timings.append((time.perf_counter() - start) * 1000)
            hits += total > 0 and len(page) > 0
        timings.sort()
        p50 = statistics.median(timings)
        p95 = timings[int(len(timings) * 0.95) - 1]
        ok = p95 < 50
        print(f"catalog search on {connection.vendor} ({connection.settings_dict['NAME']}), {args.n} procedures "
              f"(generated in {built:.1f} s), {len(timings)} searches ({hits} with results):")
        print(f"  p50 {p50:.2f} ms   p95 {p95:.2f} ms   max {timings[-1]:.2f} ms   (target p95 < 50 ms)")
        print(f"RESULT: {'OK' if ok else 'TOO SLOW'}")
        return [row(f"catalog search p95, {args.n:,} procedures, {connection.vendor}", p95, "ms",
                    target="< 50 ms", ok=ok)]
    finally:
        cleanup()


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=5000)
    parser.add_argument("--queries", type=int, default=400)
    parser.add_argument("--seed", type=int, default=20251128)
    parser.add_argument("--pg", action="store_true", help="use a scratch PostgreSQL database instead of SQLite")
    parser.add_argument("--rows-json", default="", help="also write the result rows to this file")
    return parser


def run(quick: bool, dataset=None) -> list[dict]:
    """For bench/run.py: SQLite and PostgreSQL, each in a process of its own (Django settings)."""
    import json
    import subprocess

    rows = []
    for backend in ([], ["--pg"]):
        with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
            out = Path(handle.name)
        argv = [sys.executable, __file__, *backend, "--rows-json", str(out)]
        if quick:
            argv += ["--queries", "100"]
        subprocess.run(argv, cwd=ROOT, check=False)
        rows += json.loads(out.read_text() or "[]") if out.stat().st_size else []
        out.unlink(missing_ok=True)
    return rows


def main() -> int:
    args = parser().parse_args()
    rows = bench(args)
    if args.rows_json:
        import json

        Path(args.rows_json).write_text(json.dumps(rows, ensure_ascii=False))
    return 0 if all(r["pass"] is not False for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
