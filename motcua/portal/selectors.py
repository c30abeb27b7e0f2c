"""Reads for the portal: a citizen's own dossiers and records, the public status lookup (no personal
data), the expected appointment "if you submit now", popular procedures and the public board."""

from __future__ import annotations

import datetime as dt
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _l

from motcua.catalog.models import OnlineLevel, ProcedureCase, ProcedureVersion
from motcua.dossiers.intake import case_duration
from motcua.dossiers.models import Applicant, ApplicantKind, Channel, Dossier, DossierEvent, Status
from motcua.lib.formats import VN_TZ
from motcua.org.calendar import schedule_for_unit
from motcua.org.models import Unit, User
from motcua.portal.models import PublicAttempt, Rating, Satisfaction
from motcua.records.models import Record

ONLINE_LEVELS = (OnlineLevel.FULL, OnlineLevel.PARTIAL)

# What the public history says for each move: no names, no notes, no personal data.
PUBLIC_ACTIONS = {
    "submit_online": _l("Nộp hồ sơ trực tuyến"),
    "accept_online": _l("Tiếp nhận hồ sơ trực tuyến"),
    "receive": _l("Tiếp nhận hồ sơ"),
    "intake_supplement": _l("Yêu cầu bổ sung, hoàn thiện hồ sơ"),
    "intake_refusal": _l("Từ chối tiếp nhận"),
    "supplement_online": _l("Nộp bổ sung trực tuyến"),
    "hand_on": _l("Chuyển bước xử lý"),
    "transfer_agency": _l("Chuyển cơ quan phối hợp"),
    "return_to_step": _l("Chuyển lại bước trước"),
    "assign": _l("Phân công xử lý"),
    "request_supplement": _l("Yêu cầu bổ sung hồ sơ"),
    "receive_supplement": _l("Đã nhận hồ sơ bổ sung"),
    "consult": _l("Lấy ý kiến phối hợp"),
    "answer_consultation": _l("Có ý kiến phối hợp"),
    "decide": _l("Có quyết định giải quyết"),
    "attach_result": _l("Có kết quả giải quyết"),
    "hand_to_desk": _l("Chuyển kết quả về Bộ phận Một cửa"),
    "return_result": _l("Đã trả kết quả"),
    "apology": _l("Xin lỗi và hẹn lại ngày trả kết quả"),
    "stop": _l("Dừng giải quyết"),
    "withdraw": _l("Rút hồ sơ theo yêu cầu"),
    "warn": _l("Sắp đến hạn"),
    "overdue": _l("Quá hạn"),
}


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


def check_matches(dossier: Dossier, check: str) -> bool:
    """The second factor: the last 4 digits of the applicant's phone or ID number."""
    check = (check or "").strip()
    if len(check) != 4 or not check.isdigit():
        return False
    candidates = [value[-4:] for value in (dossier.applicant_phone, dossier.applicant_identifier) if len(value) >= 4]
    matched = False
    for candidate in candidates:
        matched |= hmac.compare_digest(candidate, check)
    return matched


def find_for_lookup(code: str, check: str) -> Dossier | None:
    """The dossier when both the code and the check match; None otherwise (the same answer either way)."""
    code = (code or "").strip().upper()[:40]
    if not code:
        return None
    dossier = (Dossier.objects.filter(code=code)
               .select_related("version__procedure", "agency", "desk").first())
    if dossier is None or not check_matches(dossier, check):
        return None
    return dossier


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


def public_status(dossier: Dossier) -> PublicStatus:
    events = DossierEvent.objects.filter(dossier=dossier).order_by("at", "id").values("at", "action", "to_status")
    history = [{"at": e["at"], "action": str(PUBLIC_ACTIONS.get(e["action"], _l("Cập nhật hồ sơ"))),
                "status": e["to_status"], "status_label": str(Status(e["to_status"]).label)
                if e["to_status"] in Status.values else ""} for e in events]
    return PublicStatus(
        code=dossier.code, procedure_code=dossier.version.procedure.code, procedure_name=dossier.version.name,
        agency=dossier.agency.name, status=dossier.status, status_label=str(Status(dossier.status).label),
        channel_label=str(Channel(dossier.channel).label), submitted_at=dossier.submitted_at,
        received_at=dossier.received_at, due_at=dossier.due_at, returned_at=dossier.returned_at, history=history)


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


# -- public board ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class BoardRow:
    agency: Unit
    total: int
    online: int
    finished: int
    on_time: int
    ratings: int
    satisfied: int

    @staticmethod
    def _share(part: int, whole: int) -> float | None:
        return round(100 * part / whole, 1) if whole else None

    @property
    def online_rate(self) -> float | None:
        return self._share(self.online, self.total)

    @property
    def on_time_rate(self) -> float | None:
        return self._share(self.on_time, self.finished)

    @property
    def satisfaction_rate(self) -> float | None:
        return self._share(self.satisfied, self.ratings)


def board(*, year: int) -> list[BoardRow]:
    """Per agency, dossiers submitted in `year`: online share, on-time share of those resolved (resolved
    by the appointment), and the share of ratings that are satisfied or very satisfied."""
    start = dt.datetime(year, 1, 1, tzinfo=VN_TZ)
    end = dt.datetime(year + 1, 1, 1, tzinfo=VN_TZ)
    dossiers = Dossier.objects.filter(submitted_at__gte=start, submitted_at__lt=end).exclude(
        status__in=[Status.REFUSED])
    rows = {row["agency"]: row for row in dossiers.values("agency").annotate(
        total=Count("id"),
        online=Count("id", filter=Q(channel=Channel.ONLINE)),
        finished=Count("id", filter=Q(resolved_at__isnull=False, due_at__isnull=False)),
        on_time=Count("id", filter=Q(resolved_at__isnull=False, due_at__isnull=False, resolved_at__lte=F("due_at"))),
    )}
    ratings = {row["dossier__agency"]: row for row in Rating.objects.filter(
        dossier__submitted_at__gte=start, dossier__submitted_at__lt=end).values("dossier__agency").annotate(
        n=Count("id"),
        satisfied=Count("id", filter=Q(satisfaction__in=[Satisfaction.VERY_SATISFIED, Satisfaction.SATISFIED])))}
    units = Unit.objects.in_bulk(list(rows))
    result = []
    for pk, row in rows.items():
        rated = ratings.get(pk, {})
        result.append(BoardRow(agency=units[pk], total=row["total"], online=row["online"], finished=row["finished"],
                               on_time=row["on_time"], ratings=rated.get("n", 0), satisfied=rated.get("satisfied", 0)))
    return sorted(result, key=lambda r: r.agency.name)
