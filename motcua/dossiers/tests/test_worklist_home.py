"""The home page shows each worker's list with counts (the work list's query plans are checked on
PostgreSQL in test_worklist_explain.py, over a realistic table, planner settings untouched)."""

from __future__ import annotations

from .processing_helpers import receive, walk_to


def test_home_shows_the_work_list_and_the_late_dossiers(client, make_request, clerk, leader, control_officer):
    dossier, _ = walk_to(receive(make_request, clerk, "17/11/2025 09:10"), 5, clerk)  # at the leader's step
    client.force_login(leader)
    page = client.get("/").content.decode()
    assert "Hồ sơ cần xử lý" in page and dossier.code in page and "/mot-cua/xu-ly/" in page
    assert "Hồ sơ quá hạn" in page  # the leader also sees the control section and nav entry
    client.force_login(control_officer)
    page = client.get("/").content.decode()
    assert "/mot-cua/xu-ly/qua-han/" in page and dossier.code in page  # long past due, no apology
