"""The dossier state machine after intake: one function per legal move, each guarding its source
state, writing the new state, its history row (`DossierEvent`) and an audit entry in one transaction.

A move that is not legal raises `IllegalMove` with a Vietnamese reason and changes nothing (the API
answers 409). Deadlines come from `workdays` only. Side effects (mail, SMS) listen to the
`dossier_moved` signal, which is sent after commit.

Clock rules (DOMAIN A.1): a supplement request during processing pauses the clock; when the complete
supplement arrives, the working time spent waiting is added to the dossier's due instant, its
warning instant and the current step's due (the "resume" rule, the national portal's default).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

import django.dispatch
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua import workdays
from motcua.catalog.models import Step, TimeUnit
from motcua.dossiers.codes import next_number
from motcua.dossiers.models import (
    Apology,
    Consultation,
    Dossier,
    DossierEvent,
    Outcome,
    ResultDocument,
    ReturnChannel,
    Status,
    StepResult,
    StepRun,
    SupplementRound,
)
from motcua.lib.formats import vn_date
from motcua.lib.text import nfc
from motcua.org.audit import plain_json, record_audit
from motcua.org.calendar import schedule_for_unit
from motcua.org.models import Role, Unit, User

# Sent after commit with `event=DossierEvent`; notifications and sync listen to it.
dossier_moved = django.dispatch.Signal()

OPEN = {Status.RECEIVED, Status.IN_PROGRESS, Status.SUPPLEMENT_REQUESTED}
DECIDING_ROLES = {Role.AGENCY_LEADER, Role.HEAD_OF_UNIT}


class IllegalMove(Exception):
    """The move is not allowed in the dossier's present state; nothing was changed."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


def max_apologies() -> int:
    return int(getattr(settings, "DOSSIER_MAX_APOLOGIES", 1))


def schedule_of(dossier: Dossier) -> workdays.WorkSchedule:
    return schedule_for_unit(dossier.desk)


def step_minutes(step: Step, time_unit: str) -> int:
    minutes_per_unit = 60 if time_unit == TimeUnit.HOURS else workdays.MINUTES_PER_WORKING_DAY
    return int(Decimal(step.budget) * minutes_per_unit)


def process_steps(dossier: Dossier) -> list[Step]:
    """The steps of the case's internal process, in order (one query). No process (or an empty one):
    nothing to hand on to."""
    steps = list(Step.objects.filter(process__case_id=dossier.case_id).select_related("unit").order_by("order"))
    if not steps:
        raise IllegalMove(_("Thủ tục chưa có quy trình nội bộ: không thể chuyển xử lý."))
    return steps


def _lock(dossier: Dossier) -> Dossier:
    # `of=("self",)`: PostgreSQL refuses FOR UPDATE on the nullable side of the outer join to current_step.
    return (Dossier.objects.select_for_update(of=("self",)).select_related("case", "desk", "current_step")
            .get(pk=dossier.pk))


AGENCY_KINDS = frozenset({Unit.Kind.AGENCY, Unit.Kind.SERVICE_CENTRE, Unit.Kind.COMMUNE, Unit.Kind.PROVINCE})


def _agency_ids(*units: Unit) -> list[int]:
    """`unit.agency().pk` for each unit, with one query for all their ancestors (read from the paths)."""
    chains = [[int(part) for part in unit.path.split("/") if part] or [unit.pk] for unit in units]
    kinds = dict(Unit.objects.filter(pk__in={pk for chain in chains for pk in chain}).order_by()
                 .values_list("pk", "kind"))
    found = []
    for unit, chain in zip(units, chains, strict=True):
        ids = [unit.pk] + [pk for pk in reversed(chain) if pk != unit.pk]
        found.append(next((pk for pk in ids if kinds.get(pk) in AGENCY_KINDS), unit.pk))
    return found


def _crosses_agency(previous: StepRun | None, run: StepRun, steps: list[Step]) -> bool:
    """Inter-agency (liên thông): between processing agencies; the one-stop desk's handovers are not.
    The units are the process steps' (already read) unless the process changed under the run."""
    if previous is None or previous.unit_id == run.unit_id:
        return False
    units = {step.unit_id: step.unit for step in steps}
    before_unit = units.get(previous.unit_id) or previous.unit
    if Unit.Kind.ONE_STOP in {before_unit.kind, run.unit.kind}:
        return False
    before, after = _agency_ids(before_unit, run.unit)
    return before != after


