"""Splitting a legal time over internal steps, and checking a process's budgets."""

from __future__ import annotations

from datetime import timedelta

import pytest

from motcua.workdays import InvalidBudgetError, split_budget, validate_budgets


def test_split_in_quarter_days_with_remainder_to_the_longest_step() -> None:
    # Reception, appraisal, review, approval, registration, return (not counted).
    budgets = split_budget(10, [0.5, 7, 1, 1, 0.5, 0])
    assert sum(budgets) == 4800
    assert all(b % 120 == 0 for b in budgets)
    assert budgets == [240, 3360, 480, 480, 240, 0]


def test_remainder_goes_to_the_longest_step() -> None:
    assert split_budget(1, [1, 1, 1]) == [240, 120, 120]
    assert split_budget(2, [1, 2]) == [360, 600]


def test_finer_granularity_when_quarter_days_cannot_serve_every_step() -> None:
    budgets = split_budget(1, [1, 1, 1, 1, 1])
    assert sum(budgets) == 480 and all(b > 0 for b in budgets)
    assert budgets == [120, 90, 90, 90, 90]


def test_timedelta_and_minute_totals() -> None:
    assert split_budget(timedelta(minutes=90), [1, 2]) == [30, 60]
    assert split_budget(7, [1, 1, 1], unit="minutes") == [3, 2, 2]
    degenerate = split_budget(2, [1, 1, 1], unit="minutes")  # fewer minutes than steps
    assert sum(degenerate) == 2 and min(degenerate) == 0


def test_validate_budgets() -> None:
    assert validate_budgets([0.5, 7, 1, 1, 0.5], 10) is None
    short = validate_budgets([0.5, 2, 7, 0.25], 10)
    assert short == (
        "Tổng thời gian các bước (9,75 ngày làm việc) khác thời hạn giải quyết theo quy định "
        "(10 ngày làm việc): còn thiếu 0,25 ngày làm việc chưa phân cho bước nào."
    )
    over = validate_budgets([timedelta(hours=8), timedelta(hours=6)], 1.5)
    assert over is not None and over.endswith("vượt 0,25 ngày làm việc.")


@pytest.mark.parametrize(
    ("weights", "message"),
    [([], "ít nhất một bước"), ([1, -1], "không được âm"), ([0, 0], "phải lớn hơn 0")],
)
def test_bad_weights(weights: list, message: str) -> None:
    with pytest.raises(InvalidBudgetError, match=message):
        split_budget(10, weights)


def test_total_must_be_whole_minutes() -> None:
    with pytest.raises(InvalidBudgetError, match="số phút nguyên"):
        split_budget(timedelta(seconds=90), [1])
