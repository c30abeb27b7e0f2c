"""Writes on plans. Each action is one transaction with its audit entry (and a task history row)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.lib.text import nfc
from motcua.org.audit import record_audit
from motcua.org.models import Unit, User
from motcua.plans.importer import (
    DATES,
    ERROR,
    UNIT,
    ParsedPlan,
    Problem,
    UnitMatcher,
    UnitRef,
    extract_targets,
    find_agency,
    unit_problems,
)
from motcua.plans.models import (
    Comment,
    Evidence,
    Finding,
    Inspection,
    Plan,
    PlanTarget,
    Recommendation,
    Reminder,
    Section,
    SelfInspectionReport,
    Task,
    TaskEvent,
    TaskInstance,
    TaskStatus,
    TaskUnit,
)
from motcua.plans.timeframes import report_periods


class PlanError(ValueError):
    """A refused action, with a Vietnamese message for the person."""


class PlanImportError(PlanError):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(p.as_text() for p in problems))


# --- Import ---------------------------------------------------------------------------------------

def _unit_refs() -> list[UnitRef]:
    return [UnitRef(u.code, u.name, u.short_name, u.kind, u.path)
            for u in Unit.objects.filter(is_active=True).order_by("path")]


@dataclass
class ImportCheck:
    agency: Unit | None
    matcher: UnitMatcher
    problems: list[Problem]

    def blocking(self, *, confirm_units: bool) -> list[Problem]:
        return [p for p in self.problems if p.kind == ERROR or (p.kind == UNIT and not confirm_units)]


def check_import(parsed: ParsedPlan, *, issuing_unit: Unit | None = None) -> ImportCheck:
    """Every problem of a parsed plan against the organisation: the parse's own, unknown units, a missing
    issuing agency, a plan already there for the year."""
    refs = _unit_refs()
    problems = list(parsed.problems)
    agency_ref = None
    if issuing_unit is not None:
        agency_ref = next((r for r in refs if r.code == issuing_unit.code), None)
    else:
        agency_ref = find_agency(refs, parsed.header.issuer_name)
        if agency_ref is None:
            problems.append(Problem("", f"Không xác định được cơ quan ban hành kế hoạch "
                                        f"(“{parsed.header.issuer_name or parsed.header.issuer_title}”): "
                                        "chọn đơn vị (--unit MÃ_ĐỊNH_DANH)."))
    agency = Unit.objects.filter(code=agency_ref.code).first() if agency_ref else None
    matcher = UnitMatcher(refs, agency=agency_ref)
    problems += unit_problems(parsed, matcher)
    if agency is not None and Plan.objects.filter(issuing_unit=agency, year=parsed.year).exists():
        problems.append(Problem("", f"{agency.name} đã có kế hoạch năm {parsed.year} trong hệ thống."))
    return ImportCheck(agency, matcher, problems)


@transaction.atomic
def import_plan(*, parsed: ParsedPlan, source_name: str, acting_user: User | None,
                issuing_unit: Unit | None = None, confirm_units: bool = False) -> Plan:
    """Save a parsed plan: nothing is saved while a problem remains (unknown unit names count unless the
    office confirms them: they are then kept as written, without a unit)."""
    check = check_import(parsed, issuing_unit=issuing_unit)
    blocking = check.blocking(confirm_units=confirm_units)
    if blocking:
        raise PlanImportError(blocking)
    header = parsed.header
    plan = Plan.objects.create(
        year=parsed.year, title=header.title or f"Kế hoạch năm {parsed.year}", issuing_unit=check.agency,
        decision_number=header.number, decision_title=header.decision_title, place=header.place,
        date_text=header.date_text, signed_on=dt.date.fromisoformat(header.signed_on) if header.signed_on else None,
        signer=header.signer, signer_title=header.signer_title, legal_bases=header.legal_bases,
        source_name=source_name[:255], created_by=acting_user,
    )
    units_by_code = {u.code: u for u in Unit.objects.all()}
    for s_index, parsed_section in enumerate(parsed.sections):
        section = Section.objects.create(plan=plan, number=parsed_section.number, title=parsed_section.title,
                                         position=s_index)
        for t_index, parsed_task in enumerate(parsed_section.tasks):
            tf = parsed_task.timeframe
            task = Task.objects.create(
                section=section, plan=plan, number=parsed_task.number, position=t_index,
                content=parsed_task.content, lead_text=parsed_task.lead,
                coordinating_text=parsed_task.coordinating, product=parsed_task.product,
                timeframe_text=parsed_task.timeframe_text, start_on=tf.start, due_on=tf.end,
                recurrence=tf.recurrence or "", needs_dates=tf.needs_dates,
            )
            links = []
            for role, text in ((TaskUnit.Role.LEAD, parsed_task.lead),
                               (TaskUnit.Role.COORDINATING, parsed_task.coordinating)):
                for position, match in enumerate(check.matcher.match_cell(text)):
                    links.append(TaskUnit(task=task, role=role, unit=units_by_code.get(match.code or ""),
                                          includes_subunits=match.group, label=match.name[:500],
                                          position=position))
            TaskUnit.objects.bulk_create(links)
            if tf.recurrence:
                TaskInstance.objects.bulk_create([
                    TaskInstance(task=task, label=p.label, period_start=p.start, period_end=p.end, due_on=p.due)
                    for p in (tf.periods or report_periods(parsed.year))
                ])
    targets = extract_targets(parsed)
    PlanTarget.objects.bulk_create([
        PlanTarget(plan=plan, year=parsed.year, key=t.key, label=t.label, value=t.value, unit=t.unit,
                   direction=t.direction, source=t.source) for t in targets
    ])
    record_audit(action="plans.import_plan", obj=plan, actor=acting_user, after={
        "year": plan.year, "issuing_unit": check.agency.code, "source": source_name,
        "sections": len(parsed.sections), "tasks": len(parsed.tasks), "targets": len(targets),
        "confirmed_unit_names": sorted({p.message for p in check.problems if p.kind == UNIT}),
        "tasks_without_dates": sum(1 for p in check.problems if p.kind == DATES),
    })
    return plan


# --- Tracking -------------------------------------------------------------------------------------

def _task_state(task: Task) -> dict:
    return {"status": task.status, "progress": task.progress,
            "start_on": task.start_on, "due_on": task.due_on, "done_on": task.done_on}


@transaction.atomic
def update_task(*, task: Task, status: str, progress: int, acting_user: User, note: str = "",
                start_on: dt.date | None = None, due_on: dt.date | None = None, ip: str | None = None) -> Task:
    """Status and progress (and dates, for a task whose time frame had none). Done means 100 %."""
    task = Task.objects.select_for_update().get(pk=task.pk)
    if status not in TaskStatus.values:
        raise PlanError(_("Trạng thái không hợp lệ."))
    if not 0 <= progress <= 100:
        raise PlanError(_("Tiến độ phải từ 0 đến 100%."))
    if start_on and due_on and due_on < start_on:
        raise PlanError(_("Hạn hoàn thành không được trước ngày bắt đầu."))
    before = _task_state(task)
    if status == TaskStatus.DONE:
        progress = 100
        task.done_on = task.done_on or timezone.localdate()
    else:
        task.done_on = None
    if status == TaskStatus.IN_PROGRESS and progress == 100:
        raise PlanError(_("Tiến độ 100% nghĩa là đã hoàn thành: chọn trạng thái “Hoàn thành”."))
    task.status, task.progress = status, progress
    if start_on is not None:
        task.start_on = start_on
    if due_on is not None:
        task.due_on = due_on
        task.needs_dates = False
    task.save(update_fields=["status", "progress", "done_on", "start_on", "due_on", "needs_dates"])
    after = _task_state(task)
    if after == before and not note:
        return task
    TaskEvent.objects.create(task=task, actor=acting_user, action="update", before=_json(before),
                             after=_json(after), note=nfc(note))
    record_audit(action="plans.update_task", obj=task, actor=acting_user, ip=ip, before=before, after=after,
                 note=nfc(note))
    return task


def _json(state: dict) -> dict:
    return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in state.items()}


@transaction.atomic
def update_instance(*, instance: TaskInstance, status: str, acting_user: User, note: str = "",
                    ip: str | None = None) -> TaskInstance:
    """One period of a recurring task. The task's progress follows its periods (share of periods done)."""
    instance = TaskInstance.objects.select_for_update().select_related("task__section").get(pk=instance.pk)
    if status not in TaskStatus.values:
        raise PlanError(_("Trạng thái không hợp lệ."))
    before = {"status": instance.status, "note": instance.note}
    instance.status = status
    instance.note = nfc(note) or instance.note
    instance.done_on = timezone.localdate() if status == TaskStatus.DONE else None
    instance.save(update_fields=["status", "note", "done_on"])
    task = instance.task
    siblings = list(task.instances.all())
    done = sum(1 for i in siblings if i.status == TaskStatus.DONE)
    task.progress = round(100 * done / len(siblings)) if siblings else task.progress
    if done == len(siblings):
        task.status, task.done_on = TaskStatus.DONE, timezone.localdate()
    elif task.status in (TaskStatus.NOT_STARTED, TaskStatus.DONE):
        task.status, task.done_on = TaskStatus.IN_PROGRESS, None
    task.save(update_fields=["progress", "status", "done_on"])
    after = {"status": instance.status, "note": instance.note}
    TaskEvent.objects.create(task=task, instance=instance, actor=acting_user, action="update_period",
                             before=before, after=after, note=f"{instance.label}: {nfc(note)}".strip(": "))
    record_audit(action="plans.update_instance", obj=instance, actor=acting_user, ip=ip, before=before,
                 after=after)
    return instance