def _now(at: dt.datetime | None) -> dt.datetime:
    return at or timezone.now()


def _actor(user: User | None) -> User | None:
    return user if user is not None and user.is_authenticated else None


def _record(dossier: Dossier, *, action: str, from_status: str, actor: User | None, at: dt.datetime,
            note: str = "", data: dict | None = None, ip: str | None = None) -> DossierEvent:
    data = plain_json(data or {})
    event = DossierEvent.objects.create(dossier=dossier, at=at, actor=_actor(actor), action=action,
                                        from_status=from_status, to_status=dossier.status, note=note, data=data)
    record_audit(action=f"dossier.{action}", obj=dossier, actor=actor, ip=ip,
                 before={"status": from_status}, after={"status": dossier.status, **data}, note=note)
    transaction.on_commit(lambda: dossier_moved.send(sender=Dossier, event=event))
    return event


def _guard(condition: bool, message: str) -> None:
    if not condition:
        raise IllegalMove(message)


def _guard_status(dossier: Dossier, allowed: set[str], move: str) -> None:
    _guard(dossier.status in allowed,
           _("Không thể %(move)s: hồ sơ đang ở trạng thái “%(status)s”.")
           % {"move": move, "status": Status(dossier.status).label})


def _start_run(dossier: Dossier, step: Step, *, at: dt.datetime, handed_by: User | None,
               assignee: User | None = None, kind: str = StepRun.Kind.PROCESS, note: str = "",
               schedule: workdays.WorkSchedule | None = None) -> StepRun:
    """Open a run of `step` at `at`; its due instant when the step has a counted budget."""
    minutes = step_minutes(step, dossier.case.time_unit)
    due = None
    if minutes and step.counted:
        schedule = schedule or schedule_of(dossier)
        due = schedule.add_working(schedule.clock_start(at), minutes, unit="minutes")
    run = StepRun.objects.create(
        dossier=dossier, step=step, kind=kind, order=step.order, description=step.description, unit=step.unit,
        role=step.role, assignee=assignee, budget_minutes=minutes, counted=step.counted, received_at=at,
        handed_by=_actor(handed_by), due_at=due, list_due=due or dossier.due_at, paused_since=dossier.paused_since,
        note=note)
    dossier.current_step = run
    return run


def _sync_open_run(dossier: Dossier) -> None:
    """Keep the open run's copy of the dossier's appointment and clock stop (what the work list reads)."""
    run = dossier.current_step
    if run is None or run.finished_at is not None:
        return
    list_due = run.due_at or dossier.due_at
    if (run.list_due, run.paused_since) != (list_due, dossier.paused_since):
        run.list_due, run.paused_since = list_due, dossier.paused_since
        run.save(update_fields=["due_at", "list_due", "paused_since"])


def step_result(finished_at: dt.datetime, due_at: dt.datetime | None) -> str:
    """Early / on time / late for one handoff, at date granularity as the slip reads (DOMAIN A.1)."""
    if due_at is None:
        return StepResult.ON_TIME
    finished_day, due_day = timezone.localtime(finished_at).date(), timezone.localtime(due_at).date()
    if finished_at > due_at and finished_day > due_day:
        return StepResult.LATE
    return StepResult.EARLY if finished_day < due_day else StepResult.ON_TIME


def _finish_run(run: StepRun | None, *, at: dt.datetime, by: User | None, note: str = "") -> None:
    if run is None or run.finished_at is not None:
        return
    run.finished_at = at
    run.finished_by = _actor(by)
    run.result = step_result(at, run.due_at)
    if note:
        run.note = f"{run.note}\n{note}".strip()
    run.save(update_fields=["finished_at", "finished_by", "result", "note"])


def _next_step(dossier: Dossier, steps: list[Step]) -> Step | None:
    current = dossier.current_step
    if current is None:
        return steps[0] if steps else None
    later = [s for s in steps if s.order > current.order]
    return later[0] if later else None


