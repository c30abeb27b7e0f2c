"""Intake at the one-stop desk (DOMAIN B.1.2): receive a complete dossier with a receipt and an
appointment, or give a supplement request listing everything missing, or refuse with reasons.

Each outcome is one transaction with its history row and audit entry. A retried request with the
same idempotency key returns the dossier of the first one.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TypeVar

from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.db.models.signals import post_save, pre_save
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua import workdays
from motcua.catalog.models import ChangeKind, ProcedureCase, ProcedureVersion, TimeUnit
from motcua.dossiers.codes import (
    BOOK_SERIES,
    book_key,
    claim_numbers,
    claim_numbers_sql,
    format_code,
    next_number,
)
from motcua.dossiers.files import CheckedFile
from motcua.dossiers.models import (
    Applicant,
    ApplicantKind,
    Channel,
    ChecklistItem,
    Dossier,
    DossierEvent,
    DossierFile,
    FormSet,
    IntakeNotice,
    ReturnChannel,
    Status,
)
from motcua.lib.identifiers import is_enterprise_code, is_mobile, personal_id_problem
from motcua.lib.inserts import Insert, JsonRowsInsert
from motcua.lib.text import fold, nfc
from motcua.org.audit import record_audit, take_seq_sql
from motcua.org.calendar import closures_digest_sql, schedule_for_digest, schedule_for_unit
from motcua.org.models import Unit, User

M = TypeVar("M", Dossier, IntakeNotice)
TT03_FROM = dt.date(2025, 7, 1)
WARN_REMAINING_SHARE = 0.25


class IntakeError(ValueError):
    """Bad intake input: `errors` maps a form field (or "__all__") to Vietnamese messages."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__("; ".join(m for msgs in errors.values() for m in msgs))


@dataclass
class ApplicantData:
    kind: str
    identifier: str
    name: str
    birth_date: dt.date | None = None
    phone: str = ""
    email: str = ""
    address: str = ""

    def normalised(self) -> ApplicantData:
        return ApplicantData(kind=self.kind, identifier=nfc(self.identifier).replace(" ", ""), name=nfc(self.name),
                             birth_date=self.birth_date, phone=nfc(self.phone).replace(" ", "").replace(".", ""),
                             email=nfc(self.email), address=nfc(self.address))


@dataclass
class IntakeRequest:
    version: ProcedureVersion
    case: ProcedureCase
    channel: str
    applicant: ApplicantData
    desk: Unit
    present_components: set[int] = field(default_factory=set)
    files: list[tuple[int | None, CheckedFile]] = field(default_factory=list)
    return_channel: str = ReturnChannel.COUNTER
    sets_count: int = 1
    postal_waybill: str = ""
    postal_handed_on: dt.date | None = None
    received_at: dt.datetime | None = None
    same_day: bool = False
    # Someone submitting on the applicant's behalf (người được ủy quyền): both or neither.
    authorised_name: str = ""
    authorised_identifier: str = ""
    # Documents the applicant already has in their records, attached instead of a new paper:
    # (component id, record id). They count as present; an intake extension checks and attaches them.
    reused: list[tuple[int, int]] = field(default_factory=list)

    def all_present(self) -> set[int]:
        return set(self.present_components) | {component_id for component_id, _record in self.reused}


# -- extensions ---------------------------------------------------------------------------------
# Modules above dossiers (DESIGN.md: lower modules never import higher ones) take part in an intake
# through this registry; the records store registers the reuse of documents it holds.


@dataclass(frozen=True)
class ReuseOffer:
    """A document the applicant already holds that may stand in for a component."""

    record_id: int
    name: str
    document_type: str
    valid_until: dt.date | None


@dataclass(frozen=True)
class IntakeExtension:
    name: str
    # (dossier=, request=, checklist={component id: ChecklistItem}, acting_user=): runs inside the intake's
    # transaction after the checklist is written; raising IntakeError undoes the whole intake.
    apply: Callable[..., None]
    # (request=, applicant=ApplicantData (normalised), day=, errors=): adds messages, writes nothing.
    check: Callable[..., None] | None = None
    # (applicant_kind=, identifier=, document_types=, day=) -> list[ReuseOffer]
    offers: Callable[..., list[ReuseOffer]] | None = None


