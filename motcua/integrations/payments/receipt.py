"""The e-receipt (biên lai điện tử) of a paid payment, as a PDF in the ND 30 layout."""

from __future__ import annotations

from django.utils import timezone

from motcua.dossiers.slips import place_of
from motcua.integrations.payments.models import Payment
from motcua.integrations.payments.words import amount_in_words
from motcua.lib.formats import money, vn_datetime
from motcua.paperwork.pdf import render_pdf

METHOD_TEXT = {"cash": "tiền mặt", "transfer": "chuyển khoản", "card": "thẻ"}


def receipt_context(payment: Payment) -> dict:
    dossier = payment.dossier
    agency = dossier.agency
    paid_at = timezone.localtime(payment.paid_at)
    return {
        "title": "Biên lai thu phí, lệ phí",
        "subtitle": "(Biên lai điện tử)",
        "parent_agency_name": agency.parent.name if agency.parent_id else "",
        "agency_name": agency.name,
        "document_number": payment.receipt_number,
        "place": place_of(agency),
        "issued_on": paid_at.date(),
        "payment": payment,
        "dossier": dossier,
        "procedure_name": dossier.version.name,
        "fees": [{"name": fee.name, "kind": fee.get_kind_display(), "amount": money(fee.amount)}
                 for fee in dossier.case.fees.all()],
        "amount": money(payment.amount),
        "amount_words": amount_in_words(payment.amount),
        "paid_at": vn_datetime(payment.paid_at),
        # the PDF is a Vietnamese document whatever the reader's interface language
        "method_text": METHOD_TEXT.get(payment.method, payment.method),
        "collector": str(payment.created_by) if payment.created_by_id and not payment.online else "",
    }


def receipt_pdf(payment: Payment) -> bytes:
    return render_pdf("integrations/payments/receipt_pdf.html", receipt_context(payment))
