"""Entering a publication decision on screen: its entries come from a file in the interchange form
(XLSX sheets procedures/cases/components/fees/steps, or JSON), plus codes to abolish; before anything
is saved the whole decision is tried and rolled back, so the preview shows every problem the real
publication would meet (including amending a procedure that does not exist)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Prefetch

from motcua.catalog.actions import check_decision, publish_decision
from motcua.catalog.interchange import CatalogError, Problem, version_as_dict
from motcua.catalog.models import ChangeKind, InternalProcess, ProcedureCase, ProcedureVersion
from motcua.catalog.transfer import read_xlsx, tag_json, workbook_bytes
from motcua.lib.formats import money
from motcua.org.models import User

ENTRIES_MAX_BYTES = 1024 * 1024
ABOLISHED_SHEET = "Mã TTHC bãi bỏ"


def read_entries(data: bytes, *, filename: str) -> tuple[list[dict], list[Problem]]:
    """Entries of one decision from an uploaded file, and the rows that could not be linked.
    Raises CatalogError when the file cannot be read at all."""
    if data[:2] == b"PK" or filename.lower().endswith(".xlsx"):
        doc = read_xlsx(data, filename=filename, entries_only=True)
        return doc["procedures"], doc["problems"]
    try:
        parsed = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CatalogError([Problem(filename, None, "", f"Không đọc được tệp JSON: {exc}.")]) from None
    if isinstance(parsed, list):
        parsed = {"procedures": parsed}
    if not isinstance(parsed, dict) or not isinstance(parsed.get("procedures"), list):
        raise CatalogError([Problem(filename, None, "", "Tệp JSON phải là danh sách thủ tục, hoặc một đối tượng có "
                                                        "khóa \"procedures\" là danh sách thủ tục.")])
    return tag_json({"procedures": parsed["procedures"]})["procedures"], []


def abolition_entries(text: str) -> list[dict]:
    """`1.013934, 1.005384` or one per line: entries abolishing those procedures."""
    codes = [c for c in re.split(r"[\s,;]+", text) if c]
    return [{"code": code, "kind": ChangeKind.ABOLISHED, "_loc": (ABOLISHED_SHEET, i)}
            for i, code in enumerate(codes, start=1)]


@dataclass(frozen=True)
class CasePreview:
    name: str
    time: str
    components: int
    fees: list[str]
    steps: int


@dataclass(frozen=True)
class EntryPreview:
    code: str
    kind: str
    name: str
    agency: str
    field: str
    effective_from: str
    cases: list[CasePreview] = field(default_factory=list)


def _previews(versions) -> list[EntryPreview]:
    rows = []
    for v in versions:
        cases = [] if v.is_abolished else [
            CasePreview(name=c.name, time=c.time_label, components=len(c.components.all()),
                        fees=[f"{f.name}: {money(f.amount)}" for f in c.fees.all()],
                        steps=len(c.process.steps.all()) if hasattr(c, "process") else 0)
            for c in v.cases.all()]
        rows.append(EntryPreview(code=v.procedure.code, kind=v.get_kind_display(), name=v.name,
                                 agency=v.agency.name, field=v.field.name,
                                 effective_from=f"{v.effective_from:%d/%m/%Y}", cases=cases))
    return rows


def preview_decision(*, decision: dict, entries: list[dict], acting_user: User | None,
                     known_problems: list[Problem] | None = None) -> tuple[list[EntryPreview], list[Problem]]:
    """What publishing would bring in, or every problem; nothing is kept either way."""
    if known_problems:
        _, _, problems = check_decision(decision=decision, entries=entries)
        return [], [*known_problems, *problems]
    try:
        with transaction.atomic():
            record = publish_decision(decision=decision, entries=entries, acting_user=acting_user)
            processes = InternalProcess.objects.prefetch_related("steps")
            cases = ProcedureCase.objects.prefetch_related("components", "fees",
                                                           Prefetch("process", queryset=processes))
            versions = (ProcedureVersion.objects.filter(decision=record)
                        .select_related("procedure", "agency", "field")
                        .prefetch_related(Prefetch("cases", queryset=cases)).order_by("procedure__code"))
            previews = _previews(versions)
            transaction.set_rollback(True)
    except CatalogError as exc:
        return [], exc.problems
    return previews, []


def entries_workbook(version: ProcedureVersion | None) -> bytes:
    """A workbook to fill in: empty sheets with their headers, or the current version of a procedure
    marked "amended" as a starting point for an amendment."""
    if version is None:
        return workbook_bytes(None, [])
    data = version_as_dict(version)
    data.update(kind=ChangeKind.AMENDED, decision="", replaces="")
    for case in data["cases"]:
        case["process_configured_on"] = None
        case["steps"] = []
    return workbook_bytes(None, [data])