_EXTENSIONS: dict[str, IntakeExtension] = {}


def register_intake_extension(apply: Callable[..., None], *, name: str, check: Callable[..., None] | None = None,
                              offers: Callable[..., list[ReuseOffer]] | None = None) -> None:
    """Called from an AppConfig.ready(); registering the same name again replaces it."""
    _EXTENSIONS[name] = IntakeExtension(name=name, apply=apply, check=check, offers=offers)


def reuse_offers(*, applicant_kind: str, identifier: str, document_types: set[str],
                 day: dt.date) -> list[ReuseOffer]:
    """What the registered extensions offer for reuse to this applicant (empty when none is installed)."""
    identifier = nfc(identifier or "").replace(" ", "")
    if not identifier or not document_types:
        return []
    found: list[ReuseOffer] = []
    for extension in _EXTENSIONS.values():
        if extension.offers is not None:
            found.extend(extension.offers(applicant_kind=applicant_kind, identifier=identifier,
                                          document_types=document_types, day=day))
    return found


def reuse_field(component_id: int) -> str:
    """The form field (and error key) of a component's reuse choice."""
    return f"reuse_{component_id}"


def form_set_for(day: dt.date) -> str:
    """TT 01/2018 slips before 01/07/2025, TT 03/2025 from then on (DOMAIN A.3)."""
    return FormSet.TT01_2018 if day < TT03_FROM else FormSet.TT03_2025


def case_duration(case: ProcedureCase) -> dt.timedelta:
    value = Decimal(case.processing_time)
    if case.time_unit == TimeUnit.HOURS:
        return workdays.working_hours(value)
    return workdays.working_days(value)


def validate_applicant(data: ApplicantData, errors: dict[str, list[str]]) -> None:
    if data.kind not in ApplicantKind.values:
        errors.setdefault("applicant_kind", []).append(_("Loại người nộp không hợp lệ."))
    elif data.kind == ApplicantKind.CITIZEN:
        problem = personal_id_problem(data.identifier, birth_date=data.birth_date)
        if problem:
            errors.setdefault("applicant_identifier", []).append(problem)
    elif not is_enterprise_code(data.identifier):
        errors.setdefault("applicant_identifier", []).append(
            _("Mã số doanh nghiệp phải gồm 10 chữ số (đơn vị phụ thuộc thêm -NNN)."))
    if not data.name:
        errors.setdefault("applicant_name", []).append(_("Cần nhập họ tên người nộp hoặc tên tổ chức."))
    if data.phone and not (is_mobile(data.phone) or (data.phone.startswith("02") and 10 <= len(data.phone) <= 11
                                                      and data.phone.isdigit())):
        errors.setdefault("applicant_phone", []).append(
            _("Số điện thoại không hợp lệ (di động 10 số bắt đầu 03/05/07/08/09, hoặc số cố định 02xx…)."))


def validate_authorised(name: str, identifier: str, errors: dict[str, list[str]]) -> None:
    """The authorised person is optional; when given, a name and a valid personal ID number (12 digits)."""
    if identifier and not name:
        errors.setdefault("authorised_name", []).append(_("Cần nhập họ tên người được ủy quyền."))
    if name and not identifier:
        errors.setdefault("authorised_identifier", []).append(
            _("Cần nhập số định danh cá nhân của người được ủy quyền."))
    elif identifier:
        problem = personal_id_problem(identifier)
        if problem:
            errors.setdefault("authorised_identifier", []).append(problem)


def validate_version(version: ProcedureVersion, case: ProcedureCase, day: dt.date,
                     errors: dict[str, list[str]]) -> None:
    if case.version_id != version.pk:
        errors.setdefault("case", []).append(_("Trường hợp không thuộc thủ tục đã chọn."))
    in_force = (version.kind != ChangeKind.ABOLISHED and version.effective_from <= day
                and (version.effective_to is None or version.effective_to >= day))
    if not in_force:
        errors.setdefault("procedure", []).append(
            _("Thủ tục “%(name)s” không còn hiệu lực vào ngày %(day)s.")
            % {"name": version.name, "day": day.strftime("%d/%m/%Y")})


