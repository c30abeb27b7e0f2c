"""/ke-hoach/: control officers see everything; a lead unit's officers see and update their tasks; 404 otherwise.
Status and progress, evidence (files checked by content, links to publication decisions), comments, history."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.catalog.models import PublicationDecision
from motcua.org.models import AuditEntry
from motcua.paperwork import docx as pdocx
from motcua.plans.models import Evidence, TaskStatus
from motcua.plans.tests.conftest import task_of

pytestmark = pytest.mark.django_db


def _docx_bytes(text="Biên bản"):
    doc = pdocx.new_document()
    doc.add_paragraph(text)
    return pdocx.to_bytes(doc)


def test_control_officer_sees_the_dashboard_by_section_unit_and_overdue(client, control_officer, plan):
    client.force_login(control_officer)
    assert plan.title in client.get("/ke-hoach/").content.decode()
    page = client.get(f"/ke-hoach/{plan.pk}/").content.decode()
    assert "Công tác chỉ đạo điều hành" in page and "Chế độ thông tin, báo cáo" in page
    assert page.count('href="/ke-hoach/nhiem-vu/') >= 40
    by_unit = client.get(f"/ke-hoach/{plan.pk}/?xem=don-vi").content.decode()
    assert "Văn phòng Sở Nội vụ" in by_unit
    overdue = client.get(f"/ke-hoach/{plan.pk}/?xem=qua-han").content.decode()
    assert "I.1" in overdue  # March 2024, still not started today
    assert "Tỷ lệ hồ sơ nộp trực tuyến" in page  # targets shown to the control officer


def test_lead_unit_officer_sees_only_their_tasks_and_others_get_404(client, specialist, outsider, citizen, plan):
    vp_only = task_of(plan, "I.1")       # lead: Văn phòng
    group = task_of(plan, "III.2")       # lead: Các phòng, ban, đơn vị được giao giải quyết TTHC
    client.force_login(specialist)       # Phòng Thi đua – Khen thưởng
    assert client.get(f"/ke-hoach/nhiem-vu/{group.pk}/").status_code == 200
    assert client.get(f"/ke-hoach/nhiem-vu/{vp_only.pk}/").status_code == 404
    assert client.post(f"/ke-hoach/nhiem-vu/{vp_only.pk}/cap-nhat/",
                       {"status": "done", "progress": "100"}).status_code == 404
    page = client.get(f"/ke-hoach/{plan.pk}/").content.decode()
    assert f"/ke-hoach/nhiem-vu/{group.pk}/" in page and f"/ke-hoach/nhiem-vu/{vp_only.pk}/" not in page
    assert client.get(f"/ke-hoach/{plan.pk}/xuat.docx").status_code == 404
    for person in (outsider, citizen):
        client.force_login(person)
        assert client.get(f"/ke-hoach/{plan.pk}/").status_code == 404
        assert client.get(f"/ke-hoach/nhiem-vu/{group.pk}/").status_code == 404
        assert plan.title not in client.get("/ke-hoach/").content.decode()


def test_update_status_progress_history_and_audit(client, specialist, plan):
    task = task_of(plan, "III.2")
    client.force_login(specialist)
    response = client.post(f"/ke-hoach/nhiem-vu/{task.pk}/cap-nhat/",
                           {"status": "in_progress", "progress": "40", "note": "Đã rà soát 5/12 TTHC"})
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.status, task.progress) == (TaskStatus.IN_PROGRESS, 40)
    event = task.events.get(action="update")
    assert event.actor == specialist and event.before["progress"] == 0 and event.after["progress"] == 40
    assert AuditEntry.objects.filter(action="plans.update_task", object_id=str(task.pk)).count() == 1
    page = client.get(f"/ke-hoach/nhiem-vu/{task.pk}/").content.decode()
    assert "Chưa thực hiện 0% → Đang thực hiện 40%" in page and "Đã rà soát 5/12 TTHC" in page
    bad = client.post(f"/ke-hoach/nhiem-vu/{task.pk}/cap-nhat/", {"status": "in_progress", "progress": "140"})
    assert bad.status_code == 400 and "Tiến độ từ 0 đến 100%." in bad.content.decode()
    bad = client.post(f"/ke-hoach/nhiem-vu/{task.pk}/cap-nhat/", {"status": "in_progress", "progress": "100"})
    assert "chọn trạng thái “Hoàn thành”" in bad.content.decode()
    client.post(f"/ke-hoach/nhiem-vu/{task.pk}/cap-nhat/", {"status": "done", "progress": "10"})
    task.refresh_from_db()
    assert (task.status, task.progress) == (TaskStatus.DONE, 100) and task.done_on is not None


def test_undated_task_gets_dates_from_the_office(client, control_officer, plan):
    task = task_of(plan, "VIII.12")
    assert task.needs_dates and task.due_on is None
    client.force_login(control_officer)
    client.post(f"/ke-hoach/nhiem-vu/{task.pk}/cap-nhat/",
                {"status": "not_started", "progress": "0", "start_on": "01/06/2024", "due_on": "30/09/2024"})
    task.refresh_from_db()
    assert not task.needs_dates and task.due_on.isoformat() == "2024-09-30"
    assert task.timeframe_text == "Theo Kế hoạch của tỉnh"


def test_evidence_file_checked_by_content_and_downloadable(client, control_officer, plan):
    task = task_of(plan, "I.1")
    client.force_login(control_officer)
    fake = SimpleUploadedFile("qd.pdf", b"not really a pdf", content_type="application/pdf")
    response = client.post(f"/ke-hoach/nhiem-vu/{task.pk}/minh-chung/", {"file": fake, "label": "QĐ"})
    assert response.status_code == 400
    assert "không đúng định dạng cho phép" in response.content.decode()
    assert not Evidence.objects.filter(task=task).exists()
    content = _docx_bytes()
    good = SimpleUploadedFile("quyet-dinh.docx", content, content_type="application/octet-stream")
    response = client.post(f"/ke-hoach/nhiem-vu/{task.pk}/minh-chung/", {"file": good, "label": "Quyết định"})
    assert response.status_code == 302
    evidence = Evidence.objects.get(task=task)
    assert evidence.kind == "file" and evidence.content_type_name.endswith("wordprocessingml.document")
    download = client.get(f"/ke-hoach/minh-chung/{evidence.pk}/")
    assert b"".join(download.streaming_content) == content
    again = SimpleUploadedFile("copy.docx", content, content_type="application/octet-stream")
    response = client.post(f"/ke-hoach/nhiem-vu/{task.pk}/minh-chung/", {"file": again})
    assert "đã được đính kèm" in response.content.decode()
    assert task.events.filter(action="evidence").count() == 1


def test_iv3_done_with_a_publication_decision_as_evidence(client, control_officer, plan):
    """JOURNEYS 4: task IV.3 marked done with the publication decision as evidence."""
    task = task_of(plan, "IV.3")
    decision = PublicationDecision.objects.order_by("signed_on").first()
    client.force_login(control_officer)
    response = client.post(f"/ke-hoach/nhiem-vu/{task.pk}/lien-ket/",
                           {"target": f"catalog.publicationdecision:{decision.pk}", "label": ""})
    assert response.status_code == 302
    evidence = Evidence.objects.get(task=task)
    assert evidence.linked == decision and evidence.label == str(decision)
    client.post(f"/ke-hoach/nhiem-vu/{task.pk}/cap-nhat/", {"status": "done", "progress": "100"})
    page = client.get(f"/ke-hoach/nhiem-vu/{task.pk}/").content.decode()
    assert f'href="/danh-muc/quyet-dinh/{decision.pk}/"' in page
    response = client.post(f"/ke-hoach/nhiem-vu/{task.pk}/lien-ket/",
                           {"target": f"catalog.publicationdecision:{decision.pk}"})
    assert response.status_code == 400 and "đã là minh chứng" in response.content.decode()
    response = client.post(f"/ke-hoach/nhiem-vu/{task.pk}/lien-ket/", {"target": "catalog.publicationdecision:999999"})
    assert response.status_code == 400


def test_recurring_task_periods_and_comments(client, control_officer, plan):
    task = task_of(plan, "IX.2")
    client.force_login(control_officer)
    page = client.get(f"/ke-hoach/nhiem-vu/{task.pk}/").content.decode()
    for label in ("Quý I", "Quý II", "Quý III", "Cả năm"):
        assert label in page
    assert "15/12/2023 – 14/03/2024" in page
    first = task.instances.get(label="Quý I")
    client.post(f"/ke-hoach/ky/{first.pk}/cap-nhat/", {"status": "done", "note": "Báo cáo số 12/BC-SNV"})
    task.refresh_from_db()
    assert (task.status, task.progress) == (TaskStatus.IN_PROGRESS, 25)
    client.post(f"/ke-hoach/nhiem-vu/{task.pk}/y-kien/", {"text": "Nhớ gửi kèm biểu II.06a"})
    empty = client.post(f"/ke-hoach/nhiem-vu/{task.pk}/y-kien/", {"text": "  "})
    assert empty.status_code == 400
    assert task.comments.get().text == "Nhớ gửi kèm biểu II.06a"
    assert set(task.events.values_list("action", flat=True)) == {"update_period", "comment"}
