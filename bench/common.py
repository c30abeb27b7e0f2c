"""What the bench scripts share: the result row and percentiles.

A row is one figure: `metric`, `value`, `unit`, `baseline` (the same work done the plain way in the
same run, or None), `ratio` (value / baseline, or None), `target` (text, e.g. "p95 < 50 ms") and
`pass` (True / False, or None for a figure without a target).
"""

from __future__ import annotations


def row(metric: str, value: float, unit: str, *, baseline: float | None = None, target: str = "",
        ok: bool | None = None) -> dict:
    ratio = round(value / baseline, 3) if baseline not in (None, 0) else None
    return {"metric": metric, "value": round(value, 3), "unit": unit,
            "baseline": None if baseline is None else round(baseline, 3), "ratio": ratio,
            "target": target, "pass": ok}


def pct(values: list[float], q: float) -> float:
    """The q-quantile (0..1) by nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]
