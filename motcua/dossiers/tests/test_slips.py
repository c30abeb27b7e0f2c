"""The three intake slips as PDFs, read back: code, applicant, procedure, due date, components, titles."""

from dataclasses import replace
from io import BytesIO

import pytest
from django.test import override_settings
from pypdf import PdfReader

from motcua.catalog.models import ProcedureVersion
from motcua.dossiers.intake import give_intake_notice, receive_dossier
from motcua.dossiers.slips import notice_pdf, receipt_pdf, slip_labels, status_page_url

from .conftest import at


def pdf_text(data: bytes) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)
    return " ".join(text.split())


@pytest.fixture
def received(make_request, clerk):
    return receive_dossier(request=make_request(received_at=at("17/11/2025 15:40"), sets_count=2), acting_user=clerk)


def test_receipt_carries_code_applicant_procedure_components_and_appointment(received):
    assert received.form_set == "tt03_2025"
    text = pdf_text(receipt_pdf(received))
    assert received.code in text
    assert "Nguyễn Văn Hùng" in text and "042087001234" in text
    assert "Cấp, cấp lại Giấy chứng nhận đủ điều kiện kinh doanh dịch vụ lưu trữ" in text
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text and "BM.01" in text
    assert "Thời gian nhận hồ sơ: 15:40 17/11/2025" in text
    assert "15:40 01/12/2025" in text  # 10 working days later at the same time
    for item in received.checklist.all():
        assert item.name in text
    assert "Số lượng hồ sơ: 2 (bộ)" in text
    assert "Quyển số: 2025, Số thứ tự: 1" in text
    assert "NGƯỜI NỘP HỒ SƠ" in text and "Trần Thị Lan" in text
    assert "15:00" in text  # the handover note: the paper file goes to the agency next morning


@pytest.mark.parametrize("when", ["16/12/2025 15:40", "19/12/2025 21:38"])
def test_receipt_of_four_components_after_15h_fits_on_one_a4_page(make_request, clerk, citizen_data, when):
    """Journey 1: Chị Lan's 15:40 receipt for 1.013934 (four components since 01/12/2025), and one taken
    on a Friday evening with both handover notes, print on one sheet: the signatures must not be left
    alone on a second page."""
    version = ProcedureVersion.objects.in_force_on(at(when).date()).get(procedure__code="1.013934")
    case = version.cases.first()
    applicant = replace(citizen_data, email="binh.tran@example.com",
                        address="Xóm 6, phường Nam Hồng Lĩnh, tỉnh Hà Tĩnh")
    dossier = receive_dossier(request=make_request(
        version=version, case=case, present_components={c.pk for c in case.components.all()},
        received_at=at(when), applicant=applicant), acting_user=clerk)
    assert dossier.checklist.count() == 4
    data = receipt_pdf(dossier)
    assert len(PdfReader(BytesIO(data)).pages) == 1
    text = pdf_text(data)
    assert "15:00" in text and "NGƯỜI TIẾP NHẬN HỒ SƠ" in text and "Trần Thị Lan" in text


def test_receipt_qr_points_to_the_public_status_page(received):
    assert status_page_url(received.code) == f"http://127.0.0.1:8000/tra-cuu/?ma={received.code}"
    with override_settings(SITE_URL="https://motcua.hatinh.gov.vn/"):
        assert status_page_url(received.code).startswith("https://motcua.hatinh.gov.vn/tra-cuu/?ma=")


def _notice(kind, make_request, clerk, **extra):
    request = make_request()
    values = {"kind": kind, "version": request.version, "case": request.case, "channel": "direct",
              "applicant": request.applicant, "desk": request.desk, "acting_user": clerk,
              "issued_at": at("17/11/2025 08:20"), "items": [], "reason": ""}
    values.update(extra)
    return give_intake_notice(**values)


def test_supplement_request_lists_every_item_with_its_reason(make_request, clerk):
    notice = _notice("supplement", make_request, clerk, items=[
        {"name": "Đơn đề nghị cấp Giấy chứng nhận đủ điều kiện kinh doanh dịch vụ lưu trữ", "reason": "Chưa nộp"},
        {"name": "Bản sao chứng chỉ hành nghề", "reason": "Bản sao chưa chứng thực"},
    ])
    text = pdf_text(notice_pdf(notice))
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in text and "BM.02" in text
    assert notice.number in text and "PBS" in notice.number
    assert "Nguyễn Văn Hùng" in text
    assert "Cấp, cấp lại Giấy chứng nhận đủ điều kiện kinh doanh dịch vụ lưu trữ" in text
    assert "Chưa nộp" in text and "Bản sao chưa chứng thực" in text
    assert "Trần Thị Lan" in text and "0912345678" in text  # contact of the guiding officer


