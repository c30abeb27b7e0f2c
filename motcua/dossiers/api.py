"""Dossier API: a one-stop officer receives a dossier (`POST /api/v1/dossiers`) and officers read the
dossiers of their units (`GET /api/v1/dossiers/{code}`).

The request body is read and checked here rather than by Ninja's schema validation, so that every
problem comes back as one Vietnamese message per field — `{"errors": {"field": ["…"]}}` with 422 —
the same field names the counter form uses. Nothing is saved when any field is wrong.

Idempotency: the `Idempotency-Key` header (at most 64 characters) is stored per caller with a digest of
the validated request; a retried request with the same key and the same body returns the dossier of the
first one with 200 and creates nothing; the same key with another body is a 422 on `idempotency_key`.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
from typing import Any

from django.core.exceptions import RequestDataTooBig, ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import ValidationError as PydanticError

from motcua.catalog.codes import normalize_procedure_code
from motcua.catalog.models import ProcedureCase, ProcedureVersion
from motcua.catalog.selectors import version_in_force
from motcua.dossiers.files import CheckedFile, FileCheckError, check_files
from motcua.dossiers.intake import (
    ApplicantData,
    IntakeError,
    IntakeRequest,
    receive_dossier,
    reuse_field,
    validate_applicant,
    validate_authorised,
    validate_version,
)
from motcua.dossiers.models import Dossier, ReturnChannel
from motcua.dossiers.selectors import dossier_for
from motcua.lib.text import fold, nfc
from motcua.org.models import Role, Unit, User
from motcua.org.selectors import grants_of, roles_of

router = Router(tags=["Hồ sơ"])

IDEMPOTENCY_KEY_MAX = 64


# -- request and response shapes ---------------------------------------------------------------


class ApplicantIn(Schema):
    kind: str = "citizen"
    identifier: str = ""
    name: str = ""
    birth_date: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""


class AuthorisedIn(Schema):
    """Someone submitting on the applicant's behalf (người được ủy quyền): full name and personal ID number."""

    name: str = ""
    identifier: str = ""


class FileIn(Schema):
    component: int | str | None = None
    name: str
    content_base64: str


class ReuseIn(Schema):
    """A document the applicant already holds in their records (its id), standing in for a component."""

    component: int | str
    record: int


class DossierIn(Schema):
    procedure: str
    case: int | str | None = None
    channel: str = "direct"
    return_channel: str = ReturnChannel.COUNTER
    applicant: ApplicantIn
    authorised: AuthorisedIn | None = None
    desk: str | None = None
    components: list[int | str] = []
    files: list[FileIn] = []
    reused: list[ReuseIn] = []
    sets_count: int = 1
    postal_waybill: str = ""
    postal_handed_on: str = ""


class ErrorsOut(Schema):
    errors: dict[str, list[str]]


class VersionOut(Schema):
    procedure: str
    name: str
    effective_from: dt.date
    decision: str


class CaseOut(Schema):
    id: int
    name: str
    processing_time: str
    time_unit: str


class FileOut(Schema):
    name: str
    content_type: str
    size: int
    sha256: str


class ChecklistOut(Schema):
    component: int | None
    order: int
    name: str
    originals: int
    copies: int
    required: bool
    present: bool
    files: list[FileOut]


class ApplicantOut(Schema):
    kind: str
    identifier: str
    name: str
    phone: str
    email: str
    address: str


class AuthorisedOut(Schema):
    name: str
    identifier: str


class DossierOut(Schema):
    code: str
    status: str
    status_label: str
    channel: str
    return_channel: str
    agency: str
    desk: str
    version: VersionOut
    case: CaseOut
    applicant: ApplicantOut
    authorised: AuthorisedOut | None
    submitted_at: str | None
    received_at: str | None
    handover_at: str | None
    due_at: str | None
    postal_waybill: str
    postal_handed_on: dt.date | None
    returned_at: str | None
    returned_to: str
    return_waybill: str
    return_handed_on: dt.date | None
    checklist: list[ChecklistOut]
    notes: list[str]


# -- helpers -------------------------------------------------------------------------------------


def _iso(value: dt.datetime | None) -> str | None:
    """ISO 8601 in Vietnam time (+07:00), whatever zone the database returned."""
    return timezone.localtime(value).isoformat() if value is not None else None


