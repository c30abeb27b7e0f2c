"""What officers read for each history event: the Vietnamese name of the action and of the statuses.

Every action `transitions`, `intake` and the portal record is named here; an unknown action falls back
to its code so nothing disappears, but the dossier page must never show a bare code for a known one.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _l

from motcua.dossiers.models import DossierEvent, Status

ACTION_LABELS = {
    "receive": _l("Tiếp nhận hồ sơ"),
    "intake_supplement": _l("Yêu cầu bổ sung, hoàn thiện hồ sơ"),
    "intake_refusal": _l("Từ chối tiếp nhận"),
    "submit_online": _l("Nộp hồ sơ trực tuyến"),
    "accept_online": _l("Tiếp nhận hồ sơ trực tuyến"),
    "supplement_online": _l("Nộp bổ sung trực tuyến"),
    "hand_on": _l("Chuyển bước xử lý"),
    "transfer_agency": _l("Chuyển cơ quan phối hợp"),
    "return_to_step": _l("Chuyển lại bước trước"),
    "assign": _l("Phân công xử lý"),
    "request_supplement": _l("Yêu cầu bổ sung hồ sơ"),
    "receive_supplement": _l("Đã nhận hồ sơ bổ sung"),
    "consult": _l("Lấy ý kiến phối hợp"),
    "answer_consultation": _l("Có ý kiến phối hợp"),
    "decide": _l("Có quyết định giải quyết"),
    "attach_result": _l("Có kết quả giải quyết"),
    "hand_to_desk": _l("Chuyển kết quả về Bộ phận Một cửa"),
    "return_result": _l("Đã trả kết quả"),
    "apology": _l("Xin lỗi và hẹn lại ngày trả kết quả"),
    "stop": _l("Dừng giải quyết"),
    "withdraw": _l("Rút hồ sơ theo yêu cầu"),
    "warning": _l("Sắp đến hạn"),
    "overdue": _l("Quá hạn"),
}
STATUS_LABELS = dict(Status.choices)


def action_label(action: str):
    return ACTION_LABELS.get(action, action)


def status_label(status: str):
    return STATUS_LABELS.get(status, status) if status else ""


def history_rows(events: Iterable[DossierEvent]) -> list[dict]:
    """One row per event with the action and the statuses in words (the event itself under "event")."""
    return [{"event": e, "action": action_label(e.action), "from_status": status_label(e.from_status),
             "to_status": status_label(e.to_status)} for e in events]