def _check_reused(request: IntakeRequest, applicant: ApplicantData, day: dt.date,
                  errors: dict[str, list[str]]) -> None:
    if not request.reused:
        return
    components = {c.pk for c in request.case.components.all()}
    for component_id, _record_id in request.reused:
        if component_id not in components:
            errors.setdefault("reused", []).append(
                _("Thành phần hồ sơ %(component)s không có trong trường hợp đã chọn.") % {"component": component_id})
    if len({component_id for component_id, _record in request.reused}) != len(request.reused):
        errors.setdefault("reused", []).append(_("Mỗi thành phần hồ sơ chỉ dùng một giấy tờ trong kho."))
    checkers = [e.check for e in _EXTENSIONS.values() if e.check is not None]
    if not _EXTENSIONS:
        errors.setdefault("reused", []).append(_("Chưa kết nối kho dữ liệu điện tử: không dùng lại được giấy tờ."))
    for check in checkers:
        check(request=request, applicant=applicant, day=day, errors=errors)


def missing_components(case: ProcedureCase, present: set[int]) -> list[str]:
    return [c.name for c in case.components.all() if c.required and c.pk not in present]


def _applicant_upsert_sql(data: ApplicantData) -> tuple[str, list, str]:
    """(SQL, params, search text) of the applicant upsert: insert, or merge what was typed now into the
    earlier record (a blank field keeps the old value), race-free (PostgreSQL and SQLite both have
    ON CONFLICT … RETURNING). Returns id, name, birth_date, phone, email, address, user_id."""
    table = connection.ops.quote_name(Applicant._meta.db_table)
    search_text = fold(f"{data.name} {data.identifier} {data.phone}")

    def keep_if_blank(column: str) -> str:
        return f"{column} = CASE WHEN excluded.{column} <> '' THEN excluded.{column} ELSE {table}.{column} END"

    sql = (f"INSERT INTO {table} (kind, identifier, name, birth_date, phone, email, address, search_text, "
           f"updated_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT (kind, identifier) DO UPDATE SET "
           f"{keep_if_blank('name')}, birth_date = COALESCE(excluded.birth_date, {table}.birth_date), "
           f"{keep_if_blank('phone')}, {keep_if_blank('email')}, {keep_if_blank('address')}, "
           f"updated_at = excluded.updated_at "
           f"RETURNING id, name, birth_date, phone, email, address, user_id")
    params = [data.kind, data.identifier, data.name, data.birth_date, data.phone, data.email, data.address,
              search_text, timezone.now()]
    return sql, params, search_text


def _applicant_from_row(data: ApplicantData, row, search_text: str, cursor) -> Applicant:
    pk, name, birth_date, phone, email, address, user_id = row
    if isinstance(birth_date, str):  # SQLite returns the text of the column
        birth_date = dt.date.fromisoformat(birth_date)
    merged_search = search_text if (name, phone) == (data.name, data.phone) else fold(
        f"{name} {data.identifier} {phone}")
    if merged_search != search_text:  # rare: the earlier name or phone was kept
        table = connection.ops.quote_name(Applicant._meta.db_table)
        cursor.execute(f"UPDATE {table} SET search_text = %s WHERE id = %s", [merged_search, pk])
    applicant = Applicant(pk=pk, kind=data.kind, identifier=data.identifier, name=name, birth_date=birth_date,
                          phone=phone, email=email, address=address, user_id=user_id, search_text=merged_search,
                          updated_at=timezone.now())
    applicant._state.adding = False
    applicant._state.db = connection.alias
    return applicant


def _upsert_applicant(data: ApplicantData) -> Applicant:
    """Insert the applicant or merge into the earlier record, in one statement (`_applicant_upsert_sql`)."""
    sql, params, search_text = _applicant_upsert_sql(data)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return _applicant_from_row(data, cursor.fetchone(), search_text, cursor)


AGENCY_KINDS = frozenset({Unit.Kind.AGENCY, Unit.Kind.SERVICE_CENTRE, Unit.Kind.COMMUNE, Unit.Kind.PROVINCE})


def handling_unit_of(version: ProcedureVersion) -> Unit:
    """The agency that owns the dossier code: the version's agency itself in the usual case (no query),
    else its nearest agency ancestor (`Unit.agency`)."""
    agency = version.agency
    return agency if agency.kind in AGENCY_KINDS else agency.agency()


