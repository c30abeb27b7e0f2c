"""Deadline watch (issue 6, item 7): dossiers whose warning instant has passed are announced once,
dossiers past their appointment are marked overdue once.

Each dossier is claimed with a conditional UPDATE (`… SET warned_at = now WHERE id = … AND warned_at
IS NULL`) inside the transaction that writes its history row, audit entry and notices: of two
workers racing for the same row exactly one gets rowcount 1, the other skips it. A dossier waiting
for a supplement is not watched (its clock is paused; resume moves both instants).

Run by `manage.py dossier_watch` (a loop, or `--once` from cron) or by the `watch_deadlines` task.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.dossiers.models import Dossier, DossierEvent, Notification, Status
from motcua.dossiers.notifications import notify_officers
from motcua.org.audit import record_audit

log = logging.getLogger(__name__)

WATCHED = (Status.RECEIVED, Status.IN_PROGRESS)
BATCH = 500


@dataclass
class WatchResult:
    warned: int = 0
    overdue: int = 0

    def __str__(self) -> str:
        return f"cảnh báo {self.warned}, quá hạn {self.overdue}"


def _when(instant: dt.datetime) -> str:
    return timezone.localtime(instant).strftime("%d/%m/%Y %H:%M")


def warning_candidates(now: dt.datetime):
    return Dossier.objects.filter(status__in=WATCHED, warn_at__lte=now, warned_at__isnull=True).order_by("warn_at")


def overdue_candidates(now: dt.datetime):
    return Dossier.objects.filter(status__in=WATCHED, due_at__lt=now, overdue_at__isnull=True).order_by("due_at")


def _claim(pk: int, kind: str, now: dt.datetime) -> bool:
    """The conditional UPDATE: true only for the one worker whose UPDATE changed the row."""
    if kind == Notification.Kind.WARNING:
        rows = Dossier.objects.filter(pk=pk, status__in=WATCHED, warn_at__lte=now, warned_at__isnull=True)
        return rows.update(warned_at=now) == 1
    rows = Dossier.objects.filter(pk=pk, status__in=WATCHED, due_at__lt=now, overdue_at__isnull=True)
    return rows.update(overdue_at=now) == 1


@transaction.atomic
def process(pk: int, kind: str, now: dt.datetime) -> bool:
    """Claim one dossier for `kind` and record it: history row, audit entry, notices. False if another
    worker (or an earlier run) already did."""
    if not _claim(pk, kind, now):
        return False
    dossier = Dossier.objects.select_related("version", "current_step__unit", "current_step__assignee",
                                             "desk", "agency", "received_by").get(pk=pk)
    values = {"code": dossier.code, "procedure": dossier.version.name, "due": _when(dossier.due_at)}
    if kind == Notification.Kind.WARNING:
        subject = _("Hồ sơ %(code)s sắp đến hạn trả kết quả") % values
        message = _("Hồ sơ %(code)s (%(procedure)s) sắp đến hạn: hẹn trả kết quả lúc %(due)s.") % values
    else:
        subject = _("Hồ sơ %(code)s đã quá hạn") % values
        message = _("Hồ sơ %(code)s (%(procedure)s) đã quá hạn trả kết quả (hẹn %(due)s). "
                    "Đề nghị xử lý ngay và lập văn bản xin lỗi nếu chưa có.") % values
    step = dossier.current_step
    data = {"due_at": dossier.due_at.isoformat(), "warn_at": dossier.warn_at.isoformat() if dossier.warn_at else None,
            "step": step.order if step else None, "unit": step.unit_id if step else dossier.desk_id}
    DossierEvent.objects.create(dossier=dossier, at=now, actor=None, action=kind, from_status=dossier.status,
                                to_status=dossier.status, note=message, data=data)
    rows = notify_officers(dossier=dossier, kind=kind, subject=subject, message=message)
    record_audit(action=f"dossier.{kind}", obj=dossier, actor=None, ip=None, before={"status": dossier.status},
                 after={**data, "notified": sorted(r.user_id for r in rows)}, note=message)
    return True


def run_once(now: dt.datetime | None = None) -> WatchResult:
    """One pass over both lists. Safe to run in any number of workers at once."""
    now = now or timezone.now()
    result = WatchResult()
    for kind, candidates in ((Notification.Kind.WARNING, warning_candidates),
                             (Notification.Kind.OVERDUE, overdue_candidates)):
        while True:
            pks = list(candidates(now).values_list("pk", flat=True)[:BATCH])
            done = sum(process(pk, kind, now) for pk in pks)
            if kind == Notification.Kind.WARNING:
                result.warned += done
            else:
                result.overdue += done
            if len(pks) < BATCH:
                break
    return result
