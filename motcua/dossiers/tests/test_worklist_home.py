"""The work list reads the step-run indexes, never scans the dossier table (PostgreSQL's plan), and the
home page shows each worker's list with counts."""

from __future__ import annotations

import pytest
from django.db import connection

from motcua.dossiers import worklists as w
from motcua.org.models import Role

from .processing_helpers import person, receive, walk_to


@pytest.mark.skipif(connection.vendor != "postgresql", reason="query plans are PostgreSQL's")
def test_worklist_query_does_not_scan_the_dossier_table(make_request, clerk):
    luu = person("luu", "Ngô Văn Lưu", Role.SPECIALIST, "000.04.12.H27")
    walk_to(receive(make_request, clerk, "17/11/2025 09:10"), 3, clerk)
    runs = w.open_runs_for(luu)
    from django.db.models.functions import Coalesce

    query = runs.annotate(due=Coalesce("due_at", "dossier__due_at")).select_related("dossier").order_by("due", "id")
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")  # what the planner does on a large table
        sql, params = query[:50].query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("RESET enable_seqscan")
    assert "Seq Scan on dossiers_dossier" not in plan, plan
    assert "dossiers_steprun" in plan


def test_home_shows_the_work_list_and_the_late_dossiers(client, make_request, clerk, leader, control_officer):
    dossier, _ = walk_to(receive(make_request, clerk, "17/11/2025 09:10"), 5, clerk)  # at the leader's step
    client.force_login(leader)
    page = client.get("/").content.decode()
    assert "Hồ sơ cần xử lý" in page and dossier.code in page and "/mot-cua/xu-ly/" in page
    assert "Hồ sơ quá hạn" in page  # the leader also sees the control section and nav entry
    client.force_login(control_officer)
    page = client.get("/").content.decode()
    assert "/mot-cua/xu-ly/qua-han/" in page and dossier.code in page  # long past due, no apology
