"""Import and export of the whole catalog, as JSON or as an XLSX workbook.

Both carry the same interchange dicts (see `interchange`). The workbook has one sheet per kind
of row — decisions, procedures (one row per version), cases, components, fees, steps — linked by
the procedure code, the decision number and the case name. An import is all or nothing: every bad
row is reported (sheet, row, column, reason) and nothing is saved.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from decimal import Decimal
from typing import Any

from django.db import transaction

from motcua.catalog.actions import check_decision, publish_decision
from motcua.catalog.codes import normalize_procedure_code
from motcua.catalog.interchange import (
    CASE_FIELDS,
    COMPONENT_FIELDS,
    DECISION_FIELDS,
    FEE_FIELDS,
    LABELS,
    STEP_FIELDS,
    VERSION_FIELDS,
    CatalogError,
    Problem,
    decision_as_dict,
    unit_index,
    version_as_dict,
)
from motcua.catalog.models import ProcedureVersion, PublicationDecision
from motcua.org.models import User

FORMAT = "motcua.catalog"
FORMAT_VERSION = 1
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

LINK = ["code", "decision", "case"]
SHEETS: dict[str, list[str]] = {
    "decisions": DECISION_FIELDS,
    "procedures": VERSION_FIELDS,
    "cases": [*LINK, *[f for f in CASE_FIELDS if f != "name"]],
    "components": [*LINK, *COMPONENT_FIELDS],
    "fees": [*LINK, *FEE_FIELDS],
    "steps": [*LINK, *STEP_FIELDS],
}
REQUIRED_COLUMNS = {"decisions": ["number"], "procedures": ["code", "decision"], "cases": ["code", "decision"],
                    "components": ["code", "decision"], "fees": ["code", "decision"], "steps": ["code", "decision"]}


# -- export -----------------------------------------------------------------------------------------

def export_document() -> dict:
    decisions = PublicationDecision.objects.select_related("issuer").order_by("effective_from", "signed_on", "number")
    versions = (ProcedureVersion.objects
                .select_related("procedure", "decision", "field", "agency", "replaces")
                .prefetch_related("cases__components", "cases__fees", "cases__process__steps__unit")
                .order_by("decision__effective_from", "decision__signed_on", "decision__number", "procedure__code"))
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "decisions": [decision_as_dict(d) for d in decisions],
        "procedures": [version_as_dict(v) for v in versions],
    }


def export_json() -> bytes:
    return json.dumps(export_document(), ensure_ascii=False, indent=1).encode("utf-8")


def _cell(key: str, value: Any) -> Any:
    if isinstance(value, bool):
        return "có" if value else "không"
    if value is None:
        return None
    if key in {"signed_on", "effective_from", "process_configured_on"} and value:
        return dt.date.fromisoformat(value)
    if key in {"processing_time", "budget"}:
        number = Decimal(value)
        return int(number) if number == number.to_integral_value() else float(number)
    return value


def export_xlsx() -> bytes:
    doc = export_document()
    return workbook_bytes(doc["decisions"], doc["procedures"])


def workbook_bytes(decisions: list[dict] | None, versions: list[dict]) -> bytes:
    """The workbook of `versions` (interchange dicts); without the decisions sheet when `decisions` is
    None (a decision's entries, as the publishing screen takes them)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    rows: dict[str, list[dict]] = {name: [] for name in SHEETS}
    rows["decisions"] = decisions or []
    for version in versions:
        rows["procedures"].append(version)
        for case in version["cases"]:
            link = {"code": version["code"], "decision": version["decision"], "case": case["name"]}
            rows["cases"].append({**link, **case})
            rows["components"] += [{**link, **c} for c in case["components"]]
            rows["fees"] += [{**link, **f} for f in case["fees"]]
            rows["steps"] += [{**link, **s} for s in case["steps"]]
    book = Workbook()
    book.remove(book.active)
    font, bold = Font(name="Times New Roman", size=12), Font(name="Times New Roman", size=12, bold=True)
    for name, keys in SHEETS.items():
        if name == "decisions" and decisions is None:
            continue
        sheet = book.create_sheet(name)
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.append([LABELS[k] for k in keys])
        for row in rows[name]:
            sheet.append([_cell(k, row.get(k)) for k in keys])
        for r, cells in enumerate(sheet.iter_rows(), start=1):
            for cell in cells:
                cell.font = bold if r == 1 else font
                cell.alignment = Alignment(vertical="top", wrap_text=r > 1)
                if isinstance(cell.value, dt.date):
                    cell.number_format = "DD/MM/YYYY"
        for column, key in zip(sheet.columns, keys, strict=False):
            sheet.column_dimensions[column[0].column_letter].width = 40 if key in {"name", "description"} else 16
        sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# -- reading files into interchange dicts -----------------------------------------------------------

def read_json(data: bytes, *, filename: str = "JSON") -> dict:
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CatalogError([Problem(filename, None, "", f"Không đọc được tệp JSON: {exc}.")]) from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise CatalogError([Problem(filename, None, "", f"Tệp JSON không phải danh mục TTHC (cần \"format\": \"{FORMAT}\").")])
    return tag_json(doc)


def tag_json(doc: dict) -> dict:
    """Mark every record of a parsed JSON document with its place, for the problem messages."""
    problems: list[Problem] = []

    def items(parent: dict, key: str, where: str) -> list[dict]:
        value = parent.get(key) or []
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            problems.append(Problem(where, None, key, "Phải là một danh sách các đối tượng."))
            return []
        return value

    decisions = items(doc, "decisions", "decisions")
    for i, d in enumerate(decisions, start=1):
        d["_loc"] = ("decisions", i)
    versions = items(doc, "procedures", "procedures")
    for i, v in enumerate(versions, start=1):
        v["_loc"] = ("procedures", i)
        for j, case in enumerate(items(v, "cases", f"procedures[{i}]"), start=1):
            case["_loc"] = (f"procedures[{i}].cases", j)
            for key in ("components", "fees", "steps"):
                for k, child in enumerate(items(case, key, f"procedures[{i}].cases[{j}]"), start=1):
                    child["_loc"] = (f"procedures[{i}].cases[{j}].{key}", k)
    if problems:
        raise CatalogError(problems)
    return {"decisions": decisions, "procedures": versions}


def read_xlsx(data: bytes, *, filename: str = "XLSX", entries_only: bool = False) -> dict:
    """Read the workbook into interchange dicts. `entries_only`: the entries of one decision entered on
    the publishing screen — no decisions sheet, and the decision column is optional."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError, TypeError):
        raise CatalogError([Problem(filename, None, "", "Không đọc được tệp: tệp hỏng hoặc không phải bảng tính "
                                                        "Excel (.xlsx).")]) from None
    problems: list[Problem] = []
    tables: dict[str, list[dict]] = {}
    for name, keys in SHEETS.items():
        if name not in book.sheetnames:
            if name == "procedures" or (name == "decisions" and not entries_only):
                problems.append(Problem(name, None, "", f"Thiếu trang tính «{name}»."))
            tables[name] = []
            continue
        lookup = {LABELS[k].lower(): k for k in keys} | {k: k for k in keys}
        rows = book[name].iter_rows(values_only=True)
        header = next(rows, None) or ()
        columns: list[str | None] = []
        for i, title in enumerate(header, start=1):
            key = lookup.get(str(title).strip().lower()) if title is not None else None
            if title is not None and key is None:
                problems.append(Problem(name, 1, str(title), f"Cột «{title}» (cột số {i}) không được hỗ trợ."))
            columns.append(key)
        for key in REQUIRED_COLUMNS[name]:
            if key not in columns and not (entries_only and key == "decision"):
                problems.append(Problem(name, 1, key, "Thiếu cột bắt buộc."))
        records = []
        for r, values in enumerate(rows, start=2):
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                continue
            record: dict[str, Any] = {"_loc": (name, r)}
            for key, value in zip(columns, values, strict=False):
                if key is not None:
                    record[key] = value.strip() if isinstance(value, str) else value
            records.append(record)
        tables[name] = records
    book.close()
    if problems:
        raise CatalogError(problems)

    def key_of(record: dict, with_case: bool) -> tuple:
        code = normalize_procedure_code(str(record.get("code") or "")) or str(record.get("code") or "")
        base = (code, str(record.get("decision") or "").strip())
        return (*base, str(record.get("case") or "").strip()) if with_case else base

    versions: dict[tuple, dict] = {}
    for record in tables["procedures"]:
        record["cases"] = []
        key = key_of(record, False)
        if key in versions:
            problems.append(Problem("procedures", record["_loc"][1], "code",
                                    f"Mã TTHC {key[0]} bị trùng trong quyết định {key[1]}."))
            continue
        versions[key] = record
    cases: dict[tuple, dict] = {}
    for record in tables["cases"]:
        parent = versions.get(key_of(record, False))
        if parent is None:
            problems.append(Problem("cases", record["_loc"][1], "code", f"Không có thủ tục {record.get('code')} "
                                    f"thuộc quyết định {record.get('decision')} trong trang «procedures»."))
            continue
        record["name"] = record.pop("case", "") or ""
        record.update(components=[], fees=[], steps=[])
        parent["cases"].append(record)
        cases[key_of({**record, "case": record["name"]}, True)] = record
    for sheet in ("components", "fees", "steps"):
        for record in tables[sheet]:
            parent = cases.get(key_of(record, True))
            if parent is None:
                problems.append(Problem(sheet, record["_loc"][1], "case", f"Không có trường hợp «{record.get('case') or ''}» "
                                        f"của thủ tục {record.get('code')} (quyết định {record.get('decision')}) "
                                        "trong trang «cases»."))
                continue
            parent[sheet].append(record)
    # Rows that could not be linked are reported together with the bad values of the others.
    return {"decisions": tables["decisions"], "procedures": list(versions.values()), "problems": problems}


def read_file(data: bytes, *, filename: str = "") -> dict:
    if data[:2] == b"PK" or filename.lower().endswith(".xlsx"):
        return read_xlsx(data, filename=filename or "XLSX")
    return read_json(data, filename=filename or "JSON")


# -- import -----------------------------------------------------------------------------------------

def import_document(doc: dict, *, acting_user: User | None, ip: str | None = None) -> dict[str, int]:
    """Publish every decision of `doc` in date order, all or nothing."""
    units = unit_index()
    problems: list[Problem] = list(doc.get("problems", []))
    decisions: dict[str, dict] = {}
    for raw in doc["decisions"]:
        number = str(raw.get("number") or "").strip()
        if number in decisions:
            problems.append(Problem(*raw["_loc"], "number", f"Quyết định số {number} bị lặp trong tệp."))
        decisions[number] = raw
    grouped: dict[str, list[dict]] = {number: [] for number in decisions}
    for raw in doc["procedures"]:
        number = str(raw.get("decision") or "").strip()
        if number not in grouped:
            problems.append(Problem(*raw["_loc"], "decision", f"Quyết định số «{number}» không có trong danh sách "
                                                              "quyết định công bố của tệp."))
            continue
        grouped[number].append(raw)
    checked = []
    for number, raw in decisions.items():
        clean, _, found = check_decision(decision=raw, entries=grouped[number], units=units)
        problems += found
        checked.append((clean["effective_from"] or dt.date.max, clean["signed_on"] or dt.date.max, number))
    if problems:
        raise CatalogError(problems)
    versions = 0
    with transaction.atomic():
        for _, _, number in sorted(checked):
            try:
                with transaction.atomic():
                    publish_decision(decision=decisions[number], entries=grouped[number], acting_user=acting_user,
                                     ip=ip, units=units)
                    versions += len(grouped[number])
            except CatalogError as exc:
                problems += exc.problems
        if problems:
            raise CatalogError(problems)
    return {"decisions": len(decisions), "versions": versions}


def import_bytes(data: bytes, *, filename: str = "", acting_user: User | None, ip: str | None = None
                 ) -> dict[str, int]:
    return import_document(read_file(data, filename=filename), acting_user=acting_user, ip=ip)
