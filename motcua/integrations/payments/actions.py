"""Writes on payments: start a payment, apply what the gateway says (return URL, IPN, query).

Every gateway message is logged as a PaymentNotification, valid or not, with its reason. Applying is
idempotent: the same transaction notified twice changes the payment once.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.dossiers.models import Dossier
from motcua.integrations.payments.gateway import PaymentGateway, get_gateway, read_result
from motcua.integrations.payments.models import (
    COUNTER_GATEWAY,
    COUNTER_METHODS,
    Payment,
    PaymentNotification,
    PaymentStatus,
)
from motcua.integrations.payments.selectors import fee_of
from motcua.lib.formats import money
from motcua.org.audit import record_audit
from motcua.org.models import User

logger = logging.getLogger(__name__)

# The answers of the IPN protocol.
CONFIRMED = ("00", "Confirm Success")
NOT_FOUND = ("01", "Order not found")
ALREADY_CONFIRMED = ("02", "Order already confirmed")
INVALID_AMOUNT = ("04", "Invalid amount")
INVALID_SIGNATURE = ("97", "Invalid signature")


@dataclass(frozen=True)
class Outcome:
    code: str
    message: str
    notification: PaymentNotification
    payment: Payment | None


def _txn_ref(prefix: str = "MC") -> str:
    return f"{prefix}{timezone.localtime():%y%m%d%H%M%S}{secrets.randbelow(10**6):06d}"


@transaction.atomic
def start_payment(*, dossier: Dossier, acting_user: User | None, ip: str | None = None,
                  gateway: PaymentGateway | None = None) -> Payment:
    """A pending payment of the dossier's fees (from its catalog case)."""
    gateway = gateway or get_gateway()
    dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
    amount = fee_of(dossier)
    if amount <= 0:
        raise ValidationError(_("Thủ tục của hồ sơ %(code)s không thu phí, lệ phí.") % {"code": dossier.code})
    if Payment.objects.filter(dossier=dossier, status=PaymentStatus.PAID).exists():
        raise ValidationError(_("Hồ sơ %(code)s đã được thanh toán.") % {"code": dossier.code})
    payment = Payment.objects.create(dossier=dossier, amount=amount, gateway=gateway.name, txn_ref=_txn_ref(),
                                     created_by=acting_user if acting_user and acting_user.is_authenticated else None)
    record_audit(action="payment.start", obj=payment, actor=acting_user, ip=ip,
                 after={"dossier": dossier.code, "amount": amount, "gateway": gateway.name, "txn_ref": payment.txn_ref})
    return payment


def payment_url(*, payment: Payment, return_url: str, ip: str | None, gateway: PaymentGateway | None = None) -> str:
    gateway = gateway or get_gateway()
    info = _("Thanh toán phí, lệ phí hồ sơ %(code)s") % {"code": payment.dossier.code}
    return gateway.payment_url(txn_ref=payment.txn_ref, amount=payment.amount, order_info=info,
                               return_url=return_url, ip=ip)


def _receipt_number(payment: Payment) -> str:
    return f"BL{timezone.localtime(payment.paid_at):%Y}-{payment.pk:06d}"


@transaction.atomic
def apply_gateway_message(*, params: dict, source: str, ip: str | None = None,
                          gateway: PaymentGateway | None = None) -> Outcome:
    """Check and apply one signed message from the gateway; always logged."""
    gateway = gateway or get_gateway()
    params = {str(k): str(v) for k, v in params.items()}
    result = read_result(params)
    log = PaymentNotification(source=source, txn_ref=result.txn_ref[:40], params=params, ip=ip or None)

    def finish(answer: tuple[str, str], reason: str, payment: Payment | None = None, *, accepted: bool = False,
               changed: bool = False) -> Outcome:
        log.payment = payment
        log.response_code, log.reason = answer[0], reason[:255]
        log.accepted, log.changed_payment = accepted, changed
        log.save()
        return Outcome(answer[0], answer[1], log, payment)

    is_query = source == PaymentNotification.Source.QUERY
    if not (gateway.verify_query(params) if is_query else gateway.verify(params)):
        return finish(INVALID_SIGNATURE, _("Sai chữ ký: thông báo bị từ chối."))
    log.signature_valid = True
    payment = Payment.objects.select_for_update().select_related("dossier").filter(txn_ref=result.txn_ref).first()
    if payment is None:
        return finish(NOT_FOUND, _("Không có giao dịch %(ref)s.") % {"ref": result.txn_ref})
    if is_query and result.response_code != "00":
        return finish(NOT_FOUND, _("Cổng thanh toán không tìm thấy giao dịch (mã %(code)s).")
                      % {"code": result.response_code}, payment)
    if params.get("vnp_TransactionStatus") == "01":
        return finish(CONFIRMED, _("Giao dịch chưa hoàn tất tại cổng thanh toán."), payment, accepted=True)
    expected = fee_of(payment.dossier)
    if result.amount != payment.amount or result.amount != expected:
        return finish(INVALID_AMOUNT, _("Số tiền %(got)s không khớp phí, lệ phí %(fee)s của hồ sơ.")
                      % {"got": money(result.amount) if result.amount >= 0 else params.get("vnp_Amount", ""),
                         "fee": money(expected)}, payment)
    if payment.status != PaymentStatus.PENDING:
        return finish(ALREADY_CONFIRMED, _("Giao dịch đã được xác nhận trước đó (%(status)s); không cập nhật lại.")
                      % {"status": payment.get_status_display()}, payment, accepted=True)
    before = {"status": payment.status}
    payment.gateway_ref = result.transaction_no[:64]
    payment.bank_code = result.bank_code[:20]
    payment.raw_notification = params
    if result.success:
        payment.status = PaymentStatus.PAID
        payment.paid_at = result.paid_at or timezone.now()
        payment.receipt_number = _receipt_number(payment)
        reason = _("Đã thanh toán.")
    else:
        payment.status = PaymentStatus.FAILED
        reason = _("Giao dịch không thành công (mã %(code)s).") % {"code": result.response_code}
    payment.save()
    record_audit(action=f"payment.{payment.status}", obj=payment, actor=None, ip=ip, before=before,
                 after={"status": payment.status, "gateway_ref": payment.gateway_ref, "source": source,
                        "receipt_number": payment.receipt_number})
    return finish(CONFIRMED, reason, payment, accepted=True, changed=True)


