"""Demo payments: some of the latest fee-bearing demo dossiers paid through the sandbox protocol (signed gateway
results applied like IPNs), one paid in cash at the counter (recorded by Lan), one attempt still pending, the
rest unpaid. Idempotent: nothing happens
when payments exist or when there are no fee-bearing dossiers yet."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef

from motcua.catalog.models import Fee
from motcua.dossiers.models import Dossier
from motcua.integrations.payments import actions
from motcua.integrations.payments.gateway import gateway_time, signed
from motcua.integrations.payments.models import Payment, PaymentNotification
from motcua.org.models import User

PAID_SHARE = 3  # two dossiers in three are paid


@transaction.atomic
def load(stdout=None, limit: int = 12) -> dict[str, int]:
    created = {"paid": 0, "pending": 0, "counter": 0}
    if Payment.objects.exists() or not settings.PAYMENT_SECRET:
        return created
    fee_bearing = (Dossier.objects.filter(Exists(Fee.objects.filter(case=OuterRef("case"))),
                                          received_at__isnull=False)
                   .order_by("-received_at", "-pk")[:limit])
    clerk = User.objects.filter(username="lan").first()
    for index, dossier in enumerate(fee_bearing):
        if index % PAID_SHARE == 2:
            continue  # unpaid
        if index == 3 and clerk is not None:
            paid = dossier.received_at + dt.timedelta(minutes=5)
            counter = actions.record_counter_payment(dossier=dossier, method="cash", amount=actions.fee_of(dossier),
                                                     acting_user=clerk, paid_at=paid)
            Payment.objects.filter(pk=counter.pk).update(created_at=paid)
            created["counter"] += 1
            continue
        payment = actions.start_payment(dossier=dossier, acting_user=clerk)
        started = dossier.received_at + dt.timedelta(minutes=20)
        if index == 1:
            Payment.objects.filter(pk=payment.pk).update(created_at=started)
            created["pending"] += 1
            continue
        paid = started + dt.timedelta(minutes=3)
        outcome = actions.apply_gateway_message(params=signed({
            "vnp_Amount": str(payment.amount * 100), "vnp_BankCode": "NCB", "vnp_PayDate": gateway_time(paid),
            "vnp_ResponseCode": "00", "vnp_TransactionStatus": "00", "vnp_TmnCode": settings.PAYMENT_MERCHANT_CODE,
            "vnp_TransactionNo": f"{14000000 + payment.pk}", "vnp_TxnRef": payment.txn_ref,
        }, settings.PAYMENT_SECRET), source=PaymentNotification.Source.IPN)
        Payment.objects.filter(pk=payment.pk).update(created_at=started)
        PaymentNotification.objects.filter(pk=outcome.notification.pk).update(received_at=paid)
        created["paid"] += 1
    if stdout is not None and any(created.values()):
        stdout.write(f"  thanh toán: {created['paid']} đã nộp trực tuyến, {created['counter']} nộp tại quầy, "
                     f"{created['pending']} đang chờ")
    return created
