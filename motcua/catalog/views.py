"""Catalog pages: the public listing (no sign-in) and the control officer's pages."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from motcua.catalog import board, publishing, selectors, transfer
from motcua.catalog.actions import configure_process, publish_decision
from motcua.catalog.codes import normalize_procedure_code
from motcua.catalog.forms import BLANK_STEP, STEP_FIELDS, DecisionForm, StepFormSet, step_initial
from motcua.catalog.interchange import LABELS, CatalogError, Problem
from motcua.catalog.models import (
    Component,
    Field,
    InternalProcess,
    Level,
    OnlineLevel,
    ProcedureCase,
    ProcedureVersion,
    PublicationDecision,
)
from motcua.org.models import Role, Unit
from motcua.org.selectors import roles_of

CONTROL_ROLES = {Role.CONTROL_OFFICER, Role.SYSTEM_ADMIN}


def _require_control(request: HttpRequest) -> None:
    if not (roles_of(request.user) & CONTROL_ROLES):
        raise PermissionDenied(_("Trang này dành cho cán bộ kiểm soát thủ tục hành chính."))


def _parse_day(value: str | None) -> dt.date | None:
    if not value:
        return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(value, fmt).date()  # noqa: DTZ007 (a date, no time)
        except ValueError:
            continue
    return None


@login_not_required
def public_list(request: HttpRequest) -> HttpResponse:
    params = request.GET
    has_fee = {"1": True, "0": False}.get(params.get("has_fee", ""))
    qs = selectors.search_versions(q=params.get("q", "")[:200], field=params.get("field", ""),
                                   level=params.get("level", ""), agency=params.get("agency", ""),
                                   online_level=params.get("online_level", ""), has_fee=has_fee)
    page = Paginator(qs, 25).get_page(params.get("page"))
    query = params.copy()
    query.pop("page", None)
    agency_ids = ProcedureVersion.objects.values("agency").distinct()
    agencies = Unit.objects.filter(pk__in=agency_ids).order_by("name")
    board_agency = next((a for a in agencies if a.code == params.get("agency")), None)
    return render(request, "catalog/public_list.html", {
        "page": page, "board_agency": board_agency, "params": params, "query": query.urlencode(),
        "fields": Field.objects.order_by("name"), "levels": Level.choices, "online_levels": OnlineLevel.choices,
        "agencies": agencies,
    })


@login_not_required
def public_detail(request: HttpRequest, code: str) -> HttpResponse:
    on = _parse_day(request.GET.get("on"))
    version = selectors.version_in_force(code, on=on)
    if version is None:
        raise Http404(_("Không có thủ tục hành chính này, hoặc thủ tục không còn hiệu lực vào ngày đã chọn."))
    return render(request, "catalog/public_detail.html", {
        "version": version, "on": on, "history": selectors.versions_of(version.procedure.code),
    })


@login_not_required
def listing_board(request: HttpRequest, code: str) -> HttpResponse:
    """The agency's listing board (niêm yết) as PDF: the procedures in force today, by field."""
    agency = get_object_or_404(Unit, code=code)
    day = selectors.today()
    response = HttpResponse(board.board_pdf(agency, day), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="niem-yet-{agency.code}-{day:%Y%m%d}.pdf"'
    return response


@login_not_required
def form_download(request: HttpRequest, pk: int) -> HttpResponse:
    component = get_object_or_404(Component.objects.exclude(form_file=""), pk=pk)
    try:
        handle = component.form_file.open("rb")
    except FileNotFoundError:
        raise Http404(_("Tệp mẫu không còn trên máy chủ.")) from None
    name = component.form_file.name.rsplit("/", 1)[-1]
    return FileResponse(handle, as_attachment=True, filename=name)


def control(request: HttpRequest) -> HttpResponse:
    _require_control(request)
    return render(request, "catalog/control.html", {
        "without_process": selectors.published_without_process(),
        "late_setups": selectors.late_process_setups(),
        "receiving_issues": selectors.receiving_issues(),
        "decisions": PublicationDecision.objects.all()[:20],
    })


def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_control(request)
    decision = get_object_or_404(PublicationDecision, pk=pk)
    return render(request, "catalog/decision_detail.html", {
        "decision": decision, "setups": selectors.process_setups(decision=decision),
    })


def compare(request: HttpRequest, code: str) -> HttpResponse:
    _require_control(request)
    normal = normalize_procedure_code(code)
    versions = list(ProcedureVersion.objects.filter(procedure__code=normal).select_related("decision")
                    .order_by("effective_from"))
    if not versions:
        raise Http404(_("Không có thủ tục hành chính này."))
    by_id = {str(v.pk): v for v in versions}
    left = by_id.get(request.GET.get("a", ""), versions[-2] if len(versions) > 1 else versions[0])
    right = by_id.get(request.GET.get("b", ""), versions[-1])
    return render(request, "catalog/compare.html", {
        "code": normal, "versions": versions, "left": left, "right": right,
        "rows": selectors.compare_versions(left, right),
    })


def exchange(request: HttpRequest) -> HttpResponse:
    """Import (POST, all or nothing) and the export links."""
    _require_control(request)
    problems: list[str] = []
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            problems = [_("Chưa chọn tệp để nhập.")]
        elif upload.size > 20 * 1024 * 1024:
            problems = [_("Tệp lớn quá 20 MB.")]
        else:
            try:
                summary = transfer.import_bytes(upload.read(), filename=upload.name, acting_user=request.user,
                                                ip=request.META.get("REMOTE_ADDR"))
            except CatalogError as exc:
                problems = exc.messages
            else:
                messages.success(request, _("Đã nhập %(d)s quyết định, %(v)s phiên bản thủ tục.")
                                 % {"d": summary["decisions"], "v": summary["versions"]})
                return redirect("catalog_exchange")
    return render(request, "catalog/exchange.html", {"problems": problems}, status=400 if problems else 200)


def export(request: HttpRequest) -> HttpResponse:
    _require_control(request)
    fmt = request.GET.get("format", "json")
    if fmt == "xlsx":
        response = HttpResponse(transfer.export_xlsx(), content_type=transfer.XLSX_MIME)
        response["Content-Disposition"] = 'attachment; filename="danh-muc-tthc.xlsx"'
        return response
    response = HttpResponse(transfer.export_json(), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="danh-muc-tthc.json"'
    return response


# -- the internal process editor ------------------------------------------------------------------

def _previous_process(case: ProcedureCase) -> InternalProcess | None:
    """The process of the same case in the procedure's previous version: a starting point."""
    earlier = (ProcedureCase.objects.filter(
        version__procedure=case.version.procedure, version__effective_from__lt=case.version.effective_from,
        name=case.name, process__isnull=False).select_related("version__decision", "process")
        .order_by("-version__effective_from").first())
    return earlier.process if earlier is not None else None


def _rearranged(rows: list[dict], action: str) -> list[dict]:
    """Add a blank step, or move or remove step i (0-based), as the button pressed says."""
    if action == "add":
        return [*rows, dict(BLANK_STEP)]
    match = re.fullmatch(r"(up|down|remove)-(\d{1,3})", action)
    if match is None:
        return rows
    verb, i = match.group(1), int(match.group(2))
    if not 0 <= i < len(rows):
        return rows
    if verb == "remove":
        return rows[:i] + rows[i + 1:]
    j = i - 1 if verb == "up" else i + 1
    if 0 <= j < len(rows):
        rows[i], rows[j] = rows[j], rows[i]
    return rows


def process_editor(request: HttpRequest, case_id: int) -> HttpResponse:
    """Ordered steps of a case's internal process; saved through `configure_process` (budgets must add up
    to the legal time), configured today."""
    _require_control(request)
    case = get_object_or_404(ProcedureCase.objects.select_related(
        "version__procedure", "version__decision", "version__agency", "version__field"), pk=case_id)
    process = InternalProcess.objects.filter(case=case).first()
    problems: list[str] = []
    suggested_from = None
    status = 200
    if request.method == "POST":
        formset = StepFormSet(request.POST, prefix="steps")
        action = request.POST.get("action", "save")
        if action != "save":
            formset = StepFormSet(initial=_rearranged(formset.raw_rows(), action), prefix="steps")
        elif formset.is_valid():
            steps = [{"unit": row["unit"].code, **{k: row[k] for k in STEP_FIELDS if k != "unit"},
                      "_loc": (_("Bước"), i)} for i, row in enumerate(formset.cleaned_data, start=1)]
            try:
                configure_process(case=case, steps=steps, configured_on=selectors.today(), acting_user=request.user,
                                  ip=request.META.get("REMOTE_ADDR"))
            except CatalogError as exc:
                for problem in exc.problems:
                    if problem.row is not None and 1 <= problem.row <= len(formset.forms) \
                            and problem.column in STEP_FIELDS:
                        formset.forms[problem.row - 1].add_error(problem.column, problem.message)
                    else:
                        problems.append(problem.message)
            else:
                messages.success(request, _("Đã lưu quy trình nội bộ của thủ tục %(code)s (cấu hình ngày %(day)s).")
                                 % {"code": case.version.procedure.code, "day": f"{selectors.today():%d/%m/%Y}"})
                return redirect("catalog_decision", case.version.decision_id)
            status = 400
        else:
            status = 400
    else:
        source = process
        if source is None:
            source = suggested_from = _previous_process(case)
        steps = source.steps.select_related("unit").order_by("order") if source else []
        formset = StepFormSet(initial=step_initial(steps) or [dict(BLANK_STEP)], prefix="steps")
    return render(request, "catalog/process_editor.html", {
        "case": case, "version": case.version, "process": process, "formset": formset, "problems": problems,
        "suggested_from": suggested_from,
    }, status=status)


# -- entering a publication decision ---------------------------------------------------------------

DECISION_SHEET = "Quyết định"


def _kept_upload(request: HttpRequest) -> tuple[dict, list[Problem]]:
    """The POST data with a newly chosen file folded into the hidden fields, so the file is kept across
    the preview and the confirmation (and when the header has a mistake)."""
    data = request.POST.copy()
    upload = request.FILES.get("entries_file")
    if upload is None:
        return data, []
    if upload.size > publishing.ENTRIES_MAX_BYTES:
        return data, [Problem(upload.name, None, "", _("Tệp lớn quá 1 MB; một quyết định công bố thường chỉ có "
                                                        "vài chục thủ tục."))]
    data["entries_data"] = base64.b64encode(upload.read()).decode("ascii")
    data["entries_name"] = upload.name[:255]
    return data, []


def _entries(form: DecisionForm) -> tuple[list[dict], list[Problem]]:
    entries: list[dict] = []
    problems: list[Problem] = []
    raw, name = form.cleaned_data["entries_data"], form.cleaned_data["entries_name"] or "tệp"
    if raw:
        try:
            content = base64.b64decode(raw, validate=True)
        except (binascii.Error, ValueError):
            problems.append(Problem(name, None, "", _("Tệp đã chọn bị hỏng khi gửi lại; vui lòng chọn lại tệp.")))
        else:
            try:
                entries, problems = publishing.read_entries(content, filename=name)
            except CatalogError as exc:
                problems = exc.problems
    entries += publishing.abolition_entries(form.cleaned_data["abolished"])
    return entries, problems


def decision_new(request: HttpRequest) -> HttpResponse:
    """Enter a publication decision: header, entries file and codes to abolish → preview with every
    problem (sheet, row, column, reason) → confirm. Nothing is saved while any problem remains."""
    _require_control(request)
    problems: list[Problem] = []
    previews: list = []
    status = 200
    if request.method != "POST":
        form = DecisionForm()
    else:
        data, problems = _kept_upload(request)
        form = DecisionForm(data)
        if form.is_valid() and not problems:
            entries, problems = _entries(form)
            if not entries and not problems:
                form.add_error(None, _("Quyết định chưa có thủ tục nào: chọn tệp danh sách thủ tục (XLSX hoặc "
                                       "JSON) hoặc nhập mã TTHC bãi bỏ."))
            else:
                decision = {key: form.cleaned_data[key] for key in ("number", "signed_on", "signer",
                                                                     "effective_from", "title")}
                issuer = form.cleaned_data["issuer"]
                decision.update(issuer=issuer.code if issuer else "", _loc=(DECISION_SHEET, None))
                previews, problems = publishing.preview_decision(decision=decision, entries=entries,
                                                                 acting_user=request.user, known_problems=problems)
                if not problems and request.POST.get("action") == "confirm":
                    try:
                        record = publish_decision(decision=decision, entries=entries,
                                                             acting_user=request.user,
                                                             ip=request.META.get("REMOTE_ADDR"))
                    except CatalogError as exc:
                        problems = exc.problems
                    else:
                        messages.success(request, _("Đã công bố Quyết định %(number)s: %(n)s thủ tục. Cấu hình quy "
                                                    "trình nội bộ trong 3 ngày làm việc.")
                                         % {"number": record.number, "n": len(entries)})
                        return redirect("catalog_decision", record.pk)
        # Problems with the header go next to its fields; the others in the table.
        for problem in [p for p in problems if p.sheet == DECISION_SHEET and p.column in form.fields]:
            if problem.column not in form.errors:
                form.add_error(problem.column, problem.message)
        problems = [p for p in problems if not (p.sheet == DECISION_SHEET and p.column in form.fields)]
        if problems or form.errors:
            status = 400
    return render(request, "catalog/decision_new.html", {
        "form": form, "problems": [(p, LABELS.get(p.column, p.column)) for p in problems], "previews": previews,
    }, status=status)


def entries_template(request: HttpRequest) -> HttpResponse:
    """A workbook to fill in for the publishing screen; `?code=` starts from that procedure's version in force."""
    _require_control(request)
    code = request.GET.get("code", "").strip()
    version = None
    if code:
        version = selectors.version_in_force(code)
        if version is None:
            raise Http404(_("Không có thủ tục hành chính này đang có hiệu lực."))
    response = HttpResponse(publishing.entries_workbook(version), content_type=transfer.XLSX_MIME)
    name = f"sua-doi-{version.procedure.code}.xlsx" if version else "mau-cong-bo-tthc.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