@transaction.atomic
def record_counter_payment(*, dossier: Dossier, method: str, amount: int, receipt_number: str = "",
                           acting_user: User, ip: str | None = None, idempotency_key: str | None = None,
                           paid_at=None) -> Payment:
    """A payment taken at the counter (cash, transfer, card), paid at once. The amount must be the fee of the
    dossier's case; without a receipt number typed (paper biên lai), the e-receipt's is given. A retry with
    the same idempotency key (double click, resent form) returns the first payment, with no second row or
    audit entry."""
    dossier = Dossier.objects.select_for_update(of=("self",)).get(pk=dossier.pk)
    if idempotency_key:
        first = Payment.objects.filter(idempotency_key=idempotency_key).first()
        if first is not None:
            return first
    errors: dict[str, list[str]] = {}
    if method not in COUNTER_METHODS:
        errors.setdefault("method", []).append(_("Chọn hình thức nộp tại quầy: tiền mặt, chuyển khoản hoặc thẻ."))
    fee = fee_of(dossier)
    if fee <= 0:
        raise ValidationError(_("Thủ tục của hồ sơ %(code)s không thu phí, lệ phí.") % {"code": dossier.code})
    if Payment.objects.filter(dossier=dossier, status=PaymentStatus.PAID).exists():
        raise ValidationError(_("Hồ sơ %(code)s đã được thanh toán.") % {"code": dossier.code})
    if amount != fee:
        errors.setdefault("amount", []).append(
            _("Số tiền %(got)s không khớp phí, lệ phí %(fee)s của hồ sơ.") % {"got": money(amount), "fee": money(fee)})
    receipt_number = (receipt_number or "").strip()
    if receipt_number and Payment.objects.filter(receipt_number=receipt_number).exists():
        errors.setdefault("receipt_number", []).append(
            _("Số biên lai %(number)s đã được dùng cho một khoản thu khác.") % {"number": receipt_number})
    if errors:
        raise ValidationError(errors)
    payment = Payment.objects.create(
        dossier=dossier, amount=amount, gateway=COUNTER_GATEWAY, method=method, txn_ref=_txn_ref("QT"),
        status=PaymentStatus.PAID, paid_at=paid_at or timezone.now(), created_by=acting_user,
        idempotency_key=idempotency_key or "")
    payment.receipt_number = receipt_number or _receipt_number(payment)
    payment.save(update_fields=["receipt_number"])
    record_audit(action="payment.counter", obj=payment, actor=acting_user, ip=ip,
                 after={"dossier": dossier.code, "amount": amount, "method": method, "status": payment.status,
                        "txn_ref": payment.txn_ref, "receipt_number": payment.receipt_number})
    return payment


def log_failed_message(*, params: dict, source: str, ip: str | None, code: str) -> None:
    """Best effort: keep a gateway message whose handling failed unexpectedly (rolled back) in the log of
    messages, refused, so reconciliation shows it; a failure here (the database itself down) is logged only."""
    try:
        with transaction.atomic():
            PaymentNotification.objects.create(
                source=source, txn_ref=str(params.get("vnp_TxnRef", ""))[:40],
                params={str(k): str(v) for k, v in params.items()}, ip=ip or None, response_code=code,
                reason=_("Lỗi hệ thống khi xử lý thông báo; cổng thanh toán sẽ gửi lại."))
    except Exception:
        logger.exception("Could not log the failed gateway message")


def refresh_from_gateway(*, payment: Payment, ip: str | None = None, gateway: PaymentGateway | None = None) -> Outcome:
    """Ask the gateway (query API) and apply its answer like a notification."""
    gateway = gateway or get_gateway()
    answer = gateway.query(txn_ref=payment.txn_ref, created_at=payment.created_at, ip=ip)
    return apply_gateway_message(params=answer, source=PaymentNotification.Source.QUERY, ip=ip, gateway=gateway)
