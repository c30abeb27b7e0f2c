"""Background ad-hoc exports. Above `EXPORT_BACKGROUND_THRESHOLD` rows an export becomes an `ExportJob`
(created with its audit entry in one transaction, enqueued after commit); the task streams the rows from
the database into a CSV or a write-only XLSX in a temporary file, reporting progress as it goes, and
moves the file into storage only when it is complete. A failure at any point marks the job failed with a
Vietnamese message and deletes the temporary file: a partial file is never offered. Finished files are
deleted after `EXPORT_RETENTION_HOURS`."""

from __future__ import annotations

import datetime as dt
import logging
import os
import tempfile
import time
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from motcua.org.audit import record_audit
from motcua.org.models import User
from motcua.reports import exports
from motcua.reports.models import ExportJob
from motcua.reports.params import ResultParams, parse_result_params
from motcua.reports.results import cell_dossiers
from motcua.reports.scope import may_report, report_dossiers

log = logging.getLogger(__name__)

# Progress is written at most every PROGRESS_ROWS rows and PROGRESS_SECONDS seconds (one UPDATE).
PROGRESS_ROWS = 5000
PROGRESS_SECONDS = 1.0
# A running job whose heartbeat is older than this lost its worker (killed, machine restarted).
STALE_AFTER = dt.timedelta(minutes=15)
FILTER_KEYS = ("ky", "nam", "so", "tu", "den", "co-quan", "linh-vuc", "nhom", "so-sanh", "hen", "ten-ky")

FAILED_MIDWAY = ("Xuất tệp không thành công: lỗi sau khi đã ghi {rows} trên {total} hồ sơ. Tệp dở dang đã "
                 "bị xóa, không có tệp nào được lưu. Vui lòng thử lại; nếu lỗi lặp lại, báo quản trị hệ thống.")
FAILED_SCOPE = "Xuất tệp không thành công: {reason} Không có tệp nào được lưu."
FAILED_LOST = ("Xuất tệp không thành công: tiến trình xuất bị dừng giữa chừng (máy chủ khởi động lại hoặc "
               "tiến trình nền bị dừng). Tệp dở dang đã bị xóa; vui lòng tạo lại yêu cầu xuất.")


class ExportRefused(ValueError):
    """The export cannot be made as asked (bad period, a unit the person may not see)."""

    def __init__(self, message: str, *, scope: bool = False):
        super().__init__(message)
        self.scope = scope


def export_queryset(user: User, params: ResultParams) -> QuerySet:
    """The dossiers of an ad-hoc export: received or being handled in the period, within the person's scope."""
    return cell_dossiers(report_dossiers(user, params.scope), params.period, "c3", rules=params.rules)


def is_large(qs: QuerySet) -> bool:
    """More rows than a request should write: counted with a LIMIT, so a million rows cost a small count."""
    threshold = settings.EXPORT_BACKGROUND_THRESHOLD
    return qs.order_by()[: threshold + 1].count() > threshold


def too_large_message() -> str:
    return gettext("Có hơn %(n)s hồ sơ: hãy dùng nút “Xuất nền” — tệp được ghi ở tiến trình nền, có thanh "
                   "tiến độ và nút tải khi xong.") % {"n": _n(settings.EXPORT_BACKGROUND_THRESHOLD)}


def retention() -> dt.timedelta:
    return dt.timedelta(hours=settings.EXPORT_RETENTION_HOURS)


def tmp_dir() -> Path:
    path = Path(settings.VAR_DIR) / "tmp" / "exports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _filters(data) -> dict[str, str]:
    return {key: (data.get(key) or "").strip() for key in FILTER_KEYS if (data.get(key) or "").strip()}


def start_export(*, user: User, data, fmt: str, ip: str | None = None) -> ExportJob:
    """Create the job and its audit entry in one transaction; the worker gets it after commit."""
    if fmt not in ExportJob.Format.values:
        raise ExportRefused("Định dạng tệp không hợp lệ (chỉ CSV hoặc XLSX).")
    if not may_report(user):
        raise ExportRefused("Bạn không có quyền trích xuất hồ sơ.")
    params = parse_result_params(user, data)
    if params.errors:
        raise ExportRefused(" ".join(params.errors.values()), scope="scope" in params.errors)
    title = f"Hồ sơ {params.period.title}"
    if params.scope.unit is not None:
        title += f" – {params.scope.unit.name}"
    if params.scope.field is not None:
        title += f" – {params.scope.field.name}"
    with transaction.atomic():
        job = ExportJob.objects.create(owner=user, filters=_filters(data), title=title[:255], format=fmt)
        record_audit(action="reports.export_requested", obj=job, actor=user, ip=ip,
                     after={"filters": job.filters, "format": fmt})
        transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    from motcua.reports.tasks import run_export_job

    run_export_job.enqueue(job_id)