def once_per_key(idempotency_key: str | None, create: Callable[[], M], model: type[M] = Dossier) -> M:
    """Run `create` unless a `model` row (a dossier by default, or an intake notice) with this idempotency
    key exists. When a concurrent twin wins the unique index first, its row is returned instead of the
    IntegrityError (`create` must be atomic, so that inside an outer transaction only its savepoint is
    undone)."""
    if idempotency_key:
        existing = model.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing
    try:
        return create()
    except IntegrityError:
        if idempotency_key:
            existing = model.objects.filter(idempotency_key=idempotency_key).first()
            if existing is not None:
                return existing
        raise


def receive_dossier(*, request: IntakeRequest, acting_user: User | None, ip: str | None = None,
                    idempotency_key: str | None = None, idempotency_digest: str = "") -> Dossier:
    """Receive a complete dossier: code, frozen version, appointment, checklist, files, history, audit.
    With a key, a dossier already made with it is returned as is; `idempotency_digest` (the API's digest
    of the request) is stored with the key so that the caller can tell a retry from another request."""
    return once_per_key(idempotency_key, lambda: _receive(request=request, acting_user=acting_user, ip=ip,
                                                          idempotency_key=idempotency_key,
                                                          idempotency_digest=idempotency_digest))


@transaction.atomic
def _receive(*, request: IntakeRequest, acting_user: User | None, ip: str | None,
             idempotency_key: str | None, idempotency_digest: str = "") -> Dossier:
    received_at = request.received_at or timezone.now()
    local_day = timezone.localtime(received_at).date()
    applicant_data = request.applicant.normalised()
    errors: dict[str, list[str]] = {}
    validate_version(request.version, request.case, local_day, errors)
    validate_applicant(applicant_data, errors)
    authorised_name = " ".join(request.authorised_name.split())
    authorised_identifier = "".join(request.authorised_identifier.split())
    validate_authorised(authorised_name, authorised_identifier, errors)
    if request.channel not in Channel.values:
        errors.setdefault("channel", []).append(_("Hình thức nộp không hợp lệ."))
    if request.return_channel not in ReturnChannel.values:
        errors.setdefault("return_channel", []).append(_("Hình thức nhận kết quả không hợp lệ."))
    if request.channel == Channel.POSTAL and not request.postal_waybill.strip():
        errors.setdefault("postal_waybill", []).append(_("Hồ sơ qua bưu chính cần mã vận đơn."))
    if applicant_data.birth_date is not None and applicant_data.birth_date > local_day:
        errors.setdefault("applicant_birth_date", []).append(_("Ngày sinh không thể sau ngày tiếp nhận."))
    if request.postal_handed_on is not None and request.postal_handed_on > local_day:
        errors.setdefault("postal_handed_on", []).append(_("Ngày bưu điện chuyển không thể sau ngày tiếp nhận."))
    _check_reused(request, applicant_data, local_day, errors)
    if not errors:
        missing = missing_components(request.case, request.all_present())
        if missing:
            errors.setdefault("components", []).append(
                _("Hồ sơ chưa đủ thành phần bắt buộc: %(items)s. Hãy lập phiếu yêu cầu bổ sung.")
                % {"items": "; ".join(missing)})
    if errors:
        raise IntakeError(errors)

    handling_unit = handling_unit_of(request.version)
    duration = case_duration(request.case)
    fast = connection.vendor == "postgresql"
    if fast:  # applicant, code, book serial, dossier id and the closures' digest in one statement
        applicant, numbers, dossier_id, digest = _claim_pg(applicant_data, handling_unit, request.desk, local_day)
        schedule = schedule_for_digest(request.desk, digest)
    else:
        schedule = schedule_for_unit(request.desk)
        applicant = _upsert_applicant(applicant_data)
        numbers = claim_numbers([(handling_unit, "dossier", local_day), (request.desk, BOOK_SERIES,
                                                                         book_key(local_day))])
        dossier_id = None
    appointment = schedule.appointment(received_at, duration, request.channel, same_day=request.same_day)
    warn_at = schedule.warning_instant(appointment.clock_start, duration, remaining_share=WARN_REMAINING_SHARE)
    received_by = acting_user if acting_user and acting_user.is_authenticated else None
    dossier = Dossier(
        pk=dossier_id, code=format_code(handling_unit.code, local_day, numbers["dossier"]),
        book_serial=numbers[BOOK_SERIES],
        agency=handling_unit, desk=request.desk, handling_unit=handling_unit,
        version=request.version, case=request.case, status=Status.RECEIVED, channel=request.channel,
        return_channel=request.return_channel, form_set=form_set_for(local_day),
        applicant=applicant, applicant_kind=applicant.kind, applicant_identifier=applicant.identifier,
        applicant_name=applicant_data.name, applicant_phone=applicant_data.phone,
        applicant_email=applicant_data.email, applicant_address=applicant_data.address,
        authorised_name=authorised_name, authorised_identifier=authorised_identifier,
        sets_count=request.sets_count, submitted_at=received_at, received_at=received_at,
        clock_start=appointment.clock_start, handover_at=appointment.handover_at, due_at=appointment.due_at,
        warn_at=warn_at, received_by=received_by,
        postal_waybill=request.postal_waybill.strip(), postal_handed_on=request.postal_handed_on,
        idempotency_key=idempotency_key or None, idempotency_digest=idempotency_digest if idempotency_key else "",
        search_text=f"{fold(f'{applicant_data.name} {applicant.identifier}')} {_version_key(request.version)}",
    )
    present = request.all_present()
    components = list(request.case.components.all())
    event = DossierEvent(
        dossier=dossier, at=received_at, actor=received_by, action="receive", from_status="",
        to_status=Status.RECEIVED,
        data={"due_at": appointment.due_at.isoformat(), "handover_at": appointment.handover_at.isoformat(),
              "after_cutoff": appointment.after_cutoff, "notes": list(appointment.notes)},
    )
    reserved = None
    if fast:
        # The audit head is locked in the same statement only when nothing slow (file storage, extensions)
        # comes before the audit entry: the lock serialises every audited change of the system.
        needs_items = bool(request.files or request.reused)
        reserved, item_ids = _insert_pg(dossier, components, present, event, lock_audit=not needs_items)
        items = _checklist_items(dossier, components, present, item_ids) if needs_items else {}
    else:
        items = _checklist_items(dossier, components, present)
        dossier.save(force_insert=True)
        ChecklistItem.objects.bulk_create(items.values())
        event.save(force_insert=True)
    for component_id, checked in request.files:
        stored = DossierFile(dossier=dossier, checklist_item=items.get(component_id), original_name=checked.name,
                             content_type=checked.content_type, size=checked.size, sha256=checked.sha256,
                             uploaded_by=dossier.received_by,
                             source=DossierFile.Source.SCAN if request.channel != Channel.ONLINE
                             else DossierFile.Source.UPLOAD)
        stored.file.save(checked.name, ContentFile(checked.content), save=False)
        stored.save()
    if request.reused:
        for extension in _EXTENSIONS.values():
            extension.apply(dossier=dossier, request=request, checklist=items, acting_user=acting_user)
    record_audit(action="dossier.receive", obj=dossier, actor=acting_user, ip=ip, reserved=reserved,
                 after={"code": dossier.code, "procedure": request.version.procedure.code,
                        "case": request.case.pk, "channel": request.channel, "due_at": appointment.due_at,
                        "applicant": applicant.identifier})
    dossier.appointment = appointment  # for the caller's message (e.g. the 15:00 handover note)
    return dossier


