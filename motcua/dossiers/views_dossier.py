"""A dossier's page, its slips and files, and the intake notices — for officers who may see them
(404 otherwise, so nobody learns that a code exists).

The detail page is built from panels: `register_detail_panel(template, context=..., order=...)` lets
later features (processing moves, the process control slip) add their own without editing this file."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from motcua.dossiers import slips
from motcua.dossiers.labels import history_rows
from motcua.dossiers.models import Dossier, DossierFile, IntakeNotice
from motcua.dossiers.selectors import dossier_for, dossiers_visible_to
from motcua.org.selectors import visible_units


@dataclass(frozen=True)
class DetailPanel:
    template_name: str
    context: Callable[[HttpRequest, Dossier], dict] | None = field(default=None, compare=False)
    order: int = 100


DETAIL_PANELS: list[DetailPanel] = []


def register_detail_panel(template_name: str, *, context: Callable[[HttpRequest, Dossier], dict] | None = None,
                          order: int = 100) -> None:
    """Add a section to the dossier page; `context(request, dossier)` is what its template reads as `panel`."""
    if all(p.template_name != template_name for p in DETAIL_PANELS):
        DETAIL_PANELS.append(DetailPanel(template_name, context, order))
        DETAIL_PANELS.sort(key=lambda p: p.order)


def _dossier_or_404(request: HttpRequest, code: str) -> Dossier:
    dossier = dossier_for(request.user, code)
    if dossier is None:
        raise Http404(_("Không có hồ sơ này, hoặc bạn không có quyền xem."))
    return dossier


def _receive_data(dossier: Dossier) -> dict:
    event = next((e for e in dossier.events.all() if e.action == "receive"), None)
    return (event.data or {}) if event else {}


def _checklist_panel(request: HttpRequest, dossier: Dossier) -> dict:
    files = DossierFile.objects.order_by("uploaded_at", "id")
    items = list(dossier.checklist.prefetch_related(Prefetch("files", queryset=files)))
    loose = [f for f in dossier.files.all() if f.checklist_item_id is None]
    return {"items": items, "loose_files": loose}


def _history_panel(request: HttpRequest, dossier: Dossier) -> dict:
    return {"rows": history_rows(dossier.events.select_related("actor"))}


def _slips_panel(request: HttpRequest, dossier: Dossier) -> dict:
    return {"notices": list(dossier.notices.all()), "receipt": dossier.received_at is not None}


register_detail_panel("dossiers/detail/_checklist.html", context=_checklist_panel, order=20)
register_detail_panel("dossiers/detail/_slips.html", context=_slips_panel, order=30)
register_detail_panel("dossiers/detail/_history.html", context=_history_panel, order=90)


def dossier_detail(request: HttpRequest, code: str) -> HttpResponse:
    dossier = _dossier_or_404(request, code)
    panels = [{"template_name": p.template_name, "data": p.context(request, dossier) if p.context else {}}
              for p in DETAIL_PANELS]
    return render(request, "dossiers/detail/page.html", {
        "dossier": dossier, "receive": _receive_data(dossier), "panels": panels,
        "status_url": slips.status_page_url(dossier.code, request)})


def dossier_received(request: HttpRequest, code: str) -> HttpResponse:
    """The page after "Tiếp nhận": the code, the appointment, the 15:00 handover note, print buttons."""
    dossier = _dossier_or_404(request, code)
    receive = _receive_data(dossier)
    return render(request, "dossiers/intake/received.html", {
        "dossier": dossier, "receive": receive, "after_cutoff": receive.get("after_cutoff", False),
        "notes": receive.get("notes", [])})


def _pdf(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def receipt_pdf(request: HttpRequest, code: str) -> HttpResponse:
    dossier = _dossier_or_404(request, code)
    if dossier.received_at is None:
        raise Http404(_("Hồ sơ chưa được tiếp nhận nên chưa có giấy tiếp nhận."))
    return _pdf(slips.receipt_pdf(dossier, request), slips.receipt_filename(dossier))


def dossier_file(request: HttpRequest, code: str, pk: int) -> FileResponse:
    dossier = _dossier_or_404(request, code)
    stored = dossier.files.filter(pk=pk).first()
    if stored is None:
        raise Http404(_("Không có tệp này trong hồ sơ."))
    try:
        handle = stored.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("Tệp không còn trên máy chủ.")) from None
    return FileResponse(handle, as_attachment=False, filename=stored.original_name,
                        content_type=stored.content_type)


def notices_visible_to(user):
    units = visible_units(user)
    return IntakeNotice.objects.filter(Q(desk__in=units) | Q(dossier__in=dossiers_visible_to(user)))


def _notice_or_404(request: HttpRequest, number: str) -> IntakeNotice:
    notice = (notices_visible_to(request.user).filter(number=number)
              .select_related("desk", "version__procedure", "case", "dossier", "issued_by").first())
    if notice is None:
        raise Http404(_("Không có phiếu này, hoặc bạn không có quyền xem."))
    return notice


def notice_detail(request: HttpRequest, number: str) -> HttpResponse:
    notice = _notice_or_404(request, number)
    return render(request, "dossiers/notice.html", {"notice": notice})


def notice_pdf(request: HttpRequest, number: str) -> HttpResponse:
    notice = _notice_or_404(request, number)
    return _pdf(slips.notice_pdf(notice, request), slips.notice_filename(notice))
