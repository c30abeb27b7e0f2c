"""Reads about plans: who sees which tasks, the dashboard, overdue work, targets for the reports."""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import HttpRequest

from motcua.org.models import Role, RoleAssignment, Unit, User
from motcua.org.selectors import roles_of, today, visible_units
from motcua.plans.models import (
    OPEN_STATUSES,
    Inspection,
    Plan,
    PlanTarget,
    Reminder,
    Task,
    TaskInstance,
    TaskStatus,
    TaskUnit,
)

CONTROL_ROLES = frozenset({Role.CONTROL_OFFICER, Role.SYSTEM_ADMIN})


def is_controller(user: User) -> bool:
    """Control officers (and system administrators) see and change every plan."""
    return bool(roles_of(user) & CONTROL_ROLES)


def unit_ids(user: User) -> tuple[set[int], set[int]]:
    """(units the person works in, those units and all their ancestors)."""
    units = list(_officer_visible_units(user).only("pk", "path"))
    own = {u.pk for u in units}
    ancestors = {int(part) for u in units for part in u.path.split("/") if part}
    return own, ancestors


def _officer_visible_units(user: User) -> QuerySet[Unit]:
    # visible_units leaves citizens' grants out: these are the units the person works in (and below).
    return visible_units(user)


def lead_condition(user: User) -> Q:
    """Tasks whose lead unit is one the person works in: the unit itself, or a group lead ("Các phòng, ban,
    đơn vị") over an agency that contains one of their units."""
    own, ancestors = unit_ids(user)
    return Q(units__role=TaskUnit.Role.LEAD) & (
        Q(units__unit_id__in=own) | Q(units__includes_subunits=True, units__unit_id__in=ancestors)
    )


def visible_tasks(user: User) -> QuerySet[Task]:
    qs = Task.objects.select_related("section", "plan")
    if is_controller(user):
        return qs
    return qs.filter(pk__in=Task.objects.filter(lead_condition(user)).values("pk"))


def can_update_task(user: User, task: Task) -> bool:
    return is_controller(user) or visible_tasks(user).filter(pk=task.pk).exists()


def visible_plans(user: User) -> QuerySet[Plan]:
    qs = Plan.objects.select_related("issuing_unit")
    if is_controller(user):
        return qs
    return qs.filter(pk__in=visible_tasks(user).values("plan"))


@dataclass
class TaskRow:
    task: Task
    overdue: bool
    leads: list[TaskUnit]
    instances: list[TaskInstance]
    overdue_instances: int


def plan_rows(plan: Plan, user: User, *, day: dt.date | None = None) -> list[TaskRow]:
    day = day or today()
    tasks = list(visible_tasks(user).filter(plan=plan).prefetch_related("units__unit", "instances")
                 .order_by("section__position", "position"))
    rows = []
    for task in tasks:
        instances = list(task.instances.all())
        rows.append(TaskRow(
            task=task,
            overdue=task.is_overdue(day),
            leads=[u for u in task.units.all() if u.role == TaskUnit.Role.LEAD],
            instances=instances,
            overdue_instances=sum(1 for i in instances if i.is_overdue(day)),
        ))
    return rows


def by_section(rows: list[TaskRow]) -> list[tuple[object, list[TaskRow]]]:
    groups: OrderedDict = OrderedDict()
    for row in rows:
        groups.setdefault(row.task.section, []).append(row)
    return list(groups.items())


def by_unit(rows: list[TaskRow]) -> list[dict]:
    """Per lead unit (or name as written): tasks, done, overdue, average progress."""
    groups: dict[str, dict] = {}
    for row in rows:
        for lead in row.leads or [None]:
            name = (lead.unit.name if lead and lead.unit and not lead.includes_subunits
                    else (lead.label if lead else "—"))
            group = groups.setdefault(name, {"name": name, "rows": [], "done": 0, "overdue": 0, "progress": 0})
            group["rows"].append(row)
            group["done"] += row.task.status == TaskStatus.DONE
            group["overdue"] += row.overdue or row.overdue_instances > 0
            group["progress"] += row.task.progress
    result = sorted(groups.values(), key=lambda g: (-g["overdue"], g["name"]))
    for group in result:
        group["progress"] = round(group["progress"] / len(group["rows"]))
    return result


def summary(rows: list[TaskRow]) -> dict:
    total = len(rows)
    return {
        "total": total,
        "done": sum(r.task.status == TaskStatus.DONE for r in rows),
        "in_progress": sum(r.task.status == TaskStatus.IN_PROGRESS for r in rows),
        "overdue": sum(r.overdue or r.overdue_instances > 0 for r in rows),
        "needs_dates": sum(r.task.needs_dates for r in rows),
        "progress": round(sum(r.task.progress for r in rows) / total) if total else 0,
    }


