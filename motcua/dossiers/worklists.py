"""Reads for processing (issue 6): work lists, who may act on a dossier, which moves the page offers,
the step that caused lateness and the control page's lists.

Work lists read open step runs (`finished_at IS NULL`): the one current step of each dossier,
ordered by the run's `list_due` — the step's due instant, or the dossier's appointment when the step
has no budget of its own — which the transitions keep on the run together with the dossier's clock
stop (`paused_since`). A person's list is the union of disjoint parts (assigned to them; unassigned
with one of their roles at their units), each read in `list_due` order from a partial index on open
runs, (assignee, list_due, id) or (unit, role, list_due, id): the page takes the first rows of each
part and merges them, then reads those rows' dossiers by primary key. The total and the late count
are one aggregate over the step-run table only.

Marks: late when the due instant has passed; due soon when the dossier passed its warning instant or
less than a quarter of the step's working-time budget is left; on time otherwise. A paused dossier
(waiting for a supplement) is judged at the instant its clock stopped.
"""

from __future__ import annotations

import datetime as dt
import heapq
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua import workdays
from motcua.dossiers.fees import fee_state_expressions
from motcua.dossiers.models import Apology, Consultation, Dossier, Status, StepResult, StepRun
from motcua.dossiers.selectors import dossier_for, dossiers_visible_to
from motcua.dossiers.transitions import IllegalMove, deciding_step, process_steps, schedule_of
from motcua.org.models import Role, RoleAssignment, Unit, User
from motcua.org.selectors import Grant, grants_of, roles_of, today, visible_units

WORK_ROLES = frozenset({Role.SPECIALIST, Role.HEAD_OF_UNIT, Role.AGENCY_LEADER, Role.ONE_STOP_OFFICER})
SUPERVISING_ROLES = frozenset({Role.HEAD_OF_UNIT, Role.AGENCY_LEADER})
CONTROL_ROLES = frozenset({Role.CONTROL_OFFICER, Role.AGENCY_LEADER})
# Moves the one-stop officers of the desk may make whoever holds the step (brief of issue 6).
DESK_MOVES = frozenset({"receive_supplement", "return_result", "stop"})
WARN_SHARE = 0.25
SCAN_LIMIT = 2000  # rows classified in Python when filtering by "on time" / "due soon"


class Mark:
    OK = "ok"
    WARN = "warn"
    LATE = "late"

    LABELS = {"ok": _("Trong hạn"), "warn": _("Sắp đến hạn"), "late": _("Quá hạn")}


# -- who may act -------------------------------------------------------------------------------------


def _covers(grant: Grant, unit: Unit) -> bool:
    if grant.unit.pk == unit.pk:
        return True
    return grant.includes_subunits and unit.path.startswith(grant.unit.path)


def holds_step(user: User, run: StepRun) -> bool:
    """The step's assignee, or a holder of the step's role — or a unit head / agency leader — over its unit."""
    if not user.is_authenticated:
        return False
    if run.assignee_id == user.pk:
        return True
    return any(_covers(g, run.unit) for g in grants_of(user) if g.role == run.role or g.role in SUPERVISING_ROLES)


def supervises(user: User, unit: Unit) -> bool:
    return any(_covers(g, unit) for g in grants_of(user) if g.role in SUPERVISING_ROLES)


def at_desk(user: User, dossier: Dossier) -> bool:
    return any(_covers(g, dossier.desk) for g in grants_of(user) if g.role == Role.ONE_STOP_OFFICER)


def current_run(dossier: Dossier) -> StepRun | None:
    run = dossier.current_step
    return run if run is not None and run.finished_at is None else None


def may_act(user: User, dossier: Dossier, move: str | None = None) -> bool:
    """Whether the person may make `move` (any move when None) on the dossier. Others get 404."""
    if not user.is_authenticated:
        return False
    if move == "answer_consultation":
        return bool(consultations_for(user, dossier))
    run = current_run(dossier)
    if move == "assign":
        return run is not None and supervises(user, run.unit)
    if run is None:
        # Received, not yet handed on: the reception step is the desk's.
        if dossier.status == Status.RECEIVED or move in DESK_MOVES or move is None:
            return at_desk(user, dossier)
        return False
    if holds_step(user, run):
        return True
    return (move in DESK_MOVES or move is None) and at_desk(user, dossier)


def consultations_for(user: User, dossier: Dossier) -> list[Consultation]:
    """Open consultations of the dossier asked of a unit the person works in (they may answer)."""
    units = [g for g in grants_of(user) if g.role != Role.CITIZEN]
    return [c for c in dossier.consultations.filter(answered_at__isnull=True).select_related("unit")
            if any(_covers(g, c.unit) for g in units)]


