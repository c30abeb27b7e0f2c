"""The one-stop officer's check of an online dossier on the dossier page: accept, ask for a supplement
(every missing component listed), refuse; only a one-stop officer of the dossier's desk gets the form."""

from __future__ import annotations

import re

import pytest
from django.db import connection

from motcua.dossiers import online
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


# -- one-time key: a double click or a resent POST gives one outcome ------------------------------------

def _form_key(client, dossier) -> str:
    page = client.get(f"/mot-cua/ho-so/{dossier.code}/").content.decode()
    match = re.search(r'name="check_key" value="([0-9a-f]{32})"', page)
    assert match, "the check form carries a one-time key"
    return match.group(1)


def test_each_rendering_of_the_form_has_its_own_key(client, clerk, waiting):
    client.force_login(clerk)
    assert _form_key(client, waiting) != _form_key(client, waiting)


def test_accept_posted_twice_with_the_same_key_receives_once(client, clerk, waiting):
    client.force_login(clerk)
    url = f"/mot-cua/ho-so/{waiting.code}/kiem-tra-truc-tuyen/"
    data = {"action": "accept", "check_key": _form_key(client, waiting), **_ticks(waiting)}
    first = client.post(url, data)
    dossier = Dossier.objects.get(pk=waiting.pk)
    second = client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == f"/mot-cua/ho-so/{waiting.code}/da-tiep-nhan/"
    again = Dossier.objects.get(pk=waiting.pk)
    assert again.status == Status.RECEIVED
    assert (again.received_at, again.book_serial, again.due_at) == (dossier.received_at, dossier.book_serial,
                                                                     dossier.due_at)
    assert DossierEvent.objects.filter(dossier=waiting, action="accept_online").count() == 1
    assert AuditEntry.objects.filter(action="dossier.accept_online", object_id=str(waiting.pk)).count() == 1
    assert client.get(second["Location"]).status_code == 200


@pytest.mark.parametrize("action", ["supplement", "refuse"])
def test_notice_posted_twice_with_the_same_key_is_one_notice(client, clerk, waiting, action):
    client.force_login(clerk)
    missing = waiting.checklist.filter(component__required=True).first()
    url = f"/mot-cua/ho-so/{waiting.code}/kiem-tra-truc-tuyen/"
    data = {"action": action, "check_key": _form_key(client, waiting), "reason": "Lý do ghi trên phiếu",
            **_ticks(waiting, leave_out={missing.component_id})}
    first = client.post(url, data)
    second = client.post(url, data)
    notice = IntakeNotice.objects.get(dossier=waiting)  # exactly one
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == f"/mot-cua/phieu/{notice.number}/"
    kind = IntakeNotice.Kind.SUPPLEMENT if action == "supplement" else IntakeNotice.Kind.REFUSAL
    assert notice.kind == kind and notice.idempotency_key.endswith(data["check_key"])
    status = Status.SUPPLEMENT_REQUESTED if action == "supplement" else Status.REFUSED
    assert Dossier.objects.get(pk=waiting.pk).status == status
    assert DossierEvent.objects.filter(dossier=waiting, action=f"intake_{kind}").count() == 1
    assert AuditEntry.objects.filter(action=f"intake.{kind}").count() == 1
    assert client.get(second["Location"]).status_code == 200


def test_an_old_form_after_the_dossier_was_decided_changes_nothing(client, clerk, waiting):
    client.force_login(clerk)
    url = f"/mot-cua/ho-so/{waiting.code}/kiem-tra-truc-tuyen/"
    stale_key = _form_key(client, waiting)
    assert client.post(url, {"action": "accept", "check_key": _form_key(client, waiting),
                             **_ticks(waiting)}).status_code == 302
    # The other form's refusal (another key) is not a retry: nothing is made, the page says why.
    response = client.post(url, {"action": "refuse", "check_key": stale_key, "reason": "Không thuộc thẩm quyền"})
    assert response.status_code == 302 and response["Location"] == f"/mot-cua/ho-so/{waiting.code}/"
    assert "chỉ hồ sơ trực tuyến đang chờ tiếp nhận" in client.get(response["Location"]).content.decode()
    assert not IntakeNotice.objects.filter(dossier=waiting).exists()
    assert Dossier.objects.get(pk=waiting.pk).status == Status.RECEIVED
    # The same key for another outcome is no retry either; without a key it stays a 404.
    assert client.post(url, {"action": "supplement", "check_key": stale_key,
                             **_ticks(waiting)})["Location"] == f"/mot-cua/ho-so/{waiting.code}/"
    assert client.post(url, {"action": "refuse", "reason": "x"}).status_code == 404
    assert DossierEvent.objects.filter(dossier=waiting, action="accept_online").count() == 1


def test_a_key_does_not_open_the_check_to_others(client, leader, waiting):
    client.force_login(leader)
    url = f"/mot-cua/ho-so/{waiting.code}/kiem-tra-truc-tuyen/"
    assert client.post(url, {"action": "accept", "check_key": "a" * 32, **_ticks(waiting)}).status_code == 404
    assert Dossier.objects.get(pk=waiting.pk).status == Status.SUBMITTED


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("action", ["accept", "supplement", "refuse"])
def test_simultaneous_twins_with_one_key_make_one_outcome(archive_licence, desk, citizen_data, citizen, clerk,
                                                          action):
    """Twin requests that both pass the status check: the second waits on the row lock and then returns
    the first one's outcome instead of "no longer waiting"."""
    if connection.vendor == "sqlite":
        pytest.skip("concurrent connections are proved on PostgreSQL (see test_intake_concurrency)")
    from .test_intake_concurrency import _run_together

    case = archive_licence.cases.first()
    dossier = submit_online(version=archive_licence, case=case, applicant=citizen_data, desk=desk,
                            present_components={c.pk for c in case.components.all()},
                            submitted_at=at("22/11/2025 21:00"), acting_user=citizen)
    key = f"online:{clerk.pk}:{action}:twin"

    def send():
        if action == "accept":
            present = set(dossier.checklist.values_list("component_id", flat=True))
            return online.accept_online_dossier(dossier=dossier, present_components=present, acting_user=clerk,
                                                idempotency_key=key).book_serial
        if action == "supplement":
            return online.request_online_supplement(dossier=dossier, items=[{"name": "Tờ khai", "reason": "mờ"}],
                                                    reason="Bổ sung", acting_user=clerk,
                                                    idempotency_key=key).number
        return online.refuse_online_dossier(dossier=dossier, reason="Không thuộc thẩm quyền", acting_user=clerk,
                                            idempotency_key=key).number

    results, errors = _run_together([send] * 4, 4)
    assert errors == [] and len(results) == 4 and len(set(results)) == 1
    assert DossierEvent.objects.filter(dossier=dossier).exclude(action="submit_online").count() == 1
    assert IntakeNotice.objects.filter(dossier=dossier).count() == (0 if action == "accept" else 1)
    assert AuditEntry.objects.exclude(action="dossier.submit_online").filter(
        action__in=["dossier.accept_online", "intake.supplement", "intake.refusal"]).count() == 1
