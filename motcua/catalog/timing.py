"""Working-day counting for the catalog's 3-working-day rule (seed plan VIII.3).

Uses the `workdays` calendar only: never plain date arithmetic.
"""

from __future__ import annotations

import datetime as dt

from motcua.workdays import default_calendar

PROCESS_SETUP_LIMIT_DAYS = 3


def working_days_after(start: dt.date, end: dt.date) -> int:
    """Working days in (start, end]: 0 when `end` is the same day or earlier."""
    calendar = default_calendar()
    count = 0
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        if calendar.is_working_day(day):
            count += 1
    return count


def configured_in_time(decision_date: dt.date, configured_on: dt.date) -> bool:
    return working_days_after(decision_date, configured_on) <= PROCESS_SETUP_LIMIT_DAYS