def test_refusal_states_its_reason(make_request, clerk):
    notice = _notice("refusal", make_request, clerk, reason="Thủ tục không thuộc thẩm quyền của Sở Nội vụ")
    text = pdf_text(notice_pdf(notice))
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" in text and "BM.03" in text
    assert "Thủ tục không thuộc thẩm quyền của Sở Nội vụ" in text
    assert "Nguyễn Văn Hùng" in text


def test_before_july_2025_the_slips_use_the_2018_numbering(make_request, clerk):
    version = ProcedureVersion.objects.in_force_on(at("16/06/2025 09:00").date()).get(procedure__code="1.013937")
    case = version.cases.first()
    dossier = receive_dossier(request=make_request(version=version, case=case,
                                                   present_components={c.pk for c in case.components.all()},
                                                   received_at=at("16/06/2025 09:00")), acting_user=clerk)
    text = pdf_text(receipt_pdf(dossier))
    assert "Mẫu số 01" in text and "01/2018/TT-VPCP" in text and "BM.01" not in text
    assert dossier.code in text and version.name in text
    notice = _notice("refusal", make_request, clerk, version=version, case=case, reason="Không đủ điều kiện",
                     issued_at=at("16/06/2025 10:00"))
    text = pdf_text(notice_pdf(notice))
    assert "Mẫu số 03" in text and "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" in text


def test_a_province_overrides_the_labels():
    with override_settings(SLIP_LABELS={"tt03_2025": {"receipt": {"number": "Mẫu số 01"}}}):
        assert slip_labels("tt03_2025", "receipt")["number"] == "Mẫu số 01"
        assert slip_labels("tt03_2025", "supplement")["number"] == "BM.02"
    assert slip_labels("tt03_2025", "receipt")["number"] == "BM.01"


def test_receipt_names_the_authorised_person_who_signs_it(make_request, clerk):
    """BM.01: a dossier submitted by someone on the applicant's behalf names them (name and personal ID
    number) under the applicant, and they sign as the submitter; without one, the applicant signs."""
    dossier = receive_dossier(request=make_request(received_at=at("17/11/2025 09:00"),
                                                   authorised_name="  Trần   Văn An ",
                                                   authorised_identifier="042 090 001 111"), acting_user=clerk)
    assert (dossier.authorised_name, dossier.authorised_identifier) == ("Trần Văn An", "042090001111")
    text = pdf_text(receipt_pdf(dossier))
    assert "Ông/Bà/Tổ chức: Nguyễn Văn Hùng" in text
    assert "Người được ủy quyền: Trần Văn An, Số định danh cá nhân: 042090001111" in text
    assert text.index("NGƯỜI NỘP HỒ SƠ") < text.index("Trần Văn An", text.index("NGƯỜI NỘP HỒ SƠ"))
    plain = pdf_text(receipt_pdf(receive_dossier(request=make_request(received_at=at("17/11/2025 09:30")),
                                                 acting_user=clerk)))
    assert "Người được ủy quyền" not in plain
    assert "Nguyễn Văn Hùng" in plain[plain.index("NGƯỜI NỘP HỒ SƠ"):]


@pytest.mark.parametrize(("name", "identifier", "field", "message"), [
    ("Trần Văn An", "", "authorised_identifier", "Cần nhập số định danh cá nhân của người được ủy quyền."),
    ("", "042090001111", "authorised_name", "Cần nhập họ tên người được ủy quyền."),
    ("Trần Văn An", "04209000111", "authorised_identifier", "12 chữ số"),
])
def test_an_incomplete_or_invalid_authorised_person_is_refused(make_request, clerk, name, identifier, field, message):
    from motcua.dossiers.intake import IntakeError
    from motcua.dossiers.models import Dossier

    with pytest.raises(IntakeError) as caught:
        receive_dossier(request=make_request(authorised_name=name, authorised_identifier=identifier), acting_user=clerk)
    assert any(message in m for m in caught.value.errors[field])
    assert Dossier.objects.count() == 0


def test_receipt_states_the_fee_and_whether_it_is_paid(received, clerk):
    """DOMAIN B.1.4: the receipt carries the fee status — none for a free procedure; the amount and
    'chưa nộp' before payment; 'đã nộp' on a reprint after a counter payment."""
    from motcua.catalog.models import Fee
    from motcua.integrations.payments import actions

    assert "Phí, lệ phí: Không thu phí, lệ phí" in pdf_text(receipt_pdf(received))  # 1.013934 charges nothing
    Fee.objects.create(case=received.case, name="Phí thẩm định", amount=1_000_000)
    Fee.objects.create(case=received.case, name="Lệ phí cấp giấy", amount=250_000)
    assert "Phí, lệ phí: 1.250.000 đ (chưa nộp)" in pdf_text(receipt_pdf(received))
    actions.record_counter_payment(dossier=received, method="cash", amount=1_250_000, acting_user=clerk)
    assert "Phí, lệ phí: 1.250.000 đ (đã nộp)" in pdf_text(receipt_pdf(received))
