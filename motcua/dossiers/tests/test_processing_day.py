"""The day (weeks) of one dossier of 1.013934, end to end: received at the counter, through the steps of
the Sở Nội vụ with an inter-agency opinion of the Sở Tư pháp, a supplement, an apology with a new
appointment, the decision, the signed result and the return — checked against the printed receipt,
supplement request, process control slip and apology read back from the PDFs."""

from __future__ import annotations

import pytest

from motcua.dossiers import processing_slips, slips
from motcua.dossiers import transitions as t
from motcua.dossiers import worklists as w
from motcua.dossiers.models import Outcome, Status, StepResult
from motcua.lib.formats import vn_datetime
from motcua.org.audit import verify_chain
from motcua.org.models import Role, Unit, User

from .conftest import at
from .processing_helpers import flat, pdf_text, person, receive

CCHC = "000.04.12.H27"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_the_day_of_one_dossier(make_request, clerk, leader, control_officer):
    luu = person("luu", "Ngô Văn Lưu", Role.SPECIALIST, CCHC)
    tuphap = User.objects.get(username="tuphap")
    justice = Unit.objects.get(code="000.01.15.H27")
    cchc = Unit.objects.get(code=CCHC)

    dossier = receive(make_request, clerk, "17/11/2025 09:10")
    receipt = flat(pdf_text(slips.receipt_pdf(dossier)))
    assert dossier.code in receipt and vn_datetime(dossier.due_at) in receipt
    first_due = dossier.due_at

    assert w.may_act(clerk, dossier) and not w.may_act(luu, dossier)
    dossier = t.hand_on(dossier=dossier, acting_user=clerk, at=at("17/11/2025 10:00"))  # → 2 Văn phòng
    dossier = t.hand_on(dossier=dossier, acting_user=leader, assignee=luu, at=at("17/11/2025 11:00"))  # → 3
    assert w.may_act(luu, dossier) and [i.dossier.code for i in w.worklist(luu).items] == [dossier.code]

    consultation = t.consult(dossier=dossier, unit=justice, question="Đề nghị cho ý kiến về tư cách pháp lý",
                             acting_user=luu, at=at("18/11/2025 09:00"))
    assert w.may_act(tuphap, dossier, "answer_consultation") and not w.may_act(tuphap, dossier, "hand_on")
    t.answer_consultation(consultation=consultation, answer="Đủ điều kiện về tư cách pháp lý", acting_user=tuphap,
                          at=at("18/11/2025 15:00"))

    round_ = t.request_supplement(
        dossier=dossier, items=[{"name": "Bản sao chứng chỉ hành nghề lưu trữ", "reason": "Bản chụp không đọc được"}],
        reason="Hồ sơ cần bổ sung trong quá trình thẩm định", acting_user=luu, at=at("19/11/2025 09:00"))
    dossier = t.receive_supplement(dossier=dossier, acting_user=clerk, at=at("21/11/2025 09:00"))
    assert t.schedule_of(dossier).working_between(first_due, dossier.due_at).total_seconds() == 2 * 8 * 3600
    due_after_supplement = dossier.due_at

    apology = t.issue_apology(dossier=dossier, new_due_at=at("10/12/2025 17:00"),
                              reason="Thẩm định kéo dài do chờ ý kiến phối hợp", caused_by=cchc,
                              acting_user=leader, at=at("01/12/2025 09:00"))
    dossier = t.hand_on(dossier=dossier, acting_user=luu, at=at("03/12/2025 10:00"))  # step 3 ends late → 4
    dossier = t.hand_on(dossier=dossier, acting_user=leader, at=at("03/12/2025 14:00"))  # → 5 Lãnh đạo Sở
    dossier = t.decide(dossier=dossier, approve=True, acting_user=leader, at=at("04/12/2025 09:00"))
    hoa = control_officer
    dossier = t.hand_on(dossier=dossier, acting_user=leader, assignee=hoa, at=at("04/12/2025 09:30"))  # → 6
    t.attach_result(dossier=dossier, name="Giấy chứng nhận đủ điều kiện kinh doanh dịch vụ lưu trữ",
                    content=b"%PDF-1.4 signed", filename="gcn.pdf", content_type="application/pdf",
                    number="15/GCN-SNV", signer="Bùi Quang Dương", acting_user=hoa, at=at("04/12/2025 10:00"))
    dossier = t.hand_on(dossier=dossier, acting_user=hoa, at=at("04/12/2025 10:30"))  # → 7, resolved
    assert w.may_act(clerk, dossier, "return_result") and not w.may_act(luu, dossier, "return_result")
    dossier = t.return_result(dossier=dossier, channel="counter", returned_to="Nguyễn Văn Hùng", acting_user=clerk,
                              at=at("05/12/2025 09:00"))

    assert dossier.status == Status.RETURNED and dossier.outcome == Outcome.APPROVED
    runs = list(dossier.step_runs.order_by("received_at", "id"))
    assert [r.order for r in runs] == [1, 2, 3, 4, 5, 6, 7]
    assert [r.result for r in runs if r.order == 3] == [StepResult.LATE]
    assert all(r.result != StepResult.LATE for r in runs if r.order != 3)
    cause = w.late_cause(dossier)
    assert cause is not None and cause.run.order == 3 and cause.overrun.total_seconds() > 0

    supplement = flat(pdf_text(processing_slips.supplement_pdf(round_)))
    assert dossier.code in supplement and "BM.02" in supplement
    assert "Bản sao chứng chỉ hành nghề lưu trữ" in supplement and "Bản chụp không đọc được" in supplement
    assert "09 giờ 00 phút, ngày 19/11/2025" in supplement and "Ngô Văn Lưu" in supplement

    control = flat(pdf_text(processing_slips.control_slip_pdf(dossier)))
    assert dossier.code in control and "BM.05" in control
    assert "Sở Nội vụ tỉnh Hà Tĩnh" in control and "Phòng Hành chính tư pháp" in control  # lead and coordinating
    assert "09 giờ 10 phút, ngày 17/11/2025" in control  # received
    assert "17 giờ 00 phút, ngày 10/12/2025" in control  # the new appointment
    assert "11 giờ 00 phút, ngày 17/11/2025" in control  # handed to the appraisal step
    assert control.count("Quá hạn") >= 1 and ("Đúng hạn" in control or "Trước hạn" in control)
    assert "Bước gây quá hạn: Thẩm định hồ sơ – Phòng Cải cách hành chính và Văn thư lưu trữ" in control
    assert "Ngô Văn Lưu" in control and "Trần Thị Lan" in control and "Nguyễn Thị Hoa" in control

    letter = flat(pdf_text(processing_slips.apology_pdf(apology)))
    assert "PHIẾU XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT" in letter.upper() and "BM.04" in letter
    assert dossier.code in letter and "Nguyễn Văn Hùng" in letter and apology.number in letter
    assert f"Thời gian hẹn trả kết quả giải quyết hồ sơ: {processing_slips.hm_date(due_after_supplement)}" in letter
    assert "17 giờ 00 phút, ngày 10/12/2025" in letter
    assert "Thẩm định kéo dài do chờ ý kiến phối hợp" in letter and cchc.name in letter
    assert verify_chain().intact
