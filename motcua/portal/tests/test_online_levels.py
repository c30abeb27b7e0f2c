"""Full-online procedures need nothing on paper; partly-online ones say exactly which originals to bring
and when (procedure page, review step, the dossier page after submission)."""

from __future__ import annotations

from motcua.catalog.selectors import version_in_force
from motcua.portal import actions

PAPER_NOTICE = "mang bản chính"


def test_partly_online_procedure_lists_the_originals_to_bring(client, citizen, db):
    version = version_in_force("1.010803")  # trợ cấp thờ cúng liệt sĩ: partly online, the form in original
    assert version.online_level == "partial"
    case = version.cases.first()
    originals = [c.name for c in case.components.all() if c.originals]
    assert originals == ["Bản khai hoặc đơn đề nghị"]

    page = client.get("/cong/thu-tuc/1.010803/").content.decode()
    assert "Thủ tục trực tuyến một phần" in page and PAPER_NOTICE in page and "khi đến nhận kết quả" in page
    assert "Bản khai hoặc đơn đề nghị" in page.split(PAPER_NOTICE, 1)[1].split("</p>", 1)[0]
    assert "không cần nộp giấy tờ bản giấy" not in page

    client.force_login(citizen)
    draft = actions.start_draft(version=version, case=case, acting_user=citizen)
    review = client.get(f"/cong/ho-so-nhap/{draft.pk}/xem-lai/").content.decode()
    notice = review.split("Thủ tục trực tuyến một phần", 1)[1].split("</p>", 1)[0]
    assert "Bộ phận Một cửa" in notice and PAPER_NOTICE in notice and "Bản khai hoặc đơn đề nghị" in notice
    assert "không cần nộp giấy tờ bản giấy" not in review


def test_full_online_procedure_needs_nothing_on_paper(client, citizen, work_permit):
    page = client.get("/cong/thu-tuc/1.014199/").content.decode()
    assert PAPER_NOTICE not in page
    client.force_login(citizen)
    draft = actions.start_draft(version=work_permit, case=work_permit.cases.first(), acting_user=citizen)
    review = client.get(f"/cong/ho-so-nhap/{draft.pk}/xem-lai/").content.decode()
    assert "Thủ tục trực tuyến toàn trình: không cần nộp giấy tờ bản giấy." in review
    assert PAPER_NOTICE not in review
