"""Section V: an inspection with its team and units, checklist findings, recommendations with deadlines and
follow-up by the inspected unit, self-inspection reports, and the report DOCX per ND 30/2020."""

import datetime as dt
from io import BytesIO

import pytest
from docx import Document

from motcua.org.models import AuditEntry, Unit
from motcua.plans.exports import inspection_docx
from motcua.plans.models import Inspection, Recommendation, SelfInspectionReport

pytestmark = pytest.mark.django_db


@pytest.fixture
def inspection(client, control_officer, leader, plan):
    tdkt = Unit.objects.get(code="000.05.12.H27")
    client.force_login(control_officer)
    response = client.post(f"/ke-hoach/{plan.pk}/kiem-tra/", {
        "title": "Kiểm tra công tác kiểm soát TTHC quý III", "scope": "Niêm yết; giải quyết hồ sơ",
        "starts_on": "10/09/2024", "ends_on": "12/09/2024", "leader": control_officer.pk,
        "members": [leader.pk], "units": [tdkt.pk]})
    assert response.status_code == 302
    return Inspection.objects.get(plan=plan)


def test_inspection_findings_recommendations_and_report(client, control_officer, inspection):
    tdkt = inspection.units.get()
    assert inspection.task.ref == "V.2"
    client.post(f"/ke-hoach/kiem-tra/{inspection.pk}/ket-qua/", {
        "unit": tdkt.pk, "item": "Niêm yết, công khai TTHC tại trụ sở và trên Cổng thông tin điện tử",
        "compliant": "1", "observation": "Đầy đủ"})
    client.post(f"/ke-hoach/kiem-tra/{inspection.pk}/ket-qua/", {
        "unit": tdkt.pk, "item": "Văn bản xin lỗi khi giải quyết hồ sơ quá hạn", "compliant": "0",
        "observation": "Thiếu 2 văn bản"})
    response = client.post(f"/ke-hoach/kiem-tra/{inspection.pk}/kien-nghi/", {
        "unit": tdkt.pk, "text": "Gửi văn bản xin lỗi.", "deadline": "01/01/2024"})
    assert response.status_code == 400 and "Hạn khắc phục không được trước ngày kiểm tra." in response.content.decode()
    client.post(f"/ke-hoach/kiem-tra/{inspection.pk}/kien-nghi/", {
        "unit": tdkt.pk, "text": "Gửi văn bản xin lỗi.", "deadline": "15/10/2024"})
    client.post(f"/ke-hoach/kiem-tra/{inspection.pk}/ket-luan/", {"conclusion": "Cơ bản đạt yêu cầu."})
    inspection.refresh_from_db()
    assert inspection.status == Inspection.Status.DONE and inspection.findings.count() == 2
    page = client.get(f"/ke-hoach/kiem-tra/{inspection.pk}/").content.decode()
    assert "Thiếu 2 văn bản" in page and "quá hạn" in page  # 15/10/2024 passed, not remedied
    assert AuditEntry.objects.filter(action__startswith="plans.", object_type__startswith="plans.").count() >= 5

    doc = Document(BytesIO(client.get(f"/ke-hoach/kiem-tra/{inspection.pk}/bao-cao.docx").content))
    header = doc.tables[0].rows[0].cells
    assert "SỞ NỘI VỤ TỈNH HÀ TĨNH" in header[0].text and "Số:" in header[0].text
    assert header[1].text.startswith("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc")
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "BÁO CÁO" in text and "Kết quả kiểm tra: Kiểm tra công tác kiểm soát TTHC quý III" in text
    assert "từ ngày 10/09/2024 đến ngày 12/09/2024" in text and "Trưởng đoàn: Nguyễn Thị Hoa" in text
    assert "Tổng số nội dung kiểm tra: 2; đạt: 1; chưa đạt: 1." in text
    assert "Gửi văn bản xin lỗi. Thời hạn khắc phục: 15/10/2024" in text
    findings = doc.tables[1]
    assert [c.text for c in findings.rows[2].cells][2:4] == ["Văn bản xin lỗi khi giải quyết hồ sơ quá hạn",
                                                             "Chưa đạt"]
    assert "TRƯỞNG ĐOÀN KIỂM TRA" in doc.tables[2].rows[0].cells[1].text


def test_inspected_unit_follows_up_others_cannot(client, inspection, control_officer, specialist, outsider):
    tdkt = inspection.units.get()
    rec = Recommendation.objects.create(inspection=inspection, unit=tdkt, text="Khắc phục", deadline=dt.date(2024, 10, 1))
    client.force_login(specialist)  # works in Phòng Thi đua – Khen thưởng, the inspected unit
    assert client.get(f"/ke-hoach/kiem-tra/{inspection.pk}/").status_code == 200
    assert client.post(f"/ke-hoach/kiem-tra/{inspection.pk}/ket-qua/", {}).status_code == 404
    client.post(f"/ke-hoach/kien-nghi/{rec.pk}/khac-phuc/", {"status": "done", "follow_up": "Đã gửi văn bản"})
    rec.refresh_from_db()
    assert (rec.status, rec.follow_up) == ("done", "Đã gửi văn bản")
    client.force_login(outsider)
    assert client.get(f"/ke-hoach/kiem-tra/{inspection.pk}/").status_code == 404
    assert client.post(f"/ke-hoach/kien-nghi/{rec.pk}/khac-phuc/", {"status": "open"}).status_code == 404


def test_units_submit_self_inspection_reports_once_per_period(client, specialist, control_officer, plan):
    tdkt = Unit.objects.get(code="000.05.12.H27")
    client.force_login(specialist)
    data = {"unit": tdkt.pk, "period_label": "6 tháng đầu năm 2024", "summary": "Đạt", "issues": ""}
    assert client.post(f"/ke-hoach/{plan.pk}/tu-kiem-tra/", data).status_code == 302
    again = client.post(f"/ke-hoach/{plan.pk}/tu-kiem-tra/", data)
    assert again.status_code == 400 and "đã nộp báo cáo tự kiểm tra" in again.content.decode()
    other = Unit.objects.get(code="000.01.12.H27")
    assert client.post(f"/ke-hoach/{plan.pk}/tu-kiem-tra/", {**data, "unit": other.pk}).status_code == 400
    assert SelfInspectionReport.objects.filter(plan=plan).count() == 1
    client.force_login(control_officer)
    assert "6 tháng đầu năm 2024" in client.get(f"/ke-hoach/{plan.pk}/tu-kiem-tra/").content.decode()


def test_inspection_docx_direct(inspection):
    doc = Document(BytesIO(inspection_docx(inspection, day=dt.date(2024, 9, 20))))
    assert "Hà Tĩnh, ngày 20 tháng 09 năm 2024" in doc.tables[0].rows[0].cells[1].text
    assert "Không có kiến nghị." in "\n".join(p.text for p in doc.paragraphs)
