"""Background tasks of the dossiers app (django-tasks; `make worker` runs the database worker)."""

from __future__ import annotations

from django_tasks import task

from motcua.dossiers.watch import run_once


@task()
def watch_deadlines() -> dict:
    """One deadline-watch pass (warnings, overdue marks); safe next to other workers doing the same."""
    result = run_once()
    return {"warned": result.warned, "overdue": result.overdue}