def legal_moves(user: User, dossier: Dossier) -> list[str]:
    """The moves the page offers this person now: legal in the dossier's state and theirs to make.
    The transitions still guard every move; this only keeps the page to sensible choices."""
    status, run = dossier.status, current_run(dossier)
    candidates: list[str] = []
    if status in {Status.RECEIVED, Status.IN_PROGRESS}:
        candidates.append("hand_on")
    if status == Status.IN_PROGRESS and run is not None:
        if run.order > 1:
            candidates.append("return_to_step")
        if not dossier.outcome:
            candidates += ["request_supplement", "consult"]
            deciding = _deciding_order(dossier)
            if deciding is not None and run.order == deciding:
                candidates.append("decide")
        else:
            candidates.append("attach_result")
    if status == Status.SUPPLEMENT_REQUESTED:
        candidates.append("receive_supplement")
    if status in {Status.RECEIVED, Status.IN_PROGRESS, Status.SUPPLEMENT_REQUESTED}:
        if not dossier.outcome:
            candidates.append("stop")
        if dossier.due_at is not None:
            candidates.append("issue_apology")
        if run is not None:
            candidates.append("assign")
    if status == Status.RESOLVED:
        candidates.append("return_result")
    moves = [m for m in candidates if may_act(user, dossier, m)]
    if consultations_for(user, dossier):
        moves.append("answer_consultation")
    return moves


def _deciding_order(dossier: Dossier) -> int | None:
    try:
        step = deciding_step(process_steps(dossier))
    except IllegalMove:  # no internal process: nothing to decide here
        return None
    return step.order if step is not None else None


def people_of(unit: Unit, roles=None) -> QuerySet[User]:
    """Active people holding a current officer role in the unit (or, for a role, exactly that role)."""
    assignments = RoleAssignment.objects.active_on(today()).filter(unit=unit).exclude(role=Role.CITIZEN)
    if roles:
        assignments = assignments.filter(role__in=list(roles))
    return User.objects.filter(pk__in=assignments.values("user"), is_active=True).order_by("full_name")


def dossier_for_processing(user: User, code: str) -> Dossier | None:
    """The dossier if the person may see it: through its desk, agency or handling unit, or because it
    went through a step at one of their units (or assigned to them), or was sent to their unit for an opinion."""
    dossier = dossier_for(user, code)
    if dossier is not None or not user.is_authenticated:
        return dossier
    units = visible_units(user)
    touched = (Q(step_runs__assignee=user) | Q(step_runs__unit__in=units) | Q(consultations__unit__in=units))
    pk = Dossier.objects.filter(code=code).filter(touched).values_list("pk", flat=True).first()
    return dossier_for_pk(pk) if pk is not None else None


def dossier_for_pk(pk: int) -> Dossier:
    return Dossier.objects.select_related("version__procedure", "case", "desk", "agency", "applicant").get(pk=pk)


# -- marks ------------------------------------------------------------------------------------------


class _Schedules(dict):
    """Working schedules per desk, built once per list (each build reads the desk's closures)."""

    def of(self, dossier: Dossier) -> workdays.WorkSchedule:
        if dossier.desk_id not in self:
            self[dossier.desk_id] = schedule_of(dossier)
        return self[dossier.desk_id]


def mark_of(run: StepRun, dossier: Dossier, now: dt.datetime, schedules: _Schedules | None = None) -> str:
    instant = dossier.paused_since or now
    due = run.due_at or dossier.due_at
    if due is None:
        return Mark.OK
    if instant > due:
        return Mark.LATE
    if dossier.warn_at is not None and instant >= dossier.warn_at:
        return Mark.WARN
    if run.due_at is not None and run.budget_minutes:
        schedule = (_Schedules() if schedules is None else schedules).of(dossier)
        left = schedule.working_between(instant, run.due_at)
        if left < dt.timedelta(minutes=run.budget_minutes * WARN_SHARE):
            return Mark.WARN
    return Mark.OK


# -- work lists -------------------------------------------------------------------------------------


@dataclass
class WorkItem:
    run: StepRun
    dossier: Dossier
    due: dt.datetime | None
    mark: str

    @property
    def mark_label(self) -> str:
        return str(Mark.LABELS[self.mark])

    @property
    def paused(self) -> bool:
        return self.dossier.status == Status.SUPPLEMENT_REQUESTED


@dataclass
class WorkList:
    items: list[WorkItem]
    total: int
    counts: dict[str, int] = field(default_factory=dict)
    has_more: bool = False


