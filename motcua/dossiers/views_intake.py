"""The counter intake screen (one-stop officers only): find the procedure, enter the applicant, tick
the checklist, then receive, ask for a supplement, or refuse. Works without JavaScript; htmx only
saves page loads (procedure suggestions, the checklist of another case, the applicant lookup)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog.models import ProcedureCase, ProcedureVersion
from motcua.catalog.selectors import search_versions
from motcua.dossiers.forms import IntakeForm
from motcua.dossiers.intake import IntakeError, ReuseOffer, give_intake_notice, receive_dossier, reuse_offers
from motcua.dossiers.models import Applicant, IntakeNotice
from motcua.dossiers.selectors import find_applicants
from motcua.org.models import Role, Unit
from motcua.org.selectors import grants_of

SUGGESTIONS = 12
APPLICANT_FIELDS = ("applicant_name", "applicant_birth_date", "applicant_phone", "applicant_email",
                    "applicant_address")


def officer_desks(user) -> QuerySet[Unit]:
    """The one-stop units where the person holds the one-stop officer role today."""
    ids = [g.unit.pk for g in grants_of(user) if g.role == Role.ONE_STOP_OFFICER]
    return Unit.objects.filter(pk__in=ids, is_active=True).order_by("path")


def _desks_or_404(request: HttpRequest) -> QuerySet[Unit]:
    desks = officer_desks(request.user)
    if not desks.exists():
        raise Http404(_("Trang này dành cho cán bộ Bộ phận Một cửa."))
    return desks


def client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def _version(pk) -> ProcedureVersion | None:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return ProcedureVersion.objects.select_related("procedure", "agency", "field").filter(pk=pk).first()


def _case(version: ProcedureVersion, pk) -> ProcedureCase:
    cases = list(version.cases.prefetch_related("components"))
    if not cases:
        raise Http404(_("Thủ tục này chưa có trường hợp nào trong danh mục."))
    return next((c for c in cases if str(c.pk) == str(pk)), cases[0])


def _suggestions(q: str) -> list[ProcedureVersion]:
    q = q.strip()[:200]
    return list(search_versions(q=q)[:SUGGESTIONS]) if q else []


def _initial_from(data: QueryDict) -> dict:
    """What the officer typed, as initial values (a re-render that must not show errors)."""
    initial = {key: data.get(key) for key in data if not key.startswith(("csrfmiddlewaretoken", "action"))}
    for key in list(initial):
        if key.startswith("present_"):
            initial[key] = True
    return initial


def lookup_applicant(identifier: str, kind: str = "") -> Applicant | None:
    identifier = identifier.replace(" ", "").strip()
    if not identifier:
        return None
    matches = [a for a in find_applicants(identifier) if a.identifier == identifier]
    preferred = [a for a in matches if a.kind == kind] or matches
    return preferred[0] if preferred else None


def _fill_from(initial: dict, applicant: Applicant | None) -> dict:
    """Empty applicant fields take the earlier record's values; what was typed is kept."""
    if applicant is None:
        return initial
    found = {"applicant_kind": applicant.kind, "applicant_name": applicant.name,
             "applicant_birth_date": applicant.birth_date.strftime("%d/%m/%Y") if applicant.birth_date else "",
             "applicant_phone": applicant.phone, "applicant_email": applicant.email,
             "applicant_address": applicant.address}
    for key, value in found.items():
        if not initial.get(key) or key == "applicant_kind":
            initial[key] = value
    return initial


def offers_for(case: ProcedureCase, kind: str, identifier: str) -> dict[int, list[ReuseOffer]]:
    """{component id: the applicant's valid documents of the type the component names} (from the records
    store, through the intake extensions); empty until the applicant is known."""
    components = [c for c in case.components.all() if c.document_type]
    identifier = (identifier or "").replace(" ", "").strip()
    if not components or not identifier:
        return {}
    found = reuse_offers(applicant_kind=kind or "citizen", identifier=identifier,
                         document_types={c.document_type for c in components}, day=timezone.localdate())
    return {c.pk: [o for o in found if o.document_type == c.document_type] for c in components}


def _offers_from(data) -> tuple[str, str]:
    return data.get("applicant_kind") or "", data.get("applicant_identifier") or ""


