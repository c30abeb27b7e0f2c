"""GET /api/v1/dossiers/{code}/history and POST /api/v1/dossiers/{code}/moves: 200 / 409 / 404 / 422."""

from __future__ import annotations

import base64
import re
from io import BytesIO

import pytest
import time_machine
from django.core.management import call_command
from pypdf import PdfWriter

from motcua.dossiers.models import DossierEvent, Status
from motcua.org.models import Role

from .processing_helpers import person, receive

ISO_VN = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+07:00$")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel("2025-11-18 09:00 +0700", tick=True):
        yield


@pytest.fixture
def api(client, capsys):
    def caller(username):
        call_command("create_api_token", username)
        token = capsys.readouterr().out.strip()
        auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}

        class Caller:
            def move(self, code, body, raw=None):
                return client.post(f"/api/v1/dossiers/{code}/moves", raw if raw is not None else body,
                                   content_type="application/json", **auth)

            def history(self, code):
                return client.get(f"/api/v1/dossiers/{code}/history", **auth)

        return Caller()

    return caller


@pytest.fixture
def dossier(make_request, clerk):
    return receive(make_request, clerk, "18/11/2025 08:00")


def test_moves_and_history(api, dossier):
    person("luu", "Ngô Văn Lưu", Role.SPECIALIST, "000.04.12.H27")
    lan, giamdoc = api("lan"), api("giamdoc")
    response = lan.move(dossier.code, {"move": "hand_on", "note": "Chuyển Văn phòng"})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == Status.IN_PROGRESS and response.json()["current_step"]["order"] == 2
    response = giamdoc.move(dossier.code, {"move": "hand_on", "assignee": "luu"})
    state = response.json()
    assert state["current_step"]["order"] == 3 and state["current_step"]["assignee"] == "luu"
    assert ISO_VN.match(state["current_step"]["due_at"])

    before = DossierEvent.objects.filter(dossier=dossier).count()
    response = giamdoc.move(dossier.code, {"move": "decide", "approve": True})
    assert response.status_code == 409 and "bước phê duyệt" in response.json()["detail"]
    assert DossierEvent.objects.filter(dossier=dossier).count() == before

    response = giamdoc.move(dossier.code, {"move": "decide", "approve": "yes"})
    assert response.status_code == 422 and "approve" in response.json()["errors"]
    assert giamdoc.move(dossier.code, {"move": "fly"}).status_code == 422
    assert giamdoc.move(dossier.code, None, raw="not json").status_code == 422
    response = giamdoc.move(dossier.code, {"move": "issue_apology", "new_due_at": "31/02/2025 10:00", "reason": "x"})
    assert response.status_code == 422 and "new_due_at" in response.json()["errors"]

    luu = api("luu")
    response = luu.move(dossier.code, {"move": "request_supplement", "reason": "Thiếu",
                                       "items": [{"name": "Bản sao chứng chỉ", "reason": "mờ"}]})
    assert response.status_code == 200 and response.json()["paused_since"] is not None
    assert lan.move(dossier.code, {"move": "receive_supplement"}).status_code == 200

    history = luu.history(dossier.code).json()["events"]
    assert [e["action"] for e in history] == ["receive", "hand_on", "hand_on", "request_supplement",
                                              "receive_supplement"]
    assert all(ISO_VN.match(e["at"]) for e in history)
    assert history[1]["actor"] == "lan" and history[1]["finished_step"] == 1 and history[1]["on_time"] is True
    assert history[2]["from_status"] == Status.IN_PROGRESS and history[2]["step"] == 3
    assert history[3]["to_status"] == Status.SUPPLEMENT_REQUESTED and history[3]["on_time"] is None


def test_attach_result_by_api_checks_the_file(api, dossier):
    lan, giamdoc = api("lan"), api("giamdoc")
    lan.move(dossier.code, {"move": "hand_on"})
    for _ in range(3):
        giamdoc.move(dossier.code, {"move": "hand_on"})
    assert giamdoc.move(dossier.code, {"move": "decide", "approve": True}).status_code == 200
    response = giamdoc.move(dossier.code, {"move": "attach_result", "name": "GCN", "filename": "gcn.pdf",
                                           "content_base64": base64.b64encode(b"not a pdf").decode()})
    assert response.status_code == 422 and "content_base64" in response.json()["errors"]
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = BytesIO()
    writer.write(buffer)
    response = giamdoc.move(dossier.code, {"move": "attach_result", "name": "GCN", "filename": "gcn.pdf",
                                           "number": "15/GCN-SNV", "signed_on": "18/11/2025",
                                           "content_base64": base64.b64encode(buffer.getvalue()).decode()})
    assert response.status_code == 200
    assert dossier.results.get().number == "15/GCN-SNV"


def test_who_may_not_act_gets_404(api, dossier):
    assert api("minh").move(dossier.code, {"move": "hand_on"}).status_code == 404  # cannot see it
    assert api("hoa").move(dossier.code, {"move": "hand_on"}).status_code == 404  # sees it, not her step
    assert api("hoa").history(dossier.code).status_code == 200
    assert api("minh").history(dossier.code).status_code == 404
    dossier.refresh_from_db()
    assert dossier.status == Status.RECEIVED
