"""Recording a fee paid at the counter (cash, transfer, card) on the dossier page.

A one-stop officer of the dossier's desk sees the form in the "Phí, lệ phí" panel while the fee is unpaid.
The form carries a one-time key (new per rendering) sent as the idempotency key of
`actions.record_counter_payment`: a double click or a resent POST records one payment (one audit entry)."""

from __future__ import annotations

import re
import uuid

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from motcua.dossiers.models import Dossier
from motcua.integrations.payments import actions
from motcua.integrations.payments.models import COUNTER_METHODS, PaymentMethod
from motcua.lib.formats import money
from motcua.org.middleware import client_ip


class CounterPaymentForm(forms.Form):
    pay_key = forms.CharField(widget=forms.HiddenInput, required=False)
    method = forms.ChoiceField(label=_l("Hình thức"), initial=PaymentMethod.CASH,
                               choices=[(m.value, m.label) for m in COUNTER_METHODS])
    amount = forms.CharField(label=_l("Số tiền đã thu (đồng)"), max_length=20)
    receipt_number = forms.CharField(label=_l("Số biên lai (nếu đã lập biên lai giấy)"), required=False,
                                     max_length=40,
                                     help_text=_l("Để trống: hệ thống cấp số biên lai điện tử."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["pay_key"].initial = uuid.uuid4().hex

    def clean_amount(self) -> int:
        raw = self.cleaned_data["amount"].strip().lower().removesuffix("đ").removesuffix("đồng").strip()
        digits = re.sub(r"[.\s]", "", raw)
        if not digits.isdigit() or int(digits) <= 0:
            raise ValidationError(_("Số tiền phải là số đồng, ví dụ 600.000."))
        return int(digits)

    def add_action_errors(self, exc: ValidationError) -> None:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.message_dict.items():
                for error in errors:
                    self.add_error(field if field in self.fields else None, error)
        else:
            for error in exc.messages:
                self.add_error(None, error)


def may_record(user, dossier: Dossier) -> bool:
    """A one-stop officer of the dossier's desk today."""
    from motcua.dossiers.views_intake import officer_desks

    return bool(user.is_authenticated and dossier.desk_id
                and officer_desks(user).filter(pk=dossier.desk_id).exists())


def counter_form(request: HttpRequest, dossier: Dossier) -> CounterPaymentForm | None:
    """The form for the dossier page's panel (the typed values again after an error), or None."""
    if not may_record(request.user, dossier):
        return None
    return getattr(request, "counter_payment_form", None) or CounterPaymentForm()


def _idempotency_key(request: HttpRequest) -> str | None:
    key = request.POST.get("pay_key", "").strip()
    return f"counter:{request.user.pk}:{key}"[:80] if key else None


@require_POST
def record(request: HttpRequest, code: str) -> HttpResponse:
    from motcua.dossiers.views_dossier import _dossier_or_404, dossier_detail

    dossier = _dossier_or_404(request, code)
    if not may_record(request.user, dossier):
        raise Http404(_("Không có thao tác này, hoặc bạn không được thực hiện thao tác này trên hồ sơ."))
    form = CounterPaymentForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            payment = actions.record_counter_payment(
                dossier=dossier, method=data["method"], amount=data["amount"],
                receipt_number=data["receipt_number"], acting_user=request.user, ip=client_ip(request),
                idempotency_key=_idempotency_key(request))
        except ValidationError as exc:
            form.add_action_errors(exc)
        else:
            messages.success(request, _("Đã ghi nhận nộp phí, lệ phí %(amount)s (%(method)s), biên lai số %(number)s.")
                             % {"amount": money(payment.amount), "method": payment.get_method_display().lower(),
                                "number": payment.receipt_number})
            return redirect("dossiers_detail", code=dossier.code)
    request.counter_payment_form = form
    response = dossier_detail(request, code)
    response.status_code = 400
    return response
