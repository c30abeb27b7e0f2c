"""Paying through the sandbox gateway: payment page, signed return URL, IPN and query API."""

from __future__ import annotations

import io
import re
from urllib.parse import parse_qsl, urlsplit

import pytest
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from motcua.integrations.payments import actions, sandbox
from motcua.integrations.payments.models import (
    Payment,
    PaymentNotification,
    PaymentStatus,
    SandboxTransaction,
)


def form_fields(html: str) -> dict:
    return dict(re.findall(r'<input type="hidden" name="(vnp_[^"]+)" value="([^"]*)"', html))


def go_to_gateway(client, dossier):
    start = client.post(f"/thanh-toan/ho-so/{dossier.code}/")
    assert start.status_code == 302
    url = urlsplit(start["Location"])
    assert url.path == "/sandbox-thanh-toan/"
    page = client.get(url.path, dict(parse_qsl(url.query)))
    assert page.status_code == 200
    assert "600.000 đ" in page.content.decode()
    return form_fields(page.content.decode())


@pytest.mark.django_db
def test_pay_in_the_sandbox_and_come_back_signed(client, clerk, dossier, django_capture_on_commit_callbacks):
    client.force_login(clerk)
    page = client.get(f"/thanh-toan/ho-so/{dossier.code}/")
    assert page.status_code == 200 and "Chưa nộp phí" in page.content.decode()
    fields = go_to_gateway(client, dossier)
    with django_capture_on_commit_callbacks(execute=True):
        back = client.post("/sandbox-thanh-toan/", {**fields, "bank": "VCB", "action": "pay"})
    assert back.status_code == 302
    returned = urlsplit(back["Location"])
    assert returned.path == "/thanh-toan/ket-qua/"
    # The notification to the merchant's server is queued for the task worker.
    assert DBTaskResult.objects.filter(task_path__endswith="deliver_ipn_task").exists()

    client.logout()  # the return works even when the session is gone
    done = client.get(returned.path, dict(parse_qsl(returned.query)))
    assert done.status_code == 200 and "Thanh toán thành công" in done.content.decode()
    payment = Payment.objects.get(dossier=dossier)
    assert payment.status == PaymentStatus.PAID and payment.bank_code == "VCB"
    assert PaymentNotification.objects.get(payment=payment).source == "return"

    # Paying again from the same signed page: the gateway has already handled it.
    again = client.post("/sandbox-thanh-toan/", {**fields, "bank": "VCB", "action": "pay"})
    assert again.status_code == 400 and "đã được xử lý" in again.content.decode()

    client.force_login(clerk)
    page = client.get(f"/thanh-toan/ho-so/{dossier.code}/")
    assert "Đã nộp phí" in page.content.decode() and "Thanh toán trực tuyến" not in page.content.decode()
    pdf = client.get(f"/thanh-toan/{payment.pk}/bien-lai.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    text = " ".join((p.extract_text() or "") for p in PdfReader(io.BytesIO(pdf.content)).pages)
    text = " ".join(text.split())
    for expected in ("BIÊN LAI THU PHÍ, LỆ PHÍ", "Sở Nội vụ tỉnh Hà Tĩnh".upper(), payment.receipt_number,
                     "Công ty TNHH Hồng Lĩnh", dossier.code, "600.000 đ", "Sáu trăm nghìn đồng", payment.txn_ref,
                     "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"):
        assert expected in text, expected


@pytest.mark.django_db
def test_cancel_in_the_sandbox_and_tampered_requests(client, clerk, dossier):
    client.force_login(clerk)
    fields = go_to_gateway(client, dossier)
    tampered = client.get("/sandbox-thanh-toan/", {**fields, "vnp_Amount": "100"})
    assert tampered.status_code == 400 and "Sai chữ ký" in tampered.content.decode()
    back = client.post("/sandbox-thanh-toan/", {**fields, "action": "cancel"})
    returned = urlsplit(back["Location"])
    done = client.get(returned.path, dict(parse_qsl(returned.query)))
    assert "không thành công" in done.content.decode()
    assert Payment.objects.get(dossier=dossier).status == PaymentStatus.FAILED
    forged = dict(parse_qsl(returned.query), vnp_ResponseCode="00", vnp_TransactionStatus="00")
    refused = client.get(returned.path, forged)
    assert refused.status_code == 400
    assert PaymentNotification.objects.filter(signature_valid=False, source="return").count() == 1


@pytest.mark.django_db
def test_someone_who_cannot_see_the_dossier_cannot_pay_or_read_the_receipt(client, outsider, dossier):
    client.force_login(outsider)
    assert client.get(f"/thanh-toan/ho-so/{dossier.code}/").status_code == 404
    assert client.get("/thanh-toan/doi-soat/").status_code == 403


def test_ipn_and_query_go_over_http(live_server, settings, dossier, clerk):
    """The sandbox notifies the site's IPN URL with a signed POST, and the query API answers over HTTP."""
    settings.ALLOWED_HOSTS = ["*"]
    settings.PAYMENT_QUERY_URL = f"{live_server.url}/sandbox-thanh-toan/truy-van/"
    payment = actions.start_payment(dossier=dossier, acting_user=clerk)
    url = urlsplit(actions.payment_url(payment=payment, return_url=f"{live_server.url}/thanh-toan/ket-qua/", ip=None))
    params = dict(parse_qsl(url.query))

    pending = actions.refresh_from_gateway(payment=payment)
    assert pending.code == "01"  # the gateway has not seen it yet
    txn, _ = sandbox.finish(params, pay=True, bank_code="NCB")
    answer = sandbox.deliver_ipn(txn.pk, url=f"{live_server.url}/thanh-toan/ipn/")
    assert '"RspCode": "00"' in answer
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID and payment.gateway_ref == txn.transaction_no
    assert SandboxTransaction.objects.get(pk=txn.pk).ipn_attempts == 1
    assert '"RspCode": "02"' in sandbox.deliver_ipn(txn.pk, url=f"{live_server.url}/thanh-toan/ipn/")
    confirmed = actions.refresh_from_gateway(payment=payment)
    assert confirmed.code == "02" and confirmed.notification.signature_valid
    sources = list(PaymentNotification.objects.filter(payment=payment).order_by("pk").values_list("source", "response_code"))
    assert sources == [("query", "01"), ("ipn", "00"), ("ipn", "02"), ("query", "02")]
