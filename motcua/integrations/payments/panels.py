"""What payments add to the officer's dossier page: the fee of the case, paid / unpaid, the receipt.

Registered with `views_dossier.register_detail_panel`, so it shows on the page of any dossier the officer
may see (the page's own scoping), counter or online alike; a one-stop officer of the desk records there a fee
paid at the counter while it is unpaid (`counter.py`).
"""

from __future__ import annotations

from django.http import HttpRequest

from motcua.dossiers.models import Dossier
from motcua.integrations.payments.counter import counter_form
from motcua.integrations.payments.models import PaymentStatus
from motcua.integrations.payments.selectors import fee_of, payment_status


def payment_panel(request: HttpRequest, dossier: Dossier) -> dict:
    fee = fee_of(dossier)
    status = payment_status(dossier)
    paid = dossier.payments.filter(status=PaymentStatus.PAID).first() if status == "paid" else None
    form = counter_form(request, dossier) if status in {"unpaid", "pending"} else None
    return {"fee": fee, "status": status, "paid": paid, "form": form}
