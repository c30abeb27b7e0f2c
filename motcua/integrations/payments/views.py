"""Payment pages: pay a dossier's fees, the gateway's return and IPN, reconciliation, e-receipt; and the
sandbox gateway's own pages."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import dossiers_visible_to
from motcua.integrations.payments import actions, sandbox
from motcua.integrations.payments.gateway import GatewayError
from motcua.integrations.payments.models import Payment, PaymentNotification, PaymentStatus
from motcua.integrations.payments.receipt import receipt_pdf
from motcua.integrations.payments.selectors import (
    can_reconcile,
    default_period,
    fee_of,
    payment_status,
    payments_visible_to,
    reconcile,
)
from motcua.org.middleware import client_ip

logger = logging.getLogger(__name__)

# The IPN protocol's answer to anything unforeseen: the gateway retries the notification later.
UNKNOWN_ERROR = ("99", "Unknown error")


def _dossier_for_payer(request: HttpRequest, code: str) -> Dossier:
    """Officers who can see the dossier, or the applicant's own account."""
    dossier = dossiers_visible_to(request.user).filter(code=code).first()
    if dossier is None:
        dossier = Dossier.objects.filter(code=code, applicant__user=request.user).first()
    if dossier is None:
        raise Http404("Không tìm thấy hồ sơ.")
    return dossier


def dossier_payment(request: HttpRequest, code: str) -> HttpResponse:
    """The fees of a dossier, its payments, and the button that sends the payer to the gateway."""
    dossier = _dossier_for_payer(request, code)
    if request.method == "POST":
        try:
            payment = actions.start_payment(dossier=dossier, acting_user=request.user, ip=client_ip(request))
            url = actions.payment_url(payment=payment, return_url=request.build_absolute_uri(reverse("payments_return")),
                                      ip=client_ip(request))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("payments_dossier", code=dossier.code)
        except GatewayError as exc:
            messages.error(request, str(exc))
            return redirect("payments_dossier", code=dossier.code)
        return redirect(url)
    return render(request, "integrations/payments/dossier.html", {
        "dossier": dossier, "fees": list(dossier.case.fees.all()), "total": fee_of(dossier),
        "status": payment_status(dossier), "payments": dossier.payments.all(),
    })


@login_not_required
@never_cache
def gateway_return(request: HttpRequest) -> HttpResponse:
    """Where the gateway sends the payer back. The result is signed, so it is applied (idempotently)."""
    outcome = actions.apply_gateway_message(params=request.GET.dict(), source=PaymentNotification.Source.RETURN,
                                            ip=client_ip(request))
    payment = outcome.payment if outcome.notification.signature_valid else None
    return render(request, "integrations/payments/return.html", {
        "outcome": outcome, "payment": payment,
        "success": payment is not None and payment.status == PaymentStatus.PAID and outcome.code in {"00", "02"},
    }, status=200 if outcome.notification.signature_valid else 400)


@login_not_required
@csrf_exempt
@require_http_methods(["GET", "POST"])
def gateway_ipn(request: HttpRequest) -> JsonResponse:
    """Server-to-server notification from the gateway; answers in the gateway's protocol."""
    params = request.POST.dict() if request.method == "POST" else request.GET.dict()
    ip = client_ip(request)
    try:
        outcome = actions.apply_gateway_message(params=params, source=PaymentNotification.Source.IPN, ip=ip)
    except Exception:  # the protocol wants "99" (the gateway retries), never an HTTP 500
        logger.exception("Payment IPN failed: txn_ref=%s", params.get("vnp_TxnRef", ""))
        actions.log_failed_message(params=params, source=PaymentNotification.Source.IPN, ip=ip,
                                   code=UNKNOWN_ERROR[0])
        return JsonResponse({"RspCode": UNKNOWN_ERROR[0], "Message": UNKNOWN_ERROR[1]})
    return JsonResponse({"RspCode": outcome.code, "Message": outcome.message})


