"""The moves panel: each move a small form → the transition; illegal moves show the reason and keep the
typed data; people who may not act get 404; the second supplement request needs a confirmation."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
import time_machine
from django.utils import timezone
from pypdf import PdfWriter

from motcua.dossiers import worklists as w
from motcua.dossiers.models import DossierEvent, Outcome, Status
from motcua.org.models import Role

from .processing_helpers import person

CCHC = "000.04.12.H27"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(autouse=True)
def clock():
    """Tuesday 18/11/2025 09:00, while 1.013934's demo version is in force; the clock runs."""
    with time_machine.travel("2025-11-18 09:00 +0700", tick=True):
        yield


@pytest.fixture
def fresh(make_request, clerk):
    """A dossier received an hour ago (the panel's moves happen now)."""
    from motcua.dossiers.intake import receive_dossier

    return receive_dossier(request=make_request(received_at=timezone.now() - dt.timedelta(hours=1)),
                           acting_user=clerk)


@pytest.fixture
def luu(db):
    return person("luu", "Ngô Văn Lưu", Role.SPECIALIST, CCHC)


def post(client, dossier, move, data):
    return client.post(f"/mot-cua/ho-so/{dossier.code}/xu-ly/{move}/", {f"{move}-{k}": v for k, v in data.items()})


def to_appraisal(client, dossier, clerk, leader, luu):
    client.force_login(clerk)
    assert post(client, dossier, "hand_on", {"note": "Chuyển Văn phòng"}).status_code == 302
    client.force_login(leader)  # the agency leader holds every step of the Sở
    assert post(client, dossier, "hand_on", {"assignee": luu.pk}).status_code == 302
    dossier.refresh_from_db()
    assert dossier.current_step.order == 3 and dossier.current_step.assignee == luu


def test_desk_hands_on_from_the_panel_and_outsiders_get_404(client, fresh, clerk, outsider):
    client.force_login(clerk)
    page = client.get(f"/mot-cua/ho-so/{fresh.code}/xu-ly/").content.decode()
    assert "Chuyển bước tiếp theo" in page and "Quyết định giải quyết" not in page
    assert "Phiếu kiểm soát quá trình giải quyết hồ sơ" in client.get(f"/mot-cua/ho-so/{fresh.code}/").content.decode()
    client.force_login(outsider)
    assert post(client, fresh, "hand_on", {}).status_code == 404
    fresh.refresh_from_db()
    assert fresh.status == Status.RECEIVED
    client.force_login(clerk)
    response = post(client, fresh, "hand_on", {})
    assert response.status_code == 302 and response["Location"] == f"/mot-cua/ho-so/{fresh.code}/xu-ly/"
    fresh.refresh_from_db()
    assert fresh.status == Status.IN_PROGRESS and fresh.current_step.order == 2


def test_illegal_move_shows_the_reason_and_keeps_the_typed_data(client, fresh, clerk, leader, luu):
    to_appraisal(client, fresh, clerk, leader, luu)
    before = DossierEvent.objects.filter(dossier=fresh).count()
    response = post(client, fresh, "decide", {"decision": "refuse", "reason": "Thiếu chứng chỉ hành nghề gốc"})
    body = response.content.decode()
    assert response.status_code == 409
    assert "Chỉ quyết định giải quyết ở bước phê duyệt" in body and "Thiếu chứng chỉ hành nghề gốc" in body
    fresh.refresh_from_db()
    assert not fresh.outcome and DossierEvent.objects.filter(dossier=fresh).count() == before


def test_second_supplement_request_needs_confirmation(client, fresh, clerk, leader, luu):
    to_appraisal(client, fresh, clerk, leader, luu)
    client.force_login(luu)
    assert "request_supplement" in w.legal_moves(luu, fresh)
    response = post(client, fresh, "request_supplement", {"items": "Bản sao chứng chỉ | mờ\nDanh sách nhân sự",
                                                          "reason": "Chưa đủ"})
    assert response.status_code == 302
    round_ = fresh.supplements.get()
    assert round_.items == [{"name": "Bản sao chứng chỉ", "reason": "mờ"}, {"name": "Danh sách nhân sự", "reason": ""}]
    client.force_login(clerk)  # the desk receives the supplement
    assert post(client, fresh, "receive_supplement", {}).status_code == 302
    client.force_login(luu)
    page = client.get(f"/mot-cua/ho-so/{fresh.code}/xu-ly/").content.decode()
    assert "Nghị định 118 chỉ cho yêu cầu bổ sung một lần; hồ sơ sẽ bị tính quá hạn" in page
    response = post(client, fresh, "request_supplement", {"items": "Bản chính", "reason": "Lần hai"})
    assert response.status_code == 422 and fresh.supplements.count() == 1
    assert "Bản chính" in response.content.decode()
    response = post(client, fresh, "request_supplement", {"items": "Bản chính", "reason": "Lần hai",
                                                          "confirm_repeat": "on"})
    assert response.status_code == 302
    assert fresh.supplements.order_by("id").last().repeated


