"""Writes of the citizen portal: drafts, submission, supplement online, rating, feedback.

Keyword-only arguments, `acting_user`, one transaction each with its audit entry. The dossier
itself is created by `dossiers.online.submit_online`; moves of processing go through
`dossiers.transitions`.
"""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog.models import ProcedureCase, ProcedureVersion
from motcua.dossiers import transitions
from motcua.dossiers.files import CheckedFile, FileCheckError, check_file
from motcua.dossiers.intake import ApplicantData, IntakeError
from motcua.dossiers.models import (
    Applicant,
    ApplicantKind,
    Channel,
    ChecklistItem,
    Dossier,
    DossierEvent,
    DossierFile,
    ReturnChannel,
    Status,
)
from motcua.dossiers.online import submit_online
from motcua.lib.text import nfc
from motcua.org.audit import record_audit
from motcua.org.models import User
from motcua.portal.models import CRITERIA, CRITERION_MAX, Draft, DraftFile, Feedback, PublicAttempt, Rating
from motcua.portal.selectors import ONLINE_LEVELS, desk_for
from motcua.records.actions import RecordError, reuse_record
from motcua.records.models import Record


class PortalError(ValueError):
    """Bad input or a step not allowed now: a Vietnamese message, nothing changed."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


# -- drafts ------------------------------------------------------------------------------------------

@transaction.atomic
def start_draft(*, version: ProcedureVersion, case: ProcedureCase, acting_user: User, ip: str | None = None) -> Draft:
    """The person's open draft for this procedure case, or a new one."""
    if version.online_level not in ONLINE_LEVELS:
        raise PortalError(_("Thủ tục “%(name)s” không tiếp nhận hồ sơ trực tuyến.") % {"name": version.name})
    if case.version_id != version.pk:
        raise PortalError(_("Trường hợp không thuộc thủ tục đã chọn."))
    if not acting_user.personal_id:
        raise PortalError(_("Tài khoản chưa có số định danh cá nhân: vui lòng đăng nhập bằng tài khoản định danh "
                            "điện tử (VNeID) để nộp hồ sơ trực tuyến."))
    draft = Draft.objects.filter(user=acting_user, version=version, case=case, dossier__isnull=True).first()
    if draft is not None:
        return draft
    draft = Draft.objects.create(user=acting_user, version=version, case=case)
    record_audit(action="portal.draft_start", obj=draft, actor=acting_user, ip=ip,
                 after={"procedure": version.procedure.code, "case": case.pk})
    return draft


def _open(draft: Draft) -> Draft:
    locked = Draft.objects.select_for_update().get(pk=draft.pk)
    if locked.dossier_id is not None:
        raise PortalError(_("Hồ sơ này đã được nộp (mã %(code)s): không sửa được nữa.") % {"code": locked.dossier.code})
    return locked


@transaction.atomic
def save_declaration(*, draft: Draft, values: dict, valid: bool, acting_user: User) -> Draft:
    """What was typed, saved as is (even with errors: nothing typed is lost); `valid` after the form check."""
    draft = _open(draft)
    draft.declaration = {key: value for key, value in values.items()}
    draft.declaration_valid = valid
    draft.updated_at = timezone.now()
    draft.save(update_fields=["declaration", "declaration_valid", "updated_at"])
    return draft


@transaction.atomic
def attach_upload(*, draft: Draft, component_id: int, name: str, content: bytes, acting_user: User) -> DraftFile:
    """One component's file: type and size checked from the content; replaces an earlier upload."""
    draft = _open(draft)
    component = draft.case.components.filter(pk=component_id).first()
    if component is None:
        raise PortalError(_("Thành phần hồ sơ không thuộc thủ tục này."))
    try:
        checked = check_file(name, content)
    except FileCheckError as exc:
        raise PortalError(str(exc)) from None
    DraftFile.objects.filter(draft=draft, component=component).delete()
    stored = DraftFile(draft=draft, component=component, original_name=checked.name[:255],
                       content_type=checked.content_type, size=checked.size, sha256=checked.sha256)
    stored.file.save(checked.name, ContentFile(checked.content), save=False)
    stored.save()
    reuse = dict(draft.reuse)
    reuse.pop(str(component.pk), None)
    draft.reuse = reuse
    draft.updated_at = timezone.now()
    draft.save(update_fields=["reuse", "updated_at"])
    return stored


