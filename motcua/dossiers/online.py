"""Online dossiers (DOMAIN B.1.1, B.1.2): submitted on the portal, then checked by a one-stop officer.

- `submit_online` is what the portal calls. Cổng DVCQG assigns the dossier code at submission, so
  the dossier is created with its code, `submitted_at`, its files and its checklist, in status
  SUBMITTED ("Mới đăng ký, chờ tiếp nhận"), with no appointment yet.
- `accept_online_dossier` is the officer's check of a complete dossier: status RECEIVED, received
  instant, appointment, history row and audit entry, in one transaction.
- Incomplete → `request_online_supplement`, not eligible → `refuse_online_dossier`: both give the
  statutory notice through `intake.give_intake_notice(..., dossier=...)`.

Only a SUBMITTED dossier can be accepted, supplemented or refused here. Each takes an idempotency key
(the officer's form sends a one-time key): a retry, even one that waited on the dossier's row lock while
its twin committed, returns the first outcome instead of the "no longer waiting" error.

Where the clock starts (setting `ONLINE_CLOCK_FROM`, default ``"submission"``):
  ``"submission"``  the appointment is computed from `submitted_at` — DOMAIN A.1: a dossier
                    submitted online outside office hours counts from the next working session
                    after submission; the officer's check does not eat into the applicant's time.
  ``"acceptance"``  the appointment is computed from the officer's acceptance instant (for
                    provinces whose rules start online dossiers on receipt of the complete file).
Either way the first internal step cannot start before the acceptance (`handover_at`).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog.models import ProcedureCase, ProcedureVersion
from motcua.dossiers.codes import next_book_serial, next_dossier_code
from motcua.dossiers.files import CheckedFile
from motcua.dossiers.intake import (
    WARN_REMAINING_SHARE,
    ApplicantData,
    IntakeError,
    _upsert_applicant,
    case_duration,
    form_set_for,
    give_intake_notice,
    handling_unit_of,
    missing_components,
    once_per_key,
    validate_applicant,
    validate_version,
)
from motcua.dossiers.models import (
    Channel,
    ChecklistItem,
    Dossier,
    DossierEvent,
    DossierFile,
    IntakeNotice,
    ReturnChannel,
    Status,
)
from motcua.lib.text import fold, nfc
from motcua.org.audit import record_audit
from motcua.org.calendar import schedule_for_unit
from motcua.org.models import Unit, User

CLOCK_FROM_CHOICES = ("submission", "acceptance")


def online_clock_from() -> str:
    value = getattr(settings, "ONLINE_CLOCK_FROM", "submission")
    if value not in CLOCK_FROM_CHOICES:
        raise ImproperlyConfigured(
            f"ONLINE_CLOCK_FROM={value!r} không hợp lệ: chỉ nhận 'submission' (tính từ lúc nộp) hoặc "
            f"'acceptance' (tính từ lúc cán bộ tiếp nhận).")
    return value


def _actor(user: User | None) -> User | None:
    return user if user is not None and user.is_authenticated else None


def submit_online(*, version: ProcedureVersion, case: ProcedureCase, applicant: ApplicantData, desk: Unit,
                  present_components: set[int] | None = None,
                  files: list[tuple[int | None, CheckedFile]] | None = None,
                  return_channel: str = ReturnChannel.ONLINE, sets_count: int = 1,
                  submitted_at: dt.datetime | None = None, acting_user: User | None = None,
                  ip: str | None = None, idempotency_key: str | None = None) -> Dossier:
    """A dossier submitted on the portal: code, files and checklist now; the check comes later.
    A retried submission with the same idempotency key returns the first dossier."""
    return once_per_key(idempotency_key, lambda: _submit(
        version=version, case=case, applicant=applicant, desk=desk,
        present_components=set(present_components or ()), files=list(files or ()),
        return_channel=return_channel, sets_count=sets_count, submitted_at=submitted_at,
        acting_user=acting_user, ip=ip, idempotency_key=idempotency_key))


@transaction.atomic
def _submit(*, version, case, applicant, desk, present_components, files, return_channel, sets_count,
            submitted_at, acting_user, ip, idempotency_key) -> Dossier:
    submitted_at = submitted_at or timezone.now()
    day = timezone.localtime(submitted_at).date()
    data = applicant.normalised()
    errors: dict[str, list[str]] = {}
    validate_version(version, case, day, errors)
    validate_applicant(data, errors)
    if return_channel not in ReturnChannel.values:
        errors.setdefault("return_channel", []).append(_("Hình thức nhận kết quả không hợp lệ."))
    if errors:
        raise IntakeError(errors)
    components = list(case.components.all())
    present = set(present_components) | {component_id for component_id, _f in files if component_id is not None}
    handling_unit = handling_unit_of(version)
    person = _upsert_applicant(data)
    dossier = Dossier.objects.create(
        code=next_dossier_code(handling_unit, day), agency=handling_unit, desk=desk, handling_unit=handling_unit,
        version=version, case=case, status=Status.SUBMITTED, channel=Channel.ONLINE, return_channel=return_channel,
        form_set=form_set_for(day), applicant=person, applicant_kind=person.kind,
        applicant_identifier=person.identifier, applicant_name=data.name, applicant_phone=data.phone,
        applicant_email=data.email, applicant_address=data.address, sets_count=sets_count,
        submitted_at=submitted_at, idempotency_key=idempotency_key or None,
        search_text=fold(f"{data.name} {person.identifier} {version.name} {version.procedure.code}"),
    )
    items = {
        component.pk: ChecklistItem(dossier=dossier, component=component, order=order, name=component.name,
                                    originals=component.originals, copies=component.copies,
                                    required=component.required, present=component.pk in present)
        for order, component in enumerate(components, start=1)
    }
    ChecklistItem.objects.bulk_create(items.values())
    for component_id, checked in files:
        stored = DossierFile(dossier=dossier, checklist_item=items.get(component_id), original_name=checked.name,
                             content_type=checked.content_type, size=checked.size, sha256=checked.sha256,
                             uploaded_by=_actor(acting_user), source=DossierFile.Source.UPLOAD)
        stored.file.save(checked.name, ContentFile(checked.content), save=False)
        stored.save()
    DossierEvent.objects.create(dossier=dossier, at=submitted_at, actor=_actor(acting_user), action="submit_online",
                                from_status="", to_status=Status.SUBMITTED, data={"files": len(files)})
    record_audit(action="dossier.submit_online", obj=dossier, actor=acting_user, ip=ip,
                 after={"code": dossier.code, "procedure": version.procedure.code, "case": case.pk,
                        "channel": Channel.ONLINE, "applicant": person.identifier, "submitted_at": submitted_at})
    return dossier


def _locked(dossier: Dossier) -> Dossier:
    """The dossier row, locked for this transaction (a twin request waits here for the first to commit)."""
    return (Dossier.objects.select_for_update(of=("self",))
            .select_related("version__procedure", "case", "desk").get(pk=dossier.pk))


def _ensure_submitted(locked: Dossier) -> Dossier:
    """IntakeError unless the locked dossier is an online one still waiting for the check."""
    if locked.status != Status.SUBMITTED:
        raise IntakeError({"__all__": [
            _("Hồ sơ %(code)s đang ở trạng thái “%(status)s”: chỉ hồ sơ trực tuyến đang chờ tiếp nhận mới được "
              "kiểm tra, tiếp nhận, yêu cầu bổ sung hoặc từ chối.")
            % {"code": locked.code, "status": locked.get_status_display()}]})
    if locked.channel != Channel.ONLINE:
        raise IntakeError({"__all__": [_("Hồ sơ %(code)s không phải hồ sơ nộp trực tuyến.") % {"code": locked.code}]})
    return locked


def accepted_with_key(dossier: Dossier, idempotency_key: str | None) -> bool:
    """Whether this dossier's acceptance was made with this idempotency key (kept on its history row)."""
    return bool(idempotency_key) and DossierEvent.objects.filter(
        dossier_id=dossier.pk, action="accept_online", data__idempotency_key=idempotency_key).exists()


