"""In-app notices (and their e-mail copy) to the officers concerned with a dossier: the assignee of
its current step, the heads of that step's unit and the Office's TTHC control officers.

Rows are written in the caller's transaction; the e-mails go after commit and a failure is logged,
never raised (the in-app row is what counts).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from motcua.dossiers.models import Dossier, Notification
from motcua.org.models import Role, RoleAssignment, Unit, User

log = logging.getLogger(__name__)


def _covering(unit: Unit, role: str) -> list[User]:
    """Holders of `role` at `unit` itself, or at an ancestor when the assignment includes sub-units."""
    ids = [int(part) for part in unit.path.split("/") if part] or [unit.pk]
    today = timezone.localdate()
    rows = (RoleAssignment.objects.active_on(today).filter(role=role, unit_id__in=ids)
            .filter(Q(unit_id=unit.pk) | Q(includes_subunits=True)).select_related("user"))
    return [r.user for r in rows if r.user.is_active]


def recipients_for(dossier: Dossier) -> list[User]:
    """Assignee, unit heads and control officers for the dossier's present step, each once."""
    run = dossier.current_step
    people: list[User] = []
    if run is not None and run.finished_at is None:
        if run.assignee is not None:
            people.append(run.assignee)
        step_unit = run.unit
    else:
        if dossier.received_by is not None:
            people.append(dossier.received_by)
        step_unit = dossier.desk
    people += _covering(step_unit, Role.HEAD_OF_UNIT)
    people += _covering(dossier.agency, Role.CONTROL_OFFICER)
    seen: set[int] = set()
    unique = []
    for person in people:
        if person.pk not in seen and person.is_active:
            seen.add(person.pk)
            unique.append(person)
    return unique


def notify_officers(*, dossier: Dossier, kind: str, subject: str, message: str) -> list[Notification]:
    """One in-app notice per recipient (at most one per person, dossier and kind) plus an e-mail copy."""
    rows = [Notification(user=person, dossier=dossier, kind=kind, message=message)
            for person in recipients_for(dossier)]
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    addresses = [row.user.email for row in rows if row.user.email]
    if addresses and getattr(settings, "EMAIL_ENABLED", True):
        transaction.on_commit(lambda: _send_copy(subject, message, addresses))
    return rows


def _send_copy(subject: str, message: str, addresses: list[str]) -> None:
    try:
        send_mail(subject, message, None, addresses)
    except Exception:  # a mail server being down must not undo a notice already recorded
        log.exception("Không gửi được thư thông báo tới %s", ", ".join(addresses))


def unread_for(user: User):
    return Notification.objects.filter(user=user, read_at__isnull=True).select_related("dossier")


def mark_read(*, user: User, ids: list[int]) -> int:
    return Notification.objects.filter(user=user, pk__in=ids, read_at__isnull=True).update(read_at=timezone.now())
