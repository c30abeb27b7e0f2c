"""Online dossiers: submitted on the portal with a code, then accepted, sent back for supplement or refused."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from motcua.dossiers.files import check_file
from motcua.dossiers.intake import ApplicantData, IntakeError
from motcua.dossiers.models import Dossier, DossierEvent, DossierFile, IntakeNotice, Status
from motcua.dossiers.online import (
    accept_online_dossier,
    refuse_online_dossier,
    request_online_supplement,
    submit_online,
)
from motcua.org.audit import verify_chain
from motcua.org.models import AuditEntry

from .conftest import at
from .test_files import pdf_bytes


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def submit(archive_licence, desk, citizen_data, citizen):
    case = archive_licence.cases.first()
    components = [c.pk for c in case.components.all()]

    def make(**overrides):
        values = {"version": archive_licence, "case": case, "applicant": citizen_data, "desk": desk,
                  "files": [(components[0], check_file("don.pdf", pdf_bytes()))],
                  "present_components": set(components[1:]),
                  "submitted_at": at("22/11/2025 21:00"),  # Saturday night
                  "acting_user": citizen}
        values.update(overrides)
        return submit_online(**values)

    make.components = components
    return make


def test_submission_gets_its_code_files_and_checklist_but_no_appointment(submit):
    dossier = submit()
    assert dossier.code == "000.00.12.H27-251122-0001"
    assert dossier.status == Status.SUBMITTED and dossier.channel == "online"
    assert dossier.submitted_at == at("22/11/2025 21:00")
    assert (dossier.received_at, dossier.due_at, dossier.handover_at) == (None, None, None)
    assert [item.present for item in dossier.checklist.all()] == [True] * len(submit.components)
    stored = DossierFile.objects.get(dossier=dossier)
    assert stored.checklist_item.component_id == submit.components[0] and stored.source == "upload"
    assert DossierEvent.objects.get(dossier=dossier).to_status == Status.SUBMITTED
    assert AuditEntry.objects.filter(action="dossier.submit_online", object_id=str(dossier.pk)).exists()


def test_accepted_dossier_counts_from_the_next_working_session_after_submission(submit, clerk):
    dossier = accept_online_dossier(dossier=submit(), present_components=set(submit.components),
                                    acting_user=clerk, received_at=at("24/11/2025 09:00"))
    dossier.refresh_from_db()
    assert dossier.status == Status.RECEIVED and dossier.received_by == clerk
    assert dossier.received_at == at("24/11/2025 09:00")
    # Submitted on Saturday night: the 10 working days run from Monday 07:30, not from the officer's 09:00.
    assert dossier.clock_start == at("24/11/2025 07:30")
    assert dossier.due_at == at("05/12/2025 17:30")
    assert dossier.handover_at == at("24/11/2025 09:00")  # never before the acceptance
    event = DossierEvent.objects.get(dossier=dossier, action="accept_online")
    assert (event.from_status, event.to_status, event.data["clock_from"]) == ("submitted", "received", "submission")
    assert AuditEntry.objects.filter(action="dossier.accept_online", object_id=str(dossier.pk)).exists()
    assert verify_chain().intact


def test_clock_can_start_at_acceptance_by_setting(submit, clerk, settings):
    settings.ONLINE_CLOCK_FROM = "acceptance"
    dossier = accept_online_dossier(dossier=submit(), present_components=set(submit.components),
                                    acting_user=clerk, received_at=at("24/11/2025 09:00"))
    assert (dossier.clock_start, dossier.due_at) == (at("24/11/2025 09:00"), at("08/12/2025 09:00"))
    settings.ONLINE_CLOCK_FROM = "tomorrow"
    with pytest.raises(ImproperlyConfigured, match="ONLINE_CLOCK_FROM"):
        accept_online_dossier(dossier=submit(), present_components=set(submit.components), acting_user=clerk,
                              received_at=at("24/11/2025 09:00"))


def test_only_a_waiting_dossier_can_be_accepted(submit, clerk):
    dossier = submit()
    accept_online_dossier(dossier=dossier, present_components=set(submit.components), acting_user=clerk,
                          received_at=at("24/11/2025 09:00"))
    with pytest.raises(IntakeError) as exc:
        accept_online_dossier(dossier=dossier, present_components=set(submit.components), acting_user=clerk,
                              received_at=at("24/11/2025 10:00"))
    assert "chỉ hồ sơ trực tuyến đang chờ tiếp nhận" in exc.value.errors["__all__"][0]
    assert DossierEvent.objects.filter(dossier=dossier, action="accept_online").count() == 1


def test_incomplete_dossier_gets_one_supplement_request_and_cannot_be_accepted(submit, clerk):
    dossier = submit()
    with pytest.raises(IntakeError) as exc:
        accept_online_dossier(dossier=dossier, present_components=set(submit.components[1:]), acting_user=clerk,
                              received_at=at("24/11/2025 09:00"))
    assert "Hãy lập phiếu yêu cầu bổ sung" in exc.value.errors["components"][0]
    assert Dossier.objects.get(pk=dossier.pk).status == Status.SUBMITTED
    notice = request_online_supplement(
        dossier=dossier, items=[{"name": "Đơn đề nghị", "reason": "Chưa có chữ ký"}], reason="Hồ sơ chưa hợp lệ",
        acting_user=clerk, issued_at=at("24/11/2025 09:30"))
    assert notice.kind == IntakeNotice.Kind.SUPPLEMENT and notice.dossier_id == dossier.pk
    assert notice.items == [{"name": "Đơn đề nghị", "reason": "Chưa có chữ ký"}]
    assert Dossier.objects.get(pk=dossier.pk).status == Status.SUPPLEMENT_REQUESTED
    with pytest.raises(IntakeError, match="Yêu cầu bổ sung"):
        accept_online_dossier(dossier=dossier, present_components=set(submit.components), acting_user=clerk)


def test_refusal_keeps_the_code_and_records_the_reason(submit, clerk):
    dossier = submit()
    notice = refuse_online_dossier(dossier=dossier, reason="Không thuộc thẩm quyền của Sở Nội vụ",
                                   acting_user=clerk, issued_at=at("24/11/2025 09:30"))
    dossier.refresh_from_db()
    assert dossier.status == Status.REFUSED and dossier.code == "000.00.12.H27-251122-0001"
    assert notice.kind == IntakeNotice.Kind.REFUSAL and notice.reason.startswith("Không thuộc thẩm quyền")
    assert DossierEvent.objects.filter(dossier=dossier, action="intake_refusal", to_status="refused").exists()
    with pytest.raises(IntakeError):
        refuse_online_dossier(dossier=dossier, reason="lần nữa", acting_user=clerk)
    # The next submission of the day takes the next number; the refused one is never reused.
    assert submit(idempotency_key="portal-2").code == "000.00.12.H27-251122-0002"


def test_bad_submission_saves_nothing_and_a_retry_returns_the_first(submit):
    before = (Dossier.objects.count(), AuditEntry.objects.count())
    with pytest.raises(IntakeError) as exc:
        submit(applicant=ApplicantData(kind="citizen", identifier="123", name="A"))
    assert "đúng 12 chữ số" in exc.value.errors["applicant_identifier"][0]
    assert (Dossier.objects.count(), AuditEntry.objects.count()) == before
    first = submit(idempotency_key="portal-1")
    assert submit(idempotency_key="portal-1").pk == first.pk
    assert Dossier.objects.count() == before[0] + 1
