"""SMS adapter. `SMS_BACKEND` names the class; the rest of the code calls `send_sms` and cannot tell
which one is behind it.

`FakeSmsBackend` keeps messages in `outbox` (in memory, like Django's locmem mail backend).
`HttpSmsBackend` speaks a small JSON-over-HTTP protocol to `SMS_GATEWAY_URL`:

    POST <SMS_GATEWAY_URL>
    Authorization: Bearer <SMS_GATEWAY_TOKEN>          (when set)
    Content-Type: application/json; charset=utf-8
    {"to": "0905123456", "text": "…", "sender": "MOTCUA", "reference": "<dossier code>:<event id>"}

    → 2xx with {"id": "<gateway message id>", "status": "accepted"}; anything else is a failure
      ({"error": "…"} is quoted in the message).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

outbox: list[SmsMessage] = []


class SmsError(Exception):
    """The message was not accepted."""


@dataclass(frozen=True)
class SmsMessage:
    to: str
    text: str
    reference: str = ""


class BaseSmsBackend:
    def send(self, message: SmsMessage) -> str:
        """Send one message; return the gateway's id, or raise SmsError."""
        raise NotImplementedError


class FakeSmsBackend(BaseSmsBackend):
    def send(self, message: SmsMessage) -> str:
        outbox.append(message)
        return f"fake-{len(outbox)}"


class HttpSmsBackend(BaseSmsBackend):
    def __init__(self, url: str | None = None, token: str | None = None, timeout: int | None = None):
        self.url = url or settings.SMS_GATEWAY_URL
        self.token = settings.SMS_GATEWAY_TOKEN if token is None else token
        self.timeout = timeout or settings.SMS_TIMEOUT_SECONDS
        if not self.url:
            raise SmsError("Chưa cấu hình SMS_GATEWAY_URL.")

    def send(self, message: SmsMessage) -> str:
        body = json.dumps({"to": message.to, "text": message.text, "sender": settings.SMS_SENDER,
                           "reference": message.reference}, ensure_ascii=False).encode()
        headers = {"Content-Type": "application/json; charset=utf-8"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(self.url, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                answer = json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode(errors="replace")[:200]
            raise SmsError(f"Cổng SMS trả lỗi {exc.code}: {detail}") from exc
        except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
            raise SmsError(f"Không kết nối được cổng SMS: {exc}") from exc
        return str(answer.get("id", ""))


def get_backend() -> BaseSmsBackend:
    return import_string(settings.SMS_BACKEND)()


def send_sms(to: str, text: str, reference: str = "") -> str:
    return get_backend().send(SmsMessage(to=to, text=text, reference=reference))
