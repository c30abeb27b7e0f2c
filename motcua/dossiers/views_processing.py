"""Processing pages (issue 6): the work lists, the moves panel of a dossier with its process control slip
and history, the processing paperwork as PDF, and the control page of late dossiers.

Views are thin: a form per move → the transition of the same name; `IllegalMove` shows its Vietnamese
reason with the typed data kept. A person who may not act on the dossier gets 404 on POST."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.catalog.models import Field, Procedure, ProcedureVersion
from motcua.dossiers import processing_slips, worklists
from motcua.dossiers import transitions as t
from motcua.dossiers.forms_processing import FORMS, MoveForm
from motcua.dossiers.labels import history_rows
from motcua.dossiers.models import Dossier, Status
from motcua.org.models import Role
from motcua.org.selectors import roles_of

PAGE_SIZE = 50


def _client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def _dossier_or_404(request: HttpRequest, code: str) -> Dossier:
    dossier = worklists.dossier_for_processing(request.user, code)
    if dossier is None:
        raise Http404(_("Không có hồ sơ này, hoặc bạn không có quyền xem."))
    return Dossier.objects.select_related(
        "version__procedure", "case", "desk", "agency", "handling_unit", "current_step__unit",
        "current_step__assignee").get(pk=dossier.pk)


# -- forms for the panel ------------------------------------------------------------------------------


def _next_step(dossier: Dossier):
    try:
        steps = t.process_steps(dossier)
    except t.IllegalMove:
        return None, []
    run = worklists.current_run(dossier)
    if run is None:
        later = steps[1:] if dossier.status == Status.RECEIVED else []
    else:
        later = [s for s in steps if s.order > run.order]
    return (later[0] if later else None), steps


def form_kwargs(move: str, request: HttpRequest, dossier: Dossier) -> dict:
    """The extra choices a move's form needs (people of the next step, earlier steps, open consultations)."""
    kwargs: dict = {}
    run = worklists.current_run(dossier)
    if move == "hand_on":
        nxt, _steps = _next_step(dossier)
        if nxt is not None:
            kwargs["assignees"] = worklists.people_of(nxt.unit)
    elif move == "assign" and run is not None:
        kwargs["assignees"] = worklists.people_of(run.unit)
    elif move == "return_to_step" and run is not None:
        _nxt, steps = _next_step(dossier)
        kwargs["steps"] = [s for s in steps if s.order < run.order]
    elif move == "answer_consultation":
        kwargs["consultations"] = worklists.consultations_for(request.user, dossier)
    return kwargs


def build_form(move: str, request: HttpRequest, dossier: Dossier, *, bound: bool = False) -> MoveForm:
    form_class = FORMS[move]
    args = (request.POST, request.FILES) if bound else ()
    return form_class(*args, dossier=dossier, user=request.user, **form_kwargs(move, request, dossier))


def panel_context(request: HttpRequest, dossier: Dossier, *, bound: MoveForm | None = None,
                  error: str = "") -> dict:
    """What the processing panel shows: the legal moves as forms, the control slip, the history."""
    moves = worklists.legal_moves(request.user, dossier)
    if bound is not None and bound.move not in moves:
        moves.append(bound.move)  # what was typed stays on the page, with the reason it was refused
    forms = []
    for move in moves:
        form = bound if bound is not None and bound.move == move else build_form(move, request, dossier)
        forms.append({"move": move, "form": form, "open": bound is not None and bound.move == move})
    cause = worklists.late_cause(dossier)
    run = worklists.current_run(dossier)
    return {
        "dossier": dossier, "forms": forms, "error": error, "run": run,
        "mark": worklists.mark_of(run, dossier, timezone.now()) if run is not None else "",
        "rows": processing_slips.control_rows(dossier), "cause": cause,
        "events": history_rows(dossier.events.select_related("actor")),
        "consultations": list(dossier.consultations.select_related("unit", "asked_by", "answered_by")),
        "supplements": list(dossier.supplements.all()),
        "apologies": list(dossier.apologies.select_related("caused_by")),
        "results": list(dossier.results.all()),
        "has_stop_notice": dossier.status == Status.STOPPED and processing_slips.has_form(dossier, "stop"),
        "next": request.get_full_path() if request.method == "GET" else reverse("dossiers_processing",
                                                                                 args=[dossier.code]),
    }