@transaction.atomic
def choose_record(*, draft: Draft, component_id: int, record: Record | None, acting_user: User) -> Draft:
    """Use a document from "my documents" for a component (or clear the choice with None)."""
    from motcua.portal.selectors import records_of_user

    draft = _open(draft)
    component = draft.case.components.filter(pk=component_id).first()
    if component is None:
        raise PortalError(_("Thành phần hồ sơ không thuộc thủ tục này."))
    reuse = dict(draft.reuse)
    if record is None:
        reuse.pop(str(component.pk), None)
    else:
        if not records_of_user(acting_user).filter(pk=record.pk).exists():
            raise PortalError(_("Giấy tờ này không thuộc kho dữ liệu của bạn."))
        if not record.is_valid_on(timezone.localdate()):
            raise PortalError(_("Giấy tờ “%(name)s” đã hết hiệu lực.") % {"name": record.name})
        other = used_elsewhere(draft, component.pk).get(record.pk)
        if other is not None:
            raise PortalError(_("Giấy tờ “%(name)s” đã được dùng cho thành phần “%(component)s”; mỗi giấy tờ chỉ "
                                "dùng cho một thành phần hồ sơ.") % {"name": record.name, "component": other})
        reuse[str(component.pk)] = record.pk
        DraftFile.objects.filter(draft=draft, component=component).delete()
    draft.reuse = reuse
    draft.updated_at = timezone.now()
    draft.save(update_fields=["reuse", "updated_at"])
    return draft


def used_elsewhere(draft: Draft, component_id: int) -> dict[int, str]:
    """The records this draft already uses for its other components: record id → that component's name.
    One paper answers one component: such a record is not offered (nor accepted) for another one."""
    others = {int(k): v for k, v in draft.reuse.items() if int(k) != component_id}
    names = dict(draft.case.components.filter(pk__in=list(others)).values_list("pk", "name"))
    return {record_id: names.get(cid, "") for cid, record_id in others.items()}


def missing_for(draft: Draft) -> list[str]:
    """Required components with neither an upload nor a chosen document."""
    uploaded = set(draft.files.values_list("component_id", flat=True))
    chosen = {int(k) for k in draft.reuse}
    return [c.name for c in draft.case.components.all() if c.required and c.pk not in uploaded | chosen]


def _applicant_data(draft: Draft, user: User) -> ApplicantData:
    values = draft.declaration
    birth = None
    if values.get("birth_date"):
        try:
            birth = dt.datetime.strptime(values["birth_date"], "%d/%m/%Y").date()  # noqa: DTZ007 (a date)
        except ValueError:
            birth = None
    return ApplicantData(kind=ApplicantKind.CITIZEN, identifier=user.personal_id,
                         name=str(values.get("full_name") or user.full_name), birth_date=birth,
                         phone=str(values.get("phone") or user.phone or ""),
                         email=str(values.get("email") or user.email or ""),
                         address=str(values.get("address") or ""))


def submit_draft(*, draft: Draft, acting_user: User, ip: str | None = None) -> Dossier:
    """Submit the draft: `submit_online` with the draft's idempotency key (a double submit returns the
    same dossier), the chosen documents attached as reuses, the applicant linked to the account."""
    draft = Draft.objects.select_related("version__procedure", "case", "dossier").get(pk=draft.pk)
    if draft.dossier_id is not None:
        return draft.dossier
    if draft.user_id != acting_user.pk:
        raise PortalError(_("Không tìm thấy hồ sơ nháp."))
    if not draft.declaration_valid:
        raise PortalError(_("Tờ khai chưa hoàn thành: vui lòng kiểm tra lại các ô bắt buộc."))
    missing = missing_for(draft)
    if missing:
        raise PortalError(_("Còn thiếu giấy tờ bắt buộc: %(items)s.") % {"items": "; ".join(missing)})
    with transaction.atomic():
        files: list[tuple[int | None, CheckedFile]] = []
        for stored in draft.files.all():
            with stored.file.open("rb") as handle:
                content = handle.read()
            files.append((stored.component_id, CheckedFile(name=stored.original_name, content=content,
                                                           content_type=stored.content_type, size=stored.size,
                                                           sha256=stored.sha256)))
        chosen = {int(component_id): record_id for component_id, record_id in draft.reuse.items()}
        try:
            dossier = submit_online(
                version=draft.version, case=draft.case, applicant=_applicant_data(draft, acting_user),
                desk=desk_for(draft.version, draft.case), present_components=set(chosen), files=files,
                return_channel=ReturnChannel.ONLINE, acting_user=acting_user, ip=ip,
                idempotency_key=draft.idempotency_key)
        except IntakeError as exc:
            raise PortalError(str(exc)) from None
        locked = Draft.objects.select_for_update().get(pk=draft.pk)
        if locked.dossier_id is not None:  # a concurrent submit of the same draft finished first
            return locked.dossier
        link_applicant(applicant=dossier.applicant, user=acting_user, ip=ip)
        items = {item.component_id: item for item in ChecklistItem.objects.filter(dossier=dossier)}
        for component_id, record_id in chosen.items():
            record = Record.objects.filter(pk=record_id).first()
            if record is None:
                raise PortalError(_("Giấy tờ đã chọn không còn trong kho dữ liệu."))
            try:
                reuse_record(record=record, dossier=dossier, checklist_item=items.get(component_id),
                             acting_user=acting_user)
            except RecordError as exc:
                raise PortalError(str(exc)) from None
        locked.dossier = dossier
        locked.submitted_at = timezone.now()
        locked.save(update_fields=["dossier", "submitted_at"])
        record_audit(action="portal.submit", obj=locked, actor=acting_user, ip=ip,
                     after={"dossier": dossier.code, "uploads": len(files), "reused": len(chosen)})
    return dossier


