"""Writes on the records store. Each is one transaction with its audit entry."""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.dossiers.models import ChecklistItem, Dossier, DossierFile, Outcome, ResultDocument
from motcua.org.audit import record_audit
from motcua.org.models import User
from motcua.records.models import Record, Reuse


class RecordError(ValueError):
    pass


def _copy(record: Record, source_file, name: str) -> None:
    source_file.open("rb")
    try:
        record.file.save(name, ContentFile(source_file.read()), save=False)
    finally:
        source_file.close()


@transaction.atomic
def store_result(*, result: ResultDocument, acting_user: User | None = None) -> Record | None:
    """A digitized result lands in its holder's store (once), with the metadata of DOMAIN B.8."""
    dossier = result.dossier
    if dossier.outcome != Outcome.APPROVED:
        return None
    existing = Record.objects.filter(applicant=dossier.applicant, sha256=result.sha256).first()
    if existing is not None:
        return existing
    version = dossier.version
    record = Record(
        applicant=dossier.applicant, document_type=f"KQ-{version.procedure.code}", name=result.name,
        source=Record.Source.RESULT, content_type=result.content_type, size=result.size, sha256=result.sha256,
        number=result.number, issuer_code=dossier.agency.code, procedure_code=version.procedure.code,
        dossier_code=dossier.code, signer=result.signer, issued_on=result.signed_on, valid_until=result.valid_until,
        dossier=dossier, result=result)
    _copy(record, result.file, result.file.name.rsplit("/", 1)[-1])
    record.save()
    record_audit(action="records.store_result", obj=record, actor=acting_user,
                 after={"applicant": dossier.applicant.identifier, "dossier": dossier.code, "sha256": result.sha256})
    return record


@transaction.atomic
def store_components(*, dossier: Dossier, acting_user: User | None = None) -> list[Record]:
    """Components digitized at intake whose catalog component names a reusable document type."""
    stored = []
    files = DossierFile.objects.filter(dossier=dossier, source__in=[DossierFile.Source.SCAN, DossierFile.Source.UPLOAD],
                                       checklist_item__component__document_type__gt="").select_related(
        "checklist_item__component")
    for item in files:
        if Record.objects.filter(applicant=dossier.applicant, sha256=item.sha256).exists():
            continue
        record = Record(applicant=dossier.applicant, document_type=item.checklist_item.component.document_type,
                        name=item.checklist_item.name, source=Record.Source.COMPONENT,
                        content_type=item.content_type, size=item.size, sha256=item.sha256,
                        dossier_code=dossier.code, procedure_code=dossier.version.procedure.code, dossier=dossier,
                        dossier_file=item)
        _copy(record, item.file, item.original_name)
        record.save()
        stored.append(record)
    if stored:
        record_audit(action="records.store_components", obj=dossier, actor=acting_user,
                     after={"records": [r.pk for r in stored]})
    return stored


@transaction.atomic
def reuse_record(*, record: Record, dossier: Dossier, checklist_item: ChecklistItem | None,
                 acting_user: User | None, at: dt.datetime | None = None) -> Reuse:
    """Attach a record the applicant already holds to a dossier instead of a new paper."""
    at = at or timezone.now()
    if record.applicant_id != dossier.applicant_id:
        raise RecordError(_("Giấy tờ này không thuộc người nộp hồ sơ."))
    if not record.is_valid_on(timezone.localtime(at).date()):
        raise RecordError(_("Giấy tờ “%(name)s” đã hết hiệu lực ngày %(day)s.")
                          % {"name": record.name, "day": record.valid_until.strftime("%d/%m/%Y")})
    if checklist_item is not None and checklist_item.dossier_id != dossier.pk:
        raise RecordError(_("Thành phần hồ sơ không thuộc hồ sơ này."))
    reuse, created = Reuse.objects.get_or_create(record=record, dossier=dossier,
                                                 defaults={"checklist_item": checklist_item, "at": at,
                                                           "by": acting_user if acting_user and
                                                           acting_user.is_authenticated else None})
    if created:
        stored = DossierFile(dossier=dossier, checklist_item=checklist_item, original_name=record.name[:255],
                             content_type=record.content_type, size=record.size, sha256=record.sha256,
                             source=DossierFile.Source.REUSE, uploaded_at=at, uploaded_by=reuse.by)
        _copy(stored, record.file, record.file.name.rsplit("/", 1)[-1])
        stored.save()
        if checklist_item is not None and not checklist_item.present:
            checklist_item.present = True
            checklist_item.save(update_fields=["present"])
        record_audit(action="records.reuse", obj=reuse, actor=acting_user,
                     after={"record": record.pk, "dossier": dossier.code})
    return reuse
