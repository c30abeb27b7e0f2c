"""The deadline watch: warnings at the warning instant, overdue marks past the appointment, each once,
with history row, audit entry and notices to the assignee, the unit head and the Office."""

import datetime as dt
import threading

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection, connections

from motcua.dossiers import transitions as t
from motcua.dossiers import watch
from motcua.dossiers.intake import receive_dossier
from motcua.dossiers.models import Dossier, DossierEvent, Notification, Status
from motcua.org.models import AuditEntry, Role, RoleAssignment, User

from .conftest import at


@pytest.fixture
def at_specialist_step(make_request, clerk, specialist):
    """1.013934 received Mon 17/11/2025 09:10, at step 3 (the archive department) with anh Minh; the
    department's head is the demo's own, chị Ngọc (ngocdt), who has an e-mail address."""
    dossier = receive_dossier(request=make_request(received_at=at("17/11/2025 09:10")), acting_user=clerk)
    dossier = t.hand_on(dossier=dossier, acting_user=clerk, at=at("17/11/2025 10:00"))
    dossier = t.hand_on(dossier=dossier, acting_user=clerk, at=at("17/11/2025 14:00"), assignee=specialist)
    head = User.objects.get(username="ngocdt")
    assert RoleAssignment.objects.filter(user=head, unit__code="000.04.12.H27", role=Role.HEAD_OF_UNIT).exists()
    head.email = "ngocdt@snv.hatinh.gov.vn"
    head.save(update_fields=["email"])
    return dossier


def test_warning_once_to_assignee_head_and_office(at_specialist_step, specialist, control_officer):
    dossier = at_specialist_step
    assert watch.run_once(dossier.warn_at - dt.timedelta(minutes=1)).warned == 0
    result = watch.run_once(dossier.warn_at + dt.timedelta(minutes=1))
    assert (result.warned, result.overdue) == (1, 0)
    dossier.refresh_from_db()
    assert dossier.warned_at == dossier.warn_at + dt.timedelta(minutes=1) and dossier.overdue_at is None
    event = DossierEvent.objects.get(dossier=dossier, action="warning")
    assert event.from_status == event.to_status == Status.IN_PROGRESS and event.actor is None
    assert "01/12/2025 09:10" in event.note and dossier.code in event.note
    assert AuditEntry.objects.filter(action="dossier.warning", object_id=str(dossier.pk)).count() == 1
    notified = set(Notification.objects.filter(dossier=dossier, kind="warning").values_list("user__username",
                                                                                            flat=True))
    assert notified == {specialist.username, "ngocdt", control_officer.username}
    # The head has an e-mail address: the copy went after commit (pytest-django's captured outbox).
    assert watch.run_once(dossier.warn_at + dt.timedelta(hours=2)).warned == 0  # never twice
    assert DossierEvent.objects.filter(dossier=dossier, action="warning").count() == 1


def test_warning_copy_is_mailed_after_commit(at_specialist_step, django_capture_on_commit_callbacks):
    dossier = at_specialist_step
    with django_capture_on_commit_callbacks(execute=True):
        watch.run_once(dossier.warn_at + dt.timedelta(minutes=1))
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ngocdt@snv.hatinh.gov.vn"]
    assert dossier.code in mail.outbox[0].subject and "sắp đến hạn" in mail.outbox[0].subject


def test_overdue_marked_once_and_paused_dossiers_left_alone(at_specialist_step, clerk, make_request):
    dossier = at_specialist_step
    paused = receive_dossier(request=make_request(received_at=at("17/11/2025 09:20")), acting_user=clerk)
    paused = t.hand_on(dossier=paused, acting_user=clerk, at=at("17/11/2025 10:00"))
    t.request_supplement(dossier=paused, items=[{"name": "Bản sao"}], reason="mờ", acting_user=clerk,
                         at=at("18/11/2025 08:00"))
    later = dossier.due_at + dt.timedelta(days=1)
    result = watch.run_once(later)
    assert (result.warned, result.overdue) == (1, 1)  # the watcher was down: both, for the running one only
    dossier.refresh_from_db()
    assert dossier.overdue_at == later
    assert Notification.objects.filter(dossier=dossier, kind="overdue").count() == 3
    assert not DossierEvent.objects.filter(dossier=paused, action__in=["warning", "overdue"]).exists()
    assert watch.run_once(later + dt.timedelta(hours=1)).overdue == 0


def test_command_once_reports_the_pass(at_specialist_step, capsys):
    Dossier.objects.filter(pk=at_specialist_step.pk).update(warn_at=at("18/11/2025 08:00"),
                                                             due_at=at("18/11/2025 09:00"))
    call_command("dossier_watch", "--once")
    out = capsys.readouterr().out
    assert "cảnh báo 1, quá hạn 1" in out


def test_task_runs_a_pass(at_specialist_step, settings):
    from motcua.dossiers.tasks import watch_deadlines

    Dossier.objects.filter(pk=at_specialist_step.pk).update(warn_at=at("18/11/2025 08:00"),
                                                             due_at=at("18/11/2025 09:00"))
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    result = watch_deadlines.enqueue()
    assert result.return_value == {"warned": 1, "overdue": 1}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_workers_claim_each_dossier_exactly_once(make_request, clerk):
    dossiers = [receive_dossier(request=make_request(received_at=at("17/11/2025 09:10")), acting_user=clerk)
                for _ in range(30)]
    now = max(d.due_at for d in dossiers) + dt.timedelta(days=1)
    results, errors = [], []
    barrier = threading.Barrier(2)

    def worker():
        try:
            barrier.wait()
            results.append(watch.run_once(now))
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sum(r.warned for r in results) == 30 and sum(r.overdue for r in results) == 30
    ids = [d.pk for d in dossiers]
    for action in ("warning", "overdue"):
        counts = DossierEvent.objects.filter(dossier_id__in=ids, action=action).values_list("dossier_id", flat=True)
        assert sorted(counts) == sorted(ids)  # each dossier exactly once