@transaction.atomic
def add_evidence_file(*, task: Task, name: str, content: bytes, label: str, acting_user: User,
                      instance: TaskInstance | None = None, ip: str | None = None) -> Evidence:
    """An uploaded file, checked by its content (type, size, readable PDF)."""
    from motcua.dossiers.files import FileCheckError, check_file

    try:
        checked = check_file(name, content)
    except FileCheckError as exc:
        raise PlanError(str(exc)) from None
    if Evidence.objects.filter(task=task, sha256=checked.sha256).exists():
        raise PlanError(_("Tệp “%(name)s” đã được đính kèm cho nhiệm vụ này.") % {"name": name})
    evidence = Evidence(task=task, instance=instance, kind=Evidence.Kind.FILE, name=nfc(name)[:255],
                        content_type_name=checked.content_type, size=checked.size, sha256=checked.sha256,
                        label=nfc(label) or nfc(name), added_by=acting_user)
    evidence.file.save(f"{checked.sha256[:16]}-{nfc(name)[-80:]}", ContentFile(content), save=False)
    evidence.save()
    _evidence_history(evidence, acting_user, ip)
    return evidence


@transaction.atomic
def add_evidence_link(*, task: Task, obj, label: str, acting_user: User, instance: TaskInstance | None = None,
                      ip: str | None = None) -> Evidence:
    """A link to an object in the system (a publication decision, a report…)."""
    from django.contrib.contenttypes.models import ContentType

    linked_type = ContentType.objects.get_for_model(obj)
    if Evidence.objects.filter(task=task, linked_type=linked_type, linked_id=str(obj.pk)).exists():
        raise PlanError(_("“%(obj)s” đã là minh chứng của nhiệm vụ này.") % {"obj": obj})
    evidence = Evidence.objects.create(task=task, instance=instance, kind=Evidence.Kind.LINK,
                                       linked_type=linked_type, linked_id=str(obj.pk),
                                       label=nfc(label) or str(obj), added_by=acting_user)
    _evidence_history(evidence, acting_user, ip)
    return evidence