# -- PostgreSQL hot path ----------------------------------------------------------------------------
# Same rows as the portable path above (the ORM's save/bulk_create), in two statements instead of six:
# data-modifying WITH clauses; each INSERT built once (`motcua.lib.inserts.Insert`) with the values
# prepared as save() prepares them; the signals of save() sent by hand.


def _claim_pg(data: ApplicantData, agency: Unit, desk: Unit, day: dt.date) -> tuple[Applicant, dict[str, int], int,
                                                                                    str]:
    """Upsert the applicant, take the dossier code's number and the book serial, reserve the dossier id
    and read the digest of the desk's closures — one statement."""
    applicant_sql, applicant_params, search_text = _applicant_upsert_sql(data)
    digest_sql, digest_params = closures_digest_sql(desk)
    dossiers = connection.ops.quote_name(Dossier._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH app AS ({applicant_sql}), num AS ({claim_numbers_sql(2)}) "
            f"SELECT app.id, app.name, app.birth_date, app.phone, app.email, app.address, app.user_id, "
            f"(SELECT last FROM num WHERE series = 'dossier'), (SELECT last FROM num WHERE series = %s), "
            f"nextval(pg_get_serial_sequence('{dossiers}', 'id')), {digest_sql} FROM app",
            [*applicant_params, agency.pk, "dossier", day, desk.pk, BOOK_SERIES, book_key(day), BOOK_SERIES,
             *digest_params])
        row = cursor.fetchone()
        applicant = _applicant_from_row(data, row[:7], search_text, cursor)
    return applicant, {"dossier": int(row[7]), BOOK_SERIES: int(row[8])}, int(row[9]), row[10]


