"""`GET /api/v1/calendar/due`: the appointment for a received time, as `manage.py deadline --json`.

Public (no token): it answers the portal's "if you submit now, your appointment is …" and holds
nothing private (office hours and local closures are published by the agency anyway).
"""

from __future__ import annotations

from ninja import Query, Router
from ninja.errors import HttpError

from motcua.org.calendar import due_for
from motcua.workdays import WorkdaysError

router = Router(tags=["Lịch làm việc"], auth=None)


@router.get("/calendar/due", url_name="api_calendar_due", summary="Tính hẹn trả kết quả theo ngày làm việc")
def calendar_due(
    request,
    start: str = "",
    working_days: str = "",
    channel: str = "direct",
    agency: str = "",
    pause: list[str] = Query([]),  # noqa: B008 — Ninja's way to declare a repeated query parameter
    same_day: str = "",
    mode: str = "resume",
):
    """`start` "dd/mm/yyyy HH:MM"; `working_days` e.g. 10, 0.5 or 0,25; `channel` direct|postal|online;
    `agency` a unit's electronic identifier (e.g. 000.00.12.H27) for its office hours and local
    closures; `pause` "dd/mm/yyyy HH:MM..dd/mm/yyyy HH:MM", repeatable; `same_day` true|false;
    `mode` resume|restart. Bad input → 422 with `detail`, a Vietnamese message naming the problem."""
    try:
        return due_for(start=start, working_days=working_days, channel=channel, agency=agency or None,
                       pauses=pause, same_day=same_day, mode=mode)
    except WorkdaysError as exc:
        raise HttpError(422, str(exc)) from None
