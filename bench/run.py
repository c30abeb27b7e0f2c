"""Run every benchmark in bench/ in turn (`make bench`) and print their figures.

Each `*_bench.py` runs in its own process with its default options; its output is shown as it
comes. The exit status is 1 when any benchmark missed its target or failed.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    scripts = sorted(HERE.glob("*_bench.py"))
    failed = []
    for script in scripts:
        print(f"== {script.name}", flush=True)
        start = time.perf_counter()
        status = subprocess.call([sys.executable, str(script)], cwd=HERE.parent)
        print(f"== {script.name}: exit {status}, {time.perf_counter() - start:.0f} s\n", flush=True)
        if status != 0:
            failed.append(script.name)
    if failed:
        print(f"Missed target or failed: {', '.join(failed)}")
        return 1
    print(f"All {len(scripts)} benchmarks met their targets.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