def detail_panel(request: HttpRequest, dossier: Dossier) -> dict:
    """The panel on the dossier page (registered with the dossier page's panels)."""
    context = panel_context(request, _dossier_or_404(request, dossier.code))
    context["events"] = []  # the dossier page has its own history panel ("Quá trình xử lý")
    return context


# -- pages ------------------------------------------------------------------------------------------


def processing_page(request: HttpRequest, code: str) -> HttpResponse:
    dossier = _dossier_or_404(request, code)
    return render(request, "dossiers/processing/page.html", {"dossier": dossier,
                                                             "panel": panel_context(request, dossier)})


@require_POST
def make_move(request: HttpRequest, code: str, move: str) -> HttpResponse:
    dossier = _dossier_or_404(request, code)
    if move not in FORMS or not worklists.may_act(request.user, dossier, move):
        raise Http404(_("Không có thao tác này, hoặc bạn không được thực hiện thao tác này trên hồ sơ."))
    form = build_form(move, request, dossier, bound=True)
    if not form.is_valid():
        return _panel_again(request, dossier, form, "", status=422)
    kwargs = form.move_kwargs()
    try:
        if move == "answer_consultation":
            t.answer_consultation(acting_user=request.user, ip=_client_ip(request), **kwargs)
        else:
            t.MOVES[move](dossier=dossier, acting_user=request.user, ip=_client_ip(request), **kwargs)
    except t.IllegalMove as exc:
        return _panel_again(request, dossier, form, exc.message, status=409)
    messages.success(request, _("Đã thực hiện: %(move)s.") % {"move": form.label})
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("dossiers_processing", code=dossier.code)


def _panel_again(request, dossier, form, error, *, status):
    dossier.refresh_from_db()
    panel = panel_context(request, dossier, bound=form, error=error)
    return render(request, "dossiers/processing/page.html", {"dossier": dossier, "panel": panel}, status=status)


