"""Benchmark of the tracking book's PDF (sổ theo dõi hồ sơ, `dossiers.book`): time and peak memory.

Each figure comes from a process of its own (peak memory is the process's VmHWM from /proc), on the
generated dataset (`bench/generate.py`, `ensure_dataset`). The rows are the dataset's dossiers, read
as the book reads them: `book_dossiers` for the province's TTHC control officer over the year 2025
(the longest period the page allows), the first N in book order, streamed through `iter_book_rows`
(serials from `slips.book_positions`, 500 dossiers a query), written by `book_pdf_from_rows` — the
same calls as `book_pdf`, with N in place of the period's count. Timed: query + rows + PDF bytes.
Each PDF is then read back (pypdf: page count, the last page's total line) outside the timing.

1. baseline: the same rows through WeasyPrint and the former HTML template
   (`dossiers/book/book_pdf.html`, one table with a repeated <thead>) — 2,000 rows (quick: 500);
2. fpdf2 (`paperwork/tablepdf.py`): 2,000 and 10,000 rows (quick: 500), and `PDF_MAX_ROWS` (the cap)
   in the full run.

The officer row is created inside a transaction rolled back at the end: the shared dataset gets no
writes. Target: 10,000 rows in < 15 s and < 400 MB peak RSS (2 cores); the cap (`PDF_MAX_ROWS`) must
stay within the same budget, so every size is held to it.

    .venv/bin/python bench/book_bench.py            # 1,000,000-dossier dataset
    .venv/bin/python bench/book_bench.py --quick    # 10,000-dossier dataset, 500 rows
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_SECONDS = 15
TARGET_MB = 400


def _mb(kind: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(kind + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def child(url: str, engine: str, rows: int) -> dict:
    os.environ["DATABASE_URL"] = url
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    import django

    django.setup()
    from django.db import transaction
    from django.template.loader import render_to_string
    from pypdf import PdfReader

    from bench.reports_bench import province_officer
    from motcua.dossiers.book import (
        COLUMNS,
        PDF_MAX_ROWS,
        BookFilter,
        _count,
        book_dossiers,
        book_header,
        book_pdf_from_rows,
        iter_book_rows,
    )
    from motcua.paperwork.pdf import html_to_pdf

    rows = rows or PDF_MAX_ROWS
    if engine == "weasyprint":
        html_to_pdf("<p>warm-up</p>")  # font configuration, as a running server has it
    else:
        book_pdf_from_rows({"unit_name": "", "place": "", "issued_on": dt.date(2025, 1, 1), "title": "",
                            "period": "", "labels": {"number": "", "basis": ""}}, [], 0)
    with transaction.atomic():
        officer = province_officer()
        book = BookFilter(date_from=dt.date(2025, 1, 1), date_to=dt.date(2025, 12, 31))
        start_rss = _mb("VmRSS")
        started = time.perf_counter()
        header = book_header(officer, book)
        items = iter_book_rows(book_dossiers(officer, book)[:rows].iterator(chunk_size=500))
        if engine == "weasyprint":
            items = list(items)
            data = html_to_pdf(render_to_string("dossiers/book/book_pdf.html", {
                **header, "agency_name": header["unit_name"], "columns": COLUMNS, "rows": items,
                "total": _count(len(items)), "limit_notice": ""}))
            written = len(items)
        else:
            data = book_pdf_from_rows(header, items, rows)
            written = rows
        seconds = time.perf_counter() - started
        peak = _mb("VmHWM")
        transaction.set_rollback(True)
    reader = PdfReader(BytesIO(data))
    last = " ".join(reader.pages[-1].extract_text().split())
    if f"Tổng số: {_count(written)} hồ sơ" not in last:
        raise SystemExit(f"{engine} {rows}: no total line for {written} rows on the last page")
    return {"rows": written, "seconds": seconds, "peak_mb": peak, "start_mb": start_rss,
            "pages": len(reader.pages), "size_mb": len(data) / 1024 / 1024}


def _spawn(url: str, engine: str, rows: int) -> dict:
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        subprocess.run([sys.executable, str(Path(__file__).resolve()), "--child", engine, "--rows", str(rows),
                        "--url", url, "--out", out.name], check=True, cwd=ROOT)
        return json.loads(Path(out.name).read_text())


def run(quick: bool, dataset=None) -> list[dict]:
    from bench.common import row
    from bench.generate import ensure_dataset

    url = dataset.url if dataset else ensure_dataset(10_000 if quick else 1_000_000, 1)
    sizes = [500] if quick else [2_000, 10_000, 0]  # 0: PDF_MAX_ROWS, the cap
    base = _spawn(url, "weasyprint", sizes[0])
    print(f"book PDF baseline (WeasyPrint, HTML table): {base['rows']:,} rows in {base['seconds']:.1f} s, "
          f"{base['pages']} pages, peak RSS {base['peak_mb']:.0f} MB", flush=True)
    rows = [row(f"book PDF: baseline WeasyPrint {base['rows']:,} rows", base["seconds"], "s"),
            row(f"book PDF: baseline WeasyPrint {base['rows']:,} rows peak RSS", base["peak_mb"], "MB")]
    for size in sizes:
        got = _spawn(url, "fpdf2", size)
        print(f"book PDF fpdf2: {got['rows']:,} rows in {got['seconds']:.2f} s, {got['pages']} pages, "
              f"{got['size_mb']:.1f} MB file, RSS {got['start_mb']:.0f} MB after setup, peak {got['peak_mb']:.0f} MB",
              flush=True)
        same = got["rows"] == base["rows"]
        rows += [
            row(f"book PDF: {got['rows']:,} rows", got["seconds"], "s", baseline=base["seconds"] if same else None,
                target=f"< {TARGET_SECONDS} s", ok=got["seconds"] < TARGET_SECONDS),
            row(f"book PDF: {got['rows']:,} rows peak RSS", got["peak_mb"], "MB",
                baseline=base["peak_mb"] if same else None, target=f"< {TARGET_MB} MB",
                ok=got["peak_mb"] < TARGET_MB),
        ]
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--child", choices=["weasyprint", "fpdf2"])
    parser.add_argument("--rows", type=int)
    parser.add_argument("--url")
    parser.add_argument("--out")
    args = parser.parse_args()
    if args.child:
        Path(args.out).write_text(json.dumps(child(args.url, args.child, args.rows)))
        return 0
    from bench.run import print_table

    rows = run(args.quick)
    print_table(rows)
    return 0 if all(r["pass"] is not False for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
