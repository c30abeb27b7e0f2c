"""Numbers given at the counter stay what they were: the tracking book's serial is stored at intake (a
reprinted receipt shows the same "Số thứ tự"), and a double-submitted supplement request or refusal
gives one notice with one number and one audit entry."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
import time_machine
from django.db import IntegrityError, transaction
from pypdf import PdfReader

from motcua.catalog.models import ProcedureCase, ProcedureVersion
from motcua.dossiers.files import check_file
from motcua.dossiers.intake import ApplicantData, _give_notice, give_intake_notice, receive_dossier
from motcua.dossiers.models import DailyCounter, Dossier, DossierEvent, IntakeNotice, Status
from motcua.dossiers.online import accept_online_dossier, request_online_supplement, submit_online
from motcua.dossiers.slips import book_position, receipt_pdf
from motcua.lib.text import fold
from motcua.org.audit import verify_chain
from motcua.org.models import AuditEntry, User

from .conftest import at
from .test_files import pdf_bytes

URL = "/mot-cua/tiep-nhan/"
MORNING = at("17/11/2025 08:20")


def pdf_text(data: bytes) -> str:
    return " ".join("\n".join(p.extract_text() for p in PdfReader(BytesIO(data)).pages).split())


def applicant(n: int) -> ApplicantData:
    return ApplicantData(kind="citizen", identifier=f"04208700{n:04d}", name=f"Người nộp {n}", phone="0905123456")


# -- the tracking book's serial ---------------------------------------------------------------------------


def test_book_serial_is_stored_at_intake_and_a_reprint_keeps_it(make_request, clerk):
    first = receive_dossier(request=make_request(applicant=applicant(1), received_at=at("17/11/2025 09:10")),
                            acting_user=clerk)
    second = receive_dossier(request=make_request(applicant=applicant(2), received_at=at("17/11/2025 10:30")),
                             acting_user=clerk)
    assert (first.book_serial, second.book_serial) == (1, 2)
    assert Dossier.objects.get(pk=first.pk).search_text == fold(
        f"Người nộp 1 042087000001 {first.version.name} {first.version.procedure.code}")
    assert Dossier.objects.get(pk=second.pk).book_serial == 2  # a stored column, not computed at print time
    assert "Quyển số: 2025, Số thứ tự: 2" in pdf_text(receipt_pdf(Dossier.objects.get(pk=second.pk)))

    # A postal dossier entered afterwards with an earlier reception instant would have moved every later
    # rank by one; it takes the next line of the book instead, and the earlier receipts reprint unchanged.
    late_entry = receive_dossier(request=make_request(applicant=applicant(3), channel="postal",
                                                      postal_waybill="EI123456789VN",
                                                      received_at=at("17/11/2025 08:00")), acting_user=clerk)
    assert late_entry.book_serial == 3
    reprinted = pdf_text(receipt_pdf(Dossier.objects.get(pk=second.pk)))
    assert "Quyển số: 2025, Số thứ tự: 2" in reprinted
    assert book_position(Dossier.objects.get(pk=first.pk)).serial == 1


def test_book_volume_restarts_each_year_and_the_code_counter_is_apart(make_request, clerk, desk):
    def request_on(when, n):
        version = ProcedureVersion.objects.in_force_on(when.date()).get(procedure__code="1.013934")
        case = version.cases.first()
        return make_request(version=version, case=case, applicant=applicant(n), received_at=when,
                            present_components={c.pk for c in case.components.all()})

    december = receive_dossier(request=request_on(at("31/12/2025 16:00"), 4), acting_user=clerk)
    assert december.book_serial == 1 and december.code.endswith("-251231-0001")
    january = receive_dossier(request=request_on(at("05/01/2026 08:00"), 5), acting_user=clerk)
    assert january.book_serial == 1
    position = book_position(Dossier.objects.get(pk=january.pk))
    assert (position.volume, position.serial) == ("2026", 1)
    books = DailyCounter.objects.filter(agency=desk, series="book").order_by("day")
    assert [(c.day.isoformat(), c.last) for c in books] == [("2025-01-01", 1), ("2026-01-01", 1)]


def test_a_dossier_without_a_stored_serial_still_prints_its_rank(make_request, clerk):
    first = receive_dossier(request=make_request(applicant=applicant(6)), acting_user=clerk)
    Dossier.objects.filter(pk=first.pk).update(book_serial=None)  # as a dossier received before serials existed
    assert book_position(Dossier.objects.get(pk=first.pk)).serial == 1


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_online_dossier_enters_the_book_when_accepted(archive_licence, desk, citizen_data, citizen, clerk, media,
                                                       make_request):
    case = archive_licence.cases.first()
    components = [c.pk for c in case.components.all()]
    online = submit_online(version=archive_licence, case=case, applicant=citizen_data, desk=desk,
                           files=[(components[0], check_file("don.pdf", pdf_bytes()))],
                           present_components=set(components[1:]), submitted_at=at("22/11/2025 21:00"),
                           acting_user=citizen)
    assert Dossier.objects.get(pk=online.pk).book_serial is None  # submitted, not yet received
    counter = receive_dossier(request=make_request(applicant=applicant(7), received_at=at("24/11/2025 08:00")),
                              acting_user=clerk)
    accepted = accept_online_dossier(dossier=online, present_components=set(components), acting_user=clerk,
                                     received_at=at("24/11/2025 09:00"))
    assert (counter.book_serial, Dossier.objects.get(pk=accepted.pk).book_serial) == (1, 2)
    assert "Số thứ tự: 2" in pdf_text(receipt_pdf(Dossier.objects.get(pk=accepted.pk)))


# -- one notice per submission ----------------------------------------------------------------------------


def _notice_values(make_request, clerk, **extra):
    request = make_request()
    values = {"kind": "supplement", "version": request.version, "case": request.case, "channel": "direct",
              "applicant": request.applicant, "desk": request.desk, "acting_user": clerk,
              "issued_at": at("17/11/2025 08:20"), "items": [{"name": "Đơn đề nghị", "reason": "Chưa ký"}],
              "reason": ""}
    values.update(extra)
    return values


@pytest.mark.parametrize("kind", ["supplement", "refusal"])
def test_a_retried_notice_with_the_same_key_is_the_first_one(make_request, clerk, kind):
    values = _notice_values(make_request, clerk, kind=kind, reason="Không thuộc thẩm quyền",
                            idempotency_key="counter:7:abc:" + kind)
    first = give_intake_notice(**values)
    again = give_intake_notice(**values)
    assert again.pk == first.pk and again.number == first.number
    assert IntakeNotice.objects.count() == 1
    assert AuditEntry.objects.filter(action=f"intake.{kind}").count() == 1
    # The number series moved once: the next notice of the desk that day is number 002.
    other = give_intake_notice(**{**values, "idempotency_key": None})
    assert other.number.startswith("002/") and first.number.startswith("001/")
    assert verify_chain().intact


def test_a_twin_that_loses_the_race_returns_the_winner(make_request, clerk):
    """What once_per_key does when the unique index, not the first lookup, catches the twin: inside an
    outer transaction only the twin's savepoint is undone and the winner is returned."""
    values = _notice_values(make_request, clerk, idempotency_key="counter:7:race:supplement")
    winner = give_intake_notice(**values)
    with transaction.atomic():
        with pytest.raises(IntegrityError):
            _give_notice(**{**values, "ip": None, "dossier": None})  # the twin that skipped the lookup
        assert give_intake_notice(**values).pk == winner.pk  # the outer transaction is still usable
    assert IntakeNotice.objects.count() == 1
    assert AuditEntry.objects.filter(action="intake.supplement").count() == 1


