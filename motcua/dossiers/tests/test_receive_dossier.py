import datetime as dt

import pytest

from motcua.dossiers.intake import ApplicantData, IntakeError, receive_dossier
from motcua.dossiers.models import Dossier, DossierEvent, Status
from motcua.org.audit import verify_chain
from motcua.org.models import AuditEntry

from .conftest import at


def test_complete_dossier_gets_code_appointment_history_and_audit(make_request, clerk):
    dossier = receive_dossier(request=make_request(received_at=at("17/11/2025 15:40")), acting_user=clerk)
    assert dossier.code == "000.00.12.H27-251117-0001"
    assert dossier.status == Status.RECEIVED
    # JOURNEYS 1: 10 working days later at the same time; after 15:00 the paper goes to the Office next morning.
    assert dossier.due_at == at("01/12/2025 15:40")
    assert dossier.handover_at == at("18/11/2025 07:30")
    assert dossier.form_set == "tt03_2025"
    assert dossier.checklist.count() == dossier.case.components.count()
    assert DossierEvent.objects.filter(dossier=dossier, action="receive", to_status=Status.RECEIVED).count() == 1
    assert AuditEntry.objects.filter(action="dossier.receive", object_id=str(dossier.pk)).exists()
    assert verify_chain().intact


def test_sequence_restarts_each_day_and_is_never_reused(make_request, clerk):
    first = receive_dossier(request=make_request(received_at=at("17/11/2025 08:00")), acting_user=clerk)
    second = receive_dossier(request=make_request(received_at=at("17/11/2025 08:05")), acting_user=clerk)
    next_day = receive_dossier(request=make_request(received_at=at("18/11/2025 08:00")), acting_user=clerk)
    assert (first.code[-4:], second.code[-4:], next_day.code[-11:]) == ("0001", "0002", "251118-0001")


def test_missing_required_component_is_refused_and_nothing_saved(make_request, clerk):
    request = make_request()
    required = [c.pk for c in request.case.components.all() if c.required]
    request.present_components = set(required[1:])
    before = (Dossier.objects.count(), AuditEntry.objects.count())
    with pytest.raises(IntakeError) as exc:
        receive_dossier(request=request, acting_user=clerk)
    assert "chưa đủ thành phần bắt buộc" in exc.value.errors["components"][0]
    assert (Dossier.objects.count(), AuditEntry.objects.count()) == before


@pytest.mark.parametrize(("identifier", "birth_date", "message"), [
    ("04208700123", None, "đúng 12 chữ số"),
    ("099087001234", None, "mã tỉnh"),
    ("003087001234", None, "mã tỉnh"),  # a gap in TT 07/2016's province list (001–096, 63 codes)
    ("042487001234", None, "năm sinh 2187"),  # digit 4 = 4: born in the 2100s
    ("042230001234", None, "năm sinh 2030"),
    ("042087001234", dt.date(1990, 5, 1), "không khớp ngày sinh 01/05/1990"),
])
def test_bad_personal_id_gets_a_vietnamese_message(make_request, clerk, identifier, birth_date, message):
    request = make_request(applicant=ApplicantData(kind="citizen", identifier=identifier, name="A",
                                                   birth_date=birth_date))
    with pytest.raises(IntakeError) as exc:
        receive_dossier(request=request, acting_user=clerk)
    assert message in exc.value.errors["applicant_identifier"][0]
    assert not Dossier.objects.exists()


@pytest.mark.parametrize(("identifier", "birth_date"), [
    ("042087001234", dt.date(1987, 3, 12)),  # man, 1900s
    ("042195001234", dt.date(1995, 1, 1)),  # woman, 1900s
    ("001305001234", dt.date(2005, 6, 30)),  # woman, 2000s, Hà Nội
    ("096200001234", None),  # man, 2000, Cà Mau
])
def test_personal_ids_consistent_with_the_birth_date_are_received(make_request, clerk, identifier, birth_date):
    request = make_request(applicant=ApplicantData(kind="citizen", identifier=identifier, name="A",
                                                   birth_date=birth_date))
    assert receive_dossier(request=request, acting_user=clerk).applicant_identifier == identifier


def test_birth_date_and_postal_handover_after_the_intake_day_are_refused(make_request, clerk):
    request = make_request(channel="postal", postal_waybill="EB123456789VN", postal_handed_on=dt.date(2025, 11, 18),
                           applicant=ApplicantData(kind="citizen", identifier="042225001234", name="A",
                                                   birth_date=dt.date(2025, 11, 20)))
    with pytest.raises(IntakeError) as exc:
        receive_dossier(request=request, acting_user=clerk)
    assert "không thể sau ngày tiếp nhận" in exc.value.errors["applicant_birth_date"][0]
    assert "không thể sau ngày tiếp nhận" in exc.value.errors["postal_handed_on"][0]
    assert not Dossier.objects.exists()


def test_procedure_not_in_force_is_refused(make_request, clerk):
    with pytest.raises(IntakeError) as exc:
        receive_dossier(request=make_request(received_at=at("17/11/2015 09:00")), acting_user=clerk)
    assert "không còn hiệu lực" in exc.value.errors["procedure"][0]


def test_postal_dossier_needs_a_waybill(make_request, clerk):
    with pytest.raises(IntakeError) as exc:
        receive_dossier(request=make_request(channel="postal"), acting_user=clerk)
    assert "mã vận đơn" in exc.value.errors["postal_waybill"][0]


def test_same_idempotency_key_creates_one_dossier(make_request, clerk):
    first = receive_dossier(request=make_request(), acting_user=clerk, idempotency_key="k-1")
    again = receive_dossier(request=make_request(), acting_user=clerk, idempotency_key="k-1")
    assert first.pk == again.pk and Dossier.objects.filter(idempotency_key="k-1").count() == 1


def test_returning_applicant_is_found_again_and_updated(make_request, clerk):
    receive_dossier(request=make_request(), acting_user=clerk)
    newer = ApplicantData(kind="citizen", identifier="042087001234", name="Nguyễn Văn Hùng", phone="0912000111")
    dossier = receive_dossier(request=make_request(applicant=newer), acting_user=clerk)
    assert dossier.applicant.phone == "0912000111" and dossier.applicant.address == "Phường Thành Sen, Hà Tĩnh"


def test_before_july_2025_prints_the_2018_form_set(make_request, clerk):
    from motcua.catalog.models import ProcedureVersion

    version = ProcedureVersion.objects.in_force_on(at("16/06/2025 09:00").date()).filter(
        procedure__code="1.013937").get()
    case = version.cases.first()
    dossier = receive_dossier(request=make_request(version=version, case=case,
                                                   present_components={c.pk for c in case.components.all()},
                                                   received_at=at("16/06/2025 09:00")), acting_user=clerk)
    assert dossier.form_set == "tt01_2018"
