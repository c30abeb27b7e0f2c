"""Reads on the catalog: the version in force, search, comparison, and the control checks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from motcua.catalog.codes import normalize_procedure_code
from motcua.catalog.interchange import LABELS, version_as_dict
from motcua.catalog.models import (
    ChangeKind,
    InternalProcess,
    ProcedureCase,
    ProcedureVersion,
    PublicationDecision,
    Step,
)
from motcua.catalog.timing import PROCESS_SETUP_LIMIT_DAYS, working_days_after
from motcua.lib.text import fold


def today() -> dt.date:
    return timezone.localdate()


def _with_details(qs: QuerySet[ProcedureVersion]) -> QuerySet[ProcedureVersion]:
    steps = Step.objects.select_related("unit").order_by("order")
    processes = InternalProcess.objects.prefetch_related(Prefetch("steps", queryset=steps))
    cases = ProcedureCase.objects.prefetch_related("components", "fees", Prefetch("process", queryset=processes))
    return qs.select_related("procedure", "decision", "field", "agency", "replaces").prefetch_related(
        Prefetch("cases", queryset=cases))


def version_in_force(code: str, *, on: dt.date | None = None) -> ProcedureVersion | None:
    """The one version of procedure `code` in force on `on` (today by default); None when the
    procedure is unknown, not yet in force or abolished on that day."""
    normal = normalize_procedure_code(code)
    if normal is None:
        return None
    qs = ProcedureVersion.objects.in_force_on(on or today()).filter(procedure__code=normal)
    return _with_details(qs).first()


def versions_of(code: str) -> list[ProcedureVersion]:
    return list(ProcedureVersion.objects.filter(procedure__code=code).select_related("decision")
                .order_by("effective_from"))


def search_versions(*, q: str = "", field: str = "", level: str = "", agency: str = "", online_level: str = "",
                    has_fee: bool | None = None, on: dt.date | None = None) -> QuerySet[ProcedureVersion]:
    """Procedures in force on `on`, searched ignoring case and diacritics (`thi dua` finds `Thi đua`)."""
    qs = ProcedureVersion.objects.in_force_on(on or today())
    for word in fold(q).split():
        qs = qs.filter(search_text__contains=word)
    if field:
        qs = qs.filter(field__code=field)
    if level:
        qs = qs.filter(level=level)
    if agency:
        qs = qs.filter(agency__code=agency)
    if online_level:
        qs = qs.filter(online_level=online_level)
    if has_fee is not None:
        qs = qs.filter(has_fee=has_fee)
    return qs.select_related("procedure", "field", "agency").order_by("procedure__code")


def version_detail(pk: int) -> ProcedureVersion | None:
    return _with_details(ProcedureVersion.objects.filter(pk=pk)).first()


# -- side-by-side comparison ------------------------------------------------------------------------

@dataclass(frozen=True)
class DiffRow:
    label: str
    left: str
    right: str

    @property
    def changed(self) -> bool:
        return self.left != self.right


def _flatten(data: dict) -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in data.items():
        if key in {"cases", "decision"}:
            continue
        flat[LABELS.get(key, key)] = "" if value is None else str(value)
    for case in data.get("cases", []):
        prefix = f"{LABELS['case']} «{case['name'] or 'chung'}»"
        flat[f"{prefix}: {LABELS['processing_time']}"] = f"{case['processing_time']} {case['time_unit']}"
        flat[f"{prefix}: thành phần hồ sơ"] = "\n".join(
            f"{c['name']} ({c['originals']} bản chính, {c['copies']} bản sao"
            f"{', bắt buộc' if c['required'] else ', không bắt buộc'})" for c in case["components"])
        flat[f"{prefix}: phí, lệ phí"] = "\n".join(f"{f['name']}: {f['amount']} đ" for f in case["fees"])
        flat[f"{prefix}: quy trình nội bộ"] = "\n".join(
            f"{i}. {s['description']} – {s['unit']} – {s['budget']}{'' if s['counted'] else ' (không tính)'}"
            for i, s in enumerate(case["steps"], start=1))
    return flat


def compare_versions(left: ProcedureVersion, right: ProcedureVersion) -> list[DiffRow]:
    a, b = _flatten(version_as_dict(left)), _flatten(version_as_dict(right))
    labels = list(dict.fromkeys([*a, *b]))
    return [DiffRow(label, a.get(label, ""), b.get(label, "")) for label in labels]


# -- control: the 3-working-day rule and discrepancies ---------------------------------------------

@dataclass(frozen=True)
class ProcessSetup:
    decision: PublicationDecision
    version: ProcedureVersion
    case: ProcedureCase
    configured_on: dt.date | None
    working_days: int | None  # working days from the decision's date to the configuration

    @property
    def on_time(self) -> bool:
        return self.working_days is not None and self.working_days <= PROCESS_SETUP_LIMIT_DAYS

    @property
    def overdue(self) -> bool:
        """Late already, whether configured late or still missing past the limit."""
        if self.working_days is not None:
            return self.working_days > PROCESS_SETUP_LIMIT_DAYS
        return working_days_after(self.decision.signed_on, today()) > PROCESS_SETUP_LIMIT_DAYS


def process_setups(*, decision: PublicationDecision | None = None) -> list[ProcessSetup]:
    """For each case published by a decision (abolitions aside): when its electronic process was
    configured, counted in working days from the decision's date."""
    cases = ProcedureCase.objects.exclude(version__kind=ChangeKind.ABOLISHED).select_related(
        "version__procedure", "version__decision", "process").order_by(
        "-version__decision__signed_on", "version__procedure__code", "order")
    if decision is not None:
        cases = cases.filter(version__decision=decision)
    rows = []
    for case in cases:
        process = getattr(case, "process", None)
        signed_on = case.version.decision.signed_on
        rows.append(ProcessSetup(
            decision=case.version.decision, version=case.version, case=case,
            configured_on=process.configured_on if process else None,
            working_days=working_days_after(signed_on, process.configured_on) if process else None,
        ))
    return rows