def intake(request: HttpRequest) -> HttpResponse:
    desks = _desks_or_404(request)
    data = request.POST if request.method == "POST" else request.GET
    version = _version(data.get("procedure") or data.get("thu-tuc"))
    q = request.GET.get("q", "")
    if version is None:
        return render(request, "dossiers/intake/choose_procedure.html", {
            "q": q, "suggestions": _suggestions(q), "searched": bool(q.strip())})
    case = _case(version, data.get("case") or data.get("truong-hop"))

    if request.method != "POST":
        initial = {}
        if request.GET.get("nguoi-nop"):
            initial = _fill_from({"applicant_identifier": request.GET["nguoi-nop"]},
                                 lookup_applicant(request.GET["nguoi-nop"], request.GET.get("loai", "")))
        form = IntakeForm(initial=initial, version=version, case=case, desks=desks,
                          offers=offers_for(case, *_offers_from(initial)))
        return _render_form(request, form)

    action = request.POST.get("action", "receive")
    if action in {"case", "lookup"}:
        initial = _initial_from(request.POST)
        note = ""
        if action == "lookup":
            found = lookup_applicant(initial.get("applicant_identifier", ""), initial.get("applicant_kind", ""))
            initial = _fill_from(initial, found)
            note = _("Đã điền thông tin từ hồ sơ trước.") if found else _("Chưa có người nộp này trong hồ sơ trước.")
        form = IntakeForm(initial=initial, version=version, case=case, desks=desks,
                          offers=offers_for(case, *_offers_from(initial)))
        return _render_form(request, form, lookup_note=note, files_dropped=bool(request.FILES))

    form = IntakeForm(request.POST, request.FILES, version=version, case=case, desks=desks,
                      offers=offers_for(case, *_offers_from(request.POST)))
    if not form.is_valid():
        return _render_form(request, form, status=422)
    try:
        if action == "supplement":
            notice = give_intake_notice(
                kind=IntakeNotice.Kind.SUPPLEMENT, version=version, case=form.cleaned_data["case"],
                channel=form.cleaned_data["channel"], applicant=form.applicant_data(),
                desk=form.cleaned_data["desk"], items=form.supplement_items(),
                reason=form.cleaned_data.get("supplement_note", ""), acting_user=request.user,
                ip=client_ip(request), idempotency_key=_idempotency_key(request, form, "supplement"))
            return redirect("dossiers_notice", number=notice.number)
        if action == "refuse":
            notice = give_intake_notice(
                kind=IntakeNotice.Kind.REFUSAL, version=version, case=form.cleaned_data["case"],
                channel=form.cleaned_data["channel"], applicant=form.applicant_data(),
                desk=form.cleaned_data["desk"], items=[], reason=form.cleaned_data.get("refusal_reason", ""),
                acting_user=request.user, ip=client_ip(request),
                idempotency_key=_idempotency_key(request, form, "refusal"))
            return redirect("dossiers_notice", number=notice.number)
        if not form.check_uploads():
            return _render_form(request, form, status=422)
        dossier = receive_dossier(request=form.intake_request(), acting_user=request.user, ip=client_ip(request),
                                  idempotency_key=_idempotency_key(request, form))
        return redirect("dossiers_received", code=dossier.code)
    except IntakeError as exc:
        errors = dict(exc.errors)
        if action == "refuse" and "reason" in errors:
            errors["refusal_reason"] = errors.pop("reason")
        form.apply_intake_errors(errors)
        return _render_form(request, form, status=422)


def _idempotency_key(request: HttpRequest, form: IntakeForm, outcome: str = "") -> str | None:
    """The form's one-time key: a resubmitted form (double click, retry) gives the first dossier or notice.
    A notice's key names its kind, so a refusal after a supplement request on the same form is a new one."""
    key = (form.cleaned_data.get("intake_key") or "").strip()
    if not key:
        return None
    return (f"counter:{request.user.pk}:" + (f"{outcome}:" if outcome else "") + key)[:80]


def _render_form(request: HttpRequest, form: IntakeForm, *, status: int = 200, lookup_note: str = "",
                 files_dropped: bool | None = None) -> HttpResponse:
    if files_dropped is None:
        files_dropped = form.is_bound and form.had_files
    return render(request, "dossiers/intake/form.html", {
        "form": form, "version": form.version, "case": form.case, "lookup_note": lookup_note,
        "files_dropped": files_dropped, "show_desk": len(form.fields["desk"].queryset) > 1,
    }, status=status)


# -- htmx partials (each also answers a plain request sensibly) ---------------------------------------

def procedure_suggestions(request: HttpRequest) -> HttpResponse:
    _desks_or_404(request)
    q = request.GET.get("q", "")
    if not request.htmx:
        return redirect(f"{reverse('dossiers_intake')}?{request.GET.urlencode()}")
    return render(request, "dossiers/intake/_suggestions.html", {
        "q": q, "suggestions": _suggestions(q), "searched": bool(q.strip())})