def _checklist_items(dossier: Dossier, components: list, present: set[int],
                     ids: dict[int, int] | None = None) -> dict[int, ChecklistItem]:
    """The checklist as model instances by component id (saved ones when `ids` maps component → row id)."""
    items = {}
    for order, component in enumerate(components, start=1):
        item = ChecklistItem(dossier=dossier, component=component, order=order, name=component.name,
                             originals=component.originals, copies=component.copies, required=component.required,
                             present=component.pk in present)
        if ids is not None:
            item.pk = ids[component.pk]
            item._state.adding = False
            item._state.db = connection.alias
        items[component.pk] = item
    return items


CHECKLIST_COLUMNS = ("dossier_id", "component_id", "order", "name", "originals", "copies", "required", "present")


@functools.cache
def _inserts() -> tuple[Insert, JsonRowsInsert, JsonRowsInsert]:
    return (Insert(Dossier, with_pk=True), JsonRowsInsert(ChecklistItem, returning=("id", "component_id")),
            JsonRowsInsert(DossierEvent, returning=("id",)))


def _insert_pg(dossier: Dossier, components: list, present: set[int], event: DossierEvent,
               lock_audit: bool) -> tuple[tuple[int, str] | None, dict[int, int]]:
    """Dossier (its id reserved), checklist, history row and, when asked, the audit chain's next number —
    one statement of fixed text: the dossier's columns as parameters, the checklist rows and the history
    row as one JSON parameter each (under psycopg's 50-parameter limit for caching the statement's
    conversion). Returns the reserved (number, previous hash) or None, and the checklist ids by component."""
    for obj in (dossier, event):
        pre_save.send(sender=type(obj), instance=obj, raw=False, using=connection.alias, update_fields=None)
    dossiers, checklist, events = _inserts()
    sql, params = dossiers.statement([dossier])
    parts = [f"d AS ({sql})"]
    if components:
        parts.append(f"ci AS ({checklist.sql})")
        params.append(checklist.param([
            dict(zip(CHECKLIST_COLUMNS, (dossier.pk, c.pk, order, c.name, c.originals, c.copies, c.required,
                                         c.pk in present), strict=True))
            for order, c in enumerate(components, start=1)]))
    parts.append(f"ev AS ({events.sql})")
    params.append(events.param([JsonRowsInsert.row_of(event)]))
    if lock_audit:
        parts.append(f"head AS ({take_seq_sql()})")
    select = ["(SELECT id FROM ev)",
              "(SELECT json_agg(json_build_array(component_id, id)) FROM ci)" if components else "NULL",
              "(SELECT last_seq FROM head)" if lock_audit else "NULL",
              "(SELECT last_hash FROM head)" if lock_audit else "NULL"]
    with connection.cursor() as cursor:
        cursor.execute(f"WITH {', '.join(parts)} SELECT {', '.join(select)}", params)
        event_id, item_ids, seq, prev_hash = cursor.fetchone()
    event.pk = event_id
    for obj in (dossier, event):
        obj._state.adding = False
        obj._state.db = connection.alias
        post_save.send(sender=type(obj), instance=obj, created=True, update_fields=None, raw=False,
                       using=connection.alias)
    return ((int(seq), prev_hash) if seq is not None else None), dict(item_ids or [])


