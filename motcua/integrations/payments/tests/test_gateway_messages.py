"""Signed messages from the gateway: signature, amount, idempotency — every one logged."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from motcua.integrations.payments import actions
from motcua.integrations.payments.gateway import canonical_query, get_gateway, sign, signed, verify
from motcua.integrations.payments.models import Payment, PaymentNotification, PaymentStatus
from motcua.integrations.payments.selectors import fee_of, payment_status
from motcua.org.models import AuditEntry

SECRET = "dev-payment-secret-change-me-000001"


def result(payment: Payment, **overrides) -> dict:
    params = {"vnp_Amount": str(payment.amount * 100), "vnp_BankCode": "NCB", "vnp_OrderInfo": "thanh toan",
              "vnp_PayDate": "20251117101500", "vnp_ResponseCode": "00", "vnp_TmnCode": "MOTCUA01",
              "vnp_TransactionNo": "14201234", "vnp_TransactionStatus": "00", "vnp_TxnRef": payment.txn_ref}
    params.update(overrides)
    return signed(params, SECRET)


def test_signature_is_hmac_sha512_over_the_sorted_encoded_query():
    params = {"vnp_TxnRef": "MC1", "vnp_Amount": "60000000", "vnp_OrderInfo": "phi ho so 1/2", "vnp_Empty": "",
              "other": "ignored"}
    assert canonical_query(params) == "vnp_Amount=60000000&vnp_OrderInfo=phi+ho+so+1%2F2&vnp_TxnRef=MC1"
    digest = sign(params, SECRET)
    assert len(digest) == 128
    assert verify({**params, "vnp_SecureHash": digest}, SECRET)
    assert verify({**params, "vnp_SecureHash": digest.upper()}, SECRET)
    assert not verify({**params, "vnp_Amount": "60000100", "vnp_SecureHash": digest}, SECRET)
    assert not verify({**params, "vnp_SecureHash": digest}, "another-secret")
    assert not verify(params, SECRET)


def test_payment_starts_with_the_fee_of_the_case_and_a_signed_gateway_url(dossier, clerk):
    assert fee_of(dossier) == 600_000 and payment_status(dossier) == "unpaid"
    payment = actions.start_payment(dossier=dossier, acting_user=clerk)
    assert payment.amount == 600_000 and payment.status == PaymentStatus.PENDING
    assert payment_status(dossier) == "pending"
    url = actions.payment_url(payment=payment, return_url="http://testserver/thanh-toan/ket-qua/", ip="10.1.1.1")
    from urllib.parse import parse_qsl, urlsplit

    params = dict(parse_qsl(urlsplit(url).query))
    assert params["vnp_Amount"] == "60000000" and params["vnp_TxnRef"] == payment.txn_ref
    assert params["vnp_OrderInfo"] == f"thanh toan phi, le phi ho so {dossier.code}".lower()
    assert verify(params, SECRET)
    assert AuditEntry.objects.filter(action="payment.start", object_id=str(payment.pk)).exists()


def test_ipn_is_idempotent_same_transaction_twice_updates_once(dossier, clerk, client):
    payment = actions.start_payment(dossier=dossier, acting_user=clerk)
    params = result(payment)
    first = client.post("/thanh-toan/ipn/", params)
    assert first.json() == {"RspCode": "00", "Message": "Confirm Success"}
    second = client.post("/thanh-toan/ipn/", params)
    assert second.json() == {"RspCode": "02", "Message": "Order already confirmed"}
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID and payment.gateway_ref == "14201234"
    assert payment.receipt_number.startswith("BL2025-")
    logs = list(PaymentNotification.objects.filter(payment=payment).order_by("pk"))
    assert [(n.response_code, n.changed_payment) for n in logs] == [("00", True), ("02", False)]
    assert AuditEntry.objects.filter(action="payment.paid", object_id=str(payment.pk)).count() == 1
    assert payment_status(dossier) == "paid"
    with pytest.raises(ValidationError, match="đã được thanh toán"):
        actions.start_payment(dossier=dossier, acting_user=clerk)


def test_a_wrong_amount_is_refused_and_logged(dossier, clerk, client):
    payment = actions.start_payment(dossier=dossier, acting_user=clerk)
    answer = client.post("/thanh-toan/ipn/", result(payment, vnp_Amount="100000"))
    assert answer.json()["RspCode"] == "04"
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING
    log = PaymentNotification.objects.get(payment=payment)
    assert log.signature_valid and not log.accepted and "không khớp" in log.reason


def test_a_wrong_signature_is_refused_and_logged(dossier, clerk, client):
    payment = actions.start_payment(dossier=dossier, acting_user=clerk)
    forged = result(payment)
    forged["vnp_SecureHash"] = sign({**forged, "vnp_SecureHash": ""}, "a-guess-at-the-secret")
    answer = client.get("/thanh-toan/ipn/", forged)
    assert answer.json() == {"RspCode": "97", "Message": "Invalid signature"}
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING
    log = PaymentNotification.objects.get(txn_ref=payment.txn_ref)
    assert not log.signature_valid and log.payment is None and log.reason.startswith("Sai chữ ký")
    assert log.params["vnp_TxnRef"] == payment.txn_ref


def test_unknown_transaction_and_failed_payment(dossier, clerk):
    payment = actions.start_payment(dossier=dossier, acting_user=clerk)
    unknown = actions.apply_gateway_message(params=result(payment, vnp_TxnRef="MC-NOPE"), source="ipn")
    assert unknown.code == "01"
    failed = actions.apply_gateway_message(
        params=result(payment, vnp_ResponseCode="24", vnp_TransactionStatus="02"), source="ipn")
    assert failed.code == "00"
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.FAILED and payment.paid_at is None
    assert payment_status(dossier) == "unpaid"
    assert get_gateway().name == "sandbox"


def test_query_api_signs_its_fixed_fields_joined_with_a_pipe():
    """querydr is not signed like pay / IPN: VNPay 2.1 joins a fixed list of fields with "|" (absent = empty)."""
    import hashlib
    import hmac

    from motcua.integrations.payments import sandbox
    from motcua.integrations.payments.gateway import (
        QUERY_REQUEST_FIELDS,
        QUERY_RESPONSE_FIELDS,
        pipe_data,
        sign_fields,
        signed_fields,
        verify_fields,
    )

    request = {"vnp_RequestId": "R1", "vnp_Version": "2.1.0", "vnp_Command": "querydr", "vnp_TmnCode": "MOTCUA01",
               "vnp_TxnRef": "MC1", "vnp_OrderInfo": "Tra cuu MC1", "vnp_TransactionDate": "20251117101500",
               "vnp_CreateDate": "20251117103000", "vnp_IpAddr": "10.1.1.1"}
    expected = "R1|2.1.0|querydr|MOTCUA01|MC1|20251117101500|20251117103000|10.1.1.1|Tra cuu MC1"
    assert pipe_data(request, QUERY_REQUEST_FIELDS) == expected
    assert sign_fields(request, QUERY_REQUEST_FIELDS, SECRET) == hmac.new(
        SECRET.encode(), expected.encode(), hashlib.sha512).hexdigest()
    answer = {"vnp_ResponseId": "A1", "vnp_Command": "querydr", "vnp_ResponseCode": "00",
              "vnp_Message": "QueryDR Success", "vnp_TmnCode": "MOTCUA01", "vnp_TxnRef": "MC1",
              "vnp_Amount": "60000000", "vnp_BankCode": "NCB", "vnp_PayDate": "20251117101600",
              "vnp_TransactionNo": "14201234", "vnp_TransactionType": "01", "vnp_TransactionStatus": "00",
              "vnp_OrderInfo": "thanh toan"}
    assert pipe_data(answer, QUERY_RESPONSE_FIELDS) == (
        "A1|querydr|00|QueryDR Success|MOTCUA01|MC1|60000000|NCB|20251117101600|14201234|01|00|thanh toan||")
    good = signed_fields(answer, QUERY_RESPONSE_FIELDS, SECRET)
    assert verify_fields(good, QUERY_RESPONSE_FIELDS, SECRET)
    assert not verify_fields({**good, "vnp_Amount": "100"}, QUERY_RESPONSE_FIELDS, SECRET)
    assert not verify(good, SECRET)  # the pay / IPN rule does not apply to the query API
    # The sandbox refuses a query signed with the pay rule (sorted query string) and answers a pipe-signed one.
    assert sandbox.query(signed(request, SECRET))["vnp_ResponseCode"] == "97"


@pytest.mark.django_db
def test_a_query_answer_with_a_wrong_signature_is_refused_and_logged(dossier, clerk):
    from motcua.integrations.payments.gateway import QUERY_RESPONSE_FIELDS, signed_fields

    payment = actions.start_payment(dossier=dossier, acting_user=clerk)
    answer = {"vnp_ResponseId": "A2", "vnp_Command": "querydr", "vnp_ResponseCode": "00",
              "vnp_Message": "QueryDR Success", "vnp_TmnCode": "MOTCUA01", "vnp_TxnRef": payment.txn_ref,
              "vnp_Amount": str(payment.amount * 100), "vnp_BankCode": "NCB", "vnp_PayDate": "20251117101600",
              "vnp_TransactionNo": "14201234", "vnp_TransactionType": "01", "vnp_TransactionStatus": "00",
              "vnp_OrderInfo": "thanh toan"}
    sorted_rule = actions.apply_gateway_message(params=signed(answer, SECRET), source="query")
    assert sorted_rule.code == "97"
    assert actions.apply_gateway_message(
        params=signed_fields(answer, QUERY_RESPONSE_FIELDS, SECRET), source="query").code == "00"
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID
    assert list(PaymentNotification.objects.filter(txn_ref=payment.txn_ref).order_by("pk").values_list(
        "source", "signature_valid", "response_code")) == [("query", False, "97"), ("query", True, "00")]


def test_an_unexpected_error_in_the_ipn_answers_99_and_is_logged(dossier, clerk, client, monkeypatch, caplog):
    """VNPay retries on RspCode 99; an HTTP 500 breaks the protocol. Nothing of the failed attempt is kept
    but a refused log line, and the retry then succeeds."""
    payment = actions.start_payment(dossier=dossier, acting_user=clerk)
    params = result(payment)
    real = actions.record_audit

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(actions, "record_audit", broken)
    with caplog.at_level("ERROR", logger="motcua.integrations.payments.views"):
        answer = client.post("/thanh-toan/ipn/", params)
    assert answer.status_code == 200
    assert answer.json() == {"RspCode": "99", "Message": "Unknown error"}
    assert any("Payment IPN failed" in r.getMessage() and r.exc_info for r in caplog.records)
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING and not payment.receipt_number  # rolled back
    failed = PaymentNotification.objects.get(txn_ref=payment.txn_ref)
    assert failed.response_code == "99" and not failed.accepted and failed.source == "ipn"

    monkeypatch.setattr(actions, "record_audit", real)
    retry = client.post("/thanh-toan/ipn/", params)
    assert retry.json()["RspCode"] == "00"
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID
