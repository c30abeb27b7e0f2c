"""Reads about payments: a dossier's fee and payment state, and the reconciliation of a period."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from motcua.dossiers.models import Dossier
from motcua.integrations.payments.models import Payment, PaymentMethod, PaymentNotification, PaymentStatus
from motcua.lib.formats import VN_TZ, money
from motcua.org.models import Role, Unit, User
from motcua.org.selectors import roles_of, visible_units

RECONCILIATION_ROLES = frozenset({Role.CONTROL_OFFICER, Role.ONE_STOP_OFFICER})


def fee_of(dossier: Dossier) -> int:
    """The fees and charges of the dossier's case, in đồng."""
    return int(dossier.case.fees.aggregate(total=Sum("amount"))["total"] or 0)


def payment_status(dossier: Dossier) -> str:
    """`not_required` (no fee), `paid`, `pending` (an attempt is under way) or `unpaid`."""
    if fee_of(dossier) <= 0:
        return "not_required"
    statuses = set(Payment.objects.filter(dossier=dossier).values_list("status", flat=True))
    if PaymentStatus.PAID in statuses:
        return "paid"
    if PaymentStatus.PENDING in statuses:
        return "pending"
    return "unpaid"


def can_reconcile(user: User) -> bool:
    return bool(roles_of(user) & (RECONCILIATION_ROLES | {Role.SYSTEM_ADMIN}))


def reconciliation_units(user: User) -> QuerySet[Unit]:
    if Role.SYSTEM_ADMIN in roles_of(user):
        return Unit.objects.all()
    ids = set()
    for role in RECONCILIATION_ROLES:
        ids |= set(visible_units(user, role=role).values_list("pk", flat=True))
    return Unit.objects.filter(pk__in=ids)


def payments_visible_to(user: User) -> QuerySet[Payment]:
    units = reconciliation_units(user)
    return Payment.objects.filter(Q(dossier__desk__in=units) | Q(dossier__agency__in=units)
                                  | Q(dossier__handling_unit__in=units))


def _day_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    return (dt.datetime.combine(start, dt.time.min, tzinfo=VN_TZ),
            dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=VN_TZ))


@dataclass
class Reconciliation:
    start: dt.date
    end: dt.date
    rows: list[dict] = field(default_factory=list)
    totals: dict[str, dict[str, int]] = field(default_factory=dict)
    paid_by_method: dict[str, dict[str, int]] = field(default_factory=dict)  # online / cash / transfer / card
    mismatches: list[dict] = field(default_factory=list)
    rejected: list[PaymentNotification] = field(default_factory=list)


def reconcile(user: User, *, start: dt.date, end: dt.date) -> Reconciliation:
    """Payments started in [start, end] (local dates) at the person's units: totals by status, and what
    does not add up — an amount that differs from the fee now in the catalog, a dossier paid twice, a paid
    payment with no accepted gateway message (online ones: a fee recorded at the counter has none), and the
    gateway messages refused in the period. Paid amounts are also split by method, online against counter."""
    since, until = _day_bounds(start, end)
    payments = list(payments_visible_to(user).filter(created_at__gte=since, created_at__lt=until)
                    .select_related("dossier__case", "dossier__version__procedure").order_by("created_at", "pk"))
    report = Reconciliation(start=start, end=end)
    report.totals = {s.value: {"count": 0, "amount": 0, "label": s.label} for s in PaymentStatus}
    report.paid_by_method = {m.value: {"count": 0, "amount": 0, "label": m.label} for m in PaymentMethod}
    fees: dict[int, int] = {}
    paid_per_dossier: dict[int, int] = {}
    confirmed = set(PaymentNotification.objects.filter(payment__in=payments, accepted=True, changed_payment=True)
                    .values_list("payment_id", flat=True))
    for payment in payments:
        fee = fees.setdefault(payment.dossier.case_id, fee_of(payment.dossier))
        problems = []
        if payment.amount != fee:
            problems.append(f"Số tiền {money(payment.amount)} khác phí, lệ phí hiện hành {money(fee)}")
        if payment.status == PaymentStatus.PAID:
            paid_per_dossier[payment.dossier_id] = paid_per_dossier.get(payment.dossier_id, 0) + 1
            by_method = report.paid_by_method[payment.method]
            by_method["count"] += 1
            by_method["amount"] += payment.amount
            if payment.method == PaymentMethod.ONLINE and payment.pk not in confirmed:
                problems.append("Đã thanh toán nhưng không có thông báo hợp lệ từ cổng")
        total = report.totals[payment.status]
        total["count"] += 1
        total["amount"] += payment.amount
        row = {"payment": payment, "fee": fee, "problems": problems}
        report.rows.append(row)
    for row in report.rows:
        payment = row["payment"]
        if payment.status == PaymentStatus.PAID and paid_per_dossier.get(payment.dossier_id, 0) > 1:
            row["problems"].append("Hồ sơ được thanh toán nhiều lần: cần hoàn tiền")
        if row["problems"]:
            report.mismatches.append(row)
    report.rejected = list(PaymentNotification.objects.filter(
        received_at__gte=since, received_at__lt=until, accepted=False)
        .filter(Q(payment__in=payments) | Q(payment__isnull=True)).order_by("-received_at")[:200])
    return report


def default_period() -> tuple[dt.date, dt.date]:
    today = timezone.localdate()
    return today.replace(day=1), today
