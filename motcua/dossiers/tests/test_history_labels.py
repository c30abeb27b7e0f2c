"""The dossier page and the processing page name every history event in Vietnamese: no action code
(hand_on, hand_to_desk…) and no raw status (in_progress) in front of the officer."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import time_machine

from motcua.dossiers import labels
from motcua.dossiers.models import Notification, Status

from .processing_helpers import receive

DOSSIERS = Path(labels.__file__).parent


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_every_recorded_action_has_a_label():
    source = "\n".join(p.read_text(encoding="utf-8") for p in DOSSIERS.glob("*.py"))
    recorded = set()
    for statement in re.findall(r'action ?= ?("[a-z_]+"[^,\n]*)', source):  # literals and their ternaries
        recorded |= set(re.findall(r'"([a-z_]+)"', statement))
    recorded |= {f"intake_{kind}" for kind in ("supplement", "refusal")}
    recorded |= {Notification.Kind.WARNING.value, Notification.Kind.OVERDUE.value}
    assert {"hand_on", "hand_to_desk", "transfer_agency", "stop", "withdraw", "receive"} <= recorded
    assert recorded - set(labels.ACTION_LABELS) == set()


def test_history_rows_translate_action_and_statuses():
    class Event:
        action, from_status, to_status = "hand_on", Status.RECEIVED, Status.IN_PROGRESS

    row = labels.history_rows([Event()])[0]
    assert (str(row["action"]), str(row["from_status"]), str(row["to_status"])) == (
        "Chuyển bước xử lý", str(Status.RECEIVED.label), str(Status.IN_PROGRESS.label))


@time_machine.travel("2025-11-18 09:00 +0700", tick=False)
def test_dossier_and_processing_pages_show_no_action_codes(client, make_request, clerk):
    dossier = receive(make_request, clerk)
    client.force_login(clerk)
    response = client.post(f"/mot-cua/ho-so/{dossier.code}/xu-ly/hand_on/", {"hand_on-note": "Chuyển Văn phòng"})
    assert response.status_code == 302
    detail = client.get(f"/mot-cua/ho-so/{dossier.code}/").content.decode()
    # one history on the dossier page (its own panel), not a second copy from the processing panel
    assert detail.count("Quá trình xử lý") == 1 and "Lịch sử xử lý" not in detail
    processing = client.get(f"/mot-cua/ho-so/{dossier.code}/xu-ly/").content.decode()
    for html, heading in ((detail, "Quá trình xử lý"), (processing, "Lịch sử xử lý")):
        history = html[html.index(heading):]
        assert "Chuyển bước xử lý" in history and "Chuyển Văn phòng" in history
        assert str(Status.IN_PROGRESS.label) in history
        for code in ("hand_on", "in_progress", "received →", "<code>receive"):
            assert code not in history, code
