"""Legal time on the Django side: a unit's working schedule (office hours + local closures), the
actions that add and remove local closures, and the one function that answers "when is it due?"
for the `deadline` command and `GET /api/v1/calendar/due`.

The arithmetic itself is `motcua.workdays` (pure Python); this module only feeds it the unit's
office-hours profile and the closure days read from the database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from motcua.org.audit import record_audit
from motcua.org.models import LocalClosure, Unit, User
from motcua.workdays import (
    PROFILES,
    CalendarDay,
    DayKind,
    PauseMode,
    WorkdaysError,
    WorkSchedule,
    format_vn_datetime,
    get_schedule,
    parse_vn_datetime,
)
from motcua.workdays.units import duration_us, format_working_days

CHANNEL_LABELS = {"direct": "trực tiếp", "postal": "qua bưu chính công ích", "online": "trực tuyến"}


class CalendarInputError(WorkdaysError):
    """Bad input to a deadline question (Vietnamese message, shown as is)."""


# -- reads ------------------------------------------------------------------------------------


def office_hours_code(unit: Unit) -> str:
    """The unit's office-hours profile; a unit with no profile of its own (blank) follows the
    nearest ancestor that has one, then the default profile."""
    own = (unit.office_hours or "").strip()
    candidates = [unit] if own else [unit, *reversed(unit.ancestors())]  # ancestors read only when needed
    for candidate in candidates:
        code = (candidate.office_hours or "").strip()
        if code:
            if code not in PROFILES:
                raise CalendarInputError(
                    f"Đơn vị '{candidate.name}' dùng bộ giờ làm việc '{code}' chưa được khai báo. "
                    f"Các bộ giờ hiện có: {', '.join(sorted(PROFILES))}."
                )
            return code
    return "default"


def closure_units(unit: Unit) -> list[int]:
    """Ids of the unit and its ancestors, root first: a closure of any of them closes the unit."""
    return [int(part) for part in unit.path.split("/") if part] or [unit.pk]


def closures_for_unit(unit: Unit) -> list[LocalClosure]:
    """Closures that apply to ``unit`` (its own and its ancestors'), by date; when an ancestor and
    the unit both closed the same day, the unit's own row comes last (it wins)."""
    order = {pk: i for i, pk in enumerate(closure_units(unit))}
    rows = list(LocalClosure.objects.filter(unit_id__in=order).select_related("unit"))
    return sorted(rows, key=lambda c: (c.date, order[c.unit_id]))


def closure_day(closure: LocalClosure) -> CalendarDay:
    return CalendarDay(
        date=closure.date,
        kind=DayKind.LOCAL_CLOSURE,
        name_vi=f"{closure.reason} ({closure.unit.short_name or closure.unit.name})",
        legal_basis=closure.legal_basis,
        confidence="local",
    )


def schedule_for_unit(unit: Unit | None) -> WorkSchedule:
    """The working schedule of ``unit``: its office-hours profile and the national calendar with
    the local closures of the unit and its ancestors. ``None`` → default hours, national calendar.

    Caching: every call reads the closures that apply to the unit in one small indexed query
    (plain SQL: id, unit, date, reason, basis and the closing unit's names — everything the
    schedule is built from). The built schedule is kept per unit, keyed by exactly those rows and
    the unit's path and office-hours code, so a closure added, removed or edited by any process is
    seen at the next call, and nothing is rebuilt while they are unchanged. (A time-based cache
    would save this round trip but could give a deadline that ignores a closure just decided
    elsewhere; ``workdays.get_schedule`` also keeps timelines per closure set.) Callers computing
    many deadlines of one unit should call this once and reuse the schedule. A hot path that already
    runs a statement of its own can fold `closures_digest_sql` into it and call `schedule_for_digest`
    instead: same answer, without this round trip while the closures are unchanged.
    """
    if unit is None:
        return get_schedule()
    return _schedule_from_rows(unit, _closure_rows(unit))


def _schedule_from_rows(unit: Unit, rows: tuple[tuple, ...]) -> WorkSchedule:
    code = office_hours_code(unit)
    key = (unit.path, code, rows)
    cached = _SCHEDULES.get(unit.pk)
    if cached is not None and cached[0] == key:
        return cached[1]
    order = {pk: i for i, pk in enumerate(closure_units(unit))}
    by_date: dict[dt.date, CalendarDay] = {}
    for _pk, _unit_id, date, reason, legal_basis, short_name, name in sorted(rows, key=lambda r: (r[2], order[r[1]])):
        by_date[date] = CalendarDay(date=date, kind=DayKind.LOCAL_CLOSURE, name_vi=f"{reason} ({short_name or name})",
                                    legal_basis=legal_basis, confidence="local")  # the unit's own row wins
    schedule = get_schedule(code, extra_days=by_date.values())
    if len(_SCHEDULES) >= _SCHEDULES_MAX:
        _SCHEDULES.clear()
    _SCHEDULES[unit.pk] = (key, schedule)
    return schedule


_SCHEDULES: dict[int, tuple[tuple, WorkSchedule]] = {}
_SCHEDULES_MAX = 2048
_BY_DIGEST: dict[int, tuple[tuple, WorkSchedule]] = {}


def closures_digest_sql(unit: Unit) -> tuple[str, list[int]]:
    """PostgreSQL: a scalar subquery (SQL, params) whose value is a digest of exactly the rows
    `_closure_rows` reads for ``unit`` (an MD5 of their JSON), for a caller to fold into one of its own
    statements and pass to `schedule_for_digest` — the closures are then not read again while unchanged."""
    ids = closure_units(unit)
    closures = connection.ops.quote_name(LocalClosure._meta.db_table)
    units = connection.ops.quote_name(Unit._meta.db_table)
    return (f"(SELECT md5(COALESCE(json_agg(json_build_array(c.id, c.unit_id, c.date, c.reason, c.legal_basis, "
            f"u.short_name, u.name) ORDER BY c.id)::text, '')) FROM {closures} c JOIN {units} u ON u.id = c.unit_id "
            f"WHERE c.unit_id IN ({', '.join(['%s'] * len(ids))}))", ids)


def schedule_for_digest(unit: Unit, digest: str) -> WorkSchedule:
    """``schedule_for_unit(unit)`` when the caller has just read ``digest`` (`closures_digest_sql`) in its
    own statement: the schedule built from the rows that had this digest, without reading them again.
    On a miss the rows and their digest are read together (one statement, one snapshot), so a digest is
    only ever paired with the rows it was computed from."""
    code = office_hours_code(unit)
    cached = _BY_DIGEST.get(unit.pk)
    if cached is not None and cached[0] == (unit.path, code, digest):
        return cached[1]
    digest_sql, digest_params = closures_digest_sql(unit)
    ids = closure_units(unit)
    closures = connection.ops.quote_name(LocalClosure._meta.db_table)
    units = connection.ops.quote_name(Unit._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {digest_sql}, c.id, c.unit_id, c.date, c.reason, c.legal_basis, u.short_name, u.name "
            f"FROM (SELECT 1) one LEFT JOIN ({closures} c JOIN {units} u ON u.id = c.unit_id) "
            f"ON c.unit_id IN ({', '.join(['%s'] * len(ids))}) ORDER BY c.id", [*digest_params, *ids])
        fetched = cursor.fetchall()
    read_digest = fetched[0][0]
    rows = tuple(tuple(r[1:]) for r in fetched if r[1] is not None)
    schedule = _schedule_from_rows(unit, rows)
    if len(_BY_DIGEST) >= _SCHEDULES_MAX:
        _BY_DIGEST.clear()
    _BY_DIGEST[unit.pk] = ((unit.path, code, read_digest), schedule)
    return schedule


def _closure_rows(unit: Unit) -> tuple[tuple, ...]:
    """(id, unit id, date, reason, legal basis, unit short name, unit name) of every closure of the
    unit and its ancestors, by id — one query without the ORM's per-row cost."""
    ids = closure_units(unit)
    closures = connection.ops.quote_name(LocalClosure._meta.db_table)
    units = connection.ops.quote_name(Unit._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT c.id, c.unit_id, c.date, c.reason, c.legal_basis, u.short_name, u.name FROM {closures} c "
            f"JOIN {units} u ON u.id = c.unit_id WHERE c.unit_id IN ({', '.join(['%s'] * len(ids))}) ORDER BY c.id",
            ids)
        rows = cursor.fetchall()
    if rows and isinstance(rows[0][2], str):  # SQLite returns the text of a date column
        rows = [(r[0], r[1], dt.date.fromisoformat(r[2]), *r[3:]) for r in rows]
    return tuple(tuple(r) for r in rows)


def unit_for_agency_code(code: str) -> Unit:
    code = (code or "").strip()
    unit = Unit.objects.filter(code=code).first() if code else None
    if unit is None:
        raise CalendarInputError(
            f"Không có cơ quan, đơn vị nào mang mã định danh '{code}' (ví dụ mã đúng dạng: 000.00.12.H27)."
        )
    return unit


def schedule_for_agency_code(code: str) -> WorkSchedule:
    """``schedule_for_unit`` of the unit with electronic identifier ``code`` (e.g. 000.00.12.H27);
    an unknown code raises ``CalendarInputError`` with a Vietnamese message naming it."""
    return schedule_for_unit(unit_for_agency_code(code))


# -- writes -----------------------------------------------------------------------------------


@transaction.atomic
def add_local_closure(*, unit: Unit, date: dt.date, reason: str, legal_basis: str = "",
                      acting_user: User | None, ip: str | None = None) -> LocalClosure:
    """Close ``unit`` (and its sub-units) for the whole of ``date``. Only a day that would be a
    working day of the unit can be closed; a date is closed once per unit."""
    reason = (reason or "").strip()
    legal_basis = (legal_basis or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Cần ghi lý do nghỉ (ví dụ: Bão số 10 – UBND tỉnh cho nghỉ).")})
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if LocalClosure.objects.filter(unit=unit, date=date).exists():
        raise ValidationError({"date": _("Đơn vị này đã có ngày nghỉ %(date)s.") % {"date": f"{date:%d/%m/%Y}"}})
    schedule = schedule_for_unit(unit)
    off = schedule.calendar.reason_off(date)
    if off is not None:
        raise ValidationError({"date": _("Ngày %(date)s vốn đã là ngày nghỉ của đơn vị (%(reason)s).")
                               % {"date": f"{date:%d/%m/%Y}", "reason": off.reason_vi}})
    closure = LocalClosure.objects.create(unit=unit, date=date, reason=reason, legal_basis=legal_basis,
                                          created_by=acting_user if acting_user and acting_user.pk else None)
    record_audit(action="closure.add", obj=closure, actor=acting_user, ip=ip,
                 after={"unit": unit.pk, "unit_code": unit.code, "date": date, "reason": reason,
                        "legal_basis": legal_basis})
    return closure


@transaction.atomic
def remove_local_closure(*, closure: LocalClosure, acting_user: User | None, ip: str | None = None) -> None:
    closure = LocalClosure.objects.select_for_update().select_related("unit").get(pk=closure.pk)
    before = {"unit": closure.unit_id, "unit_code": closure.unit.code, "date": closure.date,
              "reason": closure.reason, "legal_basis": closure.legal_basis}
    record_audit(action="closure.remove", obj=closure, actor=acting_user, ip=ip, before=before)
    closure.delete()


# -- "when is it due?" ------------------------------------------------------------------------


@dataclass(frozen=True)
class DueQuestion:
    start: dt.datetime
    working_days: str
    channel: str
    agency: Unit | None
    pauses: tuple[tuple[dt.datetime, dt.datetime], ...]
    same_day: bool
    mode: PauseMode


TRUE_WORDS = {"1", "true", "yes", "on", "co", "có"}
FALSE_WORDS = {"", "0", "false", "no", "off", "khong", "không"}


def parse_flag(value: object, name: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value or "").strip().lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise CalendarInputError(f"Giá trị '{value}' của {name} không hợp lệ: dùng true hoặc false.")


def parse_pause(text: str) -> tuple[dt.datetime, dt.datetime]:
    """'dd/mm/yyyy HH:MM..dd/mm/yyyy HH:MM' → (requested_at, supplemented_at)."""
    parts = str(text or "").split("..")
    if len(parts) != 2:
        raise CalendarInputError(
            f"Khoảng tạm dừng '{text}' không đúng dạng: cần 'dd/mm/yyyy HH:MM..dd/mm/yyyy HH:MM' "
            "(thời điểm yêu cầu bổ sung..thời điểm nhận đủ bổ sung)."
        )
    return parse_vn_datetime(parts[0]), parse_vn_datetime(parts[1])


def due_question(*, start: str, working_days: str, channel: str = "direct", agency: str | None = None,
                 pauses: Iterable[str] = (), same_day: object = False, mode: str = "resume") -> DueQuestion:
    """Read the question as typed (command line or query string); every problem raises a
    ``WorkdaysError`` whose Vietnamese message names it."""
    if not str(start or "").strip():
        raise CalendarInputError("Thiếu thời điểm tiếp nhận (start), dạng dd/mm/yyyy HH:MM.")
    if not str(working_days or "").strip():
        raise CalendarInputError("Thiếu thời hạn giải quyết (working_days), ví dụ 10 hoặc 0,5.")
    received = parse_vn_datetime(str(start))
    duration_us(str(working_days), "days")  # validates: a number, not negative, at most 365 days
    channel = (channel or "direct").strip()
    if channel not in CHANNEL_LABELS:
        raise CalendarInputError(f"Kênh nộp '{channel}' không hợp lệ: chỉ nhận direct, postal hoặc online.")
    unit = unit_for_agency_code(agency) if agency not in (None, "") else None
    return DueQuestion(
        start=received,
        working_days=str(working_days).strip(),
        channel=channel,
        agency=unit,
        pauses=tuple(parse_pause(p) for p in pauses),
        same_day=parse_flag(same_day, "same_day"),
        mode=PauseMode.parse((mode or "resume").strip()),
    )


def _iso(value: dt.datetime) -> str:
    return value.isoformat(timespec="seconds")


def due_answer(question: DueQuestion) -> dict:
    """The answer shared by ``manage.py deadline --json`` and ``GET /api/v1/calendar/due``."""
    schedule = schedule_for_unit(question.agency)
    appointment = schedule.appointment(question.start, question.working_days, question.channel,
                                       same_day=question.same_day)
    due = appointment.due_at
    pause_notes: list[str] = []
    if question.pauses:
        if question.mode is PauseMode.RESTART:
            budget = appointment.duration  # the full legal time runs again from the supplement
        else:  # what is left of the receipt's budget (the 15:00 rule may have widened it)
            budget = schedule.working_between(appointment.clock_start, appointment.due_at)
        due = schedule.due_with_pauses(appointment.clock_start, budget, question.pauses, question.mode)
        how = ("tính lại toàn bộ thời hạn từ khi nhận đủ bổ sung" if question.mode is PauseMode.RESTART
               else "thời gian còn lại tiếp tục từ khi nhận đủ bổ sung")
        for requested, supplied in question.pauses:
            pause_notes.append(
                f"Tạm dừng chờ bổ sung từ {format_vn_datetime(requested)} đến {format_vn_datetime(supplied)} ({how})."
            )
        if due != appointment.due_at:
            pause_notes.append(
                f"Hẹn trả ban đầu {format_vn_datetime(appointment.due_at)}; sau tạm dừng: {format_vn_datetime(due)}."
            )
    first_year, last_year = question.start.year, max(due.year, appointment.clock_start.year)
    notices = [n for y in range(first_year, last_year + 1) if (n := schedule.calendar.schedule_notice(y))]
    notes = [n for n in appointment.notes if n not in notices] + pause_notes + notices
    skipped = schedule.skipped_days(appointment.clock_start, due)
    unit = question.agency
    return {
        "received_at": _iso(question.start),
        "channel": question.channel,
        "working_days": question.working_days.replace(",", "."),
        "duration": format_working_days(duration_us(question.working_days, "days")),
        "agency": None if unit is None else {"code": unit.code, "name": unit.name},
        "office_hours": schedule.hours.code,
        "office_hours_name": schedule.hours.name_vi,
        "clock_start": _iso(appointment.clock_start),
        "handover_at": _iso(appointment.handover_at),
        "due": _iso(due),
        "due_vi": format_vn_datetime(due),
        "due_without_pauses": _iso(appointment.due_at),
        "after_cutoff": appointment.after_cutoff,
        "same_day": appointment.same_day,
        "pause_mode": str(question.mode),
        "pauses": [{"requested_at": _iso(a), "supplemented_at": _iso(b)} for a, b in question.pauses],
        "skipped": [
            {"date": s.date.isoformat(), "date_vi": f"{s.date:%d/%m/%Y}", "reason": s.reason_vi,
             "kind": str(s.kind) if s.kind is not None else "weekend", "legal_basis": s.legal_basis}
            for s in skipped
        ],
        "notes": notes,
        "official_schedule": {
            str(y): schedule.calendar.has_official_schedule(y) for y in range(first_year, last_year + 1)
        },
        "labour_code_only": bool(notices),
    }


def due_for(*, start: str, working_days: str, channel: str = "direct", agency: str | None = None,
            pauses: Sequence[str] = (), same_day: object = False, mode: str = "resume") -> dict:
    """Parse and answer in one call (the command and the API use this)."""
    return due_answer(due_question(start=start, working_days=working_days, channel=channel, agency=agency,
                                   pauses=pauses, same_day=same_day, mode=mode))
