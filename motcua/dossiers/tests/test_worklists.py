"""Work lists: whose dossiers, in which order, with which marks; a unit head sees the unit and reassigns."""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.dossiers import transitions as t
from motcua.dossiers import worklists as w
from motcua.org.models import Role

from .conftest import at
from .processing_helpers import person, receive, walk_to

CCHC = "000.04.12.H27"  # Phòng CCHC&VTLT: step 3 of 1.013934 (specialist, 7 days)


@pytest.fixture
def luu(db):
    return person("luu", "Ngô Văn Lưu", Role.SPECIALIST, CCHC)


@pytest.fixture
def cchc_head(db):
    return person("truong_cchc", "Lê Thị Vân", Role.HEAD_OF_UNIT, CCHC)


@pytest.fixture
def three_at_appraisal(make_request, clerk):
    """Three dossiers at step 3, handed there on 17, 18 and 19/11 (so due in that order)."""
    dossiers = []
    for day in ("17", "18", "19"):
        dossier = receive(make_request, clerk, f"{day}/11/2025 08:00")
        dossier, _ = walk_to(dossier, 3, clerk, start=f"{day}/11/2025 09:00")
        dossiers.append(dossier)
    return dossiers


def test_specialist_sees_unassigned_steps_of_their_role_and_unit_sorted_by_due(three_at_appraisal, luu, specialist):
    listing = w.worklist(luu, now=at("20/11/2025 09:00"))
    assert [i.dossier.code for i in listing.items] == [d.code for d in three_at_appraisal]
    dues = [i.due for i in listing.items]
    assert dues == sorted(dues) and all(i.run.order == 3 for i in listing.items)
    assert w.worklist(specialist, now=at("20/11/2025 09:00")).total == 0  # Minh works in another department


def test_assigned_step_leaves_the_others_lists(three_at_appraisal, luu, specialist, cchc_head):
    first = three_at_appraisal[0]
    t.assign(dossier=first, assignee=specialist, acting_user=cchc_head)
    assert [i.dossier.code for i in w.worklist(specialist).items] == [first.code]
    assert first.code not in {i.dossier.code for i in w.worklist(luu).items}
    assert w.worklist(cchc_head, scope="unit").total == 3  # the head sees the whole unit


def test_marks_on_time_due_soon_late(three_at_appraisal, luu):
    run = three_at_appraisal[0].step_runs.get(order=3, finished_at__isnull=True)
    dossier = three_at_appraisal[0]
    schedule = t.schedule_of(dossier)
    assert w.mark_of(run, dossier, at("18/11/2025 09:00")) == w.Mark.OK
    # Less than a quarter of the 7-day budget left: due soon.
    almost = schedule.add_working(run.received_at, dt.timedelta(minutes=int(run.budget_minutes * 0.8)),
                                  unit="minutes")
    assert w.mark_of(run, dossier, almost) == w.Mark.WARN
    assert w.mark_of(run, dossier, run.due_at + dt.timedelta(minutes=1)) == w.Mark.LATE
    late = w.worklist(luu, mark=w.Mark.LATE, now=run.due_at + dt.timedelta(minutes=1))
    assert [i.dossier.code for i in late.items] == [dossier.code] and late.counts["late"] == 1


def test_paused_dossier_is_judged_when_its_clock_stopped(three_at_appraisal, luu):
    dossier = three_at_appraisal[0]
    run = dossier.step_runs.get(order=3, finished_at__isnull=True)
    t.request_supplement(dossier=dossier, items=[{"name": "Danh sách người làm dịch vụ"}], reason="Thiếu",
                         acting_user=luu, at=at("18/11/2025 09:00"))
    dossier.refresh_from_db()
    assert w.mark_of(run, dossier, run.due_at + dt.timedelta(days=30)) == w.Mark.OK
    assert w.worklist(luu, mark=w.Mark.LATE, now=run.due_at + dt.timedelta(days=30)).total == 3  # total of the list
    assert dossier.code not in {i.dossier.code for i in w.worklist(
        luu, mark=w.Mark.LATE, now=run.due_at + dt.timedelta(days=30)).items}


def test_filters_by_procedure_field_and_mark(three_at_appraisal, luu):
    version = three_at_appraisal[0].version
    assert w.worklist(luu, procedure="1.013934").total == 3
    assert w.worklist(luu, procedure="1.000000").total == 0
    assert w.worklist(luu, field_id=version.field_id).total == 3
    assert w.worklist(luu, field_id=version.field_id + 999).total == 0
    on_time = w.worklist(luu, mark=w.Mark.OK, now=at("19/11/2025 16:00"))
    assert len(on_time.items) == 3 and {i.mark for i in on_time.items} == {w.Mark.OK}


def test_worklist_page_marks_rows_and_head_reassigns(client, three_at_appraisal, cchc_head, luu,
                                                     django_assert_max_num_queries):
    client.force_login(cchc_head)
    with django_assert_max_num_queries(30):
        response = client.get("/mot-cua/xu-ly/?pham_vi=don-vi")
    body = response.content.decode()
    assert response.status_code == 200
    for dossier in three_at_appraisal:
        assert dossier.code in body
    assert "status-late" in body  # November 2025 steps are long past due
    target = three_at_appraisal[1]
    response = client.post(f"/mot-cua/ho-so/{target.code}/xu-ly/assign/",
                           {"assign-assignee": luu.pk, "next": "/mot-cua/xu-ly/?pham_vi=don-vi"})
    assert response.status_code == 302 and response["Location"] == "/mot-cua/xu-ly/?pham_vi=don-vi"
    target.refresh_from_db()
    assert target.current_step.assignee == luu


def test_query_count_does_not_grow_with_the_list(client, make_request, clerk, luu, django_assert_max_num_queries):
    for hour in range(8, 14):
        dossier = receive(make_request, clerk, f"17/11/2025 {hour:02d}:00")
        walk_to(dossier, 3, clerk, start=f"17/11/2025 {hour:02d}:30", step_hours=0)
    client.force_login(luu)
    with django_assert_max_num_queries(25):
        response = client.get("/mot-cua/xu-ly/")
    assert response.content.decode().count("/xu-ly/\"") >= 6


def test_specialist_may_not_assign(client, three_at_appraisal, luu, specialist):
    client.force_login(luu)
    response = client.post(f"/mot-cua/ho-so/{three_at_appraisal[0].code}/xu-ly/assign/",
                           {"assign-assignee": specialist.pk})
    assert response.status_code == 404