def deciding_step(steps: list[Step]) -> Step | None:
    """The step where the dossier is approved or refused: the last leader's or unit head's step,
    or else the last counted step."""
    leaders = [s for s in steps if s.role in DECIDING_ROLES]
    if leaders:
        return leaders[-1]
    counted = [s for s in steps if s.counted]
    return counted[-1] if counted else None


def _is_return_step(step: Step, steps: list[Step]) -> bool:
    return step is steps[-1] and step.role == Role.ONE_STOP_OFFICER and len(steps) > 1


@transaction.atomic
def hand_on(*, dossier: Dossier, acting_user: User | None, at: dt.datetime | None = None,
            assignee: User | None = None, note: str = "", ip: str | None = None) -> Dossier:
    """Hand the dossier on to the next step of its internal process (chuyển xử lý).

    From RECEIVED the reception step is closed at this instant and the next one begins. Moving into
    the final return step at the one-stop desk hands the result over: the dossier is then RESOLVED."""
    dossier = _lock(dossier)
    at = _now(at)
    _guard_status(dossier, {Status.RECEIVED, Status.IN_PROGRESS}, _("chuyển bước"))
    steps = process_steps(dossier)
    from_status = dossier.status
    schedule = None
    if dossier.status == Status.RECEIVED and dossier.current_step is None:
        first = steps[0]
        schedule = schedule_of(dossier)
        _start_run(dossier, first, at=dossier.received_at, handed_by=None, assignee=dossier.received_by,
                   schedule=schedule)
    nxt = _next_step(dossier, steps)
    _guard(nxt is not None, _("Hồ sơ đã ở bước cuối của quy trình."))
    deciding = deciding_step(steps)
    _guard(dossier.current_step is None or deciding is None or dossier.current_step.order != deciding.order
           or bool(dossier.outcome),
           _("Chưa có quyết định giải quyết (phê duyệt hoặc từ chối) ở bước “%(step)s”: không chuyển tiếp được.")
           % {"step": deciding.description if deciding else ""})
    into_return = _is_return_step(nxt, steps)
    if into_return:
        _guard(bool(dossier.outcome), _("Chưa có quyết định giải quyết: không thể chuyển kết quả về Bộ phận Một cửa."))
        _guard(dossier.outcome == Outcome.REFUSED or dossier.results.exists(),
               _("Chưa đính kèm kết quả giải quyết đã ký: không thể chuyển kết quả về Bộ phận Một cửa."))
    previous = dossier.current_step
    _finish_run(previous, at=at, by=acting_user, note=note)
    run = _start_run(dossier, nxt, at=at, handed_by=acting_user, assignee=assignee, schedule=schedule)
    crosses_agency = _crosses_agency(previous, run, steps)
    if into_return:
        dossier.status = Status.RESOLVED
        dossier.resolved_at = at
    else:
        dossier.status = Status.IN_PROGRESS
    dossier.save(update_fields=["status", "current_step", "resolved_at"])
    action = "hand_to_desk" if into_return else ("transfer_agency" if crosses_agency else "hand_on")
    _record(dossier, action=action, from_status=from_status, actor=acting_user, at=at, note=note, ip=ip,
            data={"step": run.order, "unit": run.unit_id, "assignee": run.assignee_id,
                  "previous_result": previous.result if previous else ""})
    return dossier


@transaction.atomic
def assign(*, dossier: Dossier, assignee: User, acting_user: User | None, at: dt.datetime | None = None,
           ip: str | None = None) -> Dossier:
    """A unit head (re)assigns the current step to a person."""
    dossier = _lock(dossier)
    _guard_status(dossier, OPEN, _("phân công"))
    run = dossier.current_step
    _guard(run is not None and run.finished_at is None, _("Hồ sơ chưa được chuyển tới bước xử lý nào."))
    run.assignee = assignee
    run.save(update_fields=["assignee"])
    _record(dossier, action="assign", from_status=dossier.status, actor=acting_user, at=_now(at), ip=ip,
            data={"step": run.order, "assignee": assignee.pk})
    return dossier


