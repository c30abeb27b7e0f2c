"""Reads for the portal: a citizen's own dossiers and records, the public status lookup (no personal
data), the expected appointment "if you submit now", popular procedures. (The public board is portal.board.)"""

from __future__ import annotations

import datetime as dt
import functools
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _l

from motcua.catalog.models import OnlineLevel, Procedure, ProcedureCase, ProcedureVersion
from motcua.dossiers.intake import case_duration
from motcua.dossiers.labels import ACTION_LABELS
from motcua.dossiers.models import Applicant, ApplicantKind, Channel, Dossier, DossierEvent, Status
from motcua.lib.formats import VN_TZ
from motcua.org.calendar import schedule_for_unit
from motcua.org.models import Unit, User
from motcua.portal.models import PublicAttempt
from motcua.records.models import Record

ONLINE_LEVELS = (OnlineLevel.FULL, OnlineLevel.PARTIAL)

# What the public history says for each move: the officers' names of the actions (labels only — no names,
# no notes, no personal data ever come from the event).
PUBLIC_ACTIONS = ACTION_LABELS


# -- a citizen's own ---------------------------------------------------------------------------------

def own_dossier_filter(user: User) -> Q:
    condition = Q(applicant__user=user)
    if user.personal_id:
        condition |= Q(applicant_kind=ApplicantKind.CITIZEN, applicant_identifier=user.personal_id)
    return condition


def dossiers_of(user: User) -> QuerySet[Dossier]:
    return (Dossier.objects.filter(own_dossier_filter(user))
            .select_related("version__procedure", "agency", "case").order_by("-submitted_at", "-id"))


def own_dossier(user: User, code: str) -> Dossier | None:
    return dossiers_of(user).filter(code=code).select_related("desk", "current_step").first()


def applicants_of(user: User) -> QuerySet[Applicant]:
    condition = Q(user=user)
    if user.personal_id:
        condition |= Q(kind=ApplicantKind.CITIZEN, identifier=user.personal_id)
    return Applicant.objects.filter(condition).order_by("pk")


def records_of_user(user: User) -> QuerySet[Record]:
    condition = Q(applicant__user=user)
    if user.personal_id:
        condition |= Q(applicant__kind=ApplicantKind.CITIZEN, applicant__identifier=user.personal_id)
    return Record.objects.filter(condition).order_by("-created_at", "-id")


# -- public status lookup ----------------------------------------------------------------------------

def lookup_limit() -> tuple[int, int]:
    """(failures allowed, window in minutes) per address."""
    return (int(getattr(settings, "PORTAL_LOOKUP_MAX_FAILURES", 20)),
            int(getattr(settings, "PORTAL_LOOKUP_WINDOW_MINUTES", 10)))


def is_throttled(kind: str, ip: str | None, *, limit: int | None = None) -> bool:
    allowed, minutes = lookup_limit()
    since = timezone.now() - dt.timedelta(minutes=minutes)
    return PublicAttempt.objects.filter(kind=kind, ip=ip, at__gte=since).count() >= (limit or allowed)


def _check_matches(phone: str, identifier: str, check: str) -> bool:
    """The second factor: the last 4 digits of the applicant's phone or ID number (constant-time compare)."""
    check = (check or "").strip()
    if len(check) != 4 or not check.isdigit():
        return False
    candidates = [value[-4:] for value in (phone or "", identifier or "") if len(value) >= 4]
    matched = False
    for candidate in candidates:
        matched |= hmac.compare_digest(candidate, check)
    return matched


@dataclass(frozen=True)
class PublicStatus:
    code: str
    procedure_code: str
    procedure_name: str
    agency: str
    status: str
    status_label: str
    channel_label: str
    submitted_at: dt.datetime | None
    received_at: dt.datetime | None
    due_at: dt.datetime | None
    returned_at: dt.datetime | None
    history: list[dict]

    def as_json(self) -> dict:
        def iso(value):
            return value.astimezone(VN_TZ).isoformat() if value else None

        return {"code": self.code, "procedure_code": self.procedure_code, "procedure_name": self.procedure_name,
                "agency": self.agency, "status": self.status, "status_label": self.status_label,
                "channel": self.channel_label, "submitted_at": iso(self.submitted_at),
                "received_at": iso(self.received_at), "due_at": iso(self.due_at),
                "returned_at": iso(self.returned_at),
                "history": [{"at": iso(h["at"]), "action": h["action"], "status": h["status"],
                             "status_label": h["status_label"]} for h in self.history]}


@dataclass(frozen=True)
class LookupAnswer:
    """What a status lookup may tell: throttled (too many failures from this address), else the status
    when both the code and the check matched, else nothing (the same answer for a wrong check and an
    unknown code)."""

    throttled: bool
    status: PublicStatus | None


@functools.lru_cache(maxsize=8)
def _public_labels(language: str | None) -> tuple[dict, dict, dict, str]:
    """The lookup's labels translated into `language` (the active one), once per process and language:
    (actions, statuses, channels, the label of any other action)."""
    return ({key: str(label) for key, label in PUBLIC_ACTIONS.items()},
            {choice.value: str(choice.label) for choice in Status},
            {choice.value: str(choice.label) for choice in Channel},
            str(_l("Cập nhật hồ sơ")))


