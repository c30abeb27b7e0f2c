"""Paid / unpaid on lists of dossiers (work list, search results, the one-stop home), read in bulk.

`with_fee_state(qs)` adds two EXISTS columns to the list's own query — no query per row, no extra query:
`fee_due` (the dossier's case carries a fee or charge) and `fee_paid` (a payment of the dossier is paid,
online or at the counter). Without the payments app installed, `fee_paid` is always false.
The template `dossiers/_fee_badge.html` shows "Đã nộp phí" / "Chưa nộp phí", nothing when no fee is due
(or when the list was not annotated)."""

from __future__ import annotations

from django.apps import apps
from django.db.models import BooleanField, Exists, OuterRef, QuerySet, Value

from motcua.catalog.models import Fee


def fee_state_expressions(through: str = "") -> dict:
    """The two columns, for a query on dossiers (`through=""`) or on a model reaching its dossier through
    `through` (e.g. "dossier__" for step runs)."""
    fee_due = Exists(Fee.objects.filter(case=OuterRef(f"{through}case_id"), amount__gt=0))
    if apps.is_installed("motcua.integrations.payments"):
        from motcua.integrations.payments.models import Payment, PaymentStatus

        dossier_ref = f"{through.removesuffix('__')}_id" if through else "pk"
        fee_paid = Exists(Payment.objects.filter(dossier=OuterRef(dossier_ref), status=PaymentStatus.PAID))
    else:
        fee_paid = Value(False, output_field=BooleanField())
    return {"fee_due": fee_due, "fee_paid": fee_paid}


def with_fee_state(qs: QuerySet) -> QuerySet:
    """Dossiers with `fee_due` and `fee_paid` (see the module's docstring)."""
    return qs.annotate(**fee_state_expressions())