def dossier_out(dossier: Dossier) -> dict:
    version, case = dossier.version, dossier.case
    items = list(dossier.checklist.all())
    files_by_item: dict[int | None, list] = {}
    for stored in dossier.files.all():
        files_by_item.setdefault(stored.checklist_item_id, []).append(
            {"name": stored.original_name, "content_type": stored.content_type, "size": stored.size,
             "sha256": stored.sha256})
    appointment = getattr(dossier, "appointment", None)
    return {
        "code": dossier.code, "status": dossier.status, "status_label": str(dossier.get_status_display()),
        "channel": dossier.channel, "return_channel": dossier.return_channel,
        "agency": dossier.agency.code, "desk": dossier.desk.code,
        "version": {"procedure": version.procedure.code, "name": version.name,
                    "effective_from": version.effective_from, "decision": version.decision.number},
        "case": {"id": case.pk, "name": str(case), "processing_time": f"{case.processing_time.normalize():f}",
                 "time_unit": case.time_unit},
        "applicant": {"kind": dossier.applicant_kind, "identifier": dossier.applicant_identifier,
                      "name": dossier.applicant_name, "phone": dossier.applicant_phone,
                      "email": dossier.applicant_email, "address": dossier.applicant_address},
        "authorised": {"name": dossier.authorised_name, "identifier": dossier.authorised_identifier}
        if dossier.authorised_name else None,
        "submitted_at": _iso(dossier.submitted_at), "received_at": _iso(dossier.received_at),
        "handover_at": _iso(dossier.handover_at), "due_at": _iso(dossier.due_at),
        "postal_waybill": dossier.postal_waybill, "postal_handed_on": dossier.postal_handed_on,
        "returned_at": _iso(dossier.returned_at), "returned_to": dossier.returned_to,
        "return_waybill": dossier.return_waybill, "return_handed_on": dossier.return_handed_on,
        "checklist": [
            {"component": item.component_id, "order": item.order, "name": item.name, "originals": item.originals,
             "copies": item.copies, "required": item.required, "present": item.present,
             "files": files_by_item.get(item.pk, [])}
            for item in items
        ],
        "notes": list(appointment.notes) if appointment is not None else [],
    }


def _load(dossier: Dossier) -> Dossier:
    """The dossier with what `dossier_out` reads, in a few queries."""
    fresh = (Dossier.objects.select_related("version__procedure", "version__decision", "case", "desk", "agency")
             .prefetch_related("checklist", "files").get(pk=dossier.pk))
    if hasattr(dossier, "appointment"):
        fresh.appointment = dossier.appointment
    return fresh


def parse_date(value: str) -> dt.date | None:
    """`YYYY-MM-DD` or `dd/mm/yyyy`; None when blank; ValueError when neither."""
    value = (value or "").strip()
    if not value:
        return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(value, fmt).date()  # noqa: DTZ007 - a date, no time part
        except ValueError:
            continue
    raise ValueError(value)


def one_stop_desks(user: User) -> list[Unit]:
    """Units where the caller holds the one-stop officer role today (delegations included)."""
    return [g.unit for g in grants_of(user) if g.role == Role.ONE_STOP_OFFICER]


def _may_receive_at(user: User, desk: Unit) -> bool:
    return any(desk.pk == unit.pk or (desk.path.startswith(unit.path) and grant.includes_subunits)
               for grant in grants_of(user) if grant.role == Role.ONE_STOP_OFFICER
               for unit in [grant.unit])


