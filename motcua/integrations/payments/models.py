"""Online payment of a dossier's fees: payments, every gateway notification received, and the ledger of
the sandbox gateway the project ships."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import Dossier
from motcua.org.models import User


class PaymentStatus(models.TextChoices):
    PENDING = "pending", _("Chờ thanh toán")
    PAID = "paid", _("Đã thanh toán")
    FAILED = "failed", _("Không thành công")
    REFUNDED = "refunded", _("Đã hoàn tiền")


class PaymentMethod(models.TextChoices):
    ONLINE = "online", _("Trực tuyến")
    CASH = "cash", _("Tiền mặt")
    TRANSFER = "transfer", _("Chuyển khoản")
    CARD = "card", _("Thẻ")


COUNTER_METHODS = (PaymentMethod.CASH, PaymentMethod.TRANSFER, PaymentMethod.CARD)
COUNTER_GATEWAY = "counter"


class Payment(models.Model):
    """One attempt to pay a dossier's fees: online through a gateway, or recorded by a one-stop officer
    at the counter (cash, transfer, card: `gateway` is "counter", paid at once). The amount (integer đồng)
    is the fee of the dossier's case when the attempt starts; `txn_ref` is the reference sent to the
    gateway (for a counter payment, an internal reference)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="payments")
    amount = models.BigIntegerField(_("số tiền (đồng)"))
    status = models.CharField(_("trạng thái"), max_length=16, choices=PaymentStatus.choices,
                              default=PaymentStatus.PENDING, db_index=True)
    gateway = models.CharField(_("cổng thanh toán"), max_length=32)
    method = models.CharField(_("hình thức"), max_length=16, choices=PaymentMethod.choices,
                              default=PaymentMethod.ONLINE)
    txn_ref = models.CharField(_("mã giao dịch"), max_length=40, unique=True)
    gateway_ref = models.CharField(_("mã giao dịch tại cổng"), max_length=64, blank=True)
    bank_code = models.CharField(_("ngân hàng"), max_length=20, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    paid_at = models.DateTimeField(_("thời điểm thanh toán"), null=True, blank=True, db_index=True)
    receipt_number = models.CharField(_("số biên lai"), max_length=40, blank=True)
    raw_notification = models.JSONField(default=dict, blank=True)
    idempotency_key = models.CharField(max_length=80, blank=True)

    class Meta:
        verbose_name = _("thanh toán")
        verbose_name_plural = _("thanh toán")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payments_amount_positive"),
            models.UniqueConstraint(fields=["idempotency_key"], condition=~Q(idempotency_key=""),
                                    name="payments_idempotency_key_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.txn_ref} ({self.get_status_display()})"

    @property
    def online(self) -> bool:
        return self.method == PaymentMethod.ONLINE


class PaymentNotification(models.Model):
    """Every message a gateway sent back (return URL, server-to-server notification, query answer),
    valid or not, with what was done and why."""

    class Source(models.TextChoices):
        RETURN = "return", _("Trả về trình duyệt")
        IPN = "ipn", _("Thông báo máy chủ (IPN)")
        QUERY = "query", _("Tra cứu giao dịch")

    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    source = models.CharField(max_length=8, choices=Source.choices)
    payment = models.ForeignKey(Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="notifications")
    txn_ref = models.CharField(max_length=40, blank=True, db_index=True)
    params = models.JSONField(default=dict)
    signature_valid = models.BooleanField(default=False)
    accepted = models.BooleanField(default=False)
    changed_payment = models.BooleanField(default=False)
    response_code = models.CharField(max_length=4)
    reason = models.CharField(max_length=255)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        verbose_name = _("thông báo từ cổng thanh toán")
        verbose_name_plural = _("thông báo từ cổng thanh toán")
        ordering = ["-received_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.source} {self.txn_ref}: {self.response_code} {self.reason}"


class SandboxTransaction(models.Model):
    """The sandbox gateway's own ledger (the gateway side, not the merchant side)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Đang chờ người trả")
        SUCCESS = "success", _("Thành công")
        CANCELLED = "cancelled", _("Người trả hủy")

    merchant = models.CharField(max_length=32)
    txn_ref = models.CharField(max_length=40)
    transaction_no = models.CharField(max_length=20, unique=True)
    amount = models.BigIntegerField()  # in đồng (the protocol carries ×100)
    order_info = models.CharField(max_length=255)
    return_url = models.CharField(max_length=500)
    bank_code = models.CharField(max_length=20, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    ipn_attempts = models.PositiveSmallIntegerField(default=0)
    ipn_response = models.CharField(max_length=255, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["merchant", "txn_ref"], name="sandbox_txn_per_merchant")]

    def __str__(self) -> str:
        return f"{self.transaction_no} {self.txn_ref} {self.status}"
