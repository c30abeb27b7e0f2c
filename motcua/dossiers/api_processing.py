"""Processing API (issue 6): a dossier's history and its moves.

`GET /api/v1/dossiers/{code}/history` — every move: action, from/to status, actor, instant (ISO 8601,
+07:00), step, and the on-time flag of the step the move finished (null when it finished none).

`POST /api/v1/dossiers/{code}/moves` with `{"move": "<name>", ...data}` — the moves of
`transitions.MOVES` (and `answer_consultation`). 200 with the dossier's new state; 409 `{"detail": …}`
with the Vietnamese reason when the move is not legal now (nothing changed); 404 when the caller may not
act on the dossier (or cannot see it); 422 `{"detail": …, "errors": {field: [...]}}` for malformed data.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Status

from motcua.dossiers import transitions as t
from motcua.dossiers import worklists
from motcua.dossiers.files import FileCheckError, check_file
from motcua.dossiers.models import Dossier, ReturnChannel, StepResult
from motcua.lib.text import nfc
from motcua.org.models import Unit, User

router = Router(tags=["Xử lý hồ sơ"])

API_MOVES = [*t.MOVES, "answer_consultation"]


class Malformed(ValueError):
    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__(errors)


def _iso(value: dt.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat() if value is not None else None


def state_out(dossier: Dossier) -> dict:
    run = worklists.current_run(dossier)
    return {
        "code": dossier.code, "status": dossier.status, "status_label": str(dossier.get_status_display()),
        "outcome": dossier.outcome, "due_at": _iso(dossier.due_at), "original_due_at": _iso(dossier.original_due_at),
        "paused_since": _iso(dossier.paused_since), "resolved_at": _iso(dossier.resolved_at),
        "returned_at": _iso(dossier.returned_at), "return_channel": dossier.return_channel,
        "return_waybill": dossier.return_waybill,
        "return_handed_on": dossier.return_handed_on.isoformat() if dossier.return_handed_on else None,
        "current_step": None if run is None else {
            "order": run.order, "description": run.description, "unit": run.unit.code, "role": run.role,
            "assignee": run.assignee.username if run.assignee_id else None, "received_at": _iso(run.received_at),
            "due_at": _iso(run.due_at)},
    }


def history_out(dossier: Dossier) -> list[dict]:
    finished = {}
    for run in dossier.step_runs.filter(finished_at__isnull=False):
        finished.setdefault(run.finished_at, run)
    rows = []
    for event in dossier.events.select_related("actor").order_by("at", "id"):
        run = finished.get(event.at) if event.action not in {"receive", "consult", "answer_consultation", "decide",
                                                             "attach_result", "apology", "assign",
                                                             "request_supplement", "receive_supplement"} else None
        rows.append({
            "action": event.action, "from_status": event.from_status, "to_status": event.to_status,
            "actor": event.actor.username if event.actor_id else None,
            "actor_name": (event.actor.full_name or event.actor.username) if event.actor_id else None,
            "at": _iso(event.at), "step": (event.data or {}).get("step"), "note": event.note,
            "finished_step": run.order if run else None,
            "on_time": None if run is None else run.result != StepResult.LATE,
            "result": run.result if run else None,
        })
    return rows


def _dossier(request, code: str) -> Dossier | None:
    found = worklists.dossier_for_processing(request.auth, code)
    if found is None:
        return None
    return Dossier.objects.select_related("desk", "agency", "case", "version", "current_step__unit",
                                          "current_step__assignee").get(pk=found.pk)


def _not_found(code: str):
    return Status(404, {"detail": _("Không tìm thấy hồ sơ %(code)s, hoặc bạn không được xử lý hồ sơ này.")
                        % {"code": code}})


@router.get("/dossiers/{code}/history", response={200: dict, 404: dict}, summary="Lịch sử xử lý hồ sơ")
def dossier_history(request, code: str):
    dossier = _dossier(request, code)
    if dossier is None:
        return _not_found(code)
    return Status(200, {"code": dossier.code, "events": history_out(dossier)})


# -- parsing of move data ----------------------------------------------------------------------------


def _text(data: dict, name: str, errors: dict, *, required: bool = False) -> str:
    value = data.get(name, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors.setdefault(name, []).append(_("Phải là chuỗi ký tự."))
        return ""
    value = nfc(value).strip()
    if required and not value:
        errors.setdefault(name, []).append(_("Bắt buộc."))
    return value


def _user(data: dict, name: str, errors: dict, *, required: bool) -> User | None:
    ref = data.get(name)
    if ref in (None, ""):
        if required:
            errors.setdefault(name, []).append(_("Bắt buộc."))
        return None
    query = User.objects.filter(pk=ref) if isinstance(ref, int) else User.objects.filter(username=str(ref))
    user = query.filter(is_active=True).first()
    if user is None:
        errors.setdefault(name, []).append(_("Không có người dùng “%(ref)s”.") % {"ref": ref})
    return user


def _unit(data: dict, name: str, errors: dict, *, required: bool) -> Unit | None:
    ref = data.get(name)
    if ref in (None, ""):
        if required:
            errors.setdefault(name, []).append(_("Bắt buộc."))
        return None
    unit = Unit.objects.filter(code=str(ref)).first()
    if unit is None:
        errors.setdefault(name, []).append(_("Không có đơn vị mã “%(ref)s”.") % {"ref": ref})
    return unit


def _date(data: dict, name: str, errors: dict) -> dt.date | None:
    value = data.get(name) or ""
    if not value:
        return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(str(value), fmt).date()  # noqa: DTZ007 — a date, no instant
        except ValueError:
            continue
    errors.setdefault(name, []).append(_("Ngày không hợp lệ (dd/mm/yyyy hoặc YYYY-MM-DD)."))
    return None


def _instant(data: dict, name: str, errors: dict) -> dt.datetime | None:
    value = str(data.get(name) or "")
    if not value:
        errors.setdefault(name, []).append(_("Bắt buộc."))
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        try:
            parsed = dt.datetime.strptime(value, "%d/%m/%Y %H:%M")  # noqa: DTZ007 — made aware just below
        except ValueError:
            errors.setdefault(name, []).append(_("Thời điểm không hợp lệ (dd/mm/yyyy HH:MM hoặc ISO 8601)."))
            return None
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def move_kwargs(move: str, data: dict, dossier: Dossier, user: User) -> dict:
    """Keyword arguments of the transition; `Malformed` with one message per field otherwise."""
    errors: dict[str, list[str]] = {}
    kwargs: dict[str, Any] = {}
    if move == "hand_on":
        kwargs = {"assignee": _user(data, "assignee", errors, required=False), "note": _text(data, "note", errors)}
    elif move == "assign":
        kwargs = {"assignee": _user(data, "assignee", errors, required=True)}
    elif move == "return_to_step":
        order = data.get("to_order")
        if not isinstance(order, int) or isinstance(order, bool):
            errors.setdefault("to_order", []).append(_("Phải là số thứ tự bước (số nguyên)."))
        kwargs = {"to_order": order, "reason": _text(data, "reason", errors)}
    elif move == "request_supplement":
        items = data.get("items")
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            errors.setdefault("items", []).append(_("Phải là danh sách {\"name\": …, \"reason\": …}."))
            items = []
        kwargs = {"items": [{"name": str(i.get("name", "")), "reason": str(i.get("reason", ""))} for i in items],
                  "reason": _text(data, "reason", errors)}
    elif move == "consult":
        kwargs = {"unit": _unit(data, "unit", errors, required=True), "question": _text(data, "question", errors)}
    elif move == "answer_consultation":
        open_ones = {c.pk: c for c in worklists.consultations_for(user, dossier)}
        ref = data.get("consultation")
        if ref not in open_ones:
            errors.setdefault("consultation", []).append(_("Không có yêu cầu xin ý kiến này đang chờ đơn vị bạn trả lời."))
        kwargs = {"consultation": open_ones.get(ref), "answer": _text(data, "answer", errors)}
    elif move == "decide":
        approve = data.get("approve")
        if not isinstance(approve, bool):
            errors.setdefault("approve", []).append(_("Phải là true (phê duyệt) hoặc false (từ chối)."))
        kwargs = {"approve": approve, "reason": _text(data, "reason", errors)}
    elif move == "attach_result":
        filename = _text(data, "filename", errors, required=True)
        try:
            content = base64.b64decode(str(data.get("content_base64", "")), validate=True)
        except (binascii.Error, ValueError):
            content = b""
            errors.setdefault("content_base64", []).append(_("Nội dung tệp không phải base64 hợp lệ."))
        checked = None
        if content and filename:
            try:
                checked = check_file(filename, content)
            except FileCheckError as exc:
                errors.setdefault("content_base64", []).append(str(exc))
        kwargs = {"name": _text(data, "name", errors, required=True), "number": _text(data, "number", errors),
                  "signer": _text(data, "signer", errors), "signed_on": _date(data, "signed_on", errors),
                  "valid_until": _date(data, "valid_until", errors)}
        if checked is not None:
            kwargs.update(content=checked.content, filename=checked.name, content_type=checked.content_type)
        elif "content_base64" not in errors:
            errors.setdefault("content_base64", []).append(_("Bắt buộc."))
    elif move == "stop":
        kwargs = {"reason": _text(data, "reason", errors), "withdrawal": bool(data.get("withdrawal", False))}
    elif move == "return_result":
        kwargs = {"channel": _text(data, "channel", errors, required=True),
                  "returned_to": _text(data, "returned_to", errors), "waybill": _text(data, "waybill", errors),
                  "handed_on": _date(data, "handed_on", errors)}
        if kwargs["handed_on"] is not None and kwargs["channel"] == ReturnChannel.POSTAL:
            for problem in t.return_handed_on_errors(dossier, kwargs["handed_on"]):
                errors.setdefault("handed_on", []).append(problem)
    elif move == "issue_apology":
        kwargs = {"new_due_at": _instant(data, "new_due_at", errors), "reason": _text(data, "reason", errors),
                  "caused_by": _unit(data, "caused_by", errors, required=False)}
    if errors:
        raise Malformed(errors)
    return kwargs


@router.post("/dossiers/{code}/moves", response={200: dict, 404: dict, 409: dict, 422: dict},
             summary="Thực hiện một bước xử lý hồ sơ")
def dossier_move(request, code: str):
    user: User = request.auth
    try:
        raw = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return Status(422, {"detail": _("Nội dung yêu cầu không phải JSON hợp lệ."), "errors": {}})
    if not isinstance(raw, dict):
        return Status(422, {"detail": _("Nội dung yêu cầu phải là một đối tượng JSON."), "errors": {}})
    move = raw.get("move")
    dossier = _dossier(request, code)
    if dossier is None:
        return _not_found(code)
    if move not in API_MOVES:
        return Status(422, {"detail": _("Thao tác không hợp lệ; các thao tác: %(moves)s.")
                            % {"moves": ", ".join(API_MOVES)}, "errors": {"move": [_("Không có thao tác này.")]}})
    if not worklists.may_act(user, dossier, move):
        return _not_found(code)
    try:
        kwargs = move_kwargs(move, raw, dossier, user)
    except Malformed as exc:
        return Status(422, {"detail": _("Dữ liệu không hợp lệ."), "errors": exc.errors})
    ip = request.META.get("REMOTE_ADDR") or None
    try:
        if move == "answer_consultation":
            t.answer_consultation(acting_user=user, ip=ip, **kwargs)
        else:
            t.MOVES[move](dossier=dossier, acting_user=user, ip=ip, **kwargs)
    except t.IllegalMove as exc:
        return Status(409, {"detail": exc.message})
    fresh = Dossier.objects.select_related("current_step__unit", "current_step__assignee").get(pk=dossier.pk)
    return Status(200, state_out(fresh))
