"""Portal pages: public (home and search, procedure with the expected appointment, status lookup,
public board, feedback) and the signed-in citizen's (submission, my dossiers, my documents)."""

from __future__ import annotations

from django import forms
from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from motcua.catalog import selectors as catalog_selectors
from motcua.catalog.models import OnlineLevel
from motcua.dossiers.models import DossierEvent, ResultDocument, Status
from motcua.lib.formats import vn_date
from motcua.org.middleware import client_ip
from motcua.org.models import Role
from motcua.org.selectors import roles_of, visible_units
from motcua.portal import actions, schemas, selectors
from motcua.portal.board import board
from motcua.portal.forms import FeedbackForm, LookupForm, RatingForm
from motcua.portal.models import Draft, Feedback, PublicAttempt
from motcua.records.models import Record
from motcua.records.selectors import offer_for
from motcua.reports.kpi import year_period


def _payments_installed() -> bool:
    return apps.is_installed("motcua.integrations.payments")


# -- public ------------------------------------------------------------------------------------------

@login_not_required
def home(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:200]
    results = None
    if q:
        results = Paginator(catalog_selectors.search_versions(q=q), 20).get_page(request.GET.get("page"))
    return render(request, "portal/home.html", {
        "q": q, "results": results, "popular": [] if q else selectors.popular_versions(), "portal_section": "home",
    })


@login_not_required
def procedure(request: HttpRequest, code: str) -> HttpResponse:
    version = catalog_selectors.version_in_force(code)
    if version is None:
        raise Http404(_("Không có thủ tục hành chính này, hoặc thủ tục không còn hiệu lực."))
    now = timezone.now()
    cases = []
    for case in version.cases.all():
        appointment = selectors.appointment_if_now(version, case, now=now)
        cases.append({"case": case, "due_at": appointment.due_at, "notes": list(appointment.notes),
                      "fee_total": sum(f.amount for f in case.fees.all()),
                      "originals": [c for c in case.components.all() if c.originals]})
    return render(request, "portal/procedure.html", {
        "version": version, "cases": cases, "online": version.online_level in selectors.ONLINE_LEVELS,
        "full_online": version.online_level == OnlineLevel.FULL, "now": now,
    })


@login_not_required
@never_cache
def lookup(request: HttpRequest) -> HttpResponse:
    """Status by dossier code plus the last 4 digits of the applicant's phone or ID number. A wrong check
    answers exactly like an unknown code; failures are counted per address (rate limit)."""
    ip = client_ip(request)
    status = None
    not_found = False
    throttled = False
    if request.method == "POST":
        form = LookupForm(request.POST)
        if form.is_valid():
            answer = selectors.lookup_status(form.cleaned_data["ma"], form.cleaned_data["check"], ip=ip)
            throttled, status = answer.throttled, answer.status
            if not throttled and status is None:
                actions.record_lookup_failure(ip=ip)
                not_found = True
        elif selectors.is_throttled(PublicAttempt.Kind.LOOKUP_FAILURE, ip):
            throttled = True
    else:
        form = LookupForm(initial={"ma": request.GET.get("ma", "")[:40]})
    _allowed, minutes = selectors.lookup_limit()
    response = render(request, "portal/lookup.html", {
        "form": form, "status": status, "not_found": not_found, "throttled": throttled, "minutes": minutes,
        "portal_section": "lookup",
    }, status=429 if throttled else 200)
    return response


@login_not_required
def public_board(request: HttpRequest) -> HttpResponse:
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("nam", this_year))
    except ValueError:
        year = this_year
    year = min(max(year, 2018), this_year)
    period = year_period(year)
    return render(request, "portal/board.html", {
        "rows": board(year=year), "year": year, "portal_section": "board", "years": list(range(this_year, this_year - 5, -1)),
        "date_from": vn_date(period.date_from), "date_to": vn_date(period.date_to),
    })


@login_not_required
def feedback(request: HttpRequest) -> HttpResponse:
    ip = client_ip(request)
    user = request.user if request.user.is_authenticated else None
    initial = {"procedure_code": request.GET.get("thu_tuc", "")[:16], "dossier_code": request.GET.get("ho_so", "")[:40]}
    initial["subject"] = Feedback.Subject.DOSSIER if initial["dossier_code"] else Feedback.Subject.PROCEDURE
    if user is not None:
        initial.update({"name": user.full_name, "phone": user.phone, "email": user.email})
    throttled = False
    if request.method == "POST":
        form = FeedbackForm(request.POST)
        if user is None and selectors.is_throttled(PublicAttempt.Kind.FEEDBACK, ip, limit=5):
            throttled = True
        elif form.is_valid():
            actions.send_feedback(**form.cleaned_data, acting_user=user, ip=ip)
            messages.success(request, _("Đã ghi nhận phản ánh, kiến nghị của bạn. Cơ quan sẽ liên hệ theo thông tin "
                                        "bạn để lại."))
            return redirect("portal_feedback")
    else:
        form = FeedbackForm(initial=initial)
    return render(request, "portal/feedback.html", {"form": form, "throttled": throttled, "portal_section": "feedback"},
                  status=429 if throttled else (400 if form.errors else 200))