def case_checklist(request: HttpRequest) -> HttpResponse:
    desks = _desks_or_404(request)
    version = _version(request.GET.get("procedure"))
    if version is None:
        raise Http404(_("Không có thủ tục này."))
    case = _case(version, request.GET.get("case"))
    if not request.htmx:
        return redirect(f"{reverse('dossiers_intake')}?thu-tuc={version.pk}&truong-hop={case.pk}")
    form = IntakeForm(initial={"case": case.pk}, version=version, case=case, desks=desks,
                      offers=offers_for(case, *_offers_from(request.GET)))
    return render(request, "dossiers/intake/_checklist.html", {"form": form, "case": case})


def applicant_lookup(request: HttpRequest) -> HttpResponse:
    """htmx, while the ID number is typed: a suggestion next to the applicant fields, never the fields
    themselves (the officer may already be typing in them). "Dùng thông tin này" fills them; the small
    script in motcua.js also fills the fields that are still empty, untouched and not focused."""
    desks = _desks_or_404(request)
    identifier = request.GET.get("applicant_identifier", "")
    kind = request.GET.get("applicant_kind", "")
    found = lookup_applicant(identifier, kind)
    note = ""
    if found is None and len(identifier.strip()) >= 10:
        note = _("Chưa có người nộp này trong hồ sơ trước.")
    fill = {}
    if found is not None:
        fill = {"applicant_kind": found.kind, "applicant_name": found.name,
                "applicant_birth_date": found.birth_date.strftime("%d/%m/%Y") if found.birth_date else "",
                "applicant_phone": found.phone, "applicant_email": found.email,
                "applicant_address": found.address}
    # The components' reuse choices follow the applicant: swapped out of band, the rest of the checklist
    # (ticks, chosen files) is left as it is.
    reuse_boxes = []
    version = _version(request.GET.get("procedure"))
    if version is not None:
        case = _case(version, request.GET.get("case"))
        offer_kind = found.kind if found is not None else kind
        intake_form = IntakeForm(initial={"case": case.pk}, version=version, case=case, desks=desks,
                                 offers=offers_for(case, offer_kind, identifier))
        reuse_boxes = [row["reuse"] for row in intake_form.component_rows() if row["reuse"]]
    return render(request, "dossiers/intake/_applicant_lookup.html",
                  {"found": found, "fill": fill, "lookup_note": note, "reuse_boxes": reuse_boxes})


# -- the one-stop officer's home section ------------------------------------------------------------

HOME_LIMIT = 20
POSTAL_DAYS = 7


def one_stop_home(request: HttpRequest) -> dict:
    """Today at the desk: results to hand back, online dossiers to accept, postal dossiers that arrived,
    my receptions, my slips."""
    import datetime as dt

    from django.utils import timezone

    from motcua.dossiers.fees import with_fee_state
    from motcua.dossiers.models import Channel, Dossier, Status
    from motcua.dossiers.selectors import dossiers_visible_to
    from motcua.org.selectors import visible_units

    tz = timezone.get_current_timezone()
    today = timezone.localdate()
    start = dt.datetime.combine(today, dt.time.min, tzinfo=tz)
    end = start + dt.timedelta(days=1)
    visible = with_fee_state(dossiers_visible_to(request.user).select_related("version"))  # paid / unpaid badges
    desks = visible_units(request.user, role=Role.ONE_STOP_OFFICER)
    return {
        "to_return": list(visible.filter(status=Status.RESOLVED, due_at__gte=start, due_at__lt=end)
                          .order_by("due_at")[:HOME_LIMIT]),
        "online": list(visible.filter(status=Status.SUBMITTED).order_by("submitted_at", "id")[:HOME_LIMIT]),
        "received": list(with_fee_state(Dossier.objects.filter(received_by=request.user, received_at__gte=start,
                                                               received_at__lt=end)).select_related("version")
                         .order_by("-received_at")[:HOME_LIMIT]),
        "notices": list(IntakeNotice.objects.filter(desk__in=desks, issued_at__gte=start, issued_at__lt=end)
                        .order_by("-issued_at")[:HOME_LIMIT]),
        # Postal dossiers (BCCI) that reached the desk in the last POSTAL_DAYS days: the post's waybill
        # and the day it handed the parcel over.
        "postal": list(Dossier.objects.filter(desk__in=desks, channel=Channel.POSTAL,
                                              received_at__gte=start - dt.timedelta(days=POSTAL_DAYS - 1),
                                              received_at__lt=end)
                       .select_related("version").order_by("-received_at", "-id")[:HOME_LIMIT]),
        "postal_days": POSTAL_DAYS,
    }