def _claim(job_id: int) -> ExportJob | None:
    """Queued → running, by one worker only (conditional UPDATE)."""
    now = timezone.now()
    with transaction.atomic():
        claimed = ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.QUEUED).update(
            status=ExportJob.Status.RUNNING, started_at=now, heartbeat_at=now)
        if not claimed:
            return None
        job = ExportJob.objects.select_related("owner").get(pk=job_id)
        record_audit(action="reports.export_started", obj=job, actor=None)
    return job


def _progress(job_id: int, rows: Iterable[list]) -> Iterator[list]:
    """Pass the rows through, writing the count to the job every few thousand rows and at least each second."""
    last = time.monotonic()
    for count, row in enumerate(rows, start=1):
        yield row
        if count % PROGRESS_ROWS == 0 or (count % 250 == 0 and time.monotonic() - last >= PROGRESS_SECONDS):
            ExportJob.objects.filter(pk=job_id).update(rows_written=count, heartbeat_at=timezone.now())
            last = time.monotonic()


def _fail(job: ExportJob, message: str) -> None:
    with transaction.atomic():
        ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.FAILED, error=message,
                                                   finished_at=timezone.now(), file="")
        record_audit(action="reports.export_failed", obj=job, actor=None, note=message[:500])


def run_job(job_id: int) -> dict:
    """The worker's part: stream the rows into a temporary file, then store it; or fail cleanly."""
    job = _claim(job_id)
    if job is None:
        return {"job": job_id, "status": "not-queued"}
    params = parse_result_params(job.owner, job.filters)
    if params.errors or not may_report(job.owner):
        reason = " ".join(params.errors.values()) or "Bạn không còn quyền trích xuất hồ sơ."
        _fail(job, FAILED_SCOPE.format(reason=reason))
        return {"job": job_id, "status": "failed"}
    handle, tmp_name = tempfile.mkstemp(prefix=f"job-{job.pk}-", suffix=".part", dir=tmp_dir())
    os.close(handle)
    tmp = Path(tmp_name)
    stored = ""
    total = 0
    try:
        qs = export_queryset(job.owner, params)
        total = qs.count()
        ExportJob.objects.filter(pk=job.pk).update(total=total, heartbeat_at=timezone.now())
        rows = _progress(job.pk, exports.adhoc_rows(qs))
        if job.format == ExportJob.Format.XLSX:
            count = exports.write_adhoc_xlsx(rows, tmp_name, title=job.title)
        else:
            with tmp.open("w", encoding="utf-8", newline="") as target:
                count = exports.write_adhoc_csv(rows, target)
        size = tmp.stat().st_size
        with tmp.open("rb") as source:
            stored = default_storage.save(f"exports/{uuid.uuid4().hex}.{job.format}", File(source))
        stem = f"ho-so-{params.period.date_from:%Y%m%d}-{params.period.date_to:%Y%m%d}"
        with transaction.atomic():
            ExportJob.objects.filter(pk=job.pk).update(
                status=ExportJob.Status.DONE, rows_written=count, total=count, file=stored, size=size,
                filename=f"{stem}.{job.format}", finished_at=timezone.now(), heartbeat_at=timezone.now())
            record_audit(action="reports.export_done", obj=job, actor=None, after={"rows": count, "size": size})
    except Exception:
        log.exception("export job %s failed", job.pk)
        if stored:
            default_storage.delete(stored)
        written = ExportJob.objects.filter(pk=job.pk).values_list("rows_written", flat=True).first() or 0
        _fail(job, FAILED_MIDWAY.format(rows=_n(written), total=_n(total)))
        return {"job": job_id, "status": "failed"}
    finally:
        tmp.unlink(missing_ok=True)
    cleanup()
    return {"job": job_id, "status": "done", "rows": count}


def _n(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def cleanup(now: dt.datetime | None = None) -> dict:
    """Delete files past the retention (the job stays, marked expired), fail jobs whose worker was lost,
    and remove temporary files left by a lost worker."""
    now = now or timezone.now()
    expired = 0
    for job in ExportJob.objects.filter(status=ExportJob.Status.DONE, finished_at__lt=now - retention()):
        name = job.file.name
        with transaction.atomic():
            ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.EXPIRED, file="")
            record_audit(action="reports.export_expired", obj=job, actor=None)
            if name:
                transaction.on_commit(lambda name=name: default_storage.delete(name))
        expired += 1
    lost = 0
    for job in ExportJob.objects.filter(status=ExportJob.Status.RUNNING, heartbeat_at__lt=now - STALE_AFTER):
        _fail(job, FAILED_LOST)
        lost += 1
    running = set(ExportJob.objects.filter(status=ExportJob.Status.RUNNING).values_list("pk", flat=True))
    removed = 0
    for path in tmp_dir().glob("job-*.part"):
        try:
            owner = int(path.name.split("-")[1])
            old = path.stat().st_mtime < (now - STALE_AFTER).timestamp()
        except (IndexError, ValueError, OSError):
            continue
        if owner not in running and old:
            path.unlink(missing_ok=True)
            removed += 1
    return {"expired": expired, "lost": lost, "temp_removed": removed}
