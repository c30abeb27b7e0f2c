"""The sandbox gateway shipped with the project: behaves like the Vietnamese gateways (VNPay 2.1 style).

Its payment page takes the signed request, lets the buyer pay or cancel, sends the buyer back to the
merchant's return URL with signed result parameters, and notifies the merchant's server (IPN) with a
signed form POST; a query API answers a transaction's state. Enabled by PAYMENT_SANDBOX_ENABLED;
production refuses to start with it on. It shares the merchant's code and secret (PAYMENT_MERCHANT_CODE,
PAYMENT_SECRET), as a real gateway does once the merchant is registered.
"""

from __future__ import annotations

import json
import secrets
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from motcua.integrations.payments.gateway import (
    QUERY_REQUEST_FIELDS,
    QUERY_RESPONSE_FIELDS,
    gateway_time,
    parse_gateway_time,
    signed,
    signed_fields,
    verify,
    verify_fields,
)
from motcua.integrations.payments.models import SandboxTransaction

BANKS = [("NCB", "Ngân hàng Quốc Dân (NCB)"), ("VCB", "Vietcombank"), ("BIDV", "BIDV"),
         ("VIETINBANK", "VietinBank"), ("AGRIBANK", "Agribank")]
REQUIRED = ("vnp_Version", "vnp_Command", "vnp_TmnCode", "vnp_Amount", "vnp_TxnRef", "vnp_OrderInfo",
            "vnp_ReturnUrl", "vnp_CreateDate")


class SandboxError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def check_request(params: dict) -> None:
    """What the gateway checks before showing its payment page (VNPay error codes)."""
    missing = [key for key in REQUIRED if not params.get(key)]
    if missing:
        raise SandboxError("03", "Thiếu tham số: " + ", ".join(missing))
    if params["vnp_TmnCode"] != settings.PAYMENT_MERCHANT_CODE:
        raise SandboxError("02", "Mã website (vnp_TmnCode) không được đăng ký.")
    if not verify(params, settings.PAYMENT_SECRET):
        raise SandboxError("97", "Sai chữ ký.")
    if params["vnp_Command"] != "pay" or not params["vnp_Amount"].isdigit() or int(params["vnp_Amount"]) <= 0:
        raise SandboxError("03", "Dữ liệu gửi sang không đúng định dạng.")
    expires = parse_gateway_time(params.get("vnp_ExpireDate", ""))
    if expires is not None and expires < timezone.now():
        raise SandboxError("11", "Đã hết hạn chờ thanh toán.")


def _transaction_no() -> str:
    return f"{secrets.randbelow(10**8):08d}"


@transaction.atomic
def finish(params: dict, *, pay: bool, bank_code: str) -> tuple[SandboxTransaction, str]:
    """The buyer paid or cancelled: record it, queue the IPN, return the URL to send the buyer back to."""
    check_request(params)
    txn, _ = SandboxTransaction.objects.select_for_update().get_or_create(
        merchant=params["vnp_TmnCode"], txn_ref=params["vnp_TxnRef"],
        defaults={"transaction_no": _transaction_no(), "amount": int(params["vnp_Amount"]) // 100,
                  "order_info": params["vnp_OrderInfo"][:255], "return_url": params["vnp_ReturnUrl"][:500]})
    if txn.status != SandboxTransaction.Status.OPEN:
        raise SandboxError("94", "Giao dịch này đã được xử lý.")
    txn.status = SandboxTransaction.Status.SUCCESS if pay else SandboxTransaction.Status.CANCELLED
    txn.bank_code = bank_code if pay else ""
    txn.finished_at = timezone.now()
    txn.save()
    transaction.on_commit(lambda: deliver_ipn_task.enqueue(txn.pk))
    separator = "&" if "?" in txn.return_url else "?"
    return txn, f"{txn.return_url}{separator}{urllib.parse.urlencode(result_params(txn))}"