def _unit_ids(units: QuerySet[Unit]) -> list[int]:
    return list(units.values_list("pk", flat=True))


def list_parts(user: User, *, scope: str = "mine") -> list[Q]:
    """The person's list as disjoint conditions on open runs, each served by one partial index.
    `mine`: assigned to them, or unassigned at a unit where they hold the step's role (one part per
    role). `unit`: every open step at the units they head or lead."""
    if not user.is_authenticated:
        return []
    if scope == "unit":
        ids: set[int] = set()
        for role in SUPERVISING_ROLES:
            ids.update(_unit_ids(visible_units(user, role=role)))
        return [Q(unit_id__in=sorted(ids))] if ids else []
    parts = [Q(assignee=user)]
    held = {g.role for g in grants_of(user) if g.role in WORK_ROLES}
    for role in sorted(held):
        ids_for_role = _unit_ids(visible_units(user, role=role))
        if ids_for_role:
            parts.append(Q(assignee__isnull=True, role=role, unit_id__in=ids_for_role))
    return parts


def _open_runs(parts: list[Q]) -> QuerySet[StepRun]:
    base = StepRun.objects.filter(finished_at__isnull=True)
    if not parts:
        return base.none()
    condition = Q()
    for part in parts:
        condition |= part
    return base.filter(condition)


def open_runs_for(user: User, *, scope: str = "mine") -> QuerySet[StepRun]:
    """Open step runs on the person's list (see `list_parts`)."""
    return _open_runs(list_parts(user, scope=scope))


def late_condition(now: dt.datetime) -> Q:
    """On open runs: past due now, or — paused — already past due when the clock stopped."""
    return Q(list_due__lt=now) & (Q(paused_since__isnull=True) | Q(list_due__lt=F("paused_since")))


LIST_ORDER = (F("list_due").asc(nulls_last=True), "id")
_SELECTED = ("dossier__version__procedure", "dossier__desk", "unit", "assignee")


def _with_fee_state(runs: QuerySet[StepRun]) -> QuerySet[StepRun]:
    """Paid / unpaid of each run's dossier, as two EXISTS columns of the page's own query (fees.py)."""
    return runs.annotate(**fee_state_expressions("dossier__"))


def _fee_state_on_dossier(run: StepRun) -> StepRun:
    run.dossier.fee_due, run.dossier.fee_paid = run.fee_due, run.fee_paid
    return run


def _first_runs(parts: list[Q], narrowed: Q, count: int) -> list[StepRun]:
    """The first `count` runs of the list in (list_due, id) order: the first `count` of each part from
    its index, merged, then read with their dossiers by primary key."""
    if count <= 0:
        return []
    heads = []
    for part in parts:
        rows = (StepRun.objects.filter(finished_at__isnull=True).filter(part).filter(narrowed)
                .order_by(*LIST_ORDER).values_list("list_due", "id")[:count])
        heads.append([(due is None, due, pk) for due, pk in rows])
    ids = [pk for _, _, pk in heapq.merge(*heads)][:count]
    by_id = _with_fee_state(StepRun.objects.select_related(*_SELECTED)).in_bulk(ids)
    return [_fee_state_on_dossier(by_id[pk]) for pk in ids]


def worklist(user: User, *, scope: str = "mine", procedure: str = "", field_id: int | None = None,
             mark: str = "", now: dt.datetime | None = None, limit: int = 50, offset: int = 0) -> WorkList:
    """The person's work list, sorted by due instant (earliest first), with marks and counts."""
    now = now or timezone.now()
    parts = list_parts(user, scope=scope)
    narrowed = Q()
    if procedure:
        narrowed &= Q(dossier__version__procedure__code=procedure)
    if field_id:
        narrowed &= Q(dossier__version__field_id=field_id)
    runs = _open_runs(parts).filter(narrowed)
    late_q = late_condition(now)
    counts = runs.aggregate(total=Count("id"), late=Count("id", filter=late_q))
    total, late = counts["total"], counts["late"]
    schedules = _Schedules()
    if mark == Mark.LATE:
        page = _first_runs(parts, narrowed & late_q, offset + limit + 1)[offset:]
        items = [WorkItem(r, r.dossier, r.list_due, Mark.LATE) for r in page]
    elif mark in {Mark.OK, Mark.WARN}:
        items = []
        skipped = 0
        ordered = runs.exclude(late_q).select_related(*_SELECTED).order_by(*LIST_ORDER)
        for r in ordered[:SCAN_LIMIT]:
            m = mark_of(r, r.dossier, now, schedules)
            if m != mark:
                continue
            if skipped < offset:
                skipped += 1
                continue
            items.append(WorkItem(r, r.dossier, r.list_due, m))
            if len(items) > limit:
                break
        # paid / unpaid for the page only (the scan classifies up to SCAN_LIMIT rows): one query by primary key
        states = {pk: (due, paid) for pk, due, paid in _with_fee_state(StepRun.objects.filter(
            pk__in=[i.run.pk for i in items[:limit]])).values_list("pk", "fee_due", "fee_paid")}
        for item in items:
            item.dossier.fee_due, item.dossier.fee_paid = states.get(item.run.pk, (False, False))
    else:
        page = _first_runs(parts, narrowed, offset + limit + 1)[offset:]
        items = [WorkItem(r, r.dossier, r.list_due, mark_of(r, r.dossier, now, schedules)) for r in page]
    has_more = len(items) > limit
    items = items[:limit]
    return WorkList(items=items, total=total, counts={"late": late, "open": total - late}, has_more=has_more)


