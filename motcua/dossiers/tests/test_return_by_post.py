"""Return by post (issue 5 item 3): the waybill and the day the result was handed to the post, checked
(not in the future, not before the result), kept on the dossier, its page, the tracking book, the API and
the audit entry."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command

from motcua.dossiers import book as book_module
from motcua.dossiers import transitions as t
from motcua.dossiers.models import DossierEvent, Status
from motcua.org.audit import verify_chain
from motcua.org.models import AuditEntry, User

from .conftest import at
from .processing_helpers import receive, walk_to


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(autouse=True)
def clock():
    """Friday 21/11/2025 09:00; the dossier's result was issued on Tuesday 18/11."""
    with time_machine.travel("2025-11-21 09:00 +0700", tick=True):
        yield


@pytest.fixture
def resolved(make_request, clerk):
    dossier = receive(make_request, clerk)
    dossier, instant = walk_to(dossier, 5, clerk)
    giamdoc = User.objects.get(username="giamdoc")
    dossier = t.decide(dossier=dossier, approve=True, acting_user=giamdoc, at=instant)
    dossier = t.hand_on(dossier=dossier, acting_user=giamdoc, at=instant + dt.timedelta(hours=1))
    t.attach_result(dossier=dossier, name="Giấy chứng nhận", content=b"%PDF-1.4 signed", filename="gcn.pdf",
                    content_type="application/pdf", number="15/GCN-SNV", acting_user=clerk,
                    at=instant + dt.timedelta(hours=2))
    dossier = t.hand_on(dossier=dossier, acting_user=clerk, at=at("18/11/2025 15:00"))
    assert dossier.status == Status.RESOLVED
    return dossier


def post(client, dossier, data):
    return client.post(f"/mot-cua/ho-so/{dossier.code}/xu-ly/return_result/",
                       {f"return_result-{k}": v for k, v in data.items()})


def test_transition_checks_the_day_and_records_it_in_the_audit(resolved, clerk):
    with pytest.raises(t.IllegalMove, match="trước ngày có kết quả"):
        t.return_result(dossier=resolved, channel="postal", waybill="EB123456789VN",
                        handed_on=dt.date(2025, 11, 17), acting_user=clerk)
    with pytest.raises(t.IllegalMove, match="sau ngày hôm nay"):
        t.return_result(dossier=resolved, channel="postal", waybill="EB123456789VN",
                        handed_on=dt.date(2025, 11, 22), acting_user=clerk)
    resolved.refresh_from_db()
    assert resolved.status == Status.RESOLVED and resolved.return_handed_on is None
    dossier = t.return_result(dossier=resolved, channel="postal", waybill="EB123456789VN",
                              handed_on=dt.date(2025, 11, 19), acting_user=clerk)
    dossier.refresh_from_db()
    assert dossier.status == Status.RETURNED and dossier.return_handed_on == dt.date(2025, 11, 19)
    assert dossier.return_waybill == "EB123456789VN"
    event = DossierEvent.objects.get(dossier=dossier, action="return_result")
    assert event.data["handed_on"] == "2025-11-19"
    audit = AuditEntry.objects.filter(action="dossier.return_result").latest("id")
    assert audit.after["handed_on"] == "2025-11-19" and audit.after["waybill"] == "EB123456789VN"
    assert verify_chain().intact


def test_day_defaults_to_the_day_of_the_move_and_is_empty_for_the_counter(resolved, clerk, make_request):
    dossier = t.return_result(dossier=resolved, channel="postal", waybill="EB1VN", acting_user=clerk,
                              at=at("20/11/2025 16:00"))
    assert dossier.return_handed_on == dt.date(2025, 11, 20)


def test_counter_return_keeps_no_post_day(resolved, clerk):
    dossier = t.return_result(dossier=resolved, channel="counter", returned_to="Nguyễn Văn Hùng",
                              handed_on=dt.date(2025, 11, 19), acting_user=clerk)
    assert dossier.return_handed_on is None


def test_panel_shows_vietnamese_messages_keeps_typed_values_then_page_and_book_show_the_day(client, resolved,
                                                                                              clerk):
    client.force_login(clerk)
    response = post(client, resolved, {"channel": "postal", "waybill": "EB987654321VN", "handed_on": "25/11/2025"})
    page = response.content.decode()
    assert response.status_code == 422
    assert "Ngày giao bưu điện không thể sau ngày hôm nay (21/11/2025)." in page
    assert "EB987654321VN" in page and "25/11/2025" in page
    response = post(client, resolved, {"channel": "postal", "waybill": "EB987654321VN", "handed_on": "17/11/2025"})
    assert response.status_code == 422
    assert "Ngày giao bưu điện không thể trước ngày có kết quả (18/11/2025)." in response.content.decode()
    response = post(client, resolved, {"channel": "postal", "waybill": "EB987654321VN", "handed_on": "31/02/2025"})
    assert response.status_code == 422
    assert "Ngày giao bưu điện phải theo dạng dd/mm/yyyy." in response.content.decode()
    response = post(client, resolved, {"channel": "postal", "waybill": "EB987654321VN", "handed_on": ""})
    assert response.status_code == 422
    assert "Trả qua bưu chính cần ngày giao bưu điện." in response.content.decode()
    resolved.refresh_from_db()
    assert resolved.status == Status.RESOLVED
    assert not DossierEvent.objects.filter(dossier=resolved, action="return_result").exists()

    response = post(client, resolved, {"channel": "postal", "waybill": "EB987654321VN", "handed_on": "20/11/2025"})
    assert response.status_code == 302
    resolved.refresh_from_db()
    assert resolved.return_handed_on == dt.date(2025, 11, 20) and resolved.status == Status.RETURNED

    page = client.get(f"/mot-cua/ho-so/{resolved.code}/").content.decode()
    assert "EB987654321VN" in page and "giao bưu điện ngày 20/11/2025" in page

    row = book_module.book_row(1, resolved)
    assert row.delivery == "Qua bưu chính công ích; vận đơn EB987654321VN; giao bưu điện 20/11/2025"
    page = client.get("/mot-cua/so-theo-doi/", {"tu": "17/11/2025", "den": "17/11/2025"}).content.decode()
    assert "giao bưu điện 20/11/2025" in page


def test_api_takes_the_day_checks_it_and_returns_it(client, capsys, resolved):
    call_command("create_api_token", "lan")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {capsys.readouterr().out.strip()}"}

    def move(body):
        return client.post(f"/api/v1/dossiers/{resolved.code}/moves", body, content_type="application/json",
                           **auth)

    response = move({"move": "return_result", "channel": "postal", "waybill": "EB5VN", "handed_on": "2025-11-30"})
    assert response.status_code == 422
    assert response.json()["errors"]["handed_on"] == ["Ngày giao bưu điện không thể sau ngày hôm nay (21/11/2025)."]
    response = move({"move": "return_result", "channel": "postal", "waybill": "EB5VN", "handed_on": "19/11/2025"})
    assert response.status_code == 200, response.content
    assert response.json()["return_handed_on"] == "2025-11-19" and response.json()["return_waybill"] == "EB5VN"
    body = client.get(f"/api/v1/dossiers/{resolved.code}", **auth).json()
    assert body["return_handed_on"] == "2025-11-19" and body["return_waybill"] == "EB5VN"
    assert body["returned_at"] is not None
