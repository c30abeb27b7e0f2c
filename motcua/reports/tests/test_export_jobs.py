"""Background ad-hoc exports: the threshold switch, a job run to completion (the file read back), progress,
a failure midway (failed, Vietnamese message, no file anywhere), the owner-only download, the person's
scope, retention. The task runs through the immediate backend, as the other task tests do."""

from __future__ import annotations

import csv
import datetime as dt
import io
from io import BytesIO

import pytest
from django.db import DatabaseError
from django.utils import timezone
from openpyxl import load_workbook

from motcua.org.models import AuditEntry, User
from motcua.reports import export_jobs, exports
from motcua.reports.models import ExportJob

Q1 = "tu=17/11/2025&den=28/11/2025"
FORM = {"tu": "17/11/2025", "den": "28/11/2025"}


@pytest.fixture
def made(desk):
    dossiers = [desk.receive("17/11/2025 09:10"), desk.receive("18/11/2025 09:00", channel="online"),
                desk.receive("19/11/2025 09:00", channel="postal"), desk.receive("10/11/2025 09:00")]
    desk.resolve(dossiers[0], "20/11/2025 10:00")
    return dossiers


@pytest.fixture
def worker(settings, tmp_path):
    """The immediate task backend, files under tmp_path, a threshold below the module's 4 dossiers."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VAR_DIR = tmp_path / "var"
    settings.EXPORT_BACKGROUND_THRESHOLD = 2
    return tmp_path


def start(client, django_capture_on_commit_callbacks, fmt: str) -> ExportJob:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/bao-cao/trich-xuat/nen/", {**FORM, "dinh-dang": fmt})
    assert response.status_code == 302 and response["Location"] == "/bao-cao/trich-xuat/tep/"
    return ExportJob.objects.latest("id")


def stored_files(root) -> list:
    return [p for p in (root / "media").rglob("*") if p.is_file()] if (root / "media").exists() else []


def test_the_threshold_switches_between_a_streamed_file_and_a_background_job(made, client, control_officer,
                                                                            settings):
    client.force_login(control_officer)
    settings.EXPORT_BACKGROUND_THRESHOLD = 4
    page = client.get(f"/bao-cao/trich-xuat/?{Q1}").content.decode()
    assert "Tải XLSX" in page and "Xuất nền XLSX" not in page
    response = client.get(f"/bao-cao/trich-xuat/tai/?{Q1}&dinh-dang=csv")
    assert response.streaming and ExportJob.objects.count() == 0

    settings.EXPORT_BACKGROUND_THRESHOLD = 3
    page = client.get(f"/bao-cao/trich-xuat/?{Q1}").content.decode()
    assert "Xuất nền XLSX" in page and 'action="/bao-cao/trich-xuat/nen/"' in page
    assert '<input type="hidden" name="tu" value="17/11/2025">' in page
    # The GET download above the threshold writes nothing and sends the person back with the reason.
    response = client.get(f"/bao-cao/trich-xuat/tai/?{Q1}&dinh-dang=xlsx", follow=True)
    assert not getattr(response, "streaming", False)
    assert "Có hơn 3 hồ sơ" in response.content.decode() and ExportJob.objects.count() == 0


def test_an_xlsx_job_runs_to_completion_and_only_its_owner_downloads_it(made, client, control_officer, leader,
                                                                        worker, django_capture_on_commit_callbacks):
    client.force_login(control_officer)
    job = start(client, django_capture_on_commit_callbacks, "xlsx")
    job.refresh_from_db()
    assert (job.status, job.rows_written, job.total, job.percent) == ("done", 4, 4, 100)
    assert job.owner == control_officer and job.filters == FORM and job.finished_at is not None
    assert AuditEntry.objects.filter(action="reports.export_requested", object_id=str(job.pk),
                                     actor=control_officer).exists()
    assert list(AuditEntry.objects.filter(object_id=str(job.pk), object_type="reports.exportjob")
                .order_by("seq").values_list("action", flat=True)) == [
        "reports.export_requested", "reports.export_started", "reports.export_done"]

    page = client.get("/bao-cao/trich-xuat/tep/").content.decode()
    assert f"/bao-cao/trich-xuat/tep/{job.pk}/tai/" in page and 'value="100"' in page
    assert "hx-trigger" not in page  # a finished job is not polled any more
    response = client.get(f"/bao-cao/trich-xuat/tep/{job.pk}/tai/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="ho-so-20251117-20251128.xlsx"'
    rows = list(load_workbook(BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))
    assert rows[0][0] == "Hồ sơ Từ ngày 17/11/2025 đến ngày 28/11/2025"
    assert rows[1][:3] == ("Mã hồ sơ", "Mã TTHC", "Tên thủ tục")
    assert sorted(r[0] for r in rows[2:6]) == sorted(d.code for d in made)
    assert {r[1] for r in rows[2:6]} == {"1.013934"} and rows[6][0] == "Tổng số: 4 hồ sơ" and len(rows) == 7

    client.force_login(leader)  # sees every dossier, but not another person's export
    assert client.get(f"/bao-cao/trich-xuat/tep/{job.pk}/tai/").status_code == 404
    assert client.get(f"/bao-cao/trich-xuat/tep/{job.pk}/").status_code == 404
    assert job.title not in client.get("/bao-cao/trich-xuat/tep/").content.decode()


def test_a_csv_job_reports_progress_as_it_goes(made, client, control_officer, worker, monkeypatch,
                                               django_capture_on_commit_callbacks):
    monkeypatch.setattr(export_jobs, "PROGRESS_ROWS", 1)
    seen = []
    real_rows = exports.adhoc_rows

    def spying_rows(qs):
        for row in real_rows(qs):
            job = ExportJob.objects.latest("id")
            seen.append((job.status, job.rows_written, job.total))
            yield row

    monkeypatch.setattr(exports, "adhoc_rows", spying_rows)
    client.force_login(control_officer)
    job = start(client, django_capture_on_commit_callbacks, "csv")
    assert seen == [("running", 0, 4), ("running", 1, 4), ("running", 2, 4), ("running", 3, 4)]
    job.refresh_from_db()
    assert job.status == "done" and job.rows_written == 4
    text = b"".join(client.get(f"/bao-cao/trich-xuat/tep/{job.pk}/tai/").streaming_content).decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text)))
    assert lines[0][:2] == ["Mã hồ sơ", "Mã TTHC"] and lines[-1] == ["Tổng số: 4 hồ sơ"]
    assert sorted(line[0] for line in lines[1:5]) == sorted(d.code for d in made)


def test_a_running_job_is_polled_with_a_progress_bar(made, client, control_officer, worker):
    job = ExportJob.objects.create(owner=control_officer, filters=FORM, title="Hồ sơ quý", format="xlsx",
                                   status="running", rows_written=250, total=1000)
    client.force_login(control_officer)
    row = client.get(f"/bao-cao/trich-xuat/tep/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert row.lstrip().startswith(f'<tr id="export-job-{job.pk}"')
    assert 'hx-trigger="every 2s"' in row and '<progress max="100" value="25"' in row and "250 / 1.000" in row
    assert "/tai/" not in row  # no download link before the file is complete


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_failure_midway_marks_the_job_failed_and_leaves_no_file(made, client, control_officer, worker,
                                                                  monkeypatch, fmt,
                                                                  django_capture_on_commit_callbacks):
    monkeypatch.setattr(export_jobs, "PROGRESS_ROWS", 1)
    real_rows = exports.adhoc_rows

    def breaking_rows(qs):
        for index, row in enumerate(real_rows(qs)):
            if index == 2:
                raise DatabaseError("server closed the connection unexpectedly")
            yield row

    monkeypatch.setattr(exports, "adhoc_rows", breaking_rows)
    client.force_login(control_officer)
    job = start(client, django_capture_on_commit_callbacks, fmt)
    job.refresh_from_db()
    assert job.status == "failed" and not job.file and job.finished_at is not None
    assert job.error.startswith("Xuất tệp không thành công: lỗi sau khi đã ghi 2 trên 4 hồ sơ.")
    assert "Tệp dở dang đã bị xóa" in job.error
    assert stored_files(worker) == []
    assert list(export_jobs.tmp_dir().iterdir()) == []
    assert client.get(f"/bao-cao/trich-xuat/tep/{job.pk}/tai/").status_code == 404
    page = client.get("/bao-cao/trich-xuat/tep/").content.decode()
    assert "Không thành công" in page and "lỗi sau khi đã ghi 2 trên 4 hồ sơ" in page and "/tai/" not in page
    assert AuditEntry.objects.filter(action="reports.export_failed", object_id=str(job.pk)).exists()


def test_the_export_holds_only_the_dossiers_the_owner_may_see(made, client, worker,
                                                             django_capture_on_commit_callbacks):
    commune_clerk = User.objects.get(username="motcuaxa")  # one-stop officer of xã Thạch Hà only
    client.force_login(commune_clerk)
    job = start(client, django_capture_on_commit_callbacks, "csv")
    job.refresh_from_db()
    assert job.status == "done" and job.rows_written == 0
    text = b"".join(client.get(f"/bao-cao/trich-xuat/tep/{job.pk}/tai/").streaming_content).decode("utf-8-sig")
    assert not any(d.code in text for d in made) and text.strip().endswith("Tổng số: 0 hồ sơ")
    # A unit outside the person's scope is refused before any job exists.
    response = client.post("/bao-cao/trich-xuat/nen/", {**FORM, "co-quan": "000.00.30.H27", "dinh-dang": "csv"},
                           follow=True)
    assert ExportJob.objects.count() == 1 and "Không tạo được yêu cầu xuất tệp" in response.content.decode()


def test_bad_input_is_refused_without_a_job(made, client, control_officer, worker):
    client.force_login(control_officer)
    response = client.post("/bao-cao/trich-xuat/nen/", {"tu": "28/11/2025", "den": "17/11/2025",
                                                        "dinh-dang": "xlsx"}, follow=True)
    assert "Không tạo được yêu cầu xuất tệp" in response.content.decode()
    response = client.post("/bao-cao/trich-xuat/nen/", {**FORM, "dinh-dang": "pdf"}, follow=True)
    assert "Định dạng tệp không hợp lệ" in response.content.decode()
    assert client.get("/bao-cao/trich-xuat/nen/").status_code == 405
    assert ExportJob.objects.count() == 0


def test_files_are_deleted_after_the_retention_and_lost_workers_fail_their_job(
        made, client, control_officer, worker, settings, django_capture_on_commit_callbacks):
    settings.EXPORT_RETENTION_HOURS = 24
    client.force_login(control_officer)
    job = start(client, django_capture_on_commit_callbacks, "csv")
    assert len(stored_files(worker)) == 1
    lost = ExportJob.objects.create(owner=control_officer, filters=FORM, title="Hồ sơ", format="xlsx",
                                    status="running", heartbeat_at=timezone.now() - dt.timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        result = export_jobs.cleanup(now=timezone.now() + dt.timedelta(hours=25))
    assert result["expired"] == 1 and result["lost"] == 1
    job.refresh_from_db()
    lost.refresh_from_db()
    assert job.status == "expired" and not job.file and stored_files(worker) == []
    assert client.get(f"/bao-cao/trich-xuat/tep/{job.pk}/tai/").status_code == 404
    assert lost.status == "failed" and "bị dừng giữa chừng" in lost.error


def test_typed_text_that_looks_like_a_formula_stays_text(made, client, control_officer, worker,
                                                         django_capture_on_commit_callbacks):
    from motcua.dossiers.models import Dossier

    Dossier.objects.filter(pk=made[1].pk).update(applicant_name='=HYPERLINK("http://x.example","Bấm")')
    client.force_login(control_officer)
    job = start(client, django_capture_on_commit_callbacks, "xlsx")
    ws = load_workbook(BytesIO(b"".join(client.get(f"/bao-cao/trich-xuat/tep/{job.pk}/tai/").streaming_content)),
                       rich_text=False).active
    names = [row[11].value for row in ws.iter_rows(min_row=3, max_row=6)]
    assert '\'=HYPERLINK("http://x.example","Bấm")' in names
    assert all(cell.data_type != "f" for row in ws.iter_rows() for cell in row)


def test_the_cleanup_command_reports_what_it_did(made, control_officer, worker):
    from django.core.management import call_command

    ExportJob.objects.create(owner=control_officer, filters=FORM, title="Hồ sơ", format="csv", status="done",
                             finished_at=timezone.now() - dt.timedelta(days=30))
    out = io.StringIO()
    call_command("cleanup_exports", stdout=out)
    assert out.getvalue().startswith("Đã xóa 1 tệp hết hạn, 0 lần xuất bị dừng")
    assert ExportJob.objects.get().status == "expired"
