"""The demo year of dossiers: played through the real actions, open in every state today, loaded once."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from pypdf import PdfReader

from motcua.dossiers import demo
from motcua.dossiers.models import (
    Apology,
    Consultation,
    DossierEvent,
    IntakeNotice,
    ResultDocument,
    Status,
    StepRun,
    SupplementRound,
)
from motcua.dossiers.worklists import open_runs_for
from motcua.lib.identifiers import personal_id_problem
from motcua.org.audit import verify_chain
from motcua.org.calendar import schedule_for_unit
from motcua.org.models import AuditEntry, Unit, User

VN = ZoneInfo("Asia/Ho_Chi_Minh")
SIZE = 32


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def next_working_day(day: dt.date) -> dt.date:
    schedule = schedule_for_unit(Unit.objects.get(code="000.01.30.H27"))
    while schedule.working_day_bounds(day) is None:
        day += dt.timedelta(days=1)
    return day


def open_runs(username: str):
    return StepRun.objects.filter(dossier__in=demo.demo_dossiers(), finished_at__isnull=True,
                                  assignee__username=username, dossier__status__in=[Status.IN_PROGRESS,
                                                                                      Status.SUPPLEMENT_REQUESTED])


def check_year(now: dt.datetime) -> None:
    out = io.StringIO()
    counts = demo.load(stdout=out, size=SIZE, now=now)
    dossiers = demo.demo_dossiers()
    today = timezone.localtime(now).date()

    # Every open state is there for the demo people, next to the finished work of the year.
    for status in (Status.SUBMITTED, Status.RECEIVED, Status.IN_PROGRESS, Status.SUPPLEMENT_REQUESTED,
                   Status.RESOLVED, Status.RETURNED):
        assert counts.get(status, 0) > 0, status
        assert f"{status.label}: {counts[status]}" in out.getvalue()
    assert sum(counts.values()) == dossiers.count() >= SIZE - 5
    assert open_runs("minh").exists() and open_runs("thu").exists()
    # Phòng Lao động – Việc làm: its specialist has work assigned, its head sees the steps waiting there.
    assert open_runs("toantq").filter(unit__code="000.06.12.H27").exists()
    labour_head = User.objects.get(username="hangvt")
    assert open_runs_for(labour_head, scope="unit").filter(dossier__in=dossiers, unit__code="000.06.12.H27").exists()
    unassigned = StepRun.objects.filter(dossier__in=dossiers, dossier__status=Status.IN_PROGRESS,
                                        finished_at__isnull=True, assignee__isnull=True)
    assert unassigned.exists()
    resolved_due = {timezone.localtime(d.due_at).date() for d in dossiers.filter(status=Status.RESOLVED)}
    assert next_working_day(today) in resolved_due
    assert dossiers.filter(status=Status.IN_PROGRESS, due_at__lt=now).exists()  # overdue and open
    assert Consultation.objects.filter(dossier__in=dossiers, answered_at__isnull=True,
                                       unit__code="000.01.15.H27").exists()
    assert SupplementRound.objects.filter(dossier__status=Status.SUPPLEMENT_REQUESTED, received_at__isnull=True).exists()
    # A postal dossier arrived in the last days, with its waybill: the one-stop home's postal section.
    recent_postal = dossiers.filter(channel="postal", desk__code="000.01.30.H27", status=Status.RECEIVED,
                                    received_at__gte=now - dt.timedelta(days=7))
    assert recent_postal.exclude(postal_waybill="").filter(postal_handed_on__isnull=False).exists()
    # Inter-agency: received at xã Thạch Hà, transferred to the department.
    assert DossierEvent.objects.filter(dossier__desk__code="000.01.52.H27", action="transfer_agency").exists()

    # Nothing happens after "now"; each dossier's history runs forwards; the audit chain is whole.
    assert not DossierEvent.objects.filter(at__gt=now).exists()
    first = dossiers.filter(received_at__isnull=False).order_by("received_at").first().received_at
    assert first >= now - dt.timedelta(days=366)
    for dossier in dossiers:
        instants = list(dossier.events.order_by("id").values_list("at", flat=True))
        assert instants == sorted(instants), dossier.code
        received = timezone.localtime(dossier.received_at).date() if dossier.received_at else None
        if received:
            assert dossier.version.effective_from <= received
    report = verify_chain()
    assert report.intact, report.message()
    moves = AuditEntry.objects.filter(action__startswith="dossier.").count()
    notices_on_dossiers = IntakeNotice.objects.filter(dossier__isnull=False).count()  # audited as intake.*
    assert moves + notices_on_dossiers == DossierEvent.objects.filter(dossier__in=dossiers).count()

    # Applicants look real: Hà Tĩnh personal IDs whose century digit matches the birth year.
    for dossier in dossiers.filter(applicant_kind="citizen").select_related("applicant"):
        identifier, born = dossier.applicant_identifier, dossier.applicant.birth_date
        assert personal_id_problem(identifier) is None and identifier.startswith("042")
        assert int(identifier[3]) // 2 == (0 if born.year < 2000 else 1) and identifier[4:6] == f"{born.year % 100:02d}"

    # Results are readable PDFs carrying their own name and number.
    result = ResultDocument.objects.filter(dossier__in=dossiers).first()
    reader = PdfReader(result.file.path)
    assert reader.metadata.title == result.name and result.number in reader.metadata.subject
    assert "DỮ LIỆU MINH HỌA" in " ".join(reader.pages[0].extract_text().split())

    # Loaded once: a second load adds nothing.
    before = (dossiers.count(), DossierEvent.objects.count(), AuditEntry.objects.count(),
              IntakeNotice.objects.count(), Apology.objects.count())
    again = io.StringIO()
    assert demo.load(stdout=again, size=SIZE, now=now) == {}
    assert "không nạp thêm" in again.getvalue()
    assert (dossiers.count(), DossierEvent.objects.count(), AuditEntry.objects.count(),
            IntakeNotice.objects.count(), Apology.objects.count()) == before


@pytest.mark.django_db
def test_a_year_of_dossiers_through_the_real_actions_open_in_every_state_today():
    check_year(timezone.now())


@pytest.mark.django_db
def test_loaded_on_a_sunday_evening_still_has_every_state():
    check_year(dt.datetime(2026, 11, 15, 20, 30, tzinfo=VN))
