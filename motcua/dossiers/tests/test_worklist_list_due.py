"""The open step run carries what the work list sorts and judges by — its listing instant (`list_due`:
its own due instant, or the dossier's appointment for a step without a budget) and the dossier's clock
stop (`paused_since`) — through every move that changes them, and the migration fills them for runs
that were open before it."""

from __future__ import annotations

import datetime as dt
import importlib

from django.apps import apps

from motcua.catalog.models import Step
from motcua.dossiers import transitions as t
from motcua.dossiers import worklists as w
from motcua.dossiers.models import Dossier, StepRun

from .conftest import at
from .processing_helpers import receive, walk_to


def _open_run(dossier: Dossier) -> tuple[Dossier, StepRun]:
    dossier = Dossier.objects.select_related("current_step").get(pk=dossier.pk)
    return dossier, dossier.current_step


def test_open_run_follows_supplement_resume_and_apology(make_request, clerk):
    dossier = receive(make_request, clerk, "17/11/2025 08:00")
    # Step 4 (Văn phòng checks the file) made a step without a budget of its own.
    Step.objects.filter(process__case=dossier.case, order=4).update(counted=False)
    dossier, _ = walk_to(dossier, 3, clerk, start="17/11/2025 09:00")
    dossier, run = _open_run(dossier)
    assert run.due_at is not None and run.list_due == run.due_at and run.paused_since is None

    t.request_supplement(dossier=dossier, items=[{"name": "Bản sao chứng chỉ hành nghề"}], reason="Thiếu",
                         acting_user=clerk, at=at("18/11/2025 10:00"))
    dossier, run = _open_run(dossier)
    assert run.paused_since == dossier.paused_since == at("18/11/2025 10:00")
    # Paused before its due instant: not late on the list however long the wait.
    late_runs = StepRun.objects.filter(pk=run.pk).filter(w.late_condition(run.due_at + dt.timedelta(days=30)))
    assert not late_runs.exists()

    previous_due = run.due_at
    t.receive_supplement(dossier=dossier, acting_user=clerk, at=at("21/11/2025 10:00"))
    dossier, run = _open_run(dossier)
    # Three working days waited (Tue 18 → Fri 21): due Wed 26/11 → Mon 01/12 over the weekend.
    assert (previous_due, run.due_at) == (at("26/11/2025 10:00"), at("01/12/2025 10:00"))
    assert run.list_due == run.due_at and run.paused_since is None

    dossier = t.hand_on(dossier=dossier, acting_user=clerk, at=at("24/11/2025 09:00"))
    dossier, run = _open_run(dossier)
    assert run.order == 4 and run.due_at is None and run.list_due == dossier.due_at

    new_due = dossier.due_at + dt.timedelta(days=7)
    t.issue_apology(dossier=dossier, new_due_at=new_due, reason="Chờ ý kiến Sở Tư pháp", acting_user=clerk,
                    at=at("25/11/2025 09:00"))
    dossier, run = _open_run(dossier)
    assert dossier.due_at == new_due and run.list_due == new_due
    finished = StepRun.objects.filter(dossier=dossier, finished_at__isnull=False)
    assert finished.count() == 3 and all(r.list_due is not None for r in finished)


def test_migration_fills_runs_open_before_it(make_request, clerk):
    paused, _ = walk_to(receive(make_request, clerk, "17/11/2025 08:00"), 3, clerk, start="17/11/2025 09:00")
    t.request_supplement(dossier=paused, items=[{"name": "Tờ khai"}], reason="Thiếu", acting_user=clerk,
                         at=at("18/11/2025 10:00"))
    running, _ = walk_to(receive(make_request, clerk, "18/11/2025 08:00"), 2, clerk, start="18/11/2025 09:00")
    StepRun.objects.update(list_due=None, paused_since=None)  # as the rows stood before the migration

    migration = importlib.import_module("motcua.dossiers.migrations.0004_steprun_list_due")
    migration.backfill_open_runs(apps, None)

    for dossier in (paused, running):
        dossier, run = _open_run(dossier)
        assert run.list_due == (run.due_at or dossier.due_at) and run.list_due is not None
        assert run.paused_since == dossier.paused_since
    assert _open_run(paused)[1].paused_since == at("18/11/2025 10:00")
    # Finished runs are never listed: left as they were.
    assert not StepRun.objects.filter(finished_at__isnull=False, list_due__isnull=False).exists()