def feedback_list(request: HttpRequest) -> HttpResponse:
    """Control officers: feedback about their agencies (and feedback that names no agency)."""
    roles = roles_of(request.user)
    if not roles & {Role.CONTROL_OFFICER, Role.SYSTEM_ADMIN}:
        raise PermissionDenied(_("Trang này dành cho cán bộ kiểm soát thủ tục hành chính."))
    items = Feedback.objects.select_related("agency", "dossier")
    if Role.SYSTEM_ADMIN not in roles:
        units = visible_units(request.user, role=Role.CONTROL_OFFICER)
        from django.db.models import Q

        items = items.filter(Q(agency__in=units) | Q(agency__isnull=True))
    page = Paginator(items, 50).get_page(request.GET.get("page"))
    return render(request, "portal/feedback_list.html", {"page": page})


# -- the citizen's home section ----------------------------------------------------------------------

def citizen_home(request: HttpRequest) -> dict:
    user = request.user
    return {
        "dossiers": list(selectors.dossiers_of(user)[:5]),
        "drafts": list(Draft.objects.filter(user=user, dossier__isnull=True).select_related("version")[:5]),
        "records": selectors.records_of_user(user).count(),
    }


# -- online submission -------------------------------------------------------------------------------

def start(request: HttpRequest, code: str) -> HttpResponse:
    version = catalog_selectors.version_in_force(code)
    if version is None:
        raise Http404(_("Không có thủ tục hành chính này, hoặc thủ tục không còn hiệu lực."))
    cases = list(version.cases.all())
    if request.method == "POST":
        case = next((c for c in cases if str(c.pk) == request.POST.get("case", "")), None)
        if case is None:
            messages.error(request, _("Vui lòng chọn trường hợp của hồ sơ."))
        else:
            try:
                draft = actions.start_draft(version=version, case=case, acting_user=request.user,
                                            ip=client_ip(request))
            except actions.PortalError as exc:
                messages.error(request, exc.message)
            else:
                return redirect("portal_draft_declaration", pk=draft.pk)
    return render(request, "portal/start.html", {
        "version": version, "cases": cases, "online": version.online_level in selectors.ONLINE_LEVELS,
    }, status=400 if request.method == "POST" else 200)


def _draft(request: HttpRequest, pk: int) -> Draft:
    draft = get_object_or_404(Draft.objects.select_related("version__procedure", "case", "dossier"), pk=pk,
                              user=request.user)
    return draft


def _submitted(request: HttpRequest, draft: Draft) -> HttpResponse | None:
    if draft.dossier_id is not None:
        messages.info(request, _("Hồ sơ này đã được nộp với mã %(code)s.") % {"code": draft.dossier.code})
        return redirect("portal_my_dossier", code=draft.dossier.code)
    return None


