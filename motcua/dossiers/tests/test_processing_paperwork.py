"""Processing paperwork by form set: TT 01/2018 numbering (Mẫu 04/05), the stop notice only under
TT 03/2025, served to those who may see the dossier."""

from __future__ import annotations

import pytest

from motcua.dossiers import processing_slips
from motcua.dossiers import transitions as t
from motcua.dossiers.models import FormSet

from .conftest import at
from .processing_helpers import flat, pdf_text, receive, walk_to


@pytest.fixture
def at_appraisal(make_request, clerk):
    dossier, _ = walk_to(receive(make_request, clerk, "17/11/2025 09:10"), 3, clerk)
    return dossier


def test_old_form_set_prints_mau_04_and_05(at_appraisal, clerk, leader):
    at_appraisal.form_set = FormSet.TT01_2018
    at_appraisal.save(update_fields=["form_set"])
    apology = t.issue_apology(dossier=at_appraisal, new_due_at=at("05/12/2025 16:00"), reason="Chờ ý kiến",
                              acting_user=leader, at=at("25/11/2025 09:00"))
    letter = flat(pdf_text(processing_slips.apology_pdf(apology)))
    assert "Mẫu số 04" in letter and "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" in letter.upper()
    assert "Thông tư số 01/2018/TT-VPCP" in letter and "16 giờ 00 phút, ngày 05/12/2025" in letter
    control = flat(pdf_text(processing_slips.control_slip_pdf(at_appraisal)))
    assert "Mẫu số 05" in control and at_appraisal.code in control and "Đang xử lý" in control
    assert not processing_slips.has_form(at_appraisal, "stop")


def test_stop_notice_under_the_2025_rules(client, at_appraisal, clerk):
    t.stop(dossier=at_appraisal, reason="Doanh nghiệp xin rút để bổ sung nhân sự", withdrawal=True,
           acting_user=clerk, at=at("18/11/2025 14:30"))
    notice = flat(pdf_text(processing_slips.stop_notice_pdf(at_appraisal)))
    assert "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ" in notice.upper() and at_appraisal.code in notice
    assert "rút hồ sơ" in notice and "Doanh nghiệp xin rút để bổ sung nhân sự" in notice
    assert "14 giờ 30 phút, ngày 18/11/2025" in notice and "Trần Thị Lan" in notice
    assert "hồ sơ đang ở bước: Thẩm định hồ sơ" in notice  # the stage reached when the applicant asked
    client.force_login(clerk)
    response = client.get(f"/mot-cua/ho-so/{at_appraisal.code}/thong-bao-dung.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    response = client.get(f"/mot-cua/ho-so/{at_appraisal.code}/phieu-kiem-soat.pdf")
    assert response.status_code == 200 and at_appraisal.code in flat(pdf_text(response.content))


def test_stop_notice_absent_under_the_2018_rules_and_pdfs_hidden_from_others(client, at_appraisal, clerk, specialist):
    at_appraisal.form_set = FormSet.TT01_2018
    at_appraisal.save(update_fields=["form_set"])
    t.stop(dossier=at_appraisal, reason="Xin dừng", acting_user=clerk, at=at("18/11/2025 14:30"))
    client.force_login(clerk)
    assert client.get(f"/mot-cua/ho-so/{at_appraisal.code}/thong-bao-dung.pdf").status_code == 404
    client.force_login(specialist)
    assert client.get(f"/mot-cua/ho-so/{at_appraisal.code}/phieu-kiem-soat.pdf").status_code == 404
