"""Hot queries read their indexes (PostgreSQL's own plans): the lookup of a dossier by its code — the
portal's public status lookup and the code search — and the tracking book's date window. Realistic
table: 30,000 dossiers received over four years, written by the database itself, then ANALYZE;
planner settings left as they are. (The work list has its own plan test: test_worklist_explain.py.)"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.dossiers.book import BookFilter, book_dossiers
from motcua.dossiers.intake import receive_dossier
from motcua.dossiers.models import Dossier
from motcua.portal.selectors import lookup_status

from .conftest import at

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="query plans are PostgreSQL's")

DOSSIERS = 30000


def plan_of(sql: str, params=()) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", params or None)
        return "\n".join(row[0] for row in cursor.fetchall())


def plans_run_by(fn) -> list[str]:
    """The plans of the queries `fn` runs on the dossier table."""
    with CaptureQueriesContext(connection) as queries:
        fn()
    return [plan_of(q["sql"]) for q in queries.captured_queries if 'FROM "dossiers_dossier"' in q["sql"]]


@pytest.fixture
def four_years(make_request, clerk):
    """DOSSIERS copies of one received dossier, one every 70 minutes from January 2022 on."""
    model = receive_dossier(request=make_request(received_at=at("17/11/2025 09:10")), acting_user=clerk)
    columns = [f.column for f in Dossier._meta.concrete_fields if not f.primary_key]
    overrides = {
        "code": "'000.00.12.H27-BENCH-' || lpad(g::text, 6, '0')",
        "idempotency_key": "NULL", "current_step_id": "NULL",
        "received_at": "timestamptz '2022-01-03 08:00+07' + g * interval '70 minutes'",
        "submitted_at": "timestamptz '2022-01-03 08:00+07' + g * interval '70 minutes'",
        "clock_start": "timestamptz '2022-01-03 08:00+07' + g * interval '70 minutes'",
        "due_at": "timestamptz '2022-01-17 08:00+07' + g * interval '70 minutes'",
        "warn_at": "timestamptz '2022-01-14 08:00+07' + g * interval '70 minutes'",
        "resolved_at": "timestamptz '2022-01-12 08:00+07' + g * interval '70 minutes'",
        "status": "'returned'",
    }
    values = ", ".join(overrides.get(c, f'src."{c}"') for c in columns)
    quoted = ", ".join(f'"{c}"' for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(f'INSERT INTO "dossiers_dossier" ({quoted}) SELECT {values} FROM dossiers_dossier src, '
                       f"generate_series(1, {DOSSIERS}) g WHERE src.id = %s", [model.pk])
        cursor.execute("ANALYZE dossiers_dossier")
    return model


def test_lookup_by_code_reads_the_code_index(four_years):
    code = "000.00.12.H27-BENCH-012345"
    plan = plan_of(*Dossier.objects.filter(code=code).query.sql_with_params())
    assert "Index Scan using dossiers_dossier_code" in plan, plan
    assert "Seq Scan on dossiers_dossier" not in plan, plan


def test_public_status_lookup_reads_the_code_index(four_years):
    """The portal's lookup (code + check digits, the address's recent failures and the history in the
    same statement): one row by the unique code, no scan of the dossier table."""
    phone = four_years.applicant_phone or four_years.applicant_identifier
    found = []
    with CaptureQueriesContext(connection) as queries:
        found.append(lookup_status("000.00.12.h27-bench-012345", phone[-4:], ip="10.1.2.3"))
    assert found[0].status is not None and found[0].status.code == "000.00.12.H27-BENCH-012345"
    plans = [plan_of(q["sql"]) for q in queries.captured_queries if '"dossiers_dossier"' in q["sql"]]
    assert len(plans) == 1, "the lookup is one statement"
    for plan in plans:
        assert "Index Scan using dossiers_dossier_code" in plan, plan
        assert "Seq Scan on dossiers_dossier" not in plan, plan


def test_tracking_book_month_reads_the_reception_index(four_years, control_officer):
    """One month out of four years: the date window comes from an index on received_at."""
    book = BookFilter(date_from=dt.date(2024, 3, 1), date_to=dt.date(2024, 3, 31))
    plans = plans_run_by(lambda: list(book_dossiers(control_officer, book)[:50]))
    assert plans, "the book ran no query on the dossier table"
    for plan in plans:
        assert "Seq Scan on dossiers_dossier" not in plan, plan
        assert "received" in plan, plan  # dossiers_dossier_received_at_… or dossiers_agency_received


def test_find_by_code_reads_the_code_index(four_years, clerk):
    """The header's "Tìm hồ sơ theo mã": exact code and prefixes (as typed, after the agency identifiers
    of that day) read the code's index; the dossier table is never scanned."""
    from motcua.dossiers.find import find_dossiers

    for typed in ("000.00.12.H27-BENCH-012345", "000.00.12.H27-BENCH-0123", "251117-0001"):
        plans = plans_run_by(lambda typed=typed: find_dossiers(clerk, typed))
        assert plans, typed
        for plan in plans:
            assert "Seq Scan on dossiers_dossier" not in plan, (typed, plan)
            assert "dossiers_dossier_code" in plan, (typed, plan)
