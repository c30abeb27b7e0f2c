"""Background tasks of the reports app (django-tasks; `make worker` runs the database worker)."""

from __future__ import annotations

from django_tasks import task

from motcua.reports import export_jobs


@task()
def run_export_job(job_id: int) -> dict:
    """Write one ad-hoc export job's file (see `export_jobs.run_job`)."""
    return export_jobs.run_job(job_id)


@task()
def cleanup_exports() -> dict:
    """Delete export files past EXPORT_RETENTION_HOURS and fail jobs whose worker was lost."""
    return export_jobs.cleanup()
