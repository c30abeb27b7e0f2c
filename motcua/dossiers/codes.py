"""Dossier codes (DOMAIN A.2, C.4.1): `<agency identifier>-<YYMMDD>-<NNNN>`, the counter per
agency restarting every day, at least 4 digits. Allocation is one upsert statement, so concurrent
intakes on PostgreSQL or SQLite never get the same number.

The same counters number the tracking book (sổ theo dõi hồ sơ, DOMAIN B.1.4 form 01 "Quyển số … Số thứ
tự"): one book per one-stop desk and year (the volume is the year), series `book`, keyed by the first
day of that year. An intake takes its code and its book serial in one statement (`claim_numbers`)."""

from __future__ import annotations

import datetime as dt
import re

from django.db import connection

from motcua.dossiers.models import DailyCounter
from motcua.org.models import Unit

CODE_RE = re.compile(
    r"^(?P<agency>[0-9A-Z]{3}(\.[0-9A-Z]{2,3}){1,3}(\.[0-9A-Z]{1,3})?)-(?P<day>\d{6})-(?P<seq>\d{4,})$"
)


def format_code(agency_code: str, day: dt.date, seq: int) -> str:
    return f"{agency_code}-{day:%y%m%d}-{seq:04d}"


def next_number(agency: Unit, day: dt.date, series: str = "dossier") -> int:
    """Atomically take the next number of `series` for `agency` on `day` (inside the caller's transaction)."""
    table = connection.ops.quote_name(DailyCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (agency_id, series, day, last) VALUES (%s, %s, %s, 1) "
            f"ON CONFLICT (agency_id, series, day) DO UPDATE SET last = {table}.last + 1 RETURNING last",
            [agency.pk, series, day],
        )
        return int(cursor.fetchone()[0])


BOOK_SERIES = "book"


def book_key(day: dt.date) -> dt.date:
    """The counter day of the tracking book's volume that `day` belongs to (one volume a year)."""
    return dt.date(day.year, 1, 1)


def claim_numbers_sql(count: int) -> str:
    """One upsert taking the next number of `count` counters, each given as (agency id, series, day);
    returns (series, last) per counter. Every caller claims the dossier counter before the book counter,
    so two intakes lock the counter rows in the same order."""
    table = connection.ops.quote_name(DailyCounter._meta.db_table)
    rows = ", ".join(["(%s, %s, %s, 1)"] * count)
    return (f"INSERT INTO {table} (agency_id, series, day, last) VALUES {rows} "
            f"ON CONFLICT (agency_id, series, day) DO UPDATE SET last = {table}.last + 1 RETURNING series, last")


def claim_numbers(claims: list[tuple[Unit, str, dt.date]]) -> dict[str, int]:
    """Atomically take the next number of several counters (distinct series) in one statement."""
    with connection.cursor() as cursor:
        cursor.execute(claim_numbers_sql(len(claims)),
                       [value for unit, series, day in claims for value in (unit.pk, series, day)])
        return {series: int(last) for series, last in cursor.fetchall()}


def next_book_serial(desk: Unit, day: dt.date) -> int:
    """The next serial in `desk`'s tracking book for the year of `day` (a dossier received outside
    the counter intake, e.g. an online dossier accepted from the queue)."""
    return next_number(desk, book_key(day), series=BOOK_SERIES)


def next_dossier_code(agency: Unit, day: dt.date) -> str:
    return format_code(agency.code, day, next_number(agency, day))


def parse_code(code: str) -> tuple[str, dt.date, int] | None:
    """Split a dossier code into (agency identifier, received date, sequence), or None if malformed.
    Accepts both identifier styles (`000.00.06.H56`, `H15.50.05.13`)."""
    match = CODE_RE.match(code.strip())
    if not match:
        return None
    try:
        day = dt.datetime.strptime(match["day"], "%y%m%d").date()  # noqa: DTZ007 - a date, no time part
    except ValueError:
        return None
    return match["agency"], day, int(match["seq"])