def test_decide_attach_result_hand_over_and_return_from_the_panel(client, fresh, clerk, leader, luu, control_officer):
    to_appraisal(client, fresh, clerk, leader, luu)
    client.force_login(luu)
    assert post(client, fresh, "hand_on", {}).status_code == 302  # → 4 Văn phòng
    client.force_login(leader)
    assert post(client, fresh, "hand_on", {}).status_code == 302  # → 5 the deciding step
    assert post(client, fresh, "decide", {"decision": "refuse", "reason": ""}).status_code == 422
    assert post(client, fresh, "decide", {"decision": "approve"}).status_code == 302
    assert post(client, fresh, "hand_on", {}).status_code == 302  # → 6 văn thư (Văn phòng specialist)
    client.force_login(control_officer)  # Bà Hoa is also a specialist of the Văn phòng
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = BytesIO()
    writer.write(buffer)
    buffer.seek(0)
    buffer.name = "giay-chung-nhan.pdf"
    response = client.post(f"/mot-cua/ho-so/{fresh.code}/xu-ly/attach_result/", {
        "attach_result-file": buffer, "attach_result-name": "Giấy chứng nhận đủ điều kiện kinh doanh dịch vụ lưu trữ",
        "attach_result-number": "15/GCN-SNV", "attach_result-signer": "Bùi Quang Dương",
        "attach_result-signed_on": "31/02/2025"})
    assert response.status_code == 422  # no 31 February; the rest stays typed
    assert "15/GCN-SNV" in response.content.decode()
    buffer.seek(0)
    response = client.post(f"/mot-cua/ho-so/{fresh.code}/xu-ly/attach_result/", {
        "attach_result-file": buffer, "attach_result-name": "Giấy chứng nhận đủ điều kiện kinh doanh dịch vụ lưu trữ",
        "attach_result-number": "15/GCN-SNV", "attach_result-signer": "Bùi Quang Dương",
        "attach_result-signed_on": "18/11/2025"})
    assert response.status_code == 302
    document = fresh.results.get()
    assert document.signed_on == dt.date(2025, 11, 18) and document.content_type == "application/pdf"
    assert post(client, fresh, "hand_on", {}).status_code == 302
    fresh.refresh_from_db()
    assert fresh.status == Status.RESOLVED and fresh.outcome == Outcome.APPROVED
    client.force_login(clerk)
    assert post(client, fresh, "return_result", {"channel": "counter", "returned_to": ""}).status_code == 422
    assert post(client, fresh, "return_result", {"channel": "counter",
                                                 "returned_to": "Nguyễn Văn Hùng"}).status_code == 302
    fresh.refresh_from_db()
    assert fresh.status == Status.RETURNED and fresh.returned_to == "Nguyễn Văn Hùng"
    assert client.get(f"/mot-cua/ho-so/{fresh.code}/ket-qua/{document.pk}/").status_code == 200


def test_consultation_answered_by_the_consulted_unit(client, fresh, clerk, leader, luu):
    from motcua.org.models import Unit, User

    to_appraisal(client, fresh, clerk, leader, luu)
    justice = Unit.objects.get(code="000.01.15.H27")
    client.force_login(luu)
    assert post(client, fresh, "consult", {"unit": justice.pk, "question": "Cho ý kiến về điều kiện"}).status_code \
        == 302
    tuphap = User.objects.get(username="tuphap")
    client.force_login(tuphap)
    page = client.get(f"/mot-cua/ho-so/{fresh.code}/xu-ly/").content.decode()
    assert "/xu-ly/answer_consultation/" in page and "/xu-ly/hand_on/" not in page
    assert post(client, fresh, "hand_on", {}).status_code == 404
    consultation = fresh.consultations.get()
    assert post(client, fresh, "answer_consultation", {"consultation": consultation.pk,
                                                       "answer": "Đủ điều kiện"}).status_code == 302
    consultation.refresh_from_db()
    assert consultation.answer == "Đủ điều kiện" and consultation.answered_by == tuphap


def test_apology_from_the_panel_and_the_control_page(client, fresh, clerk, leader, luu, control_officer):
    to_appraisal(client, fresh, clerk, leader, luu)
    new_due = timezone.localtime(fresh.due_at + dt.timedelta(days=7)).strftime("%d/%m/%Y %H:%M")
    client.force_login(leader)
    response = post(client, fresh, "issue_apology", {"new_due_at": "hôm nay", "reason": "Chờ ý kiến"})
    assert response.status_code == 422
    cchc = w.Unit.objects.get(code=CCHC)
    response = post(client, fresh, "issue_apology", {"new_due_at": new_due, "reason": "Chờ ý kiến Sở Tư pháp",
                                                     "caused_by": cchc.pk})
    assert response.status_code == 302
    apology = fresh.apologies.get()
    assert timezone.localtime(apology.new_due_at).strftime("%d/%m/%Y %H:%M") == new_due
    client.force_login(control_officer)
    page = client.get("/mot-cua/xu-ly/qua-han/").content.decode()
    assert apology.number in page and cchc.name in page
    client.force_login(luu)
    assert client.get("/mot-cua/xu-ly/qua-han/").status_code == 404
