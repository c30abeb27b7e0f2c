"""Background ad-hoc exports: start one (POST), the person's list of export jobs with a progress bar
polled by htmx, and the download — only by the job's owner (anyone else gets 404)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from motcua.reports.export_jobs import FILTER_KEYS, ExportRefused, retention, start_export
from motcua.reports.models import ExportJob
from motcua.reports.scope import may_report

PAGE_SIZE = 20


def _guard(request: HttpRequest) -> None:
    if not may_report(request.user):
        raise Http404("Trang này dành cho cán bộ kiểm soát TTHC và lãnh đạo.")


def _own_job(request: HttpRequest, pk: int) -> ExportJob:
    _guard(request)
    return get_object_or_404(ExportJob, pk=pk, owner=request.user)


@require_POST
def export_start(request: HttpRequest) -> HttpResponse:
    _guard(request)
    try:
        job = start_export(user=request.user, data=request.POST, fmt=request.POST.get("dinh-dang", ""),
                           ip=request.META.get("REMOTE_ADDR"))
    except ExportRefused as exc:
        messages.error(request, _("Không tạo được yêu cầu xuất tệp: %(reason)s") % {"reason": exc})
        # Back to the filters as typed — without an agency or field the person may not see (that page is a 404).
        dropped = {"co-quan", "linh-vuc"} if exc.scope else set()
        query = urlencode({k: request.POST[k] for k in FILTER_KEYS if request.POST.get(k) and k not in dropped})
        return redirect(f"{reverse('reports_adhoc')}?{query}")
    messages.success(request, _("Đã nhận yêu cầu xuất tệp “%(title)s”. Tệp được ghi ở tiến trình nền; "
                                "khi xong, nút tải tệp hiện ở đây.") % {"title": job.title})
    return redirect("reports_export_jobs")


@require_GET
def export_jobs_page(request: HttpRequest) -> HttpResponse:
    _guard(request)
    jobs = ExportJob.objects.filter(owner=request.user).order_by("-created_at", "-id")
    page = Paginator(jobs, PAGE_SIZE).get_page(request.GET.get("trang"))
    return render(request, "reports/export_jobs.html", {
        "page": page, "retention_hours": int(retention().total_seconds() // 3600)})


@require_GET
def export_job_row(request: HttpRequest, pk: int) -> HttpResponse:
    """One job's row, polled by htmx every 2 s while it is queued or running."""
    job = _own_job(request, pk)
    return render(request, "reports/export_jobs.html#job", {"job": job})


@require_GET
def export_download(request: HttpRequest, pk: int) -> FileResponse:
    job = _own_job(request, pk)
    if job.status != ExportJob.Status.DONE or not job.file:
        raise Http404("Tệp chưa xong, không thành công hoặc đã bị xóa.")
    try:
        handle = job.file.open("rb")
    except FileNotFoundError:
        raise Http404("Tệp đã bị xóa khỏi kho lưu trữ.") from None
    content_type = "text/csv; charset=utf-8" if job.format == ExportJob.Format.CSV else (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    return FileResponse(handle, as_attachment=True, filename=job.filename or f"ho-so.{job.format}",
                        content_type=content_type)
