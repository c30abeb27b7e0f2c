"""The work list reads indexes, never a whole table: PostgreSQL's own plan of every query `worklist` runs
over realistic tables (thousands of dossiers, most finished with their finished step runs, a few dozen
on one specialist's list) after ANALYZE — planner settings left as they are. The page comes from the
partial indexes on open step runs, in `list_due` order, without the dossier table."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.dossiers import transitions as t
from motcua.dossiers import worklists as w
from motcua.dossiers.intake import receive_dossier
from motcua.dossiers.models import Dossier, Status, StepRun
from motcua.org.models import Role, RoleAssignment, Unit, User

from .conftest import at

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="query plans are PostgreSQL's")

DOSSIERS = 40000


def plan_of(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())


def plans_of_worklist(user, now="17/11/2025 09:00", **kwargs) -> tuple[w.WorkList, list[tuple[str, str]]]:
    """The list and (sql, plan) of each query it ran on the dossiers tables."""
    with CaptureQueriesContext(connection) as queries:
        listing = w.worklist(user, now=at(now), **kwargs)
    return listing, [(q["sql"], plan_of(q["sql"])) for q in queries.captured_queries if "dossiers_" in q["sql"]]


def _clone_sql(model, overrides: dict[str, str], source: str) -> str:
    """INSERT … SELECT copying every column of `model` from `source`, some replaced by expressions."""
    columns = [f.column for f in model._meta.concrete_fields if not f.primary_key]
    values = ", ".join(overrides.get(c, f'src."{c}"') for c in columns)
    quoted = ", ".join(f'"{c}"' for c in columns)
    return f'INSERT INTO "{model._meta.db_table}" ({quoted}) SELECT {values} FROM {source}'


@pytest.fixture
def busy_table(make_request, clerk):
    """DOSSIERS copies of a received 1.013934 dossier, written by the database itself: 97.5% finished
    (each with three finished step runs), the rest open at step 3 with one of 15 specialists of the
    archive department (5% unassigned)."""
    department = Unit.objects.get(code="000.04.12.H27")
    people = []
    for i in range(15):
        person = User.objects.create_user(username=f"cvlt{i}", password=None, full_name=f"Chuyên viên {i}")
        RoleAssignment.objects.create(user=person, unit=department, role=Role.SPECIALIST)
        people.append(person.pk)
    model = receive_dossier(request=make_request(received_at=at("17/11/2025 09:10")), acting_user=clerk)
    model = t.hand_on(dossier=model, acting_user=clerk, at=at("17/11/2025 10:00"))
    model = t.hand_on(dossier=model, acting_user=clerk, at=at("17/11/2025 14:00"))
    open_status, done_status = Status.IN_PROGRESS.value, Status.RETURNED.value
    with connection.cursor() as cursor:
        cursor.execute(_clone_sql(Dossier, {
            "code": "'BENCH-' || lpad(g::text, 6, '0')",
            "status": f"CASE WHEN g % 40 = 0 THEN '{open_status}' ELSE '{done_status}' END",
            "current_step_id": "NULL", "idempotency_key": "NULL",
            "received_at": "src.received_at + g * interval '1 minute'",
            "due_at": "src.due_at + g * interval '1 minute'",
        }, f"dossiers_dossier src, generate_series(1, {DOSSIERS}) g WHERE src.id = {model.pk}"))
        people_array = "ARRAY[" + ",".join(str(pk) for pk in people) + "]"
        cursor.execute(_clone_sql(StepRun, {
            "dossier_id": "d.id", "due_at": "d.due_at", "finished_at": "d.received_at + interval '1 day'",
            "result": "'on_time'", "list_due": "d.due_at",
        }, f"dossiers_steprun src, dossiers_dossier d WHERE src.dossier_id = {model.pk} "
           f"AND d.code LIKE 'BENCH-%%' AND d.status = '{done_status}'"))
        cursor.execute(_clone_sql(StepRun, {
            "dossier_id": "d.id", "due_at": "d.due_at", "list_due": "d.due_at",
            "assignee_id": f"CASE WHEN (d.id / 40) % 20 = 0 THEN NULL "
                           f"ELSE ({people_array})[1 + (d.id / 40) % {len(people)}] END",
        }, f"dossiers_steprun src, dossiers_dossier d WHERE src.id = {model.current_step_id} "
           f"AND d.code LIKE 'BENCH-%%' AND d.status = '{open_status}'"))
        cursor.execute("UPDATE dossiers_dossier d SET current_step_id = r.id FROM dossiers_steprun r "
                       "WHERE r.dossier_id = d.id AND d.code LIKE 'BENCH-%%'")
        cursor.execute("ANALYZE dossiers_dossier")
        cursor.execute("ANALYZE dossiers_steprun")
    return User.objects.get(pk=people[0])


def test_worklist_page_and_counts_read_the_open_run_indexes(busy_table):
    specialist = busy_table
    listing, plans = plans_of_worklist(specialist)
    assert 50 < listing.total < 300  # a realistic list: their share of the unit's open steps plus the unassigned
    assert len(listing.items) == 50 and listing.has_more
    dues = [item.due for item in listing.items]
    assert dues == sorted(dues)
    for sql, plan in plans:
        assert "Seq Scan on dossiers_" not in plan, f"{sql}\n{plan}"
    # The page parts: the person's own runs, then the unassigned ones of their role at their unit, each
    # read in list_due order from its partial index (no sort of the whole list, no dossier table).
    parts = [(sql, plan) for sql, plan in plans if sql.lstrip().startswith('SELECT "dossiers_steprun"."list_due"')]
    assert len(parts) == 2, plans
    assert "dossiers_steprun_open_mine" in parts[0][1] and "dossiers_dossier" not in parts[0][0], parts[0]
    assert "dossiers_steprun_open_unit" in parts[1][1] and "dossiers_dossier" not in parts[1][0], parts[1]
    counts = next(plan for sql, plan in plans if "COUNT(" in sql)
    assert "dossiers_steprun_open_" in counts and "dossiers_dossier" not in counts, counts


def test_late_filter_reads_the_open_run_indexes(busy_table):
    # The copies' appointments run from early to late December: mid-December, part of the list is late.
    listing, plans = plans_of_worklist(busy_table, now="15/12/2025 09:00", mark=w.Mark.LATE)
    assert 0 < listing.counts["late"] < listing.total
    assert listing.items and all(item.mark == w.Mark.LATE and item.due < at("15/12/2025 09:00")
                                 for item in listing.items)
    for sql, plan in plans:
        assert "Seq Scan on dossiers_" not in plan, f"{sql}\n{plan}"
