"""Splitting a procedure's legal time into internal-step budgets (quy trình nội bộ).

Provincial internal processes give each step a fraction of a working day (0.25, 0.5, 1.5 …;
DOMAIN B.2.1, C.6.1) and the steps must add up to the legal time. Budgets are integer
working minutes.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from .errors import InvalidBudgetError
from .units import US_PER_MINUTE, _exact, duration_us, format_working_days

QUARTER_DAY_MINUTES = 120
# Tried in order: the coarsest granularity that gives every weighted step at least one unit.
_GRANULARITIES = (QUARTER_DAY_MINUTES, 60, 30, 15, 5, 1)


def _total_minutes(total: object, unit: str) -> int:
    us = duration_us(total, unit)
    if us % US_PER_MINUTE:
        raise InvalidBudgetError(f"Tổng thời gian '{total}' phải là số phút nguyên để chia cho các bước.")
    return us // US_PER_MINUTE


def split_budget(total: object, weights: Sequence[object], unit: str = "days") -> list[int]:
    """Split ``total`` (working days by default, or a timedelta) over steps by ``weights``.

    Returns one budget per step in working minutes, summing exactly to the total. Each step
    gets its proportional share rounded (half up) to the coarsest granularity among 0.25 day,
    1 h, 30, 15, 5 and 1 minutes that divides the total and leaves every positively weighted
    step a non-zero budget; the rounding remainder goes to the step with the largest weight
    (the first of equals). A zero weight (e.g. the return step, "không tính thời gian") gets 0.
    """
    total_minutes = _total_minutes(total, unit)
    exact_weights = [_exact(w) for w in weights]
    if not exact_weights:
        raise InvalidBudgetError("Cần ít nhất một bước để chia thời gian.")
    if any(w < 0 for w in exact_weights):
        raise InvalidBudgetError("Tỷ trọng của các bước không được âm.")
    weight_sum = sum(exact_weights, Fraction(0))
    if weight_sum == 0:
        raise InvalidBudgetError("Tổng tỷ trọng của các bước phải lớn hơn 0.")
    longest = max(range(len(exact_weights)), key=lambda i: (exact_weights[i], -i))

    for granularity in _GRANULARITIES:
        if total_minutes % granularity:
            continue
        units = total_minutes // granularity
        rounded = [
            max(1, int(units * w / weight_sum + Fraction(1, 2))) if w > 0 else 0 for w in exact_weights
        ]
        rounded[longest] += units - sum(rounded)
        if rounded[longest] > 0:
            return [r * granularity for r in rounded]
    return _minute_split(total_minutes, exact_weights, weight_sum)


def _minute_split(total: int, weights: list[Fraction], weight_sum: Fraction) -> list[int]:
    """Last resort, by the minute: one minute to each weighted step while minutes last, the
    rest by largest remainder (fewer minutes than steps leaves the smallest steps at 0)."""
    order = sorted(range(len(weights)), key=lambda i: -weights[i])
    budgets = [0] * len(weights)
    left = total
    for i in order:
        if weights[i] > 0 and left > 0:
            budgets[i] = 1
            left -= 1
    shares = [left * w / weight_sum for w in weights]
    for i, share in enumerate(shares):
        budgets[i] += int(share)
    left -= sum(int(share) for share in shares)
    for i in sorted(order, key=lambda i: -(shares[i] - int(shares[i])))[:left]:
        budgets[i] += 1
    return budgets


def validate_budgets(step_budgets: Sequence[object], legal_total: object, unit: str = "days") -> str | None:
    """None when the steps add up exactly to the legal time; otherwise a Vietnamese message
    saying by how much they exceed or fall short. Budgets and total are in ``unit`` (working
    days by default) or timedeltas."""
    steps = [duration_us(b, unit) for b in step_budgets]
    legal = duration_us(legal_total, unit)
    total = sum(steps)
    if total == legal:
        return None
    summary = (
        f"Tổng thời gian các bước ({format_working_days(total)}) khác thời hạn giải quyết theo quy định "
        f"({format_working_days(legal)})"
    )
    if total > legal:
        return f"{summary}: vượt {format_working_days(total - legal)}."
    return f"{summary}: còn thiếu {format_working_days(legal - total)} chưa phân cho bước nào."