def summary(user: User, *, now: dt.datetime | None = None, top: int = 5) -> dict:
    """For the home page: the first items of the person's list and how many are on time / due soon / late.
    'Due soon' is counted among the first `SCAN_LIMIT` open rows (the list is sorted by due)."""
    now = now or timezone.now()
    listing = worklist(user, now=now, limit=top)
    runs = open_runs_for(user)
    warn = ok = 0
    schedules = _Schedules()
    not_late = runs.exclude(late_condition(now)).select_related("dossier").order_by(*LIST_ORDER)[:SCAN_LIMIT]
    for r in not_late:
        if mark_of(r, r.dossier, now, schedules) == Mark.WARN:
            warn += 1
        else:
            ok += 1
    return {"items": listing.items, "total": listing.total, "late": listing.counts["late"], "warn": warn, "ok": ok}


# -- the process control slip ------------------------------------------------------------------------


@dataclass(frozen=True)
class LateCause:
    run: StepRun
    overrun: dt.timedelta  # working time past the step's due instant


def late_cause(dossier: Dossier, *, now: dt.datetime | None = None) -> LateCause | None:
    """The step that caused lateness: among the runs marked late (and an open run already past its due),
    the one with the largest overrun in working time."""
    now = now or timezone.now()
    schedule = None
    best: LateCause | None = None
    for run in dossier.step_runs.select_related("unit", "assignee", "finished_by").order_by("received_at", "id"):
        if run.due_at is None:
            continue
        if run.finished_at is not None and run.result != StepResult.LATE:
            continue
        end = run.finished_at or (dossier.paused_since or now)
        if end <= run.due_at:
            continue
        schedule = schedule or schedule_of(dossier)
        overrun = schedule.working_between(run.due_at, end)
        if best is None or overrun > best.overrun:
            best = LateCause(run, overrun)
    return best


# -- control page ------------------------------------------------------------------------------------

RUNNING = (Status.RECEIVED, Status.IN_PROGRESS)


def may_control(user: User) -> bool:
    return bool(roles_of(user) & (CONTROL_ROLES | {Role.SYSTEM_ADMIN}))


def late_without_apology(user: User, *, now: dt.datetime | None = None) -> QuerySet[Dossier]:
    """Open dossiers past their appointment that have no apology."""
    now = now or timezone.now()
    apologies = Apology.objects.filter(dossier=OuterRef("pk"))
    return (dossiers_visible_to(user).filter(status__in=RUNNING, due_at__lt=now).filter(~Exists(apologies))
            .select_related("version__procedure", "current_step__unit", "current_step__assignee").order_by("due_at"))


def at_warning(user: User, *, now: dt.datetime | None = None) -> QuerySet[Dossier]:
    """Open dossiers past their warning instant and not yet late."""
    now = now or timezone.now()
    return (dossiers_visible_to(user).filter(status__in=RUNNING, warn_at__lte=now, due_at__gte=now)
            .select_related("version__procedure", "current_step__unit", "current_step__assignee").order_by("due_at"))


def apologies_visible_to(user: User) -> QuerySet[Apology]:
    return (Apology.objects.filter(dossier__in=dossiers_visible_to(user).values("pk"))
            .select_related("dossier", "caused_by", "issued_by").order_by("-issued_at"))


def apologies_per_unit(user: User) -> list[dict]:
    """[{unit, count}] — how many apologies each causing unit is behind, most first."""
    rows = (apologies_visible_to(user).order_by().values("caused_by").annotate(n=Count("pk")).order_by("-n"))
    units = Unit.objects.in_bulk([r["caused_by"] for r in rows if r["caused_by"]])
    return [{"unit": units.get(r["caused_by"]), "count": r["n"]} for r in rows]


