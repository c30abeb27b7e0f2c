"""The one-stop officer's check of a dossier submitted online (DOMAIN B.1.1, B.1.2), on the dossier page.

While the dossier waits for acceptance, a one-stop officer of its desk sees, under the declaration and the
files, which components are there, and accepts the dossier, asks for a supplement (everything missing, in
one go) or refuses it, through `online.accept_online_dossier` / `request_online_supplement` /
`refuse_online_dossier` (each one transaction with its history row and audit entry). Anyone else who may
see the dossier sees no form; a POST from them is a 404.

The form carries a one-time key, sent with the outcome as its idempotency key (as the counter intake form
does): a double click or a resent POST gives one acceptance or one notice (same number, one history row, one
audit entry) and lands on the same receipt or notice page."""

from __future__ import annotations

import uuid

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from motcua.dossiers import online
from motcua.dossiers.intake import IntakeError
from motcua.dossiers.models import Channel, Dossier, Status
from motcua.dossiers.views_intake import client_ip, officer_desks

ACTIONS = {"accept", "supplement", "refuse"}


def may_check(user, dossier: Dossier) -> bool:
    """A dossier submitted online, still waiting, and the person is a one-stop officer of its desk."""
    return (dossier.status == Status.SUBMITTED and dossier.channel == Channel.ONLINE
            and officer_desks(user).filter(pk=dossier.desk_id).exists())


class OnlineCheckForm(forms.Form):
    """One "có" box and one "lý do nếu thiếu" per component of the checklist, and the reason that goes on
    a supplement request or a refusal."""

    check_key = forms.CharField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(label=_l("Lý do, hướng dẫn (ghi trên phiếu yêu cầu bổ sung hoặc phiếu từ chối)"),
                             required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, dossier: Dossier, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["check_key"].initial = uuid.uuid4().hex
        self.items = list(dossier.checklist.select_related("component").order_by("id"))
        for item in self.items:
            self.fields[f"present_{item.component_id}"] = forms.BooleanField(
                label=item.name, required=False, initial=item.present)
            self.fields[f"missing_{item.component_id}"] = forms.CharField(
                label=_("Lý do nếu thiếu: %(name)s") % {"name": item.name}, required=False, max_length=500)

    def rows(self) -> list[dict]:
        return [{"item": item, "present": self[f"present_{item.component_id}"],
                 "missing": self[f"missing_{item.component_id}"]} for item in self.items]

    def present_components(self) -> set[int]:
        return {item.component_id for item in self.items if self.cleaned_data.get(f"present_{item.component_id}")}

    def missing_items(self) -> list[dict]:
        """Every required component not ticked, and any other with a reason typed."""
        result = []
        for item in self.items:
            ticked = self.cleaned_data.get(f"present_{item.component_id}")
            why = self.cleaned_data.get(f"missing_{item.component_id}", "").strip()
            if not ticked and (item.required or why):
                result.append({"name": item.name, "reason": why})
        return result

    def add_intake_errors(self, exc: IntakeError) -> None:
        for field, errors in exc.errors.items():
            for error in errors:
                self.add_error(field if field in self.fields else None, error)


def check_panel(request: HttpRequest, dossier: Dossier) -> dict:
    """The dossier page's panel: the form for a one-stop officer of the desk, nothing for anyone else."""
    if not may_check(request.user, dossier):
        return {}
    form = getattr(request, "online_check_form", None) or OnlineCheckForm(dossier=dossier)
    return {"form": form}


def may_resend(user, dossier: Dossier) -> bool:
    """A one-stop officer of the desk of an online dossier, whatever its status: a resent form is answered
    (with the first outcome, or a message if someone else decided meanwhile) rather than a 404."""
    return dossier.channel == Channel.ONLINE and officer_desks(user).filter(pk=dossier.desk_id).exists()


def _idempotency_key(request: HttpRequest, action: str) -> str | None:
    """The form's one-time key for this outcome; a refusal after a supplement request on the same form is
    a new outcome (the dossier's status refuses it anyway)."""
    key = request.POST.get("check_key", "").strip()
    if not key:
        return None
    return f"online:{request.user.pk}:{action}:{key}"[:80]


@require_POST
def check(request: HttpRequest, code: str) -> HttpResponse:
    from motcua.dossiers.views_dossier import _dossier_or_404, dossier_detail

    dossier = _dossier_or_404(request, code)
    action = request.POST.get("action", "")
    key = _idempotency_key(request, action)
    if action not in ACTIONS or not (may_check(request.user, dossier) or (key and may_resend(request.user, dossier))):
        raise Http404(_("Không có thao tác này, hoặc bạn không được thực hiện thao tác này trên hồ sơ."))
    form = OnlineCheckForm(request.POST, dossier=dossier)
    if form.is_valid():
        ip = client_ip(request)
        try:
            if action == "accept":
                dossier = online.accept_online_dossier(dossier=dossier, present_components=form.present_components(),
                                                       acting_user=request.user, ip=ip, idempotency_key=key)
                messages.success(request, _("Đã tiếp nhận hồ sơ trực tuyến %(code)s.") % {"code": dossier.code})
                return redirect("dossiers_received", code=dossier.code)
            if action == "supplement":
                notice = online.request_online_supplement(dossier=dossier, items=form.missing_items(),
                                                          reason=form.cleaned_data["reason"],
                                                          acting_user=request.user, ip=ip, idempotency_key=key)
            else:
                notice = online.refuse_online_dossier(dossier=dossier, reason=form.cleaned_data["reason"],
                                                      acting_user=request.user, ip=ip, idempotency_key=key)
            messages.success(request, _("Đã lập %(kind)s số %(number)s.")
                             % {"kind": notice.get_kind_display().lower(), "number": notice.number})
            return redirect("dossiers_notice", number=notice.number)
        except IntakeError as exc:
            if Dossier.objects.filter(pk=dossier.pk).exclude(status=Status.SUBMITTED).exists():
                # An old form for a dossier decided since (by someone else, or by another outcome): the page
                # shows no form any more, so say why on it.
                for errors in exc.errors.values():
                    for error in errors:
                        messages.error(request, error)
                return redirect("dossiers_detail", code=dossier.code)
            form.add_intake_errors(exc)
    request.online_check_form = form
    response = dossier_detail(request, code)
    response.status_code = 422
    return response


def register() -> None:
    from motcua.dossiers.views_dossier import register_detail_panel

    # After the declaration (15) and the checklist with its files (20): read first, then decide.
    register_detail_panel("dossiers/detail/_online_check.html", context=check_panel, order=25)
