"""The texts sent to applicants (Vietnamese, with the dossier code, procedure name and instants as
dd/mm/yyyy HH:MM). One (subject, body, sms) triple per move the applicant hears about."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from motcua.dossiers.models import Dossier, DossierEvent

# History actions that reach the applicant.
ANNOUNCED = {"receive", "request_supplement", "hand_to_desk", "apology"}


@dataclass(frozen=True)
class ApplicantMessage:
    subject: str
    body: str
    sms: str


def when(value: dt.datetime | str | None) -> str:
    if isinstance(value, str):
        value = parse_datetime(value)
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M") if value else "—"


def message_for(event: DossierEvent, dossier: Dossier) -> ApplicantMessage | None:
    values = {"code": dossier.code, "procedure": dossier.version.name, "name": dossier.applicant_name,
              "due": when(dossier.due_at), "at": when(event.at), "agency": dossier.agency.name}
    if event.action == "receive":
        subject = _("Hồ sơ %(code)s đã được tiếp nhận") % values
        body = _("Kính gửi %(name)s,\n\n%(agency)s đã tiếp nhận hồ sơ %(code)s về thủ tục “%(procedure)s” "
                 "lúc %(at)s.\nHẹn trả kết quả: %(due)s.\n\nTra cứu tình trạng hồ sơ bằng mã %(code)s.") % values
        sms = _("Ho so %(code)s da duoc tiep nhan luc %(at)s. Hen tra ket qua: %(due)s.") % values
    elif event.action == "request_supplement":
        items = "; ".join(i.get("name", "") for i in event.data.get("items", []))
        values |= {"items": items, "number": event.data.get("number", ""), "reason": event.note}
        subject = _("Hồ sơ %(code)s cần bổ sung, hoàn thiện") % values
        body = _("Kính gửi %(name)s,\n\nHồ sơ %(code)s về thủ tục “%(procedure)s” cần bổ sung, hoàn thiện "
                 "(phiếu số %(number)s, lúc %(at)s): %(items)s.\nLý do: %(reason)s\n\nThời gian giải quyết "
                 "tạm dừng cho tới khi nhận đủ hồ sơ bổ sung.") % values
        sms = _("Ho so %(code)s can bo sung: %(items)s. Thoi gian giai quyet tam dung tu %(at)s.") % values
    elif event.action == "hand_to_desk":
        subject = _("Hồ sơ %(code)s đã có kết quả") % values
        body = _("Kính gửi %(name)s,\n\nHồ sơ %(code)s về thủ tục “%(procedure)s” đã có kết quả lúc %(at)s "
                 "(hẹn trả %(due)s). Mời ông/bà nhận kết quả theo hình thức đã đăng ký.") % values
        sms = _("Ho so %(code)s da co ket qua luc %(at)s. Moi ong/ba nhan ket qua.") % values
    elif event.action == "apology":
        values |= {"new_due": when(event.data.get("new_due_at")), "old_due": when(event.data.get("previous_due_at")),
                   "reason": event.note, "number": event.data.get("number", "")}
        subject = _("Xin lỗi và hẹn lại ngày trả kết quả hồ sơ %(code)s") % values
        body = _("Kính gửi %(name)s,\n\n%(agency)s xin lỗi vì hồ sơ %(code)s về thủ tục “%(procedure)s” "
                 "chưa có kết quả đúng hẹn %(old_due)s.\nLý do: %(reason)s\nHẹn trả kết quả mới: %(new_due)s "
                 "(văn bản số %(number)s).") % values
        sms = _("Xin loi: ho so %(code)s cham tra ket qua. Hen tra moi: %(new_due)s.") % values
    else:
        return None
    return ApplicantMessage(subject=subject, body=body, sms=sms)