def result_params(txn: SandboxTransaction) -> dict:
    """The signed result sent with the buyer to the return URL and to the merchant's IPN."""
    success = txn.status == SandboxTransaction.Status.SUCCESS
    params = {
        "vnp_Amount": str(txn.amount * 100), "vnp_BankCode": txn.bank_code or "", "vnp_CardType": "ATM",
        "vnp_OrderInfo": txn.order_info, "vnp_PayDate": gateway_time(txn.finished_at or timezone.now()),
        "vnp_ResponseCode": "00" if success else "24", "vnp_TmnCode": txn.merchant,
        "vnp_TransactionNo": txn.transaction_no if success else "0",
        "vnp_TransactionStatus": "00" if success else "02", "vnp_TxnRef": txn.txn_ref,
    }
    if success:
        params["vnp_BankTranNo"] = f"VNP{txn.transaction_no}"
    return signed(params, settings.PAYMENT_SECRET)


def deliver_ipn(transaction_pk: int, *, url: str | None = None) -> str:
    """POST the signed result to the merchant's IPN URL; keep what it answered."""
    txn = SandboxTransaction.objects.get(pk=transaction_pk)
    body = urllib.parse.urlencode(result_params(txn)).encode()
    request = urllib.request.Request(url or settings.PAYMENT_SANDBOX_IPN_URL, data=body,
                                     headers={"Content-Type": "application/x-www-form-urlencoded"})
    try:
        with urllib.request.urlopen(request, timeout=settings.PAYMENT_TIMEOUT_SECONDS) as response:
            answer = response.read().decode("utf-8", "replace")[:255]
    except urllib.error.HTTPError as exc:
        answer = f"HTTP {exc.code}"
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        answer = f"lỗi kết nối: {exc}"[:255]
    SandboxTransaction.objects.filter(pk=txn.pk).update(ipn_attempts=txn.ipn_attempts + 1, ipn_response=answer)
    return answer


@task()
def deliver_ipn_task(transaction_pk: int) -> str:
    """Run by the task worker (`make worker`), as a real gateway notifies after the buyer pays."""
    return deliver_ipn(transaction_pk)


def query(body: dict) -> dict:
    """The query API (querydr): the state of a transaction, signed over its fixed fields joined with "|"."""
    secret = settings.PAYMENT_SECRET
    base = {"vnp_ResponseId": secrets.token_hex(16), "vnp_Command": "querydr",
            "vnp_TmnCode": str(body.get("vnp_TmnCode", "")), "vnp_TxnRef": str(body.get("vnp_TxnRef", ""))}
    if not verify_fields(body, QUERY_REQUEST_FIELDS, secret):
        return signed_fields({**base, "vnp_ResponseCode": "97", "vnp_Message": "Invalid signature"},
                             QUERY_RESPONSE_FIELDS, secret)
    if body.get("vnp_TmnCode") != settings.PAYMENT_MERCHANT_CODE:
        return signed_fields({**base, "vnp_ResponseCode": "02", "vnp_Message": "Merchant is not valid"},
                             QUERY_RESPONSE_FIELDS, secret)
    txn = SandboxTransaction.objects.filter(merchant=body["vnp_TmnCode"], txn_ref=body.get("vnp_TxnRef", "")).first()
    if txn is None:
        return signed_fields({**base, "vnp_ResponseCode": "91", "vnp_Message": "Transaction not found"},
                             QUERY_RESPONSE_FIELDS, secret)
    params = dict(result_params(txn))
    params.pop("vnp_SecureHash")
    params["vnp_TransactionType"] = "01"  # a payment (02, 03: refunds)
    if txn.status == SandboxTransaction.Status.OPEN:
        params["vnp_TransactionStatus"] = "01"
    return signed_fields({**params, **base, "vnp_ResponseCode": "00", "vnp_Message": "QueryDR Success"},
                         QUERY_RESPONSE_FIELDS, secret)


def parse_query_body(raw: bytes) -> dict:
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return {}
    return {str(k): str(v) for k, v in body.items()} if isinstance(body, dict) else {}
