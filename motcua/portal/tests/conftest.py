import datetime as dt
from io import BytesIO

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from motcua.catalog.selectors import version_in_force
from motcua.dossiers.models import Applicant
from motcua.records.models import Record


def tiny_pdf(label: str = "x") -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Title": label})
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture
def work_permit(db):
    """1.014199 Cấp giấy phép lao động…: fully online, 600.000 đ, three components, the passport reusable."""
    return version_in_force("1.014199")


DECLARATION = {"full_name": "Nguyễn Văn Hùng", "birth_date": "12/03/1987", "address": "Phường Thành Sen, Hà Tĩnh",
               "phone": "0905123456", "email": "hung@example.vn", "purpose": "Cấp giấy phép lao động"}


@pytest.fixture
def hung_applicant(db, citizen):
    applicant, _created = Applicant.objects.get_or_create(
        kind="citizen", identifier="042087001234",
        defaults={"name": "Nguyễn Văn Hùng", "phone": "0905123456", "user": citizen})
    return applicant


@pytest.fixture
def passport(db, hung_applicant):
    record = Record(applicant=hung_applicant, document_type="HO_CHIEU", name="Hộ chiếu C1234567",
                    source=Record.Source.COMPONENT, content_type="application/pdf", size=0, sha256="",
                    valid_until=timezone.localdate() + dt.timedelta(days=400))
    content = tiny_pdf("ho chieu")
    import hashlib

    record.size, record.sha256 = len(content), hashlib.sha256(content).hexdigest()
    record.file.save("ho-chieu.pdf", ContentFile(content), save=False)
    record.save()
    return record


@pytest.fixture
def ready_draft(db, citizen, work_permit, passport):
    """A draft with a valid declaration, two uploads and the passport chosen from the store."""
    from motcua.portal import actions

    case = work_permit.cases.first()
    draft = actions.start_draft(version=work_permit, case=case, acting_user=citizen)
    actions.save_declaration(draft=draft, values=DECLARATION, valid=True, acting_user=citizen)
    components = list(case.components.all())
    actions.attach_upload(draft=draft, component_id=components[0].pk, name="de-nghi.pdf",
                          content=tiny_pdf("de nghi"), acting_user=citizen)
    actions.attach_upload(draft=draft, component_id=components[1].pk, name="suc-khoe.pdf",
                          content=tiny_pdf("suc khoe"), acting_user=citizen)
    actions.choose_record(draft=draft, component_id=components[2].pk, record=passport, acting_user=citizen)
    draft.refresh_from_db()
    return draft
