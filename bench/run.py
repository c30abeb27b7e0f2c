"""Run every benchmark in bench/ (`make bench`), print one table and keep it as JSON.

    bench/run.py                 # full: 1,000,000 dossiers
    bench/run.py --quick         # development: 10,000 dossiers, fewer iterations (make bench QUICK=1)
    bench/run.py --only http,worklist --keep

The dataset (`bench/generate.py`, scratch database motcua_bench_<size>_s<seed>) is generated once per
run and handed to every script; it is dropped at the end unless --keep (or unless it already existed
when the run started). Each `*_bench.py` runs in a process of its own (Django settings are per
process) through its `run(quick, dataset) -> list[dict]`; a script without that function runs as a
plain script and counts by its exit status. The table has one line per figure: metric, value, unit,
the same-run baseline, ratio = value / baseline, target, pass. It is written to
bench/results/<timestamp>.json. Exit status 1 when a figure missed its target or a script failed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import inspect
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from bench.generate import Dataset, dataset_info, dataset_ready, drop_dataset, ensure_dataset  # noqa: E402

QUICK_SIZE = 10_000
FULL_SIZE = 1_000_000


def load_module(path: Path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def has_run(module) -> bool:
    fn = getattr(module, "run", None)
    return callable(fn) and list(inspect.signature(fn).parameters)[:2] == ["quick", "dataset"]


def child(script: Path, quick: bool, dataset_json: str, out: Path) -> int:
    """In the child process: run one script and write its rows to `out`."""
    module = load_module(script)
    if has_run(module):
        data = json.loads(dataset_json) if dataset_json else None
        dataset = Dataset(**data) if data else None
        rows = module.run(quick, dataset)
    else:
        sys.argv = [str(script)]
        try:
            status = module.main()
        except SystemExit as exc:
            status = exc.code
        rows = [{"metric": f"{script.stem}: exit status", "value": status or 0, "unit": "", "baseline": None,
                 "ratio": None, "target": "0 (RESULT: OK)", "pass": not status}]
    out.write_text(json.dumps(rows, ensure_ascii=False, default=str))
    return 0


def fmt(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "pass" if value else "FAIL"
    if isinstance(value, float):
        return f"{value:,.3f}" if abs(value) < 10 else f"{value:,.1f}"
    return str(value)


def print_table(rows: list[dict]) -> None:
    headers = ["metric", "value", "unit", "baseline", "ratio", "target", "pass"]
    cells = [[r["metric"], fmt(r["value"]), r["unit"], fmt(r["baseline"]), fmt(r["ratio"]), r["target"] or "–",
              fmt(r["pass"])] for r in rows]
    widths = [max(len(h), *(len(c[i]) for c in cells)) if cells else len(h) for i, h in enumerate(headers)]
    line = lambda values: "  ".join(  # noqa: E731
        v.rjust(w) if i in (1, 3, 4) else v.ljust(w) for i, (v, w) in enumerate(zip(values, widths, strict=True)))
    print(line(headers))
    print("  ".join("-" * w for w in widths))
    for c in cells:
        print(line(c))


def machine() -> dict:
    try:
        cpu = next((ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
                    if ln.startswith("model name")), platform.processor())
    except OSError:
        cpu = platform.processor()
    memory = ""
    try:
        kb = int(next(ln.split()[1] for ln in Path("/proc/meminfo").read_text().splitlines()
                      if ln.startswith("MemTotal")))
        memory = f"{kb / 1024 / 1024:.0f} GiB"
    except (OSError, StopIteration):
        pass
    return {"host": platform.node(), "os": platform.platform(), "python": platform.python_version(),
            "cpu": cpu, "cores": os.cpu_count(), "memory": memory,
            "load_at_start": [round(x, 2) for x in os.getloadavg()]}


def database(url: str) -> dict:
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as conn:
        version = conn.execute("SHOW server_version").fetchone()[0]
        settings = dict(conn.execute("SELECT name, setting FROM pg_settings WHERE name IN "
                                     "('shared_buffers', 'work_mem', 'max_parallel_workers_per_gather', "
                                     "'effective_cache_size', 'jit')").fetchall())
    return {"engine": "PostgreSQL", "version": version, "name": url.rsplit("/", 1)[1], **settings}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_SIZE:,} dossiers, fewer iterations")
    parser.add_argument("--size", type=int, default=None, help="dossiers in the dataset (default 1,000,000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", default="", help="comma-separated script names (e.g. http,worklist)")
    parser.add_argument("--keep", action="store_true", help="keep the generated dataset for the next run")
    parser.add_argument("--child", default="", help=argparse.SUPPRESS)
    parser.add_argument("--dataset-json", default="", help=argparse.SUPPRESS)
    parser.add_argument("--rows-out", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(Path(args.child), args.quick, args.dataset_json, Path(args.rows_out))

    size = args.size or (QUICK_SIZE if args.quick else FULL_SIZE)
    started_at = dt.datetime.now(dt.UTC).astimezone()
    info = {"machine": machine(), "database": {}, "dataset_size": size, "quick": args.quick,
            "started_at": started_at.isoformat(timespec="seconds"), "rows": []}
    scripts = sorted(HERE.glob("*_bench.py"))
    if args.only:
        wanted = {name.strip().removesuffix("_bench").removesuffix(".py") for name in args.only.split(",")}
        scripts = [s for s in scripts if s.stem.removesuffix("_bench") in wanted]
    existed = dataset_ready(size, args.seed)
    print(f"== dataset: {size:,} dossiers, seed {args.seed}", flush=True)
    t0 = time.perf_counter()
    url = ensure_dataset(size, args.seed)
    dataset = Dataset(size=size, seed=args.seed, url=url)
    generated = dataset_info(url) or {}
    info["database"] = database(url)
    info["dataset"] = {k: generated.get(k) for k in ("dossiers", "open", "online", "late", "supplements", "rows",
                                                     "total_s", "copy_s")}
    print(f"== dataset ready in {time.perf_counter() - t0:.0f} s"
          f"{' (reused)' if existed else ''}: {url}\n", flush=True)
    rows: list[dict] = []
    total = generated.get("total_s") or 0
    rows.append({"metric": f"generate {size:,} dossiers (COPY){' — cached dataset' if existed else ''}",
                 "value": total, "unit": "s", "baseline": None, "ratio": None, "target": "< 300 s for 1,000,000",
                 "pass": (total < 300 * size / 1_000_000) if size >= 100_000 else None})
    failed = []
    try:
        for script in scripts:
            print(f"== {script.name}", flush=True)
            start = time.perf_counter()
            with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
                out = Path(handle.name)
            command = [sys.executable, str(Path(__file__).resolve()), "--child", str(script),
                       "--dataset-json", json.dumps(dataset.as_json()), "--rows-out", str(out)]
            if args.quick:
                command.append("--quick")
            status = subprocess.call(command, cwd=ROOT)
            produced = json.loads(out.read_text()) if status == 0 and out.stat().st_size else []
            out.unlink(missing_ok=True)
            if status != 0:
                failed.append(script.name)
                produced.append({"metric": f"{script.stem}: crashed (exit {status})", "value": status, "unit": "",
                                 "baseline": None, "ratio": None, "target": "runs", "pass": False})
            rows += produced
            print(f"== {script.name}: {time.perf_counter() - start:.0f} s\n", flush=True)
    finally:
        if not args.keep and not existed:
            drop_dataset(size, args.seed)
    info["rows"] = rows
    info["finished_at"] = dt.datetime.now(dt.UTC).astimezone().isoformat(timespec="seconds")
    results = HERE / "results"
    results.mkdir(exist_ok=True)
    path = results / f"{started_at:%Y%m%d-%H%M%S}{'-quick' if args.quick else ''}.json"
    path.write_text(json.dumps(info, ensure_ascii=False, indent=1, default=str) + "\n")
    print(f"== {size:,} dossiers, {info['machine']['cores']} cores, load at start "
          f"{info['machine']['load_at_start']}, PostgreSQL {info['database']['version']}")
    print_table(rows)
    missed = [r["metric"] for r in rows if r["pass"] is False]
    print(f"\nwritten to {path.relative_to(ROOT)}")
    if missed or failed:
        print(f"Missed target or failed: {'; '.join(missed)}")
        return 1
    print(f"All {len(rows)} figures met their targets.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