def declaration(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft(request, pk)
    if (done := _submitted(request, draft)) is not None:
        return done
    schema = schemas.schema_for(draft.version.procedure.code)
    form_class = schemas.declaration_form_class(schema)
    if request.method == "POST":
        form = form_class(request.POST)
        valid = form.is_valid()
        values = schemas.as_json(form) if valid else {
            name: request.POST.get(name, "") if not isinstance(form.fields[name], forms.BooleanField)
            else bool(request.POST.get(name)) for name in form.fields}
        actions.save_declaration(draft=draft, values=values, valid=valid, acting_user=request.user)
        if valid:
            if request.POST.get("then") == "stay":
                messages.success(request, _("Đã lưu tờ khai."))
                return redirect("portal_draft_declaration", pk=draft.pk)
            return redirect("portal_draft_documents", pk=draft.pk)
    else:
        initial = draft.declaration or schemas.prefill(schema, request.user)
        form = form_class(initial=initial)
        if draft.declaration and not draft.declaration_valid:
            form = form_class(data=draft.declaration)  # show what is still wrong in the saved draft
    return render(request, "portal/draft_declaration.html", {"draft": draft, "form": form, "step": 1},
                  status=400 if request.method == "POST" else 200)


def documents(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft(request, pk)
    if (done := _submitted(request, draft)) is not None:
        return done
    if request.method == "POST":
        component_id = request.POST.get("component", "")
        try:
            component_id = int(component_id)
            if request.POST.get("action") == "reuse":
                record_id = request.POST.get(f"record_{component_id}", "")
                record = Record.objects.filter(pk=record_id).first() if record_id.isdigit() else None
                if record is None:
                    raise actions.PortalError(_("Vui lòng chọn một giấy tờ trong kho dữ liệu."))
                actions.choose_record(draft=draft, component_id=component_id, record=record, acting_user=request.user)
                messages.success(request, _("Đã dùng “%(name)s” từ giấy tờ của bạn.") % {"name": record.name})
            elif request.POST.get("action") == "clear":
                actions.choose_record(draft=draft, component_id=component_id, record=None, acting_user=request.user)
            else:
                upload = request.FILES.get(f"file_{component_id}")
                if upload is None:
                    raise actions.PortalError(_("Vui lòng chọn tệp để tải lên."))
                if upload.size > 50 * 1024 * 1024:
                    raise actions.PortalError(_("Tệp quá lớn."))
                stored = actions.attach_upload(draft=draft, component_id=component_id, name=upload.name,
                                               content=upload.read(), acting_user=request.user)
                messages.success(request, _("Đã tải lên “%(name)s”.") % {"name": stored.original_name})
        except ValueError as exc:
            messages.error(request, exc.message if isinstance(exc, actions.PortalError)
                           else _("Thành phần hồ sơ không hợp lệ."))
        return redirect(f"{reverse('portal_draft_documents', args=[draft.pk])}#component-{component_id}")
    uploads = {f.component_id: f for f in draft.files.all()}
    applicants = list(selectors.applicants_of(request.user))
    chosen = {int(k): v for k, v in draft.reuse.items()}
    chosen_records = Record.objects.in_bulk(list(chosen.values()))
    components = []
    for component in draft.case.components.all():
        offers = []
        if component.document_type:
            taken = {record_id for cid, record_id in chosen.items() if cid != component.pk}
            for applicant in applicants:
                offers.extend(r for r in offer_for(applicant, {component.document_type}) if r.pk not in taken)
        components.append({"component": component, "upload": uploads.get(component.pk), "offers": offers,
                           "chosen": chosen_records.get(chosen.get(component.pk))})
    return render(request, "portal/draft_documents.html", {
        "draft": draft, "components": components, "missing": actions.missing_for(draft), "step": 2,
    })


def review(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft(request, pk)
    if (done := _submitted(request, draft)) is not None:
        return done
    if request.method == "POST":
        try:
            dossier = actions.submit_draft(draft=draft, acting_user=request.user, ip=client_ip(request))
        except actions.PortalError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Đã nộp hồ sơ. Mã hồ sơ: %(code)s.") % {"code": dossier.code})
            return redirect("portal_my_dossier", code=dossier.code)
    schema = schemas.schema_for(draft.version.procedure.code)
    uploads = {f.component_id: f for f in draft.files.all()}
    chosen = {int(k): v for k, v in draft.reuse.items()}
    chosen_records = Record.objects.in_bulk(list(chosen.values()))
    components = [{"component": c, "upload": uploads.get(c.pk), "chosen": chosen_records.get(chosen.get(c.pk))}
                  for c in draft.case.components.all()]
    appointment = selectors.appointment_if_now(draft.version, draft.case)
    return render(request, "portal/draft_review.html", {
        "draft": draft, "rows": schemas.rows(schema, draft.declaration), "components": components,
        "missing": actions.missing_for(draft), "due_at": appointment.due_at,
        "fee_total": sum(f.amount for f in draft.case.fees.all()),
        "full_online": draft.version.online_level == OnlineLevel.FULL,
        "originals": [c for c in draft.case.components.all() if c.originals], "step": 3,
    }, status=400 if request.method == "POST" else 200)


@require_POST
def discard_draft(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft(request, pk)
    if draft.dossier_id is None:
        draft.delete()
        messages.success(request, _("Đã xóa hồ sơ nháp."))
    return redirect("portal_my_dossiers")


# -- my dossiers -------------------------------------------------------------------------------------

def my_dossiers(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.dossiers_of(request.user), 20).get_page(request.GET.get("page"))
    drafts = Draft.objects.filter(user=request.user, dossier__isnull=True).select_related("version__procedure")
    return render(request, "portal/my_dossiers.html", {"page": page, "drafts": drafts, "portal_section": "mine"})


def _own(request: HttpRequest, code: str):
    dossier = selectors.own_dossier(request.user, code)
    if dossier is None:
        raise Http404(_("Không tìm thấy hồ sơ."))
    return dossier


def _payment_context(dossier) -> dict:
    if not _payments_installed():
        return {"payments": False}
    from motcua.integrations.payments.selectors import fee_of, payment_status

    fee = fee_of(dossier)
    try:
        url = reverse("payments_dossier", args=[dossier.code])
    except NoReverseMatch:
        url = ""
    return {"payments": bool(url), "fee": fee, "payment_status": payment_status(dossier) if fee else "not_required",
            "payment_url": url}


def my_dossier(request: HttpRequest, code: str) -> HttpResponse:
    dossier = _own(request, code)
    events = list(DossierEvent.objects.filter(dossier=dossier).order_by("at", "id"))
    timeline = [{"at": e.at, "action": str(selectors.PUBLIC_ACTIONS.get(e.action, _("Cập nhật hồ sơ"))),
                 "status": str(Status(e.to_status).label) if e.to_status in Status.values else "",
                 "note": e.note if e.action in {"intake_supplement", "request_supplement", "intake_refusal", "stop",
                                                "apology"} else ""}
                for e in events]
    results = list(dossier.results.all()) if dossier.status in {Status.RESOLVED, Status.RETURNED} else []
    rating = getattr(dossier, "rating", None) if hasattr(dossier, "rating") else None
    can_rate = dossier.status == Status.RETURNED and rating is None
    draft = getattr(dossier, "draft", None) if hasattr(dossier, "draft") else None
    return render(request, "portal/my_dossier.html", {
        "dossier": dossier, "timeline": timeline, "results": results, "rating": rating,
        "rating_form": RatingForm() if can_rate else None,
        "supplement_kind": actions.supplement_kind(dossier), "supplement_items": actions.supplement_items(dossier),
        "full_online": dossier.version.online_level == OnlineLevel.FULL,
        "originals": [c for c in dossier.case.components.all() if c.originals],
        "declaration": schemas.rows(schemas.schema_for(dossier.version.procedure.code), draft.declaration)
        if draft else [],
        **_payment_context(dossier),
    })


@require_POST
def supplement(request: HttpRequest, code: str) -> HttpResponse:
    dossier = _own(request, code)
    uploads = [(f.name, f.read()) for f in request.FILES.getlist("files") if f.size <= 50 * 1024 * 1024]
    try:
        actions.submit_supplement(dossier=dossier, uploads=uploads, acting_user=request.user, ip=client_ip(request))
    except actions.PortalError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã nộp hồ sơ bổ sung. Cơ quan tiếp tục giải quyết hồ sơ của bạn."))
    return redirect("portal_my_dossier", code=dossier.code)


@require_POST
def rate(request: HttpRequest, code: str) -> HttpResponse:
    dossier = _own(request, code)
    form = RatingForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("portal_my_dossier", code=dossier.code)
    try:
        actions.rate_dossier(dossier=dossier, satisfaction=form.cleaned_data["satisfaction"], scores=form.scores(),
                             comment=form.cleaned_data["comment"], acting_user=request.user, ip=client_ip(request))
    except actions.PortalError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Cảm ơn bạn đã đánh giá việc giải quyết hồ sơ."))
    return redirect("portal_my_dossier", code=dossier.code)


def result_download(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    dossier = _own(request, code)
    if dossier.status not in {Status.RESOLVED, Status.RETURNED}:
        raise Http404(_("Hồ sơ chưa có kết quả."))
    result = get_object_or_404(ResultDocument, pk=pk, dossier=dossier)
    try:
        handle = result.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("Tệp kết quả không còn trên máy chủ.")) from None
    return FileResponse(handle, as_attachment=True, filename=result.file.name.rsplit("/", 1)[-1],
                        content_type=result.content_type)


# -- my documents ------------------------------------------------------------------------------------

def my_records(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    records = [{"record": r, "valid": r.is_valid_on(today)}
               for r in selectors.records_of_user(request.user).prefetch_related(
                   Prefetch("reuses", to_attr="reuse_list"))]
    return render(request, "portal/my_records.html", {"records": records, "portal_section": "records"})


def record_download(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(selectors.records_of_user(request.user), pk=pk)
    try:
        handle = record.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("Tệp không còn trên máy chủ.")) from None
    return FileResponse(handle, as_attachment=True, filename=record.file.name.rsplit("/", 1)[-1],
                        content_type=record.content_type)

