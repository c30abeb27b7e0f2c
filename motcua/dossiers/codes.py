"""Dossier codes (DOMAIN A.2, C.4.1): `<agency identifier>-<YYMMDD>-<NNNN>`, the counter per
agency restarting every day, at least 4 digits. Allocation is one upsert statement, so concurrent
intakes on PostgreSQL or SQLite never get the same number."""

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
