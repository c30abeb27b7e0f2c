"""The one-stop officer's check of an online dossier on the dossier page: accept, ask for a supplement
(every missing component listed), refuse; only a one-stop officer of the dossier's desk gets the form."""

from __future__ import annotations

import pytest

from motcua.dossiers.files import check_file
from motcua.dossiers.models import Dossier, DossierEvent, IntakeNotice, Status
from motcua.dossiers.online import submit_online
from motcua.org.models import AuditEntry

from .conftest import at
from .test_files import pdf_bytes

FORM_TITLE = "Kiểm tra hồ sơ nộp trực tuyến"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def waiting(archive_licence, desk, citizen_data, citizen):
    case = archive_licence.cases.first()
    components = [c.pk for c in case.components.all()]
    return submit_online(version=archive_licence, case=case, applicant=citizen_data, desk=desk,
                         files=[(components[0], check_file("don.pdf", pdf_bytes()))],
                         present_components=set(components[1:]), submitted_at=at("22/11/2025 21:00"),
                         acting_user=citizen)


def _ticks(dossier, *, leave_out=()):
    return {f"present_{item.component_id}": "on" for item in dossier.checklist.all()
            if item.component_id not in leave_out}


def test_the_desk_officer_accepts_from_the_dossier_page(client, clerk, waiting):
    client.force_login(clerk)
    page = client.get(f"/mot-cua/ho-so/{waiting.code}/").content.decode()
    assert FORM_TITLE in page and f"/mot-cua/ho-so/{waiting.code}/kiem-tra-truc-tuyen/" in page
    response = client.post(f"/mot-cua/ho-so/{waiting.code}/kiem-tra-truc-tuyen/",
                           {"action": "accept", **_ticks(waiting)})
    assert response.status_code == 302 and response["Location"] == f"/mot-cua/ho-so/{waiting.code}/da-tiep-nhan/"
    dossier = Dossier.objects.get(pk=waiting.pk)
    assert dossier.status == Status.RECEIVED and dossier.received_by == clerk and dossier.due_at is not None
    assert DossierEvent.objects.filter(dossier=dossier, action="accept_online", actor=clerk).count() == 1
    assert AuditEntry.objects.filter(action="dossier.accept_online", object_id=str(dossier.pk)).exists()
    after = client.get(f"/mot-cua/ho-so/{waiting.code}/").content.decode()
    assert FORM_TITLE not in after  # done: no form
    assert "Nộp hồ sơ trực tuyến" in after and "Tiếp nhận hồ sơ trực tuyến" in after  # history in words


def test_missing_required_component_blocks_acceptance_and_a_supplement_lists_it(client, clerk, waiting):
    client.force_login(clerk)
    missing = waiting.checklist.filter(component__required=True).select_related("component").first()
    url = f"/mot-cua/ho-so/{waiting.code}/kiem-tra-truc-tuyen/"
    refused = client.post(url, {"action": "accept", **_ticks(waiting, leave_out={missing.component_id}),
                                "reason": "Bản scan mờ"})
    assert refused.status_code == 422
    body = refused.content.decode()
    assert "Hồ sơ chưa đủ thành phần bắt buộc" in body and "Bản scan mờ" in body  # typed text kept
    assert Dossier.objects.get(pk=waiting.pk).status == Status.SUBMITTED
    response = client.post(url, {"action": "supplement", **_ticks(waiting, leave_out={missing.component_id}),
                                 f"missing_{missing.component_id}": "Chưa có chữ ký", "reason": "Bổ sung trong 5 ngày"})
    notice = IntakeNotice.objects.get(dossier=waiting)
    assert response.status_code == 302 and notice.kind == IntakeNotice.Kind.SUPPLEMENT
    assert notice.items == [{"name": missing.name, "reason": "Chưa có chữ ký"}]
    assert notice.reason == "Bổ sung trong 5 ngày"
    assert Dossier.objects.get(pk=waiting.pk).status == Status.SUPPLEMENT_REQUESTED


def test_refusal_needs_a_reason(client, clerk, waiting):
    client.force_login(clerk)
    url = f"/mot-cua/ho-so/{waiting.code}/kiem-tra-truc-tuyen/"
    assert client.post(url, {"action": "refuse", **_ticks(waiting)}).status_code == 422
    assert not IntakeNotice.objects.filter(dossier=waiting).exists()
    response = client.post(url, {"action": "refuse", "reason": "Không thuộc thẩm quyền"})
    assert response.status_code == 302
    assert Dossier.objects.get(pk=waiting.pk).status == Status.REFUSED


def test_nobody_else_gets_the_form_or_may_post(client, leader, outsider, waiting):
    client.force_login(leader)  # sees the dossier, is no one-stop officer of its desk
    page = client.get(f"/mot-cua/ho-so/{waiting.code}/")
    assert page.status_code == 200 and FORM_TITLE not in page.content.decode()
    url = f"/mot-cua/ho-so/{waiting.code}/kiem-tra-truc-tuyen/"
    assert client.post(url, {"action": "accept", **_ticks(waiting)}).status_code == 404
    client.force_login(outsider)
    assert client.post(url, {"action": "accept", **_ticks(waiting)}).status_code == 404
    assert Dossier.objects.get(pk=waiting.pk).status == Status.SUBMITTED
