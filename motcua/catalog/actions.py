"""Writes on the catalog. Each action is one transaction with its audit entry; bad input raises
`CatalogError` listing every problem, and nothing is saved."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from motcua.catalog.interchange import (
    CatalogError,
    Problem,
    clean_decision,
    clean_steps,
    clean_version,
    unit_index,
)
from motcua.catalog.models import (
    ChangeKind,
    Component,
    Fee,
    Field,
    InternalProcess,
    Procedure,
    ProcedureCase,
    ProcedureVersion,
    PublicationDecision,
    Step,
)
from motcua.lib.text import fold
from motcua.org.audit import record_audit
from motcua.org.models import Unit, User

HEADER_FIELDS = ["name", "level", "receiving_place", "applicants", "conditions", "result_name", "result_kind",
                 "result_validity", "legal_basis", "online_level", "postal_allowed", "inter_agency"]


def _rechain(procedure: Procedure) -> None:
    """Each version ends the day before the next one starts; the last is open-ended."""
    versions = list(procedure.versions.order_by("effective_from"))
    for current, following in zip(versions, [*versions[1:], None], strict=True):
        end = following.effective_from - dt.timedelta(days=1) if following else None
        if current.effective_to != end:
            ProcedureVersion.objects.filter(pk=current.pk).update(effective_to=end)


def _in_force(procedure: Procedure | None, day: dt.date) -> ProcedureVersion | None:
    if procedure is None:
        return None
    return ProcedureVersion.objects.in_force_on(day).filter(procedure=procedure).first()


def _search_text(version: ProcedureVersion) -> str:
    return fold(f"{version.procedure.code} {version.name} {version.field.name} {version.agency.name} "
                f"{version.agency.short_name} {version.result_name}")[:1000]


def _save_cases(version: ProcedureVersion, cases: list[dict], acting_user: User | None) -> None:
    for spec in cases:
        case = ProcedureCase.objects.create(
            version=version, order=spec["order"], name=spec["name"], processing_time=spec["processing_time"],
            time_unit=spec["time_unit"], time_note=spec["time_note"],
        )
        Component.objects.bulk_create([
            Component(case=case, **{k: v for k, v in comp.items()}) for comp in spec["components"]
        ])
        Fee.objects.bulk_create([Fee(case=case, **fee) for fee in spec["fees"]])
        if spec["steps"]:
            process = InternalProcess.objects.create(case=case, configured_on=spec["process_configured_on"],
                                                     configured_by=acting_user)
            Step.objects.bulk_create([Step(process=process, **step) for step in spec["steps"]])


def _apply_entry(decision: PublicationDecision, entry: dict, abolished_in_decision: set[str],
                 acting_user: User | None) -> ProcedureVersion | Problem:
    sheet, row = entry["_loc"]
    code, kind, day = entry["code"], entry["kind"], decision.effective_from
    procedure = Procedure.objects.filter(code=code).first()
    current = _in_force(procedure, day)
    if procedure is not None and procedure.versions.filter(effective_from=day).exists():
        return Problem(sheet, row, "code", f"Thủ tục {code} đã có một phiên bản có hiệu lực từ {day:%d/%m/%Y}; "
                                           "mỗi ngày chỉ có một phiên bản.")
    if kind == ChangeKind.NEW and current is not None:
        return Problem(sheet, row, "code", f"Thủ tục {code} đã có trong danh mục; hãy công bố dưới hình thức "
                                           "sửa đổi, bổ sung hoặc thay thế.")
    if kind in {ChangeKind.AMENDED, ChangeKind.ABOLISHED} and current is None:
        verb = "sửa đổi, bổ sung" if kind == ChangeKind.AMENDED else "bãi bỏ"
        return Problem(sheet, row, "code", f"Không thể {verb} thủ tục {code}: thủ tục chưa có trong danh mục "
                                           f"hoặc không còn hiệu lực vào ngày {day:%d/%m/%Y}.")
    replaces = None
    if kind == ChangeKind.REPLACED:
        if entry["replaces"] and entry["replaces"] != code:
            replaces = Procedure.objects.filter(code=entry["replaces"]).first()
            if replaces is None:
                return Problem(sheet, row, "replaces", f"Không thể thay thế thủ tục {entry['replaces']}: "
                                                       "thủ tục này chưa có trong danh mục.")
        elif current is None:
            return Problem(sheet, row, "code", f"Không thể thay thế thủ tục {code}: thủ tục chưa có trong danh mục "
                                               f"hoặc không còn hiệu lực vào ngày {day:%d/%m/%Y}.")
        else:
            replaces = procedure if entry["replaces"] else None
    if procedure is None:
        procedure = Procedure.objects.create(code=code)
    if kind == ChangeKind.ABOLISHED:
        header = {name: getattr(current, name) for name in HEADER_FIELDS}
        version = ProcedureVersion(procedure=procedure, decision=decision, kind=kind, effective_from=day,
                                   field=current.field, agency=current.agency, **header)
    else:
        field, _ = Field.objects.get_or_create(code=entry["field_code"], defaults={"name": entry["field_name"]})
        if field.name != entry["field_name"]:
            field.name = entry["field_name"]
            field.save(update_fields=["name"])
        header = {name: entry[name] for name in HEADER_FIELDS}
        version = ProcedureVersion(procedure=procedure, decision=decision, kind=kind, effective_from=day,
                                   replaces=replaces, field=field, agency=entry["agency"], **header)
        version.has_fee = any(fee["amount"] for case in entry["cases"] for fee in case["fees"])
    version.search_text = _search_text(version)
    version.save()
    _save_cases(version, entry["cases"], acting_user)
    if replaces is not None and replaces != procedure and replaces.code not in abolished_in_decision:
        # The replaced procedure ends where its successor starts, unless the decision says so itself.
        old = _in_force(replaces, day)
        if old is not None and not replaces.versions.filter(effective_from=day).exists():
            ProcedureVersion.objects.create(
                procedure=replaces, decision=decision, kind=ChangeKind.ABOLISHED, effective_from=day,
                field=old.field, agency=old.agency, search_text=old.search_text,
                **{name: getattr(old, name) for name in HEADER_FIELDS},
            )
            _rechain(replaces)
    _rechain(procedure)
    return version


def check_decision(*, decision: dict, entries: list[dict], units: dict[str, Unit] | None = None
                   ) -> tuple[dict, list[dict], list[Problem]]:
    """Static checks of a decision and its entries (no database writes)."""
    units = units if units is not None else unit_index()
    problems: list[Problem] = []
    clean = clean_decision(decision, problems, units)
    if clean["number"] and PublicationDecision.objects.filter(number=clean["number"]).exists():
        problems.append(Problem(*clean["_loc"], "number", f"Quyết định số {clean['number']} đã có trong danh mục."))
    cleaned = [clean_version(e, problems, units) for e in entries]
    if not cleaned:
        problems.append(Problem(*clean["_loc"], "number", "Quyết định công bố phải có ít nhất một thủ tục."))
    seen: dict[str, tuple] = {}
    for entry in cleaned:
        if entry["code"] in seen:
            problems.append(Problem(*entry["_loc"], "code", f"Mã TTHC {entry['code']} bị trùng trong quyết định "
                                                            f"{clean['number']}."))
        elif entry["code"]:
            seen[entry["code"]] = entry["_loc"]
    return clean, cleaned, problems


@transaction.atomic
def publish_decision(*, decision: dict, entries: list[dict], acting_user: User | None, ip: str | None = None,
                     units: dict[str, Unit] | None = None) -> PublicationDecision:
    """Record a publication decision and the procedure versions it brings in (new, amended,
    replaced or abolished). Raises CatalogError with every problem; nothing is saved then."""
    clean, cleaned, problems = check_decision(decision=decision, entries=entries, units=units)
    if problems:
        raise CatalogError(problems)
    record = PublicationDecision.objects.create(
        number=clean["number"], signed_on=clean["signed_on"], signer=clean["signer"],
        effective_from=clean["effective_from"], issuer=clean["issuer"], title=clean["title"],
        created_by=acting_user if acting_user is not None and acting_user.is_authenticated else None,
    )
    abolished = {e["code"] for e in cleaned if e["kind"] == ChangeKind.ABOLISHED}
    # Abolitions last, so a replacement in the same decision still sees the procedure it replaces.
    ordered = sorted(cleaned, key=lambda e: e["kind"] == ChangeKind.ABOLISHED)
    results = [_apply_entry(record, entry, abolished, acting_user) for entry in ordered]
    problems = [r for r in results if isinstance(r, Problem)]
    if problems:
        raise CatalogError(problems)
    record_audit(action="catalog.publish_decision", obj=record, actor=acting_user, ip=ip, after={
        "number": record.number, "effective_from": record.effective_from,
        "entries": [{"code": e["code"], "kind": e["kind"]} for e in cleaned],
    })
    return record


@transaction.atomic
def configure_process(*, case: ProcedureCase, steps: list[dict], configured_on: dt.date,
                      acting_user: User | None, ip: str | None = None) -> InternalProcess:
    """Set (or replace) the internal process of a case; the counted step budgets must add up to
    the case's legal processing time."""
    problems: list[Problem] = []
    cleaned = clean_steps(steps, total=case.processing_time, time_unit=case.time_unit, problems=problems,
                          units=unit_index(), where=("steps", None))
    if problems:
        raise CatalogError(problems)
    process, created = InternalProcess.objects.get_or_create(
        case=case, defaults={"configured_on": configured_on, "configured_by": acting_user})
    before = None
    if not created:
        before = {"configured_on": process.configured_on, "steps": process.steps.count()}
        process.steps.all().delete()
        process.configured_on = configured_on
        process.configured_by = acting_user
        process.save(update_fields=["configured_on", "configured_by"])
    Step.objects.bulk_create([Step(process=process, **step) for step in cleaned])
    record_audit(action="catalog.configure_process", obj=process, actor=acting_user, ip=ip, before=before,
                 after={"configured_on": configured_on, "steps": len(cleaned)})
    return process