@transaction.atomic
def accept_online_dossier(*, dossier: Dossier, present_components: set[int], acting_user: User | None,
                          received_at: dt.datetime | None = None, ip: str | None = None,
                          idempotency_key: str | None = None) -> Dossier:
    """The officer found the online dossier complete: received, with its appointment. A retry with the
    same idempotency key (double click, resent form) returns the dossier as the first one left it, with
    no second history row or audit entry, and without `appointment` (which only a fresh acceptance sets)."""
    dossier = _locked(dossier)
    if dossier.status != Status.SUBMITTED and accepted_with_key(dossier, idempotency_key):
        return dossier
    _ensure_submitted(dossier)
    received_at = received_at or timezone.now()
    if received_at < dossier.submitted_at:
        raise IntakeError({"received_at": [_("Thời điểm tiếp nhận không thể trước thời điểm nộp hồ sơ.")]})
    missing = missing_components(dossier.case, set(present_components))
    if missing:
        raise IntakeError({"components": [
            _("Hồ sơ chưa đủ thành phần bắt buộc: %(items)s. Hãy lập phiếu yêu cầu bổ sung.")
            % {"items": "; ".join(missing)}]})

    clock_from = dossier.submitted_at if online_clock_from() == "submission" else received_at
    schedule = schedule_for_unit(dossier.desk)
    duration = case_duration(dossier.case)
    appointment = schedule.appointment(clock_from, duration, Channel.ONLINE)
    handover_at = max(appointment.handover_at, received_at)
    warn_at = schedule.warning_instant(appointment.clock_start, duration, remaining_share=WARN_REMAINING_SHARE)
    actor = _actor(acting_user)
    dossier.status = Status.RECEIVED
    dossier.received_at = received_at
    dossier.received_by = actor
    dossier.clock_start = appointment.clock_start
    dossier.handover_at = handover_at
    dossier.due_at = appointment.due_at
    dossier.warn_at = warn_at
    dossier.form_set = form_set_for(timezone.localtime(received_at).date())
    dossier.book_serial = next_book_serial(dossier.desk, timezone.localtime(received_at).date())
    dossier.save(update_fields=["status", "received_at", "received_by", "clock_start", "handover_at", "due_at",
                                "warn_at", "form_set", "book_serial"])
    items = list(dossier.checklist.all())
    for item in items:
        item.present = item.component_id in present_components
    ChecklistItem.objects.bulk_update(items, ["present"])
    DossierEvent.objects.create(
        dossier=dossier, at=received_at, actor=actor, action="accept_online", from_status=Status.SUBMITTED,
        to_status=Status.RECEIVED,
        data={"clock_from": online_clock_from(), "submitted_at": dossier.submitted_at.isoformat(),
              "due_at": appointment.due_at.isoformat(), "handover_at": handover_at.isoformat(),
              "notes": list(appointment.notes),
              **({"idempotency_key": idempotency_key} if idempotency_key else {})},
    )
    record_audit(action="dossier.accept_online", obj=dossier, actor=acting_user, ip=ip,
                 before={"status": Status.SUBMITTED},
                 after={"status": Status.RECEIVED, "code": dossier.code, "received_at": received_at,
                        "due_at": appointment.due_at, "clock_from": online_clock_from()})
    dossier.appointment = appointment
    return dossier