def _date(value: str, fallback: dt.date) -> tuple[dt.date, str]:
    if not value:
        return fallback, ""
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(value.strip(), pattern).date(), ""  # noqa: DTZ007 — a calendar date
        except ValueError:
            continue
    return fallback, _("Ngày “%(value)s” không đúng dạng dd/mm/yyyy.") % {"value": value}


def reconciliation(request: HttpRequest) -> HttpResponse:
    if not can_reconcile(request.user):
        raise PermissionDenied("Trang đối soát dành cho cán bộ kiểm soát TTHC và cán bộ Một cửa.")
    first, last = default_period()
    start, start_error = _date(request.GET.get("tu_ngay", ""), first)
    end, end_error = _date(request.GET.get("den_ngay", ""), last)
    errors = [e for e in (start_error, end_error) if e]
    if end < start:
        errors.append(_("Ngày kết thúc phải sau hoặc bằng ngày bắt đầu."))
        end = start
    report = reconcile(request.user, start=start, end=end)
    return render(request, "integrations/payments/reconciliation.html", {
        "report": report, "errors": errors,
        "tu_ngay": request.GET.get("tu_ngay", start.strftime("%d/%m/%Y")),
        "den_ngay": request.GET.get("den_ngay", end.strftime("%d/%m/%Y")),
    }, status=400 if errors else 200)


@require_POST
def payment_query(request: HttpRequest, pk: int) -> HttpResponse:
    """Officers ask the gateway about a payment still pending."""
    if not can_reconcile(request.user):
        raise PermissionDenied
    payment = get_object_or_404(payments_visible_to(request.user), pk=pk)
    try:
        outcome = actions.refresh_from_gateway(payment=payment, ip=client_ip(request))
        messages.info(request, f"{payment.txn_ref}: {outcome.notification.reason}")
    except GatewayError as exc:
        messages.error(request, str(exc))
    return redirect(request.POST.get("next") or reverse("payments_reconciliation"))


def receipt(request: HttpRequest, pk: int) -> HttpResponse:
    payment = Payment.objects.filter(pk=pk, status=PaymentStatus.PAID).select_related("dossier").first()
    if payment is None:
        raise Http404("Không có biên lai cho giao dịch này.")
    allowed = (payment.dossier.applicant.user_id == request.user.pk
               or dossiers_visible_to(request.user).filter(pk=payment.dossier_id).exists())
    if not allowed:
        raise Http404("Không có biên lai cho giao dịch này.")
    response = HttpResponse(receipt_pdf(payment), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bien-lai-{payment.receipt_number}.pdf"'
    return response


# ---- the sandbox gateway ---------------------------------------------------------------------------

def _sandbox_on() -> None:
    if not settings.PAYMENT_SANDBOX_ENABLED:
        raise Http404("PAYMENT_SANDBOX_ENABLED=false")


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def sandbox_pay(request: HttpRequest) -> HttpResponse:
    _sandbox_on()
    source = request.POST if request.method == "POST" else request.GET
    params = {k: v for k, v in source.items() if k.startswith("vnp_")}
    try:
        sandbox.check_request(params)
        if request.method == "POST":
            pay = request.POST.get("action") == "pay"
            bank = request.POST.get("bank", "NCB")
            if pay and bank not in dict(sandbox.BANKS):
                raise sandbox.SandboxError("03", "Vui lòng chọn ngân hàng.")
            _txn, url = sandbox.finish(params, pay=pay, bank_code=bank)
            return redirect(url)
    except sandbox.SandboxError as exc:
        return render(request, "integrations/payments/sandbox_pay.html", {"error": exc}, status=400)
    return render(request, "integrations/payments/sandbox_pay.html", {
        "params": params, "amount": int(params["vnp_Amount"]) // 100, "banks": sandbox.BANKS,
        "now": timezone.now(),
    })


@login_not_required
@csrf_exempt
@require_POST
def sandbox_query(request: HttpRequest) -> JsonResponse:
    _sandbox_on()
    return JsonResponse(sandbox.query(sandbox.parse_query_body(request.body)))
