"""In-app reminders to the lead units' officers: N days before a due date, and N days after it when the work
is still open. Each reminder has a unique key (task, period, kind, due date, person), so running this twice —
or in two workers at once — never reminds anyone twice."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction

from motcua.lib.formats import vn_date
from motcua.plans.models import OPEN_STATUSES, Reminder, Task, TaskInstance
from motcua.plans.selectors import lead_officers


def reminder_days() -> int:
    return int(getattr(settings, "PLAN_REMINDER_DAYS", 3))


CATCH_UP_DAYS = 30  # a run missed for a while still sends the reminders of the last month, not of years ago


def _due_items(day: dt.date, days: int):
    """(task, instance or None, due day, kind) for everything due within `days`, or overdue by `days` to
    `days` + CATCH_UP_DAYS."""
    soon = day + dt.timedelta(days=days)
    late = day - dt.timedelta(days=days)
    oldest = late - dt.timedelta(days=CATCH_UP_DAYS)
    tasks = (Task.objects.filter(status__in=OPEN_STATUSES, recurrence="", due_on__isnull=False)
             .select_related("section"))
    for task in tasks.filter(due_on__gte=day, due_on__lte=soon):
        yield task, None, task.due_on, Reminder.Kind.BEFORE
    for task in tasks.filter(due_on__lte=late, due_on__gte=oldest):
        yield task, None, task.due_on, Reminder.Kind.AFTER
    instances = TaskInstance.objects.filter(status__in=OPEN_STATUSES).select_related("task__section")
    for instance in instances.filter(due_on__gte=day, due_on__lte=soon):
        yield instance.task, instance, instance.due_on, Reminder.Kind.BEFORE
    for instance in instances.filter(due_on__lte=late, due_on__gte=oldest):
        yield instance.task, instance, instance.due_on, Reminder.Kind.AFTER


def _message(task: Task, instance: TaskInstance | None, due: dt.date, kind: str) -> str:
    what = f"Nhiệm vụ {task.ref}" + (f" ({instance.label})" if instance else "")
    head = task.content if len(task.content) <= 120 else task.content[:117] + "…"
    if kind == Reminder.Kind.BEFORE:
        return f"{what} đến hạn ngày {vn_date(due)}: {head}"
    return f"{what} đã quá hạn từ ngày {vn_date(due)}, chưa hoàn thành: {head}"


def send_reminders(*, day: dt.date, days: int | None = None) -> int:
    """Create the reminders due on `day`; returns how many were new."""
    days = reminder_days() if days is None else days
    created = 0
    for task, instance, due, kind in _due_items(day, days):
        people = list(lead_officers(task, day=day))
        if not people:
            continue
        rows = [Reminder(key=f"{task.pk}:{instance.pk if instance else 0}:{kind}:{due.isoformat()}:{person.pk}",
                         user=person, task=task, instance=instance, kind=kind, due_on=due,
                         message=_message(task, instance, due, kind)) for person in people]
        keys = [r.key for r in rows]
        with transaction.atomic():
            before = Reminder.objects.filter(key__in=keys).count()
            # The unique key is the claim: a row another run already inserted is skipped, not duplicated.
            Reminder.objects.bulk_create(rows, ignore_conflicts=True)
            created += Reminder.objects.filter(key__in=keys).count() - before
    return created