def overdue_tasks(*, day: dt.date | None = None, plans: QuerySet[Plan] | None = None) -> QuerySet[Task]:
    day = day or today()
    late_instances = TaskInstance.objects.filter(status__in=OPEN_STATUSES, due_on__lt=day).values("task")
    qs = Task.objects.filter(Q(status__in=OPEN_STATUSES, due_on__lt=day) | Q(pk__in=late_instances))
    if plans is not None:
        qs = qs.filter(plan__in=plans)
    return qs


def next_due(*, day: dt.date | None = None, limit: int = 5) -> list[dict]:
    """The next open due dates (tasks and recurring tasks' periods) from today."""
    day = day or today()
    items = [{"task": t, "label": "", "due_on": t.due_on} for t in
             Task.objects.filter(status__in=OPEN_STATUSES, due_on__gte=day, recurrence="")
             .select_related("section").order_by("due_on")[:limit]]
    items += [{"task": i.task, "label": i.label, "due_on": i.due_on} for i in
              TaskInstance.objects.filter(status__in=OPEN_STATUSES, due_on__gte=day)
              .select_related("task__section").order_by("due_on")[:limit]]
    return sorted(items, key=lambda x: x["due_on"])[:limit]


def lead_officers(task: Task, *, day: dt.date | None = None) -> QuerySet[User]:
    """Whom reminders go to: the officers of a lead unit; for a group lead ("Các phòng, ban, đơn vị"), the
    heads of the units under the agency."""
    day = day or today()
    condition = Q(pk__in=[])
    for lead in task.units.filter(role=TaskUnit.Role.LEAD, unit__isnull=False).select_related("unit"):
        if lead.includes_subunits:
            condition |= Q(unit__path__startswith=lead.unit.path, role=Role.HEAD_OF_UNIT)
        else:
            condition |= Q(unit=lead.unit) & ~Q(role__in=[Role.CITIZEN, Role.SYSTEM_ADMIN])
    ids = RoleAssignment.objects.active_on(day).filter(condition).values("user")
    return User.objects.filter(pk__in=ids, is_active=True)


def targets_for(year: int, *, unit: Unit | None = None) -> dict[str, dict]:
    """The plan's measurable targets for a year, by key — what the reports show beside current values:
    {"online_rate": {"label": ..., "value": 70.0, "unit": "percent", "direction": "at_least", "source": "VIII.7"}}.
    With several plans in a year (several agencies), pass the agency's unit."""
    qs = PlanTarget.objects.filter(year=year)
    if unit is not None:
        qs = qs.filter(plan__issuing_unit=unit)
    result: dict[str, dict] = {}
    for target in qs.order_by("plan_id", "id"):
        result.setdefault(target.key, {
            "label": target.label, "value": float(target.value), "unit": target.unit,
            "direction": target.direction, "source": target.source,
        })
    return result


def visible_inspections(user: User) -> QuerySet[Inspection]:
    qs = Inspection.objects.select_related("plan", "leader")
    if is_controller(user):
        return qs
    own, _ = unit_ids(user)
    return qs.filter(Q(units__in=own) | Q(members=user) | Q(leader=user)).distinct()


def my_units(user: User) -> QuerySet[Unit]:
    """Units the person may submit a self-inspection report for (the units they hold an officer role in)."""
    return _officer_visible_units(user).exclude(kind__in=[Unit.Kind.PROVINCE]).order_by("path")


# --- Links from evidence to objects in the system -------------------------------------------------

@dataclass(frozen=True)
class Linkable:
    model_label: str   # "catalog.publicationdecision"
    label: str         # shown in the form
    choices: Callable[[], QuerySet]
    url: Callable[[object], str]


LINKABLES: dict[str, Linkable] = {}


def register_linkable(linkable: Linkable) -> None:
    """Other apps (reports, reviews) add what evidence may point to."""
    LINKABLES[linkable.model_label] = linkable


def _register_catalog() -> None:
    from django.urls import reverse

    from motcua.catalog.models import PublicationDecision

    register_linkable(Linkable("catalog.publicationdecision", "Quyết định công bố TTHC",
                               lambda: PublicationDecision.objects.order_by("-signed_on"),
                               lambda obj: reverse("catalog_decision", args=[obj.pk])))


_register_catalog()


def evidence_url(evidence) -> str:
    if evidence.linked_type_id is None:
        return ""
    linkable = LINKABLES.get(f"{evidence.linked_type.app_label}.{evidence.linked_type.model}")
    obj = evidence.linked
    return linkable.url(obj) if linkable and obj is not None else ""


# --- Home sections --------------------------------------------------------------------------------

def control_home(request: HttpRequest) -> dict:
    day = today()
    return {"overdue": overdue_tasks(day=day).count(), "next_due": next_due(day=day),
            "plans": list(Plan.objects.order_by("-year")[:3])}


def reminders_home(request: HttpRequest) -> dict:
    return {"reminders": list(Reminder.objects.filter(user=request.user, read_at__isnull=True)
                              .select_related("task__section")[:10])}