@functools.cache
def _lookup_sql(ip_is_null: bool) -> str:
    """The whole lookup in one statement and one round trip: the address's recent failures (always one
    row), the dossier by its unique code with its procedure and agency, and its history in order (one row
    per event). Hand-written because this is the busiest public endpoint: building the same thing through
    the ORM cost ~4 ms of Python per request (bench/README.md, http_bench)."""
    q = connection.ops.quote_name
    attempt, dossier, event = PublicAttempt._meta.db_table, Dossier._meta.db_table, DossierEvent._meta.db_table
    version, procedure, unit = ProcedureVersion._meta.db_table, Procedure._meta.db_table, Unit._meta.db_table
    ip = "ip IS NULL" if ip_is_null else "ip = %s"
    return (
        "SELECT t.failures, d.code, d.applicant_phone, d.applicant_identifier, d.status, d.channel, "
        "d.submitted_at, d.received_at, d.due_at, d.returned_at, p.code, v.name, a.name, e.at, e.action, e.to_status "
        f"FROM (SELECT COUNT(*) AS failures FROM {q(attempt)} WHERE kind = %s AND {ip} AND at >= %s) t "
        f"LEFT JOIN {q(dossier)} d ON d.code = %s "
        f"LEFT JOIN {q(version)} v ON v.id = d.version_id "
        f"LEFT JOIN {q(procedure)} p ON p.id = v.procedure_id "
        f"LEFT JOIN {q(unit)} a ON a.id = d.agency_id "
        f"LEFT JOIN {q(event)} e ON e.dossier_id = d.id "
        "ORDER BY e.at, e.id"
    )


def _aware(value):
    """A timestamp as read by a plain cursor: aware on PostgreSQL; naive UTC (or text) on SQLite."""
    if value is None or (isinstance(value, dt.datetime) and value.tzinfo is not None):
        return value
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value


def lookup_status(code: str, check: str, *, ip: str | None) -> LookupAnswer:
    """The public status lookup by dossier code and check digits, with the per-address limit on failures
    (PORTAL_LOOKUP_MAX_FAILURES in PORTAL_LOOKUP_WINDOW_MINUTES, counted in PublicAttempt). One query;
    the caller records a failure (`actions.record_lookup_failure`) when the answer is neither throttled
    nor found."""
    allowed, minutes = lookup_limit()
    since = connection.ops.adapt_datetimefield_value(timezone.now() - dt.timedelta(minutes=minutes))
    code = (code or "").strip().upper()[:40]
    params = [PublicAttempt.Kind.LOOKUP_FAILURE.value]
    if ip is not None:
        params.append(connection.ops.adapt_ipaddressfield_value(ip))
    params += [since, code]
    with connection.cursor() as cursor:
        cursor.execute(_lookup_sql(ip is None), params)
        rows = cursor.fetchall()
    first = rows[0]
    if first[0] >= allowed:
        return LookupAnswer(throttled=True, status=None)
    if not code or first[1] is None or not _check_matches(first[2], first[3], check):
        return LookupAnswer(throttled=False, status=None)
    actions, statuses, channels, other_action = _public_labels(translation.get_language())
    history = []
    for *_dossier, at, action, to_status in rows:
        if at is None:  # no event yet (a LEFT JOIN row)
            continue
        history.append({"at": _aware(at), "action": actions.get(action, other_action), "status": to_status,
                        "status_label": statuses.get(to_status, "")})
    (_failures, code, _phone, _identifier, status, channel, submitted_at, received_at, due_at, returned_at,
     procedure_code, procedure_name, agency) = first[:13]
    return LookupAnswer(throttled=False, status=PublicStatus(
        code=code, procedure_code=procedure_code, procedure_name=procedure_name, agency=agency, status=status,
        status_label=statuses[status], channel_label=channels[channel],
        submitted_at=_aware(submitted_at), received_at=_aware(received_at), due_at=_aware(due_at),
        returned_at=_aware(returned_at), history=history))


# -- procedures --------------------------------------------------------------------------------------

def desk_for(version: ProcedureVersion, case: ProcedureCase) -> Unit:
    """Where an online dossier of this case is checked: the unit of the first step of its internal
    process (the one-stop desk), else a one-stop desk under the handling agency or the service centre
    that hosts its counter, else the agency itself."""
    process = getattr(case, "process", None)
    if process is not None:
        first = process.steps.select_related("unit").order_by("order").first()
        if first is not None:
            return first.unit
    agency = version.agency
    desks = Unit.objects.filter(kind=Unit.Kind.ONE_STOP, is_active=True)
    own = desks.filter(path__startswith=agency.path).order_by("path").first()
    return own or agency


def appointment_if_now(version: ProcedureVersion, case: ProcedureCase, *, now: dt.datetime | None = None):
    """The appointment a dossier of `case` submitted online right now would get (working days of the
    receiving desk, its office hours and local closures)."""
    schedule = schedule_for_unit(desk_for(version, case))
    return schedule.appointment(now or timezone.now(), case_duration(case), Channel.ONLINE)


def popular_versions(*, limit: int = 8) -> list[ProcedureVersion]:
    """Procedures in force with the most dossiers over the last 365 days (online-capable first when tied)."""
    since = timezone.now() - dt.timedelta(days=365)
    counts = (Dossier.objects.filter(submitted_at__gte=since).values("version__procedure__code")
              .annotate(n=Count("id")).order_by("-n", "version__procedure__code")[:limit * 2])
    ranked = [row["version__procedure__code"] for row in counts]
    versions = {v.procedure.code: v for v in ProcedureVersion.objects.in_force_on(timezone.localdate())
                .filter(procedure__code__in=ranked).select_related("procedure", "agency")}
    chosen = [versions[c] for c in ranked if c in versions][:limit]
    if len(chosen) < limit:
        more = (ProcedureVersion.objects.in_force_on(timezone.localdate()).filter(online_level__in=ONLINE_LEVELS)
                .exclude(procedure__code__in=[v.procedure.code for v in chosen])
                .select_related("procedure", "agency").order_by("procedure__code")[:limit - len(chosen)])
        chosen.extend(more)
    return chosen