def _add(errors: dict[str, list[str]], field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


PYDANTIC_FIELDS = {"applicant": "applicant", "files": "files", "components": "components", "reused": "reused"}


def _schema_errors(exc: PydanticError) -> dict[str, list[str]]:
    """Ninja/pydantic's English errors → one Vietnamese message per field of the counter form."""
    errors: dict[str, list[str]] = {}
    for err in exc.errors():
        loc = [str(part) for part in err.get("loc", ())]
        if loc and loc[0] == "applicant" and len(loc) > 1 and not loc[1].isdigit():
            field = f"applicant_{loc[1]}"
        elif loc:
            field = loc[0]
        else:
            field = "__all__"
        if err.get("type") == "missing":
            message = _("Cần nhập trường này.")
        else:
            message = _("Giá trị không đúng kiểu dữ liệu.")
        if message not in errors.get(field, []):
            _add(errors, field, message)
    return errors


# -- reading the body into an intake request ---------------------------------------------------


def _find_version(code: str, day: dt.date, errors: dict[str, list[str]]) -> ProcedureVersion | None:
    normal = normalize_procedure_code(code)
    if normal is None:
        _add(errors, "procedure", _("Mã thủ tục “%(code)s” không đúng dạng (ví dụ 1.013934).") % {"code": code})
        return None
    version = version_in_force(normal, on=day)
    if version is not None:
        return version
    latest = (ProcedureVersion.objects.filter(procedure__code=normal).select_related("procedure")
              .order_by("-effective_from").first())
    if latest is None:
        _add(errors, "procedure", _("Không có thủ tục mã %(code)s trong danh mục.") % {"code": normal})
        return None
    case = latest.cases.first()
    if case is None:
        _add(errors, "procedure", _("Thủ tục mã %(code)s không còn hiệu lực.") % {"code": normal})
        return None
    validate_version(latest, case, day, errors)
    return None


def _find_case(version: ProcedureVersion, ref: int | str | None, errors: dict[str, list[str]]
               ) -> ProcedureCase | None:
    cases = list(version.cases.all())
    if ref is None or (isinstance(ref, str) and not ref.strip()):
        if not cases:
            _add(errors, "case", _("Thủ tục chưa có trường hợp nào để tiếp nhận."))
        return cases[0] if cases else None
    for case in cases:
        if (isinstance(ref, int) and case.pk == ref) or (isinstance(ref, str) and (
                ref.strip() == str(case.pk) or fold(nfc(ref)) == fold(case.name or ""))):
            return case
    _add(errors, "case", _("Thủ tục không có trường hợp “%(case)s”.") % {"case": ref})
    return None


def _find_component(case: ProcedureCase, ref: int | str) -> int | None:
    for component in case.components.all():
        if (isinstance(ref, int) and component.pk == ref) or (isinstance(ref, str) and (
                ref.strip() == str(component.pk) or fold(nfc(ref)) == fold(component.name))):
            return component.pk
    return None


def _read_files(items: list[FileIn], case: ProcedureCase | None, errors: dict[str, list[str]]
                ) -> list[tuple[int | None, CheckedFile]]:
    decoded: list[tuple[int | None, str, bytes]] = []
    for item in items:
        name = nfc(item.name).strip() or "tep"
        try:
            content = base64.b64decode(item.content_base64, validate=True)
        except (binascii.Error, ValueError):
            _add(errors, "files", _("Tệp “%(name)s”: nội dung không phải base64 hợp lệ.") % {"name": name})
            continue
        component_id = None
        if item.component is not None and case is not None:
            component_id = _find_component(case, item.component)
            if component_id is None:
                _add(errors, "files", _("Tệp “%(name)s” gắn với thành phần “%(component)s” không có trong "
                                        "trường hợp đã chọn.") % {"name": name, "component": item.component})
                continue
        decoded.append((component_id, name, content))
    if "files" in errors:
        return []
    try:
        checked = check_files([(name, content) for _component, name, content in decoded])
    except FileCheckError as exc:
        _add(errors, "files", str(exc))
        return []
    return [(component_id, item) for (component_id, _name, _content), item in zip(decoded, checked, strict=True)]


def build_request(body: DossierIn, user: User, received_at: dt.datetime) -> IntakeRequest:
    """Everything the API was sent, resolved against the catalog and the caller's desks; raises
    IntakeError with every problem found (the applicant's own checks included)."""
    errors: dict[str, list[str]] = {}
    day = timezone.localtime(received_at).date()

    desk = None
    if body.desk:
        desk = Unit.objects.filter(code=body.desk.strip()).first()
        if desk is None:
            _add(errors, "desk", _("Không có bộ phận tiếp nhận mang mã %(code)s.") % {"code": body.desk})
        elif not _may_receive_at(user, desk):
            _add(errors, "desk", _("Bạn không phải cán bộ Một cửa của “%(desk)s”.") % {"desk": desk.name})
            desk = None
    else:
        desks = one_stop_desks(user)
        desk = desks[0] if desks else None

    version = _find_version(body.procedure, day, errors)
    case = _find_case(version, body.case, errors) if version is not None else None

    present: set[int] = set()
    if case is not None:
        for ref in body.components:
            component_id = _find_component(case, ref)
            if component_id is None:
                _add(errors, "components", _("Không có thành phần hồ sơ “%(component)s” trong trường hợp đã chọn.")
                     % {"component": ref})
            else:
                present.add(component_id)
    files = _read_files(body.files, case, errors)
    reused: list[tuple[int, int]] = []
    if case is not None:
        for item in body.reused:
            component_id = _find_component(case, item.component)
            if component_id is None:
                _add(errors, "reused", _("Không có thành phần hồ sơ “%(component)s” trong trường hợp đã chọn.")
                     % {"component": item.component})
            elif not 0 < item.record < 2**63:
                _add(errors, "reused", _("Mã giấy tờ trong kho “%(record)s” không hợp lệ.") % {"record": item.record})
            else:
                reused.append((component_id, item.record))
    present |= {component_id for component_id, _checked in files if component_id is not None}

    birth_date = handed_on = None
    try:
        birth_date = parse_date(body.applicant.birth_date)
        if birth_date is not None and birth_date > day:
            _add(errors, "applicant_birth_date", _("Ngày sinh không thể sau ngày tiếp nhận."))
    except ValueError:
        _add(errors, "applicant_birth_date", _("Ngày sinh phải theo dạng dd/mm/yyyy hoặc YYYY-MM-DD."))
    try:
        handed_on = parse_date(body.postal_handed_on)
        if handed_on is not None and handed_on > day:
            _add(errors, "postal_handed_on", _("Ngày bưu điện chuyển không thể sau ngày tiếp nhận."))
    except ValueError:
        _add(errors, "postal_handed_on", _("Ngày bưu điện chuyển phải theo dạng dd/mm/yyyy hoặc YYYY-MM-DD."))
    email = nfc(body.applicant.email).strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            _add(errors, "applicant_email", _("Địa chỉ thư điện tử không hợp lệ."))
    if not 1 <= body.sets_count <= 99:
        _add(errors, "sets_count", _("Số bộ hồ sơ phải từ 1 đến 99."))

    applicant = ApplicantData(kind=body.applicant.kind, identifier=body.applicant.identifier,
                              name=body.applicant.name, birth_date=birth_date, phone=body.applicant.phone,
                              email=email, address=body.applicant.address)
    authorised = body.authorised or AuthorisedIn()
    authorised_name, authorised_identifier = nfc(authorised.name), nfc(authorised.identifier)
    if errors:
        # Report the applicant's and the authorised person's problems too, so the caller fixes everything
        # in one go.
        validate_applicant(applicant.normalised(), errors)
        validate_authorised(" ".join(authorised_name.split()), "".join(authorised_identifier.split()), errors)
        raise IntakeError(errors)
    return IntakeRequest(version=version, case=case, channel=body.channel, applicant=applicant, desk=desk,
                         present_components=present, files=files, reused=reused,
                         return_channel=body.return_channel, authorised_name=authorised_name,
                         authorised_identifier=authorised_identifier, sets_count=body.sets_count, postal_waybill=nfc(body.postal_waybill),
                         postal_handed_on=handed_on, received_at=received_at)


def _reuse_errors_named(errors: dict[str, list[str]], case: ProcedureCase) -> dict[str, list[str]]:
    """The action reports a reuse problem per component (`reuse_<id>`, the counter form's field); the
    API reports them under `reused`, each naming its component."""
    names = {reuse_field(c.pk): c.name for c in case.components.all()}
    out: dict[str, list[str]] = {}
    for field, messages in errors.items():
        if field in names:
            for message in messages:
                _add(out, "reused", _("Thành phần “%(component)s”: %(message)s")
                     % {"component": names[field], "message": message})
        else:
            out.setdefault(field, []).extend(messages)
    return out


def request_digest(body: DossierIn) -> str:
    """SHA-256 of the request as validated (values left at their default omitted, keys sorted, dates as
    typed): the same dossier sent twice gives the same digest whatever the key order or whitespace of its
    JSON, whether a default is spelled out, and after an optional field is added to the schema."""
    canonical = json.dumps(body.model_dump(mode="json", exclude_defaults=True), sort_keys=True, ensure_ascii=False,
                           separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def same_request(dossier: Dossier, digest: str) -> bool:
    """The dossier made with an idempotency key answers this request: same digest, or none stored (a
    dossier received before digests were kept, or through the counter screen)."""
    return not dossier.idempotency_digest or dossier.idempotency_digest == digest


def _key_reused() -> dict:
    return {"errors": {"idempotency_key": [_(
        "Khóa Idempotency-Key đã được dùng cho một yêu cầu khác; hãy gửi yêu cầu mới với khóa mới, "
        "hoặc gửi lại đúng nội dung của yêu cầu đã dùng khóa này.")]}}


def _client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


# -- endpoints -----------------------------------------------------------------------------------


@router.post(
    "/dossiers",
    response={200: DossierOut, 201: DossierOut, 403: ErrorsOut, 413: ErrorsOut, 422: ErrorsOut},
    summary="Tiếp nhận hồ sơ (cán bộ Một cửa)",
    openapi_extra={"requestBody": {"required": True, "content": {"application/json": {
        "schema": DossierIn.model_json_schema(ref_template="#/components/schemas/{model}")}}},
        "parameters": [{"in": "header", "name": "Idempotency-Key", "required": False,
                        "schema": {"type": "string", "maxLength": IDEMPOTENCY_KEY_MAX},
                        "description": "Gửi lại cùng khóa và cùng nội dung → trả lại đúng hồ sơ đã tạo, không tạo mới; "
                                       "cùng khóa nhưng nội dung khác → 422."}]},
)
def create_dossier(request):
    """Receive a complete dossier. 201 with its code and appointment; 200 for a retry with the same
    `Idempotency-Key` and body; 422 `{"errors": {field: [message]}}` with nothing saved (also for the same
    key with another body)."""
    user: User = request.auth
    if Role.ONE_STOP_OFFICER not in roles_of(user):
        return Status(403, {"errors": {"__all__": [_("Chỉ cán bộ Một cửa mới được tiếp nhận hồ sơ.")]}})
    key = (request.headers.get("Idempotency-Key") or "").strip()
    if len(key) > IDEMPOTENCY_KEY_MAX:
        return Status(422, {"errors": {"idempotency_key": [
            _("Idempotency-Key dài tối đa %(max)s ký tự.") % {"max": IDEMPOTENCY_KEY_MAX}]}})
    # Keys are per caller: another person's key can never return their dossier.
    stored_key = f"api:{user.pk}:{key}" if key else None
    try:
        raw: Any = json.loads(request.body or b"{}")
    except RequestDataTooBig:
        return Status(413, {"errors": {"files": [_("Yêu cầu quá lớn; hãy gửi tệp nhỏ hơn hoặc ít tệp hơn mỗi lần.")]}})
    except (ValueError, UnicodeDecodeError):
        return Status(422, {"errors": {"__all__": [_("Nội dung yêu cầu không phải JSON hợp lệ.")]}})
    try:
        body = DossierIn.model_validate(raw)
    except PydanticError as exc:
        return Status(422, {"errors": _schema_errors(exc)})
    digest = request_digest(body) if stored_key else ""
    if stored_key:
        existing = Dossier.objects.filter(idempotency_key=stored_key).first()
        if existing is not None:
            if not same_request(existing, digest):
                return Status(422, _key_reused())
            return Status(200, dossier_out(_load(existing)))
    try:
        intake = build_request(body, user, timezone.now())
    except IntakeError as exc:
        return Status(422, {"errors": exc.errors})
    try:
        dossier = receive_dossier(request=intake, acting_user=user, ip=_client_ip(request),
                                  idempotency_key=stored_key, idempotency_digest=digest)
    except IntakeError as exc:
        return Status(422, {"errors": _reuse_errors_named(exc.errors, intake.case)})
    if not same_request(dossier, digest):  # a twin with another body won the key meanwhile
        return Status(422, _key_reused())
    created = hasattr(dossier, "appointment")  # set only by the call that created it
    return Status(201 if created else 200, dossier_out(_load(dossier)))


@router.get("/dossiers/{code}", response={200: DossierOut, 404: ErrorsOut}, summary="Một hồ sơ theo mã")
def get_dossier(request, code: str):
    """The dossier, for officers of a unit that received or handles it; 404 for everyone else."""
    dossier = dossier_for(request.auth, code)
    if dossier is None:
        return Status(404, {"errors": {"code": [_("Không tìm thấy hồ sơ %(code)s.") % {"code": code}]}})
    return Status(200, dossier_out(_load(dossier)))