def _evidence_history(evidence: Evidence, acting_user: User, ip: str | None) -> None:
    after = {"kind": evidence.kind, "label": evidence.label, "name": evidence.name, "sha256": evidence.sha256,
             "linked": f"{evidence.linked_type.app_label}.{evidence.linked_type.model}:{evidence.linked_id}"
             if evidence.linked_type_id else ""}
    TaskEvent.objects.create(task=evidence.task, instance=evidence.instance, actor=acting_user,
                             action="evidence", after=after, note=evidence.label)
    record_audit(action="plans.add_evidence", obj=evidence, actor=acting_user, ip=ip, after=after)


@transaction.atomic
def add_comment(*, task: Task, text: str, acting_user: User, ip: str | None = None) -> Comment:
    text = nfc(text)
    if not text:
        raise PlanError(_("Ý kiến không được để trống."))
    comment = Comment.objects.create(task=task, author=acting_user, text=text)
    TaskEvent.objects.create(task=task, actor=acting_user, action="comment", note=text[:500])
    record_audit(action="plans.add_comment", obj=comment, actor=acting_user, ip=ip, after={"task": task.pk})
    return comment


@transaction.atomic
def mark_reminder_read(*, reminder: Reminder, acting_user: User) -> None:
    Reminder.objects.filter(pk=reminder.pk, user=acting_user, read_at__isnull=True).update(read_at=timezone.now())


# --- Inspections ----------------------------------------------------------------------------------

@transaction.atomic
def create_inspection(*, plan: Plan, title: str, starts_on: dt.date, ends_on: dt.date, leader: User,
                      members: list[User], units: list[Unit], acting_user: User, scope: str = "",
                      task: Task | None = None, ip: str | None = None) -> Inspection:
    if ends_on < starts_on:
        raise PlanError(_("Ngày kết thúc kiểm tra không được trước ngày bắt đầu."))
    if not units:
        raise PlanError(_("Chọn ít nhất một đơn vị được kiểm tra."))
    inspection = Inspection.objects.create(plan=plan, task=task, title=nfc(title), scope=nfc(scope),
                                           starts_on=starts_on, ends_on=ends_on, leader=leader,
                                           created_by=acting_user)
    inspection.members.set(members)
    inspection.units.set(units)
    record_audit(action="plans.create_inspection", obj=inspection, actor=acting_user, ip=ip, after={
        "plan": plan.pk, "starts_on": starts_on, "ends_on": ends_on, "leader": leader.pk,
        "members": [m.pk for m in members], "units": [u.code for u in units]})
    return inspection


