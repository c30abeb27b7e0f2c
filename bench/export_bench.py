"""Benchmark of the background ad-hoc export: 1,000,000 dossiers to XLSX and to CSV through the task.

Each figure comes from a process of its own (peak memory is the process's VmHWM from /proc), on the
generated dataset (`bench/generate.py`, `ensure_dataset`):

1. baseline: the same SELECT the export runs (`exports.adhoc_rows`' columns and order), read through a
   psycopg server-side cursor and written with `csv.writer` to a file — no labels, no date formatting,
   no progress, no storage: the plain way to dump the rows;
2. CSV and 3. XLSX: an `ExportJob` run by the real task (`reports.tasks.run_export_job.call`): count,
   rows streamed with `.iterator(chunk_size=2000)`, progress written every 5,000 rows, the CSV or the
   write-only workbook in a temporary file, moved into storage, job marked done. The file is then
   checked (CSV lines / `<row` elements of the sheet = rows + header/title/total lines) and deleted.

Two departures from a request made on the page, both stated: the queryset is every dossier of the
dataset (the page refuses periods longer than a year, and the generated years hold about 300,000
each), and each child runs inside a transaction rolled back at the end with the job's three audit
entries skipped, so the shared dataset gets no job or audit rows — inside a transaction the server-side cursor streams instead of being materialised
WITH HOLD as in the worker's autocommit; Python's memory is the same either way.
Target: peak RSS < 300 MB for the 1,000,000-row XLSX (and the CSV).

    .venv/bin/python bench/export_bench.py            # 1,000,000 rows
    .venv/bin/python bench/export_bench.py --quick    # 10,000-dossier dataset
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_MB = 300


def _mb(kind: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(kind + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def _setup(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    os.environ["MOTCUA_VAR_DIR"] = str(Path(tempfile.gettempdir()) / "motcua_export_bench")
    import django

    django.setup()


def _queryset():
    from motcua.dossiers.models import Dossier

    return Dossier.objects.all()


def child_baseline(url: str) -> dict:
    _setup(url)
    import csv

    import psycopg
    from django.db import connection

    from motcua.reports.exports import ADHOC_VALUES

    sql, params = _queryset().order_by("received_at", "id").values_list(*ADHOC_VALUES).query.sql_with_params()
    start_rss = _mb("VmRSS")
    connection.close()
    started = time.perf_counter()
    count = 0
    with tempfile.TemporaryFile("w+", encoding="utf-8", newline="") as target, \
            psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as conn:
        writer = csv.writer(target)
        with conn.cursor(name="export_baseline") as cursor:
            cursor.itersize = 2000
            cursor.execute(sql, params)
            for row in cursor:
                writer.writerow(row)
                count += 1
    seconds = time.perf_counter() - started
    return {"rows": count, "seconds": seconds, "peak_mb": _mb("VmHWM"), "start_mb": start_rss}


def child_export(url: str, fmt: str) -> dict:
    _setup(url)
    from django.core.files.storage import default_storage
    from django.db import transaction

    from motcua.org.models import User
    from motcua.reports import export_jobs, tasks
    from motcua.reports.models import ExportJob

    export_jobs.export_queryset = lambda user, params: _queryset()  # every dossier (see the docstring)
    # No audit rows in the shared dataset: three per job, but the audit head's row lock would be held by
    # the rolled-back transaction for the whole run and block every other writer of the dataset.
    export_jobs.record_audit = lambda **kwargs: None
    owner = User.objects.get(username="hoa")  # the province's TTHC control officer (demo organisation)
    start_rss = _mb("VmRSS")
    with transaction.atomic():
        job = ExportJob.objects.create(owner=owner, filters={"tu": "01/01/2025", "den": "31/12/2025"},
                                       title="Hồ sơ (bench)", format=fmt)
        started = time.perf_counter()
        result = tasks.run_export_job.call(job.pk)
        seconds = time.perf_counter() - started
        peak = _mb("VmHWM")
        job.refresh_from_db()
        if job.status != ExportJob.Status.DONE:
            raise SystemExit(f"export job {fmt} ended {job.status}: {job.error}")
        path = Path(default_storage.path(job.file.name))
        if fmt == "csv":
            with path.open(encoding="utf-8") as fh:
                lines = sum(1 for _ in fh)
            extra = 2  # header + total line
        else:
            lines = 0
            with zipfile.ZipFile(path) as archive, archive.open("xl/worksheets/sheet1.xml") as sheet:
                tail = b""
                while chunk := sheet.read(1 << 20):
                    lines += (tail + chunk).count(b"<row ") - tail.count(b"<row ")
                    tail = chunk[-8:]
            extra = 3  # title, header, total line
        size = path.stat().st_size
        default_storage.delete(job.file.name)
        transaction.set_rollback(True)
    if lines != job.rows_written + extra:
        raise SystemExit(f"{fmt}: {lines} lines in the file for {job.rows_written} rows")
    return {"rows": result["rows"], "seconds": seconds, "peak_mb": peak, "start_mb": start_rss,
            "size_mb": size / 1024 / 1024}


def _spawn(url: str, what: str) -> dict:
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        subprocess.run([sys.executable, str(Path(__file__).resolve()), "--child", what, "--url", url,
                        "--out", out.name], check=True, cwd=ROOT)
        return json.loads(Path(out.name).read_text())


def run(quick: bool, dataset=None) -> list[dict]:
    from bench.common import row
    from bench.generate import ensure_dataset

    url = dataset.url if dataset else ensure_dataset(10_000 if quick else 1_000_000, 1)
    base = _spawn(url, "baseline")
    base_rate = base["rows"] / base["seconds"]
    print(f"export baseline (psycopg → csv.writer): {base['rows']:,} rows in {base['seconds']:.1f} s "
          f"({base_rate:,.0f} rows/s), peak RSS {base['peak_mb']:.0f} MB", flush=True)
    rows = [row("export: baseline psycopg → csv rows/s", base_rate, "rows/s"),
            row("export: baseline peak RSS", base["peak_mb"], "MB")]
    for fmt in ("csv", "xlsx"):
        got = _spawn(url, fmt)
        rate = got["rows"] / got["seconds"]
        print(f"export {fmt}: {got['rows']:,} rows in {got['seconds']:.1f} s ({rate:,.0f} rows/s), "
              f"{got['size_mb']:.0f} MB file, RSS {got['start_mb']:.0f} MB after setup, peak {got['peak_mb']:.0f} MB",
              flush=True)
        rows += [
            row(f"export: {got['rows']:,}-row {fmt.upper()} job rows/s", rate, "rows/s", baseline=base_rate),
            row(f"export: {got['rows']:,}-row {fmt.upper()} job peak RSS", got["peak_mb"], "MB",
                baseline=base["peak_mb"], target=f"< {TARGET_MB} MB", ok=got["peak_mb"] < TARGET_MB),
        ]
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--child", choices=["baseline", "csv", "xlsx"])
    parser.add_argument("--url")
    parser.add_argument("--out")
    args = parser.parse_args()
    if args.child:
        result = child_baseline(args.url) if args.child == "baseline" else child_export(args.url, args.child)
        Path(args.out).write_text(json.dumps(result))
        return 0
    from bench.run import print_table

    rows = run(args.quick)
    print_table(rows)
    return 0 if all(r["pass"] is not False for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
