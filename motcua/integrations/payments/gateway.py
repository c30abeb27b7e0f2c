"""The payment-gateway adapter: the protocol Vietnamese gateways speak (VNPay 2.1 style).

A request is a set of `vnp_*` parameters signed with HMAC-SHA512 over the sorted, URL-encoded query
string, keyed with the merchant's secret (the query API signs a fixed list of fields joined with "|"). The buyer is redirected to the gateway's payment page; the
gateway sends the buyer back to the return URL with signed result parameters and, separately, notifies
the merchant's server (IPN) with the same signed parameters; a query API answers the state of a
transaction. The sandbox gateway of `motcua.integrations.payments.sandbox` speaks exactly this.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import secrets
import urllib.error
import urllib.parse
import urllib.request
from abc import ABC, abstractmethod
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from motcua.lib.formats import VN_TZ
from motcua.lib.text import fold

HASH_FIELDS_EXCLUDED = {"vnp_SecureHash", "vnp_SecureHashType"}
VERSION = "2.1.0"
PAYMENT_LIFETIME = dt.timedelta(minutes=15)


class GatewayError(Exception):
    """The gateway cannot be reached or answered something unusable (message in Vietnamese)."""


def canonical_query(params: dict) -> str:
    """The signed text: non-empty vnp_* fields except the hash, sorted by name, URL-encoded (spaces as +)."""
    items = sorted((k, str(v)) for k, v in params.items()
                   if k.startswith("vnp_") and k not in HASH_FIELDS_EXCLUDED and v not in (None, ""))
    return "&".join(f"{k}={urllib.parse.quote_plus(v)}" for k, v in items)


def sign(params: dict, secret: str) -> str:
    return hmac.new(secret.encode(), canonical_query(params).encode(), hashlib.sha512).hexdigest()


def signed(params: dict, secret: str) -> dict:
    return {**params, "vnp_SecureHash": sign(params, secret)}


def verify(params: dict, secret: str) -> bool:
    given = str(params.get("vnp_SecureHash", "")).lower()
    return bool(given) and bool(secret) and hmac.compare_digest(given, sign(params, secret))


# The query API (querydr) is signed differently from pay / return / IPN: a fixed list of fields joined with
# "|", absent fields as empty strings (VNPay techspec 2.1.0, sections "querydr" request and response).
QUERY_REQUEST_FIELDS = ("vnp_RequestId", "vnp_Version", "vnp_Command", "vnp_TmnCode", "vnp_TxnRef",
                        "vnp_TransactionDate", "vnp_CreateDate", "vnp_IpAddr", "vnp_OrderInfo")
QUERY_RESPONSE_FIELDS = ("vnp_ResponseId", "vnp_Command", "vnp_ResponseCode", "vnp_Message", "vnp_TmnCode",
                         "vnp_TxnRef", "vnp_Amount", "vnp_BankCode", "vnp_PayDate", "vnp_TransactionNo",
                         "vnp_TransactionType", "vnp_TransactionStatus", "vnp_OrderInfo", "vnp_PromotionCode",
                         "vnp_PromotionAmount")


def pipe_data(params: dict, fields: tuple[str, ...]) -> str:
    return "|".join("" if params.get(name) is None else str(params[name]) for name in fields)


def sign_fields(params: dict, fields: tuple[str, ...], secret: str) -> str:
    return hmac.new(secret.encode(), pipe_data(params, fields).encode(), hashlib.sha512).hexdigest()


def signed_fields(params: dict, fields: tuple[str, ...], secret: str) -> dict:
    return {**params, "vnp_SecureHash": sign_fields(params, fields, secret)}


def verify_fields(params: dict, fields: tuple[str, ...], secret: str) -> bool:
    given = str(params.get("vnp_SecureHash", "")).lower()
    return bool(given) and bool(secret) and hmac.compare_digest(given, sign_fields(params, fields, secret))


def gateway_time(value: dt.datetime) -> str:
    return value.astimezone(VN_TZ).strftime("%Y%m%d%H%M%S")


def parse_gateway_time(text: str) -> dt.datetime | None:
    try:
        return dt.datetime.strptime(text, "%Y%m%d%H%M%S").replace(tzinfo=VN_TZ)
    except (TypeError, ValueError):
        return None


@dataclass(frozen=True)
class GatewayResult:
    """What a signed message from the gateway says about one transaction."""

    txn_ref: str
    amount: int  # đồng
    success: bool
    response_code: str
    transaction_no: str
    bank_code: str
    paid_at: dt.datetime | None
    params: dict


def read_result(params: dict) -> GatewayResult:
    raw_amount = str(params.get("vnp_Amount", ""))
    amount = int(raw_amount) if raw_amount.isdigit() else -1
    response_code = str(params.get("vnp_ResponseCode", ""))
    status = str(params.get("vnp_TransactionStatus", response_code))
    return GatewayResult(
        txn_ref=str(params.get("vnp_TxnRef", "")),
        amount=amount // 100 if amount >= 0 and amount % 100 == 0 else -1,
        success=response_code == "00" and status == "00",
        response_code=response_code,
        transaction_no=str(params.get("vnp_TransactionNo", "")),
        bank_code=str(params.get("vnp_BankCode", "")),
        paid_at=parse_gateway_time(str(params.get("vnp_PayDate", ""))),
        params=dict(params),
    )


class PaymentGateway(ABC):
    """What the rest of the system needs from a gateway."""

    name: str

    @abstractmethod
    def payment_url(self, *, txn_ref: str, amount: int, order_info: str, return_url: str, ip: str | None) -> str:
        """Where to send the buyer to pay `amount` đồng."""

    @abstractmethod
    def verify(self, params: dict) -> bool:
        """Is this message (return URL or notification) signed by the gateway?"""

    @abstractmethod
    def verify_query(self, params: dict) -> bool:
        """Is this answer of the query API signed by the gateway?"""

    @abstractmethod
    def query(self, *, txn_ref: str, created_at: dt.datetime, ip: str | None) -> dict:
        """Ask the gateway for the state of a transaction; the answer is verified and returned."""


@dataclass
class VnpayLikeGateway(PaymentGateway):
    name: str
    pay_url: str
    query_url: str
    merchant: str
    secret: str
    timeout: int = 10

    def _require_secret(self) -> None:
        if not self.secret:
            raise GatewayError("Chưa cấu hình khóa bí mật của cổng thanh toán (PAYMENT_SECRET).")

    def payment_url(self, *, txn_ref: str, amount: int, order_info: str, return_url: str, ip: str | None) -> str:
        self._require_secret()
        now = timezone.now()
        params = {
            "vnp_Version": VERSION, "vnp_Command": "pay", "vnp_TmnCode": self.merchant,
            "vnp_Amount": str(amount * 100), "vnp_CurrCode": "VND", "vnp_TxnRef": txn_ref,
            # Gateways take the order description without diacritics.
            "vnp_OrderInfo": fold(order_info)[:255], "vnp_OrderType": "other", "vnp_Locale": "vn",
            "vnp_ReturnUrl": return_url, "vnp_IpAddr": ip or "127.0.0.1",
            "vnp_CreateDate": gateway_time(now), "vnp_ExpireDate": gateway_time(now + PAYMENT_LIFETIME),
        }
        separator = "&" if "?" in self.pay_url else "?"
        return f"{self.pay_url}{separator}{urllib.parse.urlencode(signed(params, self.secret))}"

    def verify(self, params: dict) -> bool:
        return verify(params, self.secret)

    def verify_query(self, params: dict) -> bool:
        return verify_fields(params, QUERY_RESPONSE_FIELDS, self.secret)

    def query(self, *, txn_ref: str, created_at: dt.datetime, ip: str | None) -> dict:
        self._require_secret()
        now = timezone.now()
        body = signed_fields({
            "vnp_RequestId": secrets.token_hex(16), "vnp_Version": VERSION, "vnp_Command": "querydr",
            "vnp_TmnCode": self.merchant, "vnp_TxnRef": txn_ref, "vnp_OrderInfo": f"Tra cuu {txn_ref}",
            "vnp_TransactionDate": gateway_time(created_at), "vnp_CreateDate": gateway_time(now),
            "vnp_IpAddr": ip or "127.0.0.1",
        }, QUERY_REQUEST_FIELDS, self.secret)
        request = urllib.request.Request(self.query_url, data=json.dumps(body).encode(),
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                answer = json.loads(response.read().decode("utf-8"))
        except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
            raise GatewayError(f"Không tra cứu được giao dịch tại cổng thanh toán: {exc}") from None
        if not isinstance(answer, dict) or not self.verify_query(answer):
            raise GatewayError("Kết quả tra cứu từ cổng thanh toán sai chữ ký.")
        return answer


def get_gateway() -> PaymentGateway:
    return VnpayLikeGateway(name=settings.PAYMENT_GATEWAY_NAME, pay_url=settings.PAYMENT_GATEWAY_URL,
                            query_url=settings.PAYMENT_QUERY_URL, merchant=settings.PAYMENT_MERCHANT_CODE,
                            secret=settings.PAYMENT_SECRET, timeout=settings.PAYMENT_TIMEOUT_SECONDS)