@transaction.atomic
def return_to_step(*, dossier: Dossier, to_order: int, reason: str, acting_user: User | None,
                   at: dt.datetime | None = None, ip: str | None = None) -> Dossier:
    """Send the dossier back to an earlier step, with a reason (trả lại)."""
    dossier = _lock(dossier)
    at = _now(at)
    reason = nfc(reason)
    _guard_status(dossier, {Status.IN_PROGRESS}, _("trả lại bước trước"))
    _guard(bool(reason), _("Cần nêu lý do trả lại."))
    current = dossier.current_step
    _guard(current is not None and to_order < current.order,
           _("Chỉ trả lại được về một bước trước bước hiện tại."))
    target = next((s for s in process_steps(dossier) if s.order == to_order), None)
    _guard(target is not None, _("Bước %(order)s không có trong quy trình.") % {"order": to_order})
    _finish_run(current, at=at, by=acting_user, note=reason)
    _start_run(dossier, target, at=at, handed_by=acting_user, kind=StepRun.Kind.RETURNED, note=reason)
    dossier.save(update_fields=["current_step"])
    _record(dossier, action="return_to_step", from_status=dossier.status, actor=acting_user, at=at, note=reason,
            ip=ip, data={"step": to_order})
    return dossier


@transaction.atomic
def request_supplement(*, dossier: Dossier, items: list[dict], reason: str, acting_user: User | None,
                       at: dt.datetime | None = None, ip: str | None = None) -> SupplementRound:
    """Ask the applicant for a supplement during processing: the clock pauses (DOMAIN A.1, B.1.5).
    A second request is allowed but recorded as such: the national portal counts that dossier late."""
    dossier = _lock(dossier)
    at = _now(at)
    _guard_status(dossier, {Status.IN_PROGRESS}, _("yêu cầu bổ sung"))
    _guard(not dossier.outcome, _("Hồ sơ đã có quyết định giải quyết: không yêu cầu bổ sung được nữa."))
    items = [{"name": nfc(i.get("name", "")), "reason": nfc(i.get("reason", ""))} for i in items
             if nfc(i.get("name", ""))]
    _guard(bool(items), _("Phiếu yêu cầu bổ sung cần liệt kê ít nhất một giấy tờ."))
    day = timezone.localtime(at).date()
    seq = next_number(dossier.agency, day, series="PBSXL")
    round_ = SupplementRound.objects.create(
        dossier=dossier, number=f"{seq:03d}/PBS-{dossier.agency.code}-{day:%y%m%d}", requested_at=at,
        requested_by=_actor(acting_user), items=items, reason=nfc(reason),
        repeated=dossier.supplements.exists())
    from_status = dossier.status
    dossier.status = Status.SUPPLEMENT_REQUESTED
    dossier.paused_since = at
    dossier.save(update_fields=["status", "paused_since"])
    _sync_open_run(dossier)
    _record(dossier, action="request_supplement", from_status=from_status, actor=acting_user, at=at, ip=ip,
            note=round_.reason, data={"number": round_.number, "items": items, "repeated": round_.repeated})
    return round_


