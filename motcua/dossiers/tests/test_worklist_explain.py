"""The work-list query reads indexes, not the whole dossier table: PostgreSQL's own plan over a realistic
table (thousands of dossiers, most finished, a few dozen on one specialist's list) after ANALYZE —
planner settings left as they are."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models.functions import Coalesce

from motcua.dossiers import transitions as t
from motcua.dossiers import worklists as w
from motcua.dossiers.intake import receive_dossier
from motcua.dossiers.models import Dossier, Status, StepRun
from motcua.org.models import Role, RoleAssignment, Unit, User

from .conftest import at

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="query plans are PostgreSQL's")

DOSSIERS = 40000


def plan_of(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def _clone_sql(model, overrides: dict[str, str], source: str) -> str:
    """INSERT … SELECT copying every column of `model` from `source`, some replaced by expressions."""
    columns = [f.column for f in model._meta.concrete_fields if not f.primary_key]
    values = ", ".join(overrides.get(c, f'src."{c}"') for c in columns)
    quoted = ", ".join(f'"{c}"' for c in columns)
    return f'INSERT INTO "{model._meta.db_table}" ({quoted}) SELECT {values} FROM {source}'


@pytest.fixture
def busy_table(make_request, clerk):
    """DOSSIERS copies of a received 1.013934 dossier, written by the database itself: 97.5% finished,
    the rest open at step 3 with one of 15 specialists of the archive department (5% unassigned)."""
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
            "dossier_id": "d.id", "due_at": "d.due_at",
            "assignee_id": f"CASE WHEN (d.id / 40) % 20 = 0 THEN NULL "
                           f"ELSE ({people_array})[1 + (d.id / 40) % {len(people)}] END",
        }, f"dossiers_steprun src, dossiers_dossier d WHERE src.id = {model.current_step_id} "
           f"AND d.code LIKE 'BENCH-%%' AND d.status = '{open_status}'"))
        cursor.execute("UPDATE dossiers_dossier d SET current_step_id = r.id FROM dossiers_steprun r "
                       "WHERE r.dossier_id = d.id AND d.code LIKE 'BENCH-%%'")
        cursor.execute("ANALYZE dossiers_dossier")
        cursor.execute("ANALYZE dossiers_steprun")
    return User.objects.get(pk=people[0])


def test_worklist_page_and_counts_do_not_scan_the_dossier_table(busy_table):
    specialist = busy_table
    runs = w.open_runs_for(specialist).annotate(due=Coalesce("due_at", "dossier__due_at"))
    page = runs.select_related("dossier__version__procedure", "dossier__desk", "unit", "assignee").order_by(
        "due", "id")[:51]
    late = runs.filter(w.late_condition(at("17/11/2025 09:00")))
    listing = w.worklist(specialist, now=at("17/11/2025 09:00"))
    assert 50 < listing.total < 300  # a realistic list: their share of the unit's open steps plus the unassigned
    for query in (page, runs, late):
        plan = plan_of(query)
        assert "Seq Scan on dossiers_dossier" not in plan, plan
