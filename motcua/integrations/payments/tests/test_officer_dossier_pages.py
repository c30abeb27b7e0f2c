"""Officers see paid / unpaid on the dossier page and on its processing page, and reach the receipt."""

from __future__ import annotations

import pytest

from motcua.integrations.payments import actions
from motcua.integrations.payments.gateway import signed
from motcua.integrations.payments.models import Payment

SECRET = "dev-payment-secret-change-me-000001"


def paid_by_ipn(client, payment: Payment) -> None:
    params = signed({"vnp_Amount": str(payment.amount * 100), "vnp_BankCode": "NCB", "vnp_OrderInfo": "thanh toan",
                     "vnp_PayDate": "20251117101500", "vnp_ResponseCode": "00", "vnp_TmnCode": "MOTCUA01",
                     "vnp_TransactionNo": "14209999", "vnp_TransactionStatus": "00",
                     "vnp_TxnRef": payment.txn_ref}, SECRET)
    assert client.post("/thanh-toan/ipn/", params).json()["RspCode"] == "00"


@pytest.mark.django_db
def test_dossier_and_processing_pages_show_paid_or_unpaid(client, clerk, dossier):
    client.force_login(clerk)
    detail = client.get(f"/mot-cua/ho-so/{dossier.code}/").content.decode()
    assert 'class="card dossier-payment"' in detail
    assert "600.000 đ" in detail and "Chưa nộp phí" in detail and "bien-lai.pdf" not in detail
    assert f"/thanh-toan/ho-so/{dossier.code}/" in detail
    processing = client.get(f"/mot-cua/ho-so/{dossier.code}/xu-ly/")
    assert processing.status_code == 200 and "Chưa nộp phí" in processing.content.decode()

    payment = actions.start_payment(dossier=dossier, acting_user=clerk)
    assert "Đang chờ thanh toán" in client.get(f"/mot-cua/ho-so/{dossier.code}/").content.decode()
    paid_by_ipn(client, payment)
    payment.refresh_from_db()

    detail = client.get(f"/mot-cua/ho-so/{dossier.code}/").content.decode()
    assert "Đã nộp phí" in detail and "Chưa nộp phí" not in detail
    assert payment.receipt_number in detail and f"/thanh-toan/{payment.pk}/bien-lai.pdf" in detail
    assert "Đã nộp phí" in client.get(f"/mot-cua/ho-so/{dossier.code}/xu-ly/").content.decode()


@pytest.mark.django_db
def test_no_payment_panel_for_whoever_may_not_see_the_dossier(client, outsider, dossier):
    client.force_login(outsider)
    assert client.get(f"/mot-cua/ho-so/{dossier.code}/").status_code == 404
