"""Tell the applicant about their dossier — receipt, supplement request, result ready, apology — by
e-mail (Django's SMTP backend) and SMS (the `SMS_BACKEND` adapter), only after the move committed.

Listens to `transitions.dossier_moved` (sent after commit) and to the intake's "receive" history row
(announced on commit). A failure to send never reaches the move: it is logged and kept as a
`NotificationFailure` row, which `retry_failures` (run by `dossier_watch`) tries again.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from motcua.dossiers.models import Dossier, DossierEvent
from motcua.integrations.notify import sms
from motcua.integrations.notify.messages import ANNOUNCED, message_for
from motcua.integrations.notify.models import NotificationFailure
from motcua.lib.identifiers import is_mobile

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5


def on_dossier_moved(sender=None, *, event: DossierEvent, **kwargs) -> None:
    """Signal receiver; never raises (the move has committed, the caller must not see a failure)."""
    if event.action not in ANNOUNCED:
        return
    try:
        notify_applicant(event)
    except Exception:
        log.exception("Không lập được thông báo cho người nộp hồ sơ (sự kiện %s)", event.pk)


def on_event_saved(sender, instance: DossierEvent, created: bool, **kwargs) -> None:
    """The intake writes its "receive" row directly: announce it once the receipt has committed."""
    if created and instance.action == "receive":
        transaction.on_commit(lambda: on_dossier_moved(sender=Dossier, event=instance))


def notify_applicant(event: DossierEvent) -> None:
    # The dossier instance the move wrote is cached on the event (and committed by now): reading it again
    # would cost a query on every intake, the hot path.
    dossier = event.dossier
    message = message_for(event, dossier)
    if message is None:
        return
    reference = f"{dossier.code}:{event.pk}"
    if settings.EMAIL_ENABLED and dossier.applicant_email:
        _deliver(NotificationFailure.Channel.EMAIL, dossier, dossier.applicant_email, message.subject, message.body,
                 reference)
    if settings.SMS_ENABLED and dossier.applicant_phone and is_mobile(dossier.applicant_phone):
        _deliver(NotificationFailure.Channel.SMS, dossier, dossier.applicant_phone, "", message.sms, reference)


def _send(channel: str, recipient: str, subject: str, body: str, reference: str) -> None:
    if channel == NotificationFailure.Channel.EMAIL:
        send_mail(subject, body, None, [recipient])
    else:
        sms.send_sms(recipient, body, reference)


def _deliver(channel: str, dossier: Dossier, recipient: str, subject: str, body: str, reference: str) -> None:
    try:
        _send(channel, recipient, subject, body, reference)
    except Exception as exc:
        log.warning("Gửi %s tới %s thất bại (hồ sơ %s): %s", channel, recipient, dossier.code, exc)
        NotificationFailure.objects.create(dossier=dossier, channel=channel, recipient=recipient, subject=subject,
                                           body=body, reference=reference, error=str(exc)[:2000],
                                           next_attempt_at=timezone.now() + dt.timedelta(minutes=5))


def retry_failures(now: dt.datetime | None = None) -> int:
    """Send again what failed; each row is claimed by a conditional UPDATE (bumping `attempts`), so two
    watchers never send it twice. Returns how many went out."""
    now = now or timezone.now()
    sent = 0
    due = NotificationFailure.objects.filter(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS, next_attempt_at__lte=now)
    for row in list(due.order_by("next_attempt_at")[:200]):
        claimed = NotificationFailure.objects.filter(pk=row.pk, attempts=row.attempts, sent_at__isnull=True).update(
            attempts=F("attempts") + 1, next_attempt_at=now + dt.timedelta(minutes=5 * 2 ** row.attempts))
        if not claimed:
            continue
        try:
            _send(row.channel, row.recipient, row.subject, row.body, row.reference)
        except Exception as exc:
            NotificationFailure.objects.filter(pk=row.pk).update(error=str(exc)[:2000])
            continue
        NotificationFailure.objects.filter(pk=row.pk).update(sent_at=timezone.now())
        sent += 1
    return sent