def link_applicant(*, applicant: Applicant, user: User, ip: str | None = None) -> None:
    """The applicant identity with the citizen's ID number belongs to the signed-in citizen's account."""
    if applicant.user_id is not None or applicant.kind != ApplicantKind.CITIZEN \
            or applicant.identifier != user.personal_id:
        return
    Applicant.objects.filter(pk=applicant.pk, user__isnull=True).update(user=user)
    applicant.user = user
    record_audit(action="applicant.link_account", obj=applicant, actor=user, ip=ip,
                 before={"user": None}, after={"user": user.pk})


# -- supplement online -------------------------------------------------------------------------------

def supplement_kind(dossier: Dossier) -> str | None:
    """"processing" (asked during processing: the clock is paused), "intake" (an online dossier sent
    back at the check, before acceptance), or None when no supplement is awaited."""
    if dossier.status != Status.SUPPLEMENT_REQUESTED:
        return None
    if dossier.supplements.filter(received_at__isnull=True).exists():
        return "processing"
    if dossier.channel == Channel.ONLINE and dossier.received_at is None and dossier.current_step_id is None:
        return "intake"
    return None


def supplement_items(dossier: Dossier) -> list[dict]:
    kind = supplement_kind(dossier)
    if kind == "processing":
        round_ = dossier.supplements.filter(received_at__isnull=True).order_by("-requested_at").first()
        return list(round_.items)
    if kind == "intake":
        notice = dossier.notices.filter(kind="supplement").order_by("-issued_at").first()
        return list(notice.items) if notice else []
    return []


@transaction.atomic
def submit_supplement(*, dossier: Dossier, uploads: list[tuple[str, bytes]], acting_user: User,
                      ip: str | None = None, at: dt.datetime | None = None) -> Dossier:
    """The applicant uploads what was asked for. During processing: files stored, then
    `transitions.receive_supplement` (the clock resumes). At the online check: files stored and the
    dossier goes back to waiting for acceptance, with its history row."""
    at = at or timezone.now()
    dossier = Dossier.objects.select_for_update(of=("self",)).get(pk=dossier.pk)
    kind = supplement_kind(dossier)
    if kind is None:
        raise PortalError(_("Hồ sơ %(code)s không có yêu cầu bổ sung đang chờ.") % {"code": dossier.code})
    uploads = [(name, content) for name, content in uploads if content]
    if not uploads:
        raise PortalError(_("Vui lòng chọn ít nhất một tệp giấy tờ bổ sung."))
    known = set(dossier.files.values_list("sha256", flat=True))
    checked = []
    for name, content in uploads:
        try:
            item = check_file(name, content)
        except FileCheckError as exc:
            raise PortalError(str(exc)) from None
        if item.sha256 in known:
            raise PortalError(_("Tệp “%(name)s” trùng với một tệp đã nộp trong hồ sơ.") % {"name": name})
        known.add(item.sha256)
        checked.append(item)
    for item in checked:
        stored = DossierFile(dossier=dossier, original_name=item.name[:255], content_type=item.content_type,
                             size=item.size, sha256=item.sha256, source=DossierFile.Source.UPLOAD, uploaded_at=at,
                             uploaded_by=acting_user)
        stored.file.save(item.name, ContentFile(item.content), save=False)
        stored.save()
    names = [item.name for item in checked]
    if kind == "processing":
        try:
            return transitions.receive_supplement(dossier=dossier, acting_user=acting_user, at=at, ip=ip)
        except transitions.IllegalMove as exc:
            raise PortalError(exc.message) from None
    dossier.status = Status.SUBMITTED
    dossier.save(update_fields=["status"])
    DossierEvent.objects.create(dossier=dossier, at=at, actor=acting_user, action="supplement_online",
                                from_status=Status.SUPPLEMENT_REQUESTED, to_status=Status.SUBMITTED,
                                data={"files": names})
    record_audit(action="dossier.supplement_online", obj=dossier, actor=acting_user, ip=ip,
                 before={"status": Status.SUPPLEMENT_REQUESTED}, after={"status": Status.SUBMITTED, "files": names})
    return dossier