def late_process_setups() -> list[ProcessSetup]:
    return [row for row in process_setups() if row.overdue]


def published_without_process(*, on: dt.date | None = None) -> list[ProcedureCase]:
    """Cases of versions in force with no internal process."""
    return list(ProcedureCase.objects.filter(
        version__in=ProcedureVersion.objects.in_force_on(on or today()), process__isnull=True,
    ).select_related("version__procedure", "version__decision").order_by("version__procedure__code", "order"))


# Apps that receive dossiers register a probe here (catalog must not import them):
# probe() -> {procedure code: date of the latest reception}.
ReceivingProbe = Callable[[], dict[str, dt.date]]
RECEIVING_PROBES: list[ReceivingProbe] = []


def register_receiving_probe(probe: ReceivingProbe) -> None:
    if probe not in RECEIVING_PROBES:
        RECEIVING_PROBES.append(probe)


@dataclass(frozen=True)
class ReceivingIssue:
    code: str
    last_received: dt.date
    reason: str


def receiving_issues(probes: Iterable[ReceivingProbe] | None = None) -> list[ReceivingIssue]:
    """Dossiers received for a procedure that was not published, or already abolished, that day."""
    issues = []
    for probe in RECEIVING_PROBES if probes is None else probes:
        for code, last in sorted(probe().items()):
            if ProcedureVersion.objects.in_force_on(last).filter(procedure__code=code).exists():
                continue
            abolished = ProcedureVersion.objects.filter(
                procedure__code=code, kind=ChangeKind.ABOLISHED, effective_from__lte=last).exists()
            reason = ("Đã bãi bỏ nhưng vẫn tiếp nhận hồ sơ" if abolished
                      else "Tiếp nhận hồ sơ nhưng thủ tục chưa được công bố")
            issues.append(ReceivingIssue(code, last, reason))
    return issues
