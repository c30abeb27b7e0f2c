"""Paid / unpaid on the officers' lists (work list, search results, the one-stop home): one badge per
dossier whose case carries a fee, nothing otherwise — read with the list's own query, not one per row."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.catalog.models import Fee
from motcua.dossiers import worklists as w
from motcua.dossiers.fees import with_fee_state
from motcua.dossiers.models import Dossier
from motcua.integrations.payments import actions
from motcua.org.models import Role

from .conftest import at
from .processing_helpers import person, receive, walk_to

CCHC = "000.04.12.H27"


def badges(html: str) -> list[str]:
    return re.findall(r'data-fee="(paid|unpaid)"', html)


@pytest.fixture
def luu(db):
    return person("luu", "Ngô Văn Lưu", Role.SPECIALIST, CCHC)


@pytest.fixture
def at_appraisal(make_request, clerk):
    def make(count: int) -> list[Dossier]:
        made = []
        for i in range(count):
            dossier = receive(make_request, clerk, f"17/11/2025 {8 + i:02d}:00")
            made.append(walk_to(dossier, 3, clerk, start=f"17/11/2025 {8 + i:02d}:30", step_hours=0)[0])
        return made
    return make


def test_no_fee_no_badge_then_paid_and_unpaid(at_appraisal, luu, clerk, client):
    dossiers = at_appraisal(3)
    client.force_login(luu)
    assert badges(client.get("/mot-cua/xu-ly/").content.decode()) == []  # 1.013934 charges nothing
    Fee.objects.create(case=dossiers[0].case, name="Lệ phí cấp chứng chỉ", amount=100_000)
    actions.record_counter_payment(dossier=dossiers[1], method="cash", amount=100_000, acting_user=clerk)
    page = client.get("/mot-cua/xu-ly/").content.decode()
    assert sorted(badges(page)) == ["paid", "unpaid", "unpaid"]
    row = page[page.index(dossiers[1].code):]
    assert row[:row.index("</td>")].count('data-fee="paid"') == 1  # the badge is on the paid dossier's row
    # the "on time / due soon" filter (classified in Python) shows them too
    on_time = w.worklist(luu, mark=w.Mark.OK, now=at("18/11/2025 08:00"))
    assert {(i.dossier.code, i.dossier.fee_due, i.dossier.fee_paid) for i in on_time.items} == {
        (dossiers[0].code, True, False), (dossiers[1].code, True, True), (dossiers[2].code, True, False)}


def test_work_list_queries_do_not_grow_with_the_rows(at_appraisal, luu, clerk, client):
    first = at_appraisal(2)
    Fee.objects.create(case=first[0].case, name="Lệ phí", amount=100_000)
    actions.record_counter_payment(dossier=first[0], method="card", amount=100_000, acting_user=clerk)
    client.force_login(luu)
    with CaptureQueriesContext(connection) as few:
        assert len(badges(client.get("/mot-cua/xu-ly/").content.decode())) == 2
    more = at_appraisal(4)
    actions.record_counter_payment(dossier=more[3], method="cash", amount=100_000, acting_user=clerk)
    with CaptureQueriesContext(connection) as many:
        assert sorted(badges(client.get("/mot-cua/xu-ly/").content.decode())) == ["paid"] * 2 + ["unpaid"] * 4
    assert len(many.captured_queries) == len(few.captured_queries)
    # paid / unpaid comes inside the page's own query on the runs, not in queries of its own
    reading = [q["sql"] for q in many.captured_queries if "payments_payment" in q["sql"]]
    assert len(reading) == 1 and reading[0].startswith('SELECT "dossiers_steprun"'), reading


def test_search_results_and_the_one_stop_home_show_the_badge(make_request, clerk, client):
    morning = at("17/11/2025 09:10")
    with time_machine.travel(morning, tick=False):
        paid, unpaid = (receive(make_request, clerk, f"17/11/2025 {h}") for h in ("08:00", "08:10"))
        Fee.objects.create(case=paid.case, name="Lệ phí", amount=50_000)
        actions.record_counter_payment(dossier=paid, method="transfer", amount=50_000, acting_user=clerk)
        client.force_login(clerk)
        found = client.get("/mot-cua/tim-ho-so/", {"ma": "251117-000"}).content.decode()
        home = client.get("/").content.decode()
    for page in (found, home):
        assert re.search(re.escape(paid.code) + r'</a> <span class="badge status-ok fee-badge" data-fee="paid">'
                         r"Đã nộp phí</span>", page), page
        assert re.search(re.escape(unpaid.code) + r'</a> <span class="badge status-late fee-badge" '
                         r'data-fee="unpaid">Chưa nộp phí</span>', page)


def test_with_fee_state_is_one_query(make_request, clerk, django_assert_num_queries):
    dossiers = [receive(make_request, clerk, f"17/11/2025 {h}") for h in ("08:00", "08:10", "08:20")]
    Fee.objects.create(case=dossiers[0].case, name="Lệ phí", amount=50_000)
    actions.record_counter_payment(dossier=dossiers[2], method="cash", amount=50_000, acting_user=clerk)
    with django_assert_num_queries(1):
        states = {d.pk: (d.fee_due, d.fee_paid) for d in with_fee_state(Dossier.objects.order_by("pk"))}
    assert states == {dossiers[0].pk: (True, False), dossiers[1].pk: (True, False), dossiers[2].pk: (True, True)}
