import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from motcua.catalog.models import ProcedureVersion
from motcua.dossiers import transitions as t
from motcua.dossiers.intake import ApplicantData, IntakeRequest, receive_dossier
from motcua.dossiers.models import DossierFile
from motcua.org.models import Unit
from motcua.records.actions import RecordError, reuse_record
from motcua.records.models import Record, Reuse
from motcua.records.selectors import offer_for

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(text):
    return dt.datetime.strptime(text, "%d/%m/%Y %H:%M").replace(tzinfo=VN)


@pytest.fixture
def receive(db, clerk):
    desk = Unit.objects.get(code="000.01.30.H27")

    def make(identifier="042087001234", when="17/11/2025 09:10"):
        version = ProcedureVersion.objects.in_force_on(at(when).date()).get(procedure__code="1.013934")
        case = version.cases.first()
        return receive_dossier(request=IntakeRequest(
            version=version, case=case, channel="direct", desk=desk,
            applicant=ApplicantData(kind="citizen", identifier=identifier, name="Nguyễn Văn Hùng"),
            present_components={c.pk for c in case.components.all()}, received_at=at(when)), acting_user=clerk)

    return make


def resolve(dossier, clerk, django_capture_on_commit_callbacks, valid_until=None):
    instant = at("18/11/2025 08:00")
    while dossier.current_step is None or dossier.current_step.order < 5:
        dossier = t.hand_on(dossier=dossier, acting_user=clerk, at=instant)
        instant += dt.timedelta(hours=1)
    t.decide(dossier=dossier, approve=True, acting_user=clerk, at=instant)
    dossier = t.hand_on(dossier=dossier, acting_user=clerk, at=instant)
    t.attach_result(dossier=dossier, name="Giấy chứng nhận đủ điều kiện kinh doanh dịch vụ lưu trữ",
                    content=b"%PDF-1.4 ket qua " + dossier.code.encode(), filename="gcn.pdf",
                    content_type="application/pdf", number="15/GCN-SNV", signer="Bùi Quang Dương",
                    signed_on=dt.date(2025, 11, 20), valid_until=valid_until, acting_user=clerk, at=instant)
    with django_capture_on_commit_callbacks(execute=True):
        return t.hand_on(dossier=dossier, acting_user=clerk, at=instant + dt.timedelta(hours=1))


def test_result_lands_in_the_holders_store_with_its_metadata(receive, clerk, django_capture_on_commit_callbacks):
    dossier = resolve(receive(), clerk, django_capture_on_commit_callbacks)
    record = Record.objects.get(dossier=dossier, source=Record.Source.RESULT)
    assert record.applicant == dossier.applicant
    assert (record.number, record.procedure_code, record.dossier_code, record.issuer_code) == (
        "15/GCN-SNV", "1.013934", dossier.code, "000.00.12.H27")
    assert record.file.read().startswith(b"%PDF-1.4 ket qua")


def test_a_later_dossier_reuses_the_record_instead_of_a_new_paper(receive, clerk, django_capture_on_commit_callbacks):
    first = resolve(receive(), clerk, django_capture_on_commit_callbacks)
    record = Record.objects.get(dossier=first)
    assert offer_for(first.applicant, {record.document_type}, on=dt.date(2025, 12, 1)) == [record]
    later = receive(when="01/12/2025 09:00")
    item = later.checklist.first()
    reuse = reuse_record(record=record, dossier=later, checklist_item=item, acting_user=clerk)
    again = reuse_record(record=record, dossier=later, checklist_item=item, acting_user=clerk)
    assert reuse.pk == again.pk and Reuse.objects.filter(dossier=later).count() == 1
    assert DossierFile.objects.filter(dossier=later, source=DossierFile.Source.REUSE, sha256=record.sha256).count() == 1


def test_expired_or_foreign_records_are_refused(receive, clerk, django_capture_on_commit_callbacks):
    first = resolve(receive(), clerk, django_capture_on_commit_callbacks, valid_until=dt.date(2025, 11, 30))
    record = Record.objects.get(dossier=first)
    later = receive(when="01/12/2025 09:00")
    with pytest.raises(RecordError, match="hết hiệu lực"):
        reuse_record(record=record, dossier=later, checklist_item=None, acting_user=clerk,
                     at=at("01/12/2025 09:30"))
    stranger = receive(identifier="042190005678", when="01/12/2025 10:00")
    with pytest.raises(RecordError, match="không thuộc"):
        reuse_record(record=record, dossier=stranger, checklist_item=None, acting_user=clerk,
                     at=at("25/11/2025 09:30"))