def _applicant_of(dossier: Dossier) -> ApplicantData:
    return ApplicantData(kind=dossier.applicant_kind, identifier=dossier.applicant_identifier,
                         name=dossier.applicant_name, phone=dossier.applicant_phone, email=dossier.applicant_email,
                         address=dossier.applicant_address)


def request_online_supplement(*, dossier: Dossier, items: list[dict], reason: str, acting_user: User | None,
                              ip: str | None = None, issued_at: dt.datetime | None = None,
                              idempotency_key: str | None = None) -> IntakeNotice:
    """Incomplete online dossier: the supplement request listing everything missing, in one go. A retry
    with the same idempotency key returns the first notice (not the "no longer waiting" error)."""
    return once_per_key(idempotency_key, lambda: _online_notice(
        kind=IntakeNotice.Kind.SUPPLEMENT, dossier=dossier, items=items, reason=nfc(reason),
        acting_user=acting_user, ip=ip, issued_at=issued_at, idempotency_key=idempotency_key), model=IntakeNotice)


def refuse_online_dossier(*, dossier: Dossier, reason: str, acting_user: User | None, ip: str | None = None,
                          issued_at: dt.datetime | None = None, idempotency_key: str | None = None) -> IntakeNotice:
    """Outside competence or not eligible: the refusal with its reasons. The code is never reused."""
    return once_per_key(idempotency_key, lambda: _online_notice(
        kind=IntakeNotice.Kind.REFUSAL, dossier=dossier, items=[], reason=reason, acting_user=acting_user, ip=ip,
        issued_at=issued_at, idempotency_key=idempotency_key), model=IntakeNotice)


@transaction.atomic
def _online_notice(*, kind: str, dossier: Dossier, items: list[dict], reason: str, acting_user: User | None,
                   ip: str | None, issued_at: dt.datetime | None, idempotency_key: str | None) -> IntakeNotice:
    dossier = _locked(dossier)
    if dossier.status != Status.SUBMITTED and idempotency_key:
        # A twin request that waited on the row lock: the first one's notice, not the "no longer waiting" error.
        first = IntakeNotice.objects.filter(dossier=dossier, idempotency_key=idempotency_key).first()
        if first is not None:
            return first
    _ensure_submitted(dossier)
    return give_intake_notice(kind=kind, version=dossier.version, case=dossier.case, channel=Channel.ONLINE,
                              applicant=_applicant_of(dossier), desk=dossier.desk, items=items, reason=reason,
                              acting_user=acting_user, ip=ip, dossier=dossier, issued_at=issued_at,
                              idempotency_key=idempotency_key)