@transaction.atomic
def receive_supplement(*, dossier: Dossier, acting_user: User | None, at: dt.datetime | None = None,
                       ip: str | None = None) -> Dossier:
    """The complete supplement arrived: the clock resumes with the time that was left."""
    dossier = _lock(dossier)
    at = _now(at)
    _guard_status(dossier, {Status.SUPPLEMENT_REQUESTED}, _("nhận bổ sung"))
    round_ = dossier.supplements.filter(received_at__isnull=True).order_by("-requested_at").first()
    _guard(round_ is not None and at >= round_.requested_at, _("Thời điểm nhận bổ sung phải sau thời điểm yêu cầu."))
    schedule = schedule_of(dossier)
    paused = max(schedule.working_between(round_.requested_at, at), dt.timedelta(0))

    def extend(instant: dt.datetime | None) -> dt.datetime | None:
        # Time spent waiting counts only if the instant was still ahead when the clock stopped.
        if instant is None or instant <= round_.requested_at or not paused:
            return instant
        return schedule.add_working(instant, paused)

    round_.received_at = at
    round_.received_by = _actor(acting_user)
    round_.save(update_fields=["received_at", "received_by"])
    previous_due = dossier.due_at
    dossier.due_at = extend(dossier.due_at)
    dossier.warn_at = extend(dossier.warn_at)
    run = dossier.current_step
    if run is not None and run.finished_at is None:
        run.due_at = extend(run.due_at)
    from_status = dossier.status
    dossier.status = Status.IN_PROGRESS
    dossier.paused_since = None
    dossier.save(update_fields=["status", "paused_since", "due_at", "warn_at"])
    _sync_open_run(dossier)
    _record(dossier, action="receive_supplement", from_status=from_status, actor=acting_user, at=at, ip=ip,
            data={"number": round_.number, "paused_minutes": int(paused.total_seconds() // 60),
                  "previous_due_at": previous_due, "due_at": dossier.due_at})
    return dossier


@transaction.atomic
def consult(*, dossier: Dossier, unit: Unit, question: str, acting_user: User | None,
            at: dt.datetime | None = None, ip: str | None = None) -> Consultation:
    """Ask another unit or agency for its opinion (lấy ý kiến phối hợp, liên thông)."""
    dossier = _lock(dossier)
    at = _now(at)
    _guard_status(dossier, {Status.IN_PROGRESS}, _("lấy ý kiến"))
    question = nfc(question)
    _guard(bool(question), _("Cần nêu nội dung xin ý kiến."))
    consultation = Consultation.objects.create(dossier=dossier, unit=unit, question=question, asked_at=at,
                                               asked_by=_actor(acting_user))
    _record(dossier, action="consult", from_status=dossier.status, actor=acting_user, at=at, ip=ip,
            note=question, data={"unit": unit.pk, "consultation": consultation.pk})
    return consultation


@transaction.atomic
def answer_consultation(*, consultation: Consultation, answer: str, acting_user: User | None,
                        at: dt.datetime | None = None, ip: str | None = None) -> Consultation:
    dossier = _lock(consultation.dossier)
    at = _now(at)
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    _guard(consultation.answered_at is None, _("Ý kiến này đã được trả lời."))
    answer = nfc(answer)
    _guard(bool(answer), _("Cần nhập nội dung trả lời."))
    consultation.answer = answer
    consultation.answered_at = at
    consultation.answered_by = _actor(acting_user)
    consultation.save(update_fields=["answer", "answered_at", "answered_by"])
    _record(dossier, action="answer_consultation", from_status=dossier.status, actor=acting_user, at=at, ip=ip,
            note=answer, data={"unit": consultation.unit_id, "consultation": consultation.pk})
    return consultation


@transaction.atomic
def decide(*, dossier: Dossier, approve: bool, reason: str = "", acting_user: User | None,
           at: dt.datetime | None = None, ip: str | None = None) -> Dossier:
    """Approve or refuse (with reason) at the deciding step (see `deciding_step`)."""
    dossier = _lock(dossier)
    at = _now(at)
    _guard_status(dossier, {Status.IN_PROGRESS}, _("quyết định giải quyết"))
    _guard(not dossier.outcome, _("Hồ sơ đã có quyết định giải quyết."))
    run = dossier.current_step
    deciding = deciding_step(process_steps(dossier))
    _guard(run is not None and deciding is not None and run.order == deciding.order,
           _("Chỉ quyết định giải quyết ở bước phê duyệt: “%(step)s”.")
           % {"step": deciding.description if deciding else "—"})
    reason = nfc(reason)
    _guard(approve or bool(reason), _("Từ chối giải quyết cần nêu rõ lý do."))
    dossier.outcome = Outcome.APPROVED if approve else Outcome.REFUSED
    dossier.outcome_reason = reason
    dossier.save(update_fields=["outcome", "outcome_reason"])
    _record(dossier, action="decide", from_status=dossier.status, actor=acting_user, at=at, ip=ip, note=reason,
            data={"outcome": dossier.outcome})
    return dossier


@transaction.atomic
def attach_result(*, dossier: Dossier, name: str, content: bytes, filename: str, content_type: str,
                  number: str = "", signed_on: dt.date | None = None, signer: str = "",
                  valid_until: dt.date | None = None, acting_user: User | None, at: dt.datetime | None = None,
                  ip: str | None = None) -> ResultDocument:
    """Attach the signed result (digitized: file + metadata). Only after the decision."""
    dossier = _lock(dossier)
    at = _now(at)
    _guard_status(dossier, {Status.IN_PROGRESS}, _("đính kèm kết quả"))
    _guard(bool(dossier.outcome), _("Chưa có quyết định giải quyết: chưa đính kèm kết quả được."))
    _guard(bool(content), _("Tệp kết quả rỗng."))
    document = ResultDocument(dossier=dossier, name=nfc(name), number=nfc(number), signed_on=signed_on,
                              signer=nfc(signer), valid_until=valid_until, content_type=content_type,
                              size=len(content), sha256=hashlib.sha256(content).hexdigest(), uploaded_at=at,
                              uploaded_by=_actor(acting_user))
    document.file.save(filename, ContentFile(content), save=False)
    document.save()
    _record(dossier, action="attach_result", from_status=dossier.status, actor=acting_user, at=at, ip=ip,
            data={"result": document.pk, "name": document.name, "number": document.number})
    return document


@transaction.atomic
def stop(*, dossier: Dossier, reason: str, withdrawal: bool = False, acting_user: User | None,
         at: dt.datetime | None = None, ip: str | None = None) -> Dossier:
    """Stop handling at the applicant's request (ND 118 Art. 21; the stop notice of TT 03/2025):
    only while no decision or result has been issued."""
    dossier = _lock(dossier)
    at = _now(at)
    _guard_status(dossier, OPEN, _("dừng giải quyết"))
    _guard(not dossier.outcome, _("Đã có quyết định giải quyết: không dừng được nữa."))
    reason = nfc(reason)
    _guard(bool(reason), _("Cần nêu lý do dừng giải quyết."))
    open_round = dossier.supplements.filter(received_at__isnull=True).first()
    if open_round is not None:
        open_round.received_at = at
        open_round.save(update_fields=["received_at"])
    _finish_run(dossier.current_step, at=at, by=acting_user, note=reason)
    from_status = dossier.status
    dossier.status = Status.STOPPED
    dossier.paused_since = None
    dossier.save(update_fields=["status", "paused_since"])
    _record(dossier, action="withdraw" if withdrawal else "stop", from_status=from_status, actor=acting_user,
            at=at, ip=ip, note=reason)
    return dossier


def return_handed_on_errors(dossier: Dossier, day: dt.date, *, today: dt.date | None = None) -> list[str]:
    """Why `day` cannot be the day the result was handed to the post: not in the future, not before the
    dossier was received nor before its result was issued (`resolved_at`), days in Vietnam time."""
    today = today or timezone.localdate()
    errors = []
    if day > today:
        errors.append(_("Ngày giao bưu điện không thể sau ngày hôm nay (%(today)s).")
                      % {"today": vn_date(today)})
    if dossier.received_at is not None and day < timezone.localdate(dossier.received_at):
        errors.append(_("Ngày giao bưu điện không thể trước ngày tiếp nhận hồ sơ (%(day)s).")
                      % {"day": vn_date(timezone.localdate(dossier.received_at))})
    elif dossier.resolved_at is not None and day < timezone.localdate(dossier.resolved_at):
        errors.append(_("Ngày giao bưu điện không thể trước ngày có kết quả (%(day)s).")
                      % {"day": vn_date(timezone.localdate(dossier.resolved_at))})
    return errors


@transaction.atomic
def return_result(*, dossier: Dossier, channel: str, returned_to: str = "", waybill: str = "",
                  handed_on: dt.date | None = None, acting_user: User | None, at: dt.datetime | None = None,
                  ip: str | None = None) -> Dossier:
    """Give the result to the applicant: at the counter (who received it), by post (waybill and the day it
    was handed to the post — the day of the move when not given) or online."""
    dossier = _lock(dossier)
    at = _now(at)
    _guard_status(dossier, {Status.RESOLVED}, _("trả kết quả"))
    _guard(channel in ReturnChannel.values, _("Hình thức trả kết quả không hợp lệ."))
    _guard(channel != ReturnChannel.COUNTER or bool(nfc(returned_to)), _("Cần ghi tên người nhận kết quả."))
    _guard(channel != ReturnChannel.POSTAL or bool(nfc(waybill)), _("Trả qua bưu chính cần mã vận đơn."))
    if channel == ReturnChannel.POSTAL:
        handed_on = handed_on or timezone.localdate(at)
        problems = return_handed_on_errors(dossier, handed_on, today=max(timezone.localdate(), timezone.localdate(at)))
        _guard(not problems, " ".join(str(p) for p in problems))
    else:
        handed_on = None
    _finish_run(dossier.current_step, at=at, by=acting_user)
    from_status = dossier.status
    dossier.status = Status.RETURNED
    dossier.returned_at = at
    dossier.return_channel = channel
    dossier.returned_to = nfc(returned_to)
    dossier.return_waybill = nfc(waybill)
    dossier.return_handed_on = handed_on
    dossier.save(update_fields=["status", "returned_at", "return_channel", "returned_to", "return_waybill",
                                "return_handed_on"])
    _record(dossier, action="return_result", from_status=from_status, actor=acting_user, at=at, ip=ip,
            data={"channel": channel, "returned_to": dossier.returned_to, "waybill": dossier.return_waybill,
                  "handed_on": handed_on.isoformat() if handed_on else None})
    return dossier


@transaction.atomic
def issue_apology(*, dossier: Dossier, new_due_at: dt.datetime, reason: str, caused_by: Unit | None = None,
                  acting_user: User | None, at: dt.datetime | None = None, ip: str | None = None) -> Apology:
    """The apology with a new appointment (DOMAIN A.1, B.1.6): at least one working day before the due
    instant, a later appointment, at most `DOSSIER_MAX_APOLOGIES` times (default once)."""
    dossier = _lock(dossier)
    at = _now(at)
    _guard_status(dossier, OPEN, _("xin lỗi, hẹn lại"))
    reason = nfc(reason)
    _guard(bool(reason), _("Cần nêu lý do chậm trả kết quả."))
    _guard(dossier.apologies.count() < max_apologies(),
           _("Hồ sơ đã được hẹn lại %(n)s lần: không hẹn lại thêm được.") % {"n": dossier.apologies.count()})
    schedule = schedule_of(dossier)
    _guard(schedule.working_between(at, dossier.due_at) >= workdays.working_days(1),
           _("Văn bản xin lỗi phải phát hành trước hạn trả ít nhất 1 ngày làm việc (hạn: %(due)s).")
           % {"due": timezone.localtime(dossier.due_at).strftime("%H:%M %d/%m/%Y")})
    _guard(new_due_at > dossier.due_at, _("Ngày hẹn mới phải sau ngày hẹn cũ."))
    day = timezone.localtime(at).date()
    seq = next_number(dossier.agency, day, series="PXL")
    apology = Apology.objects.create(
        dossier=dossier, number=f"{seq:03d}/PXL-{dossier.agency.code}-{day:%y%m%d}", issued_at=at,
        issued_by=_actor(acting_user), previous_due_at=dossier.due_at, new_due_at=new_due_at, reason=reason,
        caused_by=caused_by or (dossier.current_step.unit if dossier.current_step else None))
    if dossier.original_due_at is None:
        dossier.original_due_at = dossier.due_at
    dossier.due_at = new_due_at
    dossier.save(update_fields=["due_at", "original_due_at"])
    _sync_open_run(dossier)
    _record(dossier, action="apology", from_status=dossier.status, actor=acting_user, at=at, ip=ip, note=reason,
            data={"number": apology.number, "previous_due_at": apology.previous_due_at, "new_due_at": new_due_at})
    return apology


# The legal moves by name, for the API (`POST /dossiers/{code}/moves`) and the work-list forms.
MOVES = {
    "hand_on": hand_on,
    "assign": assign,
    "return_to_step": return_to_step,
    "request_supplement": request_supplement,
    "receive_supplement": receive_supplement,
    "consult": consult,
    "decide": decide,
    "attach_result": attach_result,
    "stop": stop,
    "return_result": return_result,
    "issue_apology": issue_apology,
}
