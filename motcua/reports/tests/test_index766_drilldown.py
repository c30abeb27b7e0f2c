"""QĐ 766 index: the indicators counted on the catalog (1.3, 3.1, 3.2, 3.5) and on feedback (5.1) link each
number to the list behind it — procedures or feedback messages — for the agency of the row, as many rows as the
number says; another agency's list is 404."""

from __future__ import annotations

import re

import pytest

from motcua.org.models import Unit
from motcua.portal.models import Feedback

from .conftest import Desk, at

SO_NOI_VU = "000.00.12.H27"
NOT_MINE = "000.00.15.H27"
LINK = r'href="(/bao-cao/chi-so-766/ho-so/\?thang=2025-11&amp;chi-so={id}&amp;co-quan={agency}&amp;phan={part})">(\d+)</a>'


@pytest.fixture(scope="module")
def november(django_db_setup, django_db_blocker):
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        desk = Desk()
        online = desk.receive("18/11/2025 09:00", channel="online")      # 3.2: 1.013934 had an online dossier
        snv, other = Unit.objects.get(code=SO_NOI_VU), Unit.objects.get(code=NOT_MINE)
        made = {
            "classified": Feedback.objects.create(subject="procedure", procedure_code="1.013934", agency=snv,
                                                  content="Nhiều bản sao", name="Người A",
                                                  created_at=at("20/11/2025 10:00")),
            "unclassified": Feedback.objects.create(subject="", agency=snv, content="Chưa rõ nội dung",
                                                    name="Người B", created_at=at("21/11/2025 10:00")),
            "other_agency": Feedback.objects.create(subject="procedure", agency=other, content="Cơ quan khác",
                                                    name="Người C", created_at=at("21/11/2025 11:00")),
            "december": Feedback.objects.create(subject="dossier", agency=snv, content="Tháng sau",
                                                name="Người D", created_at=at("02/12/2025 10:00")),
        }
        yield {"online": online, **made}
        transaction.set_rollback(True)


def _listed(client, url: str, noun: str) -> tuple[int, str]:
    response = client.get(url.replace("&amp;", "&"))
    assert response.status_code == 200, url
    html = response.content.decode()
    return int(re.search(rf"<strong>(\d+) {noun}</strong>", html).group(1)), html


@pytest.mark.parametrize(("indicator", "noun", "row"), [
    ("1.3", "thủ tục", "procedure-row"), ("3.1", "thủ tục", "procedure-row"), ("3.2", "thủ tục", "procedure-row"),
    ("3.5", "thủ tục", "procedure-row"), ("5.1", "phản ánh, kiến nghị", "feedback-row"),
])
def test_every_number_links_to_as_many_rows(november, client, control_officer, indicator, noun, row):
    client.force_login(control_officer)
    html = client.get("/bao-cao/chi-so-766/", {"thang": "2025-11", "co-quan": SO_NOI_VU}).content.decode()
    for part in ("num", "den"):
        found = re.search(LINK.format(id=re.escape(indicator), agency=re.escape(SO_NOI_VU), part=part), html)
        assert found, (indicator, part)
        url, number = found.group(1), int(found.group(2))
        count, listed = _listed(client, url, noun)
        assert count == number and listed.count(f'class="{row}"') == min(number, 50)
        assert "‹ Quay lại báo cáo" in listed and f"Chỉ số {indicator} " in listed


def test_the_procedure_lists_name_the_procedures(november, client, control_officer):
    client.force_login(control_officer)
    base = f"/bao-cao/chi-so-766/ho-so/?thang=2025-11&chi-so=3.2&co-quan={SO_NOI_VU}"
    used_count, used = _listed(client, base + "&phan=num", "thủ tục")
    offered_count, offered = _listed(client, base + "&phan=den", "thủ tục")
    assert used_count == 1 and "1.013934" in used                 # the only procedure with an online dossier
    assert offered_count > used_count and "1.013934" in offered


def test_the_feedback_list_is_the_months_feedback_about_the_agency(november, client, control_officer):
    client.force_login(control_officer)
    base = f"/bao-cao/chi-so-766/ho-so/?thang=2025-11&chi-so=5.1&co-quan={SO_NOI_VU}"
    num_count, num = _listed(client, base + "&phan=num", "phản ánh, kiến nghị")
    den_count, den = _listed(client, base + "&phan=den", "phản ánh, kiến nghị")
    assert (num_count, den_count) == (1, 2)
    assert "Nhiều bản sao" in num and "Chưa rõ nội dung" not in num
    assert "Nhiều bản sao" in den and "Chưa rõ nội dung" in den and "chưa phân loại" in den
    for html in (num, den):
        assert "Cơ quan khác" not in html and "Tháng sau" not in html


@pytest.mark.parametrize("query", [
    f"thang=2025-11&chi-so=5.1&co-quan={NOT_MINE}&phan=den",        # an agency outside the person's scope
    f"thang=2025-11&chi-so=3.1&co-quan={NOT_MINE}&phan=num",
    "thang=2025-11&chi-so=3.1&co-quan=000.01.12.H27&phan=num",      # visible (an office), not a ranked agency
    f"thang=2025-11&chi-so=1.1&co-quan={SO_NOI_VU}&phan=num",       # no data source: no list
    f"thang=2099-01&chi-so=3.1&co-quan={SO_NOI_VU}&phan=num",       # a month still to come
])
def test_out_of_scope_or_listless_is_404(november, client, control_officer, query):
    client.force_login(control_officer)
    assert client.get(f"/bao-cao/chi-so-766/ho-so/?{query}").status_code == 404
