"""The records store's part in an intake (registered in RecordsConfig.ready through
`dossiers.intake.register_intake_extension`): offer the applicant's valid documents for the
components that name a document type, check the officer's choices, and attach them as reuses
inside the intake's own transaction — an expired or foreign document undoes the whole intake."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from motcua.dossiers.intake import ApplicantData, IntakeError, IntakeRequest, ReuseOffer, reuse_field
from motcua.dossiers.models import Applicant, ChecklistItem, Dossier
from motcua.org.models import User
from motcua.records.actions import RecordError, reuse_record
from motcua.records.models import Record
from motcua.records.selectors import offer_for


def offers(*, applicant_kind: str, identifier: str, document_types: set[str], day: dt.date) -> list[ReuseOffer]:
    applicant = Applicant.objects.filter(kind=applicant_kind, identifier=identifier).first()
    if applicant is None:
        return []
    return [ReuseOffer(record_id=r.pk, name=r.name, document_type=r.document_type, valid_until=r.valid_until)
            for r in offer_for(applicant, document_types, on=day)]


def check(*, request: IntakeRequest, applicant: ApplicantData, day: dt.date, errors: dict[str, list[str]]) -> None:
    """Every chosen document exists, belongs to this applicant, is valid on the intake day and is of the
    type the component asks for; each problem goes next to its component."""
    components = {c.pk: c for c in request.case.components.all()}
    records = Record.objects.select_related("applicant").in_bulk([record_id for _c, record_id in request.reused])
    for component_id, record_id in request.reused:
        component = components.get(component_id)
        record = records.get(record_id)
        field = reuse_field(component_id)
        if component is None:
            continue  # reported by the intake itself
        if record is None:
            errors.setdefault(field, []).append(_("Giấy tờ đã chọn không còn trong kho dữ liệu."))
        elif (record.applicant.kind, record.applicant.identifier) != (applicant.kind, applicant.identifier):
            errors.setdefault(field, []).append(_("Giấy tờ này không thuộc người nộp hồ sơ."))
        elif not record.is_valid_on(day):
            errors.setdefault(field, []).append(
                _("Giấy tờ “%(name)s” đã hết hiệu lực ngày %(day)s.")
                % {"name": record.name, "day": record.valid_until.strftime("%d/%m/%Y")})
        elif not component.document_type or component.document_type != record.document_type:
            errors.setdefault(field, []).append(
                _("Giấy tờ “%(name)s” không phải loại giấy tờ mà thành phần “%(component)s” cần.")
                % {"name": record.name, "component": component.name})


def apply(*, dossier: Dossier, request: IntakeRequest, checklist: dict[int, ChecklistItem],
          acting_user: User | None) -> None:
    records = Record.objects.in_bulk([record_id for _c, record_id in request.reused])
    for component_id, record_id in request.reused:
        record = records.get(record_id)
        if record is None:  # deleted between the check and now
            raise IntakeError({reuse_field(component_id): [_("Giấy tờ đã chọn không còn trong kho dữ liệu.")]})
        try:
            reuse_record(record=record, dossier=dossier, checklist_item=checklist.get(component_id),
                         acting_user=acting_user, at=dossier.received_at)
        except RecordError as exc:
            raise IntakeError({reuse_field(component_id): [str(exc)]}) from None