@transaction.atomic
def record_finding(*, inspection: Inspection, unit: Unit, item: str, compliant: bool, observation: str,
                   acting_user: User, ip: str | None = None) -> Finding:
    if not inspection.units.filter(pk=unit.pk).exists():
        raise PlanError(_("Đơn vị này không nằm trong danh sách được kiểm tra."))
    finding = Finding.objects.create(inspection=inspection, unit=unit, item=nfc(item), compliant=compliant,
                                     observation=nfc(observation))
    if inspection.status == Inspection.Status.PLANNED:
        Inspection.objects.filter(pk=inspection.pk).update(status=Inspection.Status.DONE)
    record_audit(action="plans.record_finding", obj=finding, actor=acting_user, ip=ip,
                 after={"inspection": inspection.pk, "unit": unit.code, "compliant": compliant})
    return finding


@transaction.atomic
def add_recommendation(*, inspection: Inspection, unit: Unit, text: str, deadline: dt.date, acting_user: User,
                       ip: str | None = None) -> Recommendation:
    if not inspection.units.filter(pk=unit.pk).exists():
        raise PlanError(_("Đơn vị này không nằm trong danh sách được kiểm tra."))
    if deadline < inspection.starts_on:
        raise PlanError(_("Hạn khắc phục không được trước ngày kiểm tra."))
    recommendation = Recommendation.objects.create(inspection=inspection, unit=unit, text=nfc(text),
                                                   deadline=deadline)
    record_audit(action="plans.add_recommendation", obj=recommendation, actor=acting_user, ip=ip,
                 after={"inspection": inspection.pk, "unit": unit.code, "deadline": deadline})
    return recommendation


@transaction.atomic
def follow_up_recommendation(*, recommendation: Recommendation, status: str, follow_up: str, acting_user: User,
                             ip: str | None = None) -> Recommendation:
    if status not in Recommendation.Status.values:
        raise PlanError(_("Trạng thái không hợp lệ."))
    recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    before = {"status": recommendation.status, "follow_up": recommendation.follow_up}
    recommendation.status, recommendation.follow_up = status, nfc(follow_up)
    recommendation.updated_at = timezone.now()
    recommendation.save(update_fields=["status", "follow_up", "updated_at"])
    record_audit(action="plans.follow_up_recommendation", obj=recommendation, actor=acting_user, ip=ip,
                 before=before, after={"status": status, "follow_up": recommendation.follow_up})
    return recommendation


@transaction.atomic
def conclude_inspection(*, inspection: Inspection, conclusion: str, close: bool, acting_user: User,
                        ip: str | None = None) -> Inspection:
    before = {"status": inspection.status, "conclusion": inspection.conclusion}
    inspection.conclusion = nfc(conclusion)
    if close:
        inspection.status = Inspection.Status.CLOSED
    elif inspection.status == Inspection.Status.PLANNED:
        inspection.status = Inspection.Status.DONE
    inspection.save(update_fields=["conclusion", "status"])
    record_audit(action="plans.conclude_inspection", obj=inspection, actor=acting_user, ip=ip, before=before,
                 after={"status": inspection.status, "conclusion": inspection.conclusion})
    return inspection


@transaction.atomic
def submit_self_inspection(*, plan: Plan, unit: Unit, period_label: str, summary: str, issues: str,
                           acting_user: User, file_name: str = "", file_content: bytes = b"",
                           ip: str | None = None) -> SelfInspectionReport:
    from motcua.dossiers.files import FileCheckError, check_file

    summary = nfc(summary)
    if not summary:
        raise PlanError(_("Nhập kết quả tự kiểm tra."))
    report = SelfInspectionReport(plan=plan, unit=unit, period_label=nfc(period_label), summary=summary,
                                  issues=nfc(issues), submitted_by=acting_user)
    if file_content:
        try:
            checked = check_file(file_name, file_content)
        except FileCheckError as exc:
            raise PlanError(str(exc)) from None
        report.file_name = nfc(file_name)[:255]
        report.file.save(f"{checked.sha256[:16]}-{report.file_name[-80:]}", ContentFile(file_content), save=False)
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        raise PlanError(_("%(unit)s đã nộp báo cáo tự kiểm tra kỳ “%(period)s”.") % {
            "unit": unit.name, "period": report.period_label}) from None
    record_audit(action="plans.submit_self_inspection", obj=report, actor=acting_user, ip=ip,
                 after={"plan": plan.pk, "unit": unit.code, "period": report.period_label})
    return report
