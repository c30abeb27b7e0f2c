"""Applicant notifications: a real SMTP conversation with a local server, SMS through the fake and
through the HTTP gateway protocol (local fake gateway), sent only after commit, never breaking a move."""

from __future__ import annotations

import json
import socket
import threading
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller

from motcua.dossiers import transitions as t
from motcua.dossiers.intake import ApplicantData, receive_dossier
from motcua.dossiers.tests.conftest import at
from motcua.integrations.notify import sms
from motcua.integrations.notify.applicant import retry_failures
from motcua.integrations.notify.models import NotificationFailure


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content, policy=policy.default)))
        return "250 OK"


@pytest.fixture
def smtp_server(settings):
    inbox = Inbox()
    with socket.socket() as probe:  # a free port (aiosmtpd's start-up check cannot use port 0)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    yield inbox
    controller.stop()


class Gateway(BaseHTTPRequestHandler):
    received: list = []
    fail = False

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        Gateway.received.append((self.headers.get("Authorization"), body))
        status, answer = (503, {"error": "bận"}) if Gateway.fail else (200, {"id": "gw-1", "status": "accepted"})
        payload = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture
def sms_gateway(settings):
    Gateway.received, Gateway.fail = [], False
    server = ThreadingHTTPServer(("127.0.0.1", 0), Gateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.SMS_BACKEND = "motcua.integrations.notify.sms.HttpSmsBackend"
    settings.SMS_GATEWAY_URL = f"http://127.0.0.1:{server.server_address[1]}/sms"
    settings.SMS_GATEWAY_TOKEN = "token-1"
    yield Gateway
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def clean_outbox():
    sms.outbox.clear()
    yield
    sms.outbox.clear()


@pytest.fixture
def with_email(make_request):
    def make(**overrides):
        applicant = ApplicantData(kind="citizen", identifier="042087001234", name="Nguyễn Văn Hùng",
                                  phone="0905123456", email="hung@example.vn")
        return make_request(applicant=applicant, **overrides)

    return make


def test_receipt_mail_arrives_after_commit_with_code_and_vietnamese_subject(
        smtp_server, with_email, clerk, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        dossier = receive_dossier(request=with_email(received_at=at("17/11/2025 09:10")), acting_user=clerk)
    assert smtp_server.messages == [] and sms.outbox == []  # nothing before commit
    for callback in callbacks:
        callback()
    (recipients, message), = smtp_server.messages
    assert recipients == ["hung@example.vn"]
    assert str(message["Subject"]).strip() == f"Hồ sơ {dossier.code} đã được tiếp nhận"
    body = message.get_content()
    assert dossier.code in body and "01/12/2025 09:10" in body and dossier.version.name in body
    (text,) = sms.outbox
    assert text.to == "0905123456" and dossier.code in text.text and "01/12/2025 09:10" in text.text


def test_supplement_result_ready_and_apology_reach_the_applicant(with_email, clerk, django_capture_on_commit_callbacks):
    from django.core import mail

    with django_capture_on_commit_callbacks(execute=True):
        dossier = receive_dossier(request=with_email(), acting_user=clerk)
        dossier = t.hand_on(dossier=dossier, acting_user=clerk, at=at("17/11/2025 10:00"))
        dossier = t.hand_on(dossier=dossier, acting_user=clerk, at=at("17/11/2025 14:00"))
    with django_capture_on_commit_callbacks(execute=True):
        t.request_supplement(dossier=dossier, items=[{"name": "Bản sao giấy phép kinh doanh"}], reason="Bản sao mờ",
                             acting_user=clerk, at=at("18/11/2025 08:00"))
    with django_capture_on_commit_callbacks(execute=True):
        dossier = t.receive_supplement(dossier=dossier, acting_user=clerk, at=at("19/11/2025 08:00"))
        new_due = dossier.due_at.replace(day=dossier.due_at.day + 3)
        t.issue_apology(dossier=dossier, new_due_at=new_due, reason="Chờ ý kiến Sở Tư pháp", acting_user=clerk,
                        at=at("20/11/2025 08:00"))
    subjects = [m.subject for m in mail.outbox]
    assert subjects == [f"Hồ sơ {dossier.code} đã được tiếp nhận", f"Hồ sơ {dossier.code} cần bổ sung, hoàn thiện",
                        f"Xin lỗi và hẹn lại ngày trả kết quả hồ sơ {dossier.code}"]
    assert "Bản sao giấy phép kinh doanh" in mail.outbox[1].body
    assert new_due.strftime("%d/%m/%Y %H:%M") in mail.outbox[2].body
    assert len(sms.outbox) == 3  # hand_on and receive_supplement are not announced

    with django_capture_on_commit_callbacks(execute=True):
        while dossier.current_step.order < 5:
            dossier = t.hand_on(dossier=dossier, acting_user=clerk, at=at("21/11/2025 08:00"))
        t.decide(dossier=dossier, approve=True, acting_user=clerk, at=at("21/11/2025 09:00"))
        dossier = t.hand_on(dossier=dossier, acting_user=clerk, at=at("21/11/2025 10:00"))
        t.attach_result(dossier=dossier, name="Giấy chứng nhận", content=b"%PDF-1.4", filename="gcn.pdf",
                        content_type="application/pdf", acting_user=clerk, at=at("21/11/2025 10:30"))
        t.hand_on(dossier=dossier, acting_user=clerk, at=at("21/11/2025 11:00"))
    assert mail.outbox[-1].subject == f"Hồ sơ {dossier.code} đã có kết quả"
    assert "21/11/2025 11:00" in mail.outbox[-1].body


def test_http_gateway_speaks_the_documented_protocol(sms_gateway, make_request, clerk,
                                                     django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        dossier = receive_dossier(request=make_request(), acting_user=clerk)
    ((auth, body),) = sms_gateway.received
    assert auth == "Bearer token-1"
    assert body["to"] == "0905123456" and dossier.code in body["text"] and body["sender"] == "MOTCUA"
    assert body["reference"].startswith(f"{dossier.code}:")
    assert not NotificationFailure.objects.exists()


def test_failure_never_breaks_the_move_and_is_retried(sms_gateway, make_request, clerk,
                                                     django_capture_on_commit_callbacks):
    sms_gateway.fail = True
    with django_capture_on_commit_callbacks(execute=True):
        dossier = receive_dossier(request=make_request(), acting_user=clerk)
        dossier = t.hand_on(dossier=dossier, acting_user=clerk, at=at("17/11/2025 10:00"))
    assert dossier.status == "in_progress"
    failure = NotificationFailure.objects.get()
    assert failure.channel == "sms" and "503" in failure.error and dossier.code in failure.body
    assert retry_failures(now=failure.next_attempt_at) == 0  # still down: kept, attempts counted
    failure.refresh_from_db()
    assert failure.attempts == 2 and failure.sent_at is None
    sms_gateway.fail = False
    assert retry_failures(now=failure.next_attempt_at) == 1
    failure.refresh_from_db()
    assert failure.sent_at is not None and len(sms_gateway.received) == 3


def test_switched_off_integrations_send_nothing(settings, with_email, clerk, django_capture_on_commit_callbacks):
    from django.core import mail

    settings.EMAIL_ENABLED = settings.SMS_ENABLED = False
    with django_capture_on_commit_callbacks(execute=True):
        receive_dossier(request=with_email(), acting_user=clerk)
    assert mail.outbox == [] and sms.outbox == []