def _version_key(version: ProcedureVersion) -> str:
    """The procedure's part of a dossier's search text, `fold("<name> <code>")`, kept per version (the
    applicant's part is validated non-empty, so folding the two parts apart gives the same text)."""
    return _folded_version(version.pk, version.name, version.procedure.code)


@functools.lru_cache(maxsize=4096)
def _folded_version(_pk: int, name: str, code: str) -> str:
    return fold(f"{name} {code}")


def _notice_number(kind: str, desk: Unit, day: dt.date) -> str:
    series = "PBS" if kind == IntakeNotice.Kind.SUPPLEMENT else "PTC"
    seq = next_number(desk, day, series=series)
    return f"{seq:03d}/{series}-{desk.code}-{day:%y%m%d}"


def give_intake_notice(*, kind: str, version: ProcedureVersion, case: ProcedureCase, channel: str,
                       applicant: ApplicantData, desk: Unit, items: list[dict], reason: str,
                       acting_user: User | None, ip: str | None = None, dossier: Dossier | None = None,
                       issued_at: dt.datetime | None = None, idempotency_key: str | None = None) -> IntakeNotice:
    """A supplement request (everything missing, in one go) or a refusal; nothing is received.
    A double click or a retried request with the same idempotency key returns the first notice (same
    number, one history row, one audit entry)."""
    return once_per_key(idempotency_key, lambda: _give_notice(
        kind=kind, version=version, case=case, channel=channel, applicant=applicant, desk=desk, items=items,
        reason=reason, acting_user=acting_user, ip=ip, dossier=dossier, issued_at=issued_at,
        idempotency_key=idempotency_key), model=IntakeNotice)


@transaction.atomic
def _give_notice(*, kind: str, version: ProcedureVersion, case: ProcedureCase, channel: str,
                 applicant: ApplicantData, desk: Unit, items: list[dict], reason: str, acting_user: User | None,
                 ip: str | None, dossier: Dossier | None, issued_at: dt.datetime | None,
                 idempotency_key: str | None) -> IntakeNotice:
    issued_at = issued_at or timezone.now()
    data = applicant.normalised()
    errors: dict[str, list[str]] = {}
    if not data.name:
        errors.setdefault("applicant_name", []).append(_("Cần nhập họ tên người nộp hoặc tên tổ chức."))
    if kind == IntakeNotice.Kind.SUPPLEMENT and not items:
        errors.setdefault("components", []).append(_("Phiếu yêu cầu bổ sung cần liệt kê ít nhất một giấy tờ."))
    if kind == IntakeNotice.Kind.REFUSAL and not nfc(reason):
        errors.setdefault("reason", []).append(_("Phiếu từ chối cần nêu rõ lý do."))
    if errors:
        raise IntakeError(errors)
    day = timezone.localtime(issued_at).date()
    notice = IntakeNotice.objects.create(
        kind=kind, number=_notice_number(kind, desk, day), desk=desk, version=version, case=case, dossier=dossier,
        channel=channel, applicant_kind=data.kind, applicant_identifier=data.identifier, applicant_name=data.name,
        applicant_phone=data.phone, applicant_email=data.email, applicant_address=data.address,
        items=[{"name": nfc(i.get("name", "")), "reason": nfc(i.get("reason", ""))} for i in items],
        reason=nfc(reason), issued_at=issued_at, issued_by=acting_user if acting_user and acting_user.is_authenticated
        else None, form_set=form_set_for(day), idempotency_key=idempotency_key or None,
    )
    if dossier is not None:
        to_status = Status.REFUSED if kind == IntakeNotice.Kind.REFUSAL else Status.SUPPLEMENT_REQUESTED
        DossierEvent.objects.create(dossier=dossier, at=issued_at, actor=notice.issued_by, action=f"intake_{kind}",
                                    from_status=dossier.status, to_status=to_status, note=notice.reason)
        dossier.status = to_status
        dossier.save(update_fields=["status"])
    record_audit(action=f"intake.{kind}", obj=notice, actor=acting_user, ip=ip,
                 after={"number": notice.number, "procedure": version.procedure.code, "items": notice.items,
                        "reason": notice.reason, "applicant": data.identifier})
    return notice