def worklist(request: HttpRequest) -> HttpResponse:
    roles = roles_of(request.user)
    supervisor = bool(roles & worklists.SUPERVISING_ROLES)
    scope = "unit" if supervisor and request.GET.get("pham_vi") == "don-vi" else "mine"
    procedure = request.GET.get("thu_tuc", "").strip()
    field_id = request.GET.get("linh_vuc", "")
    field_id = int(field_id) if field_id.isdigit() else None
    mark = request.GET.get("trang_thai", "")
    mark = mark if mark in worklists.Mark.LABELS else ""
    page = request.GET.get("trang", "1")
    page = max(int(page), 1) if page.isdigit() else 1
    listing = worklists.worklist(request.user, scope=scope, procedure=procedure, field_id=field_id, mark=mark,
                                 limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    assignable = {}
    if supervisor:
        for item in listing.items:
            if worklists.supervises(request.user, item.run.unit):
                if item.run.unit_id not in assignable:
                    assignable[item.run.unit_id] = list(worklists.people_of(item.run.unit))
                item.assignees = assignable[item.run.unit_id]
    return render(request, "dossiers/processing/worklist.html", {
        "listing": listing, "scope": scope, "supervisor": supervisor, "procedure": procedure,
        "field_id": field_id, "mark": mark, "page": page, "marks": worklists.Mark.LABELS.items(),
        "fields": Field.objects.order_by("name"),
        # Procedures of the catalog (small tables), not of the dossiers: a join over every dossier cost
        # ~0.5 s per page at a million dossiers.
        "procedures": Procedure.objects.filter(
            versions__in=ProcedureVersion.objects.in_force_on(timezone.localdate())).distinct().order_by("code")[:300],
        "query": request.GET.urlencode(),
    })


def overdue(request: HttpRequest) -> HttpResponse:
    if not worklists.may_control(request.user):
        raise Http404(_("Trang này dành cho cán bộ kiểm soát TTHC và lãnh đạo."))
    now = timezone.now()
    late = Paginator(worklists.late_without_apology(request.user, now=now), PAGE_SIZE).get_page(
        request.GET.get("trang"))
    return render(request, "dossiers/processing/overdue.html", {
        "late": late, "warning": list(worklists.at_warning(request.user, now=now)[:PAGE_SIZE]),
        "per_unit": worklists.apologies_per_unit(request.user),
        "apologies": list(worklists.apologies_visible_to(request.user)[:PAGE_SIZE]), "now": now,
    })


# -- paperwork ---------------------------------------------------------------------------------------


def _pdf(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def control_slip_pdf(request: HttpRequest, code: str) -> HttpResponse:
    dossier = _dossier_or_404(request, code)
    return _pdf(processing_slips.control_slip_pdf(dossier), f"phieu-kiem-soat-{dossier.code}.pdf")


def apology_pdf(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    dossier = _dossier_or_404(request, code)
    apology = dossier.apologies.filter(pk=pk).select_related("dossier", "caused_by", "issued_by").first()
    if apology is None:
        raise Http404(_("Không có văn bản xin lỗi này."))
    return _pdf(processing_slips.apology_pdf(apology), f"xin-loi-{dossier.code}-{apology.pk}.pdf")


def supplement_pdf(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    dossier = _dossier_or_404(request, code)
    round_ = dossier.supplements.filter(pk=pk).select_related("requested_by").first()
    if round_ is None:
        raise Http404(_("Không có phiếu yêu cầu bổ sung này."))
    return _pdf(processing_slips.supplement_pdf(round_), f"yeu-cau-bo-sung-{dossier.code}-{round_.pk}.pdf")


def stop_notice_pdf(request: HttpRequest, code: str) -> HttpResponse:
    dossier = _dossier_or_404(request, code)
    if dossier.status != Status.STOPPED or not processing_slips.has_form(dossier, "stop"):
        raise Http404(_("Hồ sơ không có thông báo dừng giải quyết (chỉ áp dụng cho hồ sơ theo Thông tư 03/2025)."))
    return _pdf(processing_slips.stop_notice_pdf(dossier), f"thong-bao-dung-{dossier.code}.pdf")


def result_file(request: HttpRequest, code: str, pk: int) -> FileResponse:
    dossier = _dossier_or_404(request, code)
    document = dossier.results.filter(pk=pk).first()
    if document is None:
        raise Http404(_("Không có kết quả này."))
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("Tệp không còn trên máy chủ.")) from None
    return FileResponse(handle, filename=document.file.name.rsplit("/", 1)[-1], content_type=document.content_type)


# -- home -------------------------------------------------------------------------------------------


def home_worklist(request: HttpRequest) -> dict:
    return {**worklists.summary(request.user), "url": reverse("dossiers_worklist")}


def home_overdue(request: HttpRequest) -> dict:
    late = worklists.late_without_apology(request.user)
    return {"late_count": late.count(), "late": list(late[:5]), "warning_count": worklists.at_warning(
        request.user).count(), "url": reverse("dossiers_overdue")}


WORK_NAV_ROLES = {Role.SPECIALIST, Role.HEAD_OF_UNIT, Role.AGENCY_LEADER}
CONTROL_NAV_ROLES = {Role.CONTROL_OFFICER, Role.AGENCY_LEADER}


def register() -> None:
    """Nav entries, home sections and the dossier page's panel (called from DossiersConfig.ready)."""
    from django.utils.translation import gettext_lazy

    from motcua.org.context_processors import register_nav
    from motcua.org.home import register_home_section

    register_nav("dossiers_worklist", gettext_lazy("Xử lý hồ sơ"), WORK_NAV_ROLES)
    register_nav("dossiers_overdue", gettext_lazy("Hồ sơ quá hạn"), CONTROL_NAV_ROLES)
    register_home_section("dossiers/processing/home_worklist.html", roles=WORK_NAV_ROLES, context=home_worklist,
                          order=20)
    register_home_section("dossiers/processing/home_overdue.html", roles=CONTROL_NAV_ROLES, context=home_overdue,
                          order=25)
    try:
        from motcua.dossiers.views_dossier import register_detail_panel
    except ImportError:  # the dossier page is not there: the processing page stands alone
        return
    register_detail_panel("dossiers/processing/_panel.html", context=detail_panel, order=50)