@pytest.fixture
def lan(client, clerk):
    client.force_login(clerk)
    return client


def _form(version, **overrides):
    case = version.cases.first()
    data = {
        "procedure": version.pk, "case": case.pk, "intake_key": "k-double",
        "desk": User.objects.get(username="lan").role_assignments.get().unit_id,
        "applicant_kind": "citizen", "applicant_identifier": "042087001234", "applicant_name": "Nguyễn Văn Hùng",
        "applicant_birth_date": "02/09/1987", "applicant_phone": "0905123456", "applicant_email": "",
        "applicant_address": "Phường Thành Sen, Hà Tĩnh", "channel": "direct", "postal_waybill": "",
        "postal_handed_on": "", "return_channel": "counter", "sets_count": "1",
    }
    data.update(overrides)
    return data


@time_machine.travel(MORNING, tick=False)
def test_double_submitted_supplement_form_gives_one_notice(lan):
    version = ProcedureVersion.objects.in_force_on(MORNING.date()).get(procedure__code="1.013934")
    components = list(version.cases.first().components.all())
    data = _form(version, action="supplement", **{f"present_{c.pk}": "on" for c in components[1:]},
                 **{f"reason_{components[0].pk}": "Đơn chưa ký"})
    first = lan.post(URL, data)
    second = lan.post(URL, data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    notice = IntakeNotice.objects.get()
    assert notice.number in first["Location"]
    assert AuditEntry.objects.filter(action="intake.supplement").count() == 1

    # The same form then refused (the officer went back): a refusal is a different outcome, a new notice.
    refused = lan.post(URL, _form(version, action="refuse", refusal_reason="Không thuộc thẩm quyền",
                                  **{f"present_{c.pk}": "on" for c in components}))
    assert refused.status_code == 302
    assert IntakeNotice.objects.filter(kind="refusal").count() == 1 and IntakeNotice.objects.count() == 2
    assert Dossier.objects.count() == 0


def test_online_supplement_retried_with_its_key_gives_one_notice(archive_licence, desk, citizen_data, citizen,
                                                                  clerk, media):
    case = archive_licence.cases.first()
    components = [c.pk for c in case.components.all()]
    online = submit_online(version=archive_licence, case=case, applicant=citizen_data, desk=desk,
                           files=[(components[0], check_file("don.pdf", pdf_bytes()))],
                           present_components=set(), submitted_at=at("22/11/2025 21:00"), acting_user=citizen)
    items = [{"name": "Bản sao chứng chỉ", "reason": "Chưa nộp"}]
    first = request_online_supplement(dossier=online, items=items, reason="", acting_user=clerk,
                                      issued_at=at("24/11/2025 09:00"), idempotency_key="queue:1:x")
    again = request_online_supplement(dossier=online, items=items, reason="", acting_user=clerk,
                                      issued_at=at("24/11/2025 09:00"), idempotency_key="queue:1:x")
    assert again.pk == first.pk
    assert Dossier.objects.get(pk=online.pk).status == Status.SUPPLEMENT_REQUESTED
    assert DossierEvent.objects.filter(dossier=online, action="intake_supplement").count() == 1
    assert AuditEntry.objects.filter(action="intake.supplement").count() == 1


# -- the PostgreSQL hot path writes the same rows in three statements ----------------------------------------


def test_intake_statements_on_postgresql(make_request, clerk):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if connection.vendor != "postgresql":
        pytest.skip("the folded statements are PostgreSQL's (data-modifying WITH)")
    receive_dossier(request=make_request(applicant=applicant(8)), acting_user=clerk)  # fills the schedule cache
    request = make_request(applicant=applicant(9))
    request.case = ProcedureCase.objects.prefetch_related("components").get(pk=request.case.pk)  # as the bench
    with CaptureQueriesContext(connection) as ctx:
        dossier = receive_dossier(request=request, acting_user=clerk)
    statements = [q["sql"] for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert len(statements) == 3, statements  # claim, rows + audit head, audit entry
    stored = Dossier.objects.get(pk=dossier.pk)
    assert (stored.code, stored.book_serial, stored.applicant.identifier) == (dossier.code, 2, "042087000009")
    items = list(stored.checklist.order_by("order"))
    components = list(dossier.case.components.all())
    assert [(i.component_id, i.order, i.name, i.present) for i in items] == [
        (c.pk, n, c.name, True) for n, c in enumerate(components, start=1)]
    event = stored.events.get()
    assert event.action == "receive" and event.at == dossier.received_at and event.actor == clerk
    assert dt.datetime.fromisoformat(event.data["due_at"]) == stored.due_at
    assert stored.search_text == fold(f"Người nộp 9 042087000009 {stored.version.name} {stored.version.procedure.code}")
    entry = AuditEntry.objects.get(action="dossier.receive", object_id=str(dossier.pk))
    assert entry.after["code"] == dossier.code and verify_chain().intact