# -- rating and feedback -----------------------------------------------------------------------------

@transaction.atomic
def rate_dossier(*, dossier: Dossier, satisfaction: str, scores: dict[str, int], comment: str = "",
                 acting_user: User, ip: str | None = None, channel: str = "portal") -> Rating:
    """The applicant's evaluation after the result was returned: once per dossier. `channel` ("portal",
    or "counter" for the counter tablet, where `acting_user` is the one-stop officer) goes to the audit."""
    from motcua.portal.models import Satisfaction

    dossier = Dossier.objects.select_for_update(of=("self",)).get(pk=dossier.pk)
    if dossier.status != Status.RETURNED:
        raise PortalError(_("Chỉ đánh giá được sau khi đã nhận kết quả."))
    if Rating.objects.filter(dossier=dossier).exists():
        raise PortalError(_("Hồ sơ %(code)s đã được đánh giá; mỗi hồ sơ chỉ đánh giá một lần.") % {"code": dossier.code})
    if satisfaction not in Satisfaction.values:
        raise PortalError(_("Vui lòng chọn mức độ hài lòng."))
    values = {}
    for name, _label in CRITERIA:
        value = scores.get(name)
        if not isinstance(value, int) or not 0 <= value <= CRITERION_MAX:
            raise PortalError(_("Mỗi tiêu chí được chấm từ 0 đến 2 điểm."))
        values[name] = value
    rating = Rating.objects.create(dossier=dossier, user=acting_user, satisfaction=satisfaction,
                                   comment=nfc(comment)[:4000], **values)
    record_audit(action="portal.rate", obj=rating, actor=acting_user, ip=ip,
                 after={"dossier": dossier.code, "satisfaction": satisfaction, "total": rating.total,
                        "channel": channel})
    return rating


@transaction.atomic
def send_feedback(*, subject: str, content: str, name: str, phone: str = "", email: str = "", address: str = "",
                  procedure_code: str = "", dossier_code: str = "", acting_user: User | None,
                  ip: str | None = None) -> Feedback:
    from motcua.catalog.models import ProcedureVersion

    user = acting_user if acting_user is not None and acting_user.is_authenticated else None
    dossier = Dossier.objects.filter(code=dossier_code.strip().upper()).select_related("agency").first() \
        if dossier_code.strip() else None
    agency = dossier.agency if dossier is not None else None
    if agency is None and procedure_code:
        version = ProcedureVersion.objects.filter(procedure__code=procedure_code.strip()).select_related(
            "agency").order_by("-effective_from").first()
        agency = version.agency if version is not None else None
    feedback = Feedback.objects.create(
        subject=subject, content=nfc(content), name=nfc(name), phone=nfc(phone).replace(" ", ""), email=nfc(email),
        address=nfc(address), procedure_code=procedure_code.strip()[:16], dossier_code=dossier_code.strip()[:40],
        dossier=dossier, agency=agency, user=user, ip=ip)
    if user is None:
        PublicAttempt.objects.create(kind=PublicAttempt.Kind.FEEDBACK, ip=ip)
    record_audit(action="portal.feedback", obj=feedback, actor=user, ip=ip,
                 after={"subject": subject, "procedure": feedback.procedure_code, "dossier": feedback.dossier_code})
    return feedback


def record_lookup_failure(*, ip: str | None) -> None:
    PublicAttempt.objects.create(kind=PublicAttempt.Kind.LOOKUP_FAILURE, ip=ip)
