"""The catalog's interchange form: plain dicts shared by the actions, JSON and XLSX.

`clean_decision` and `clean_version` turn raw values (strings from a form or a spreadsheet,
numbers, dates) into typed values and report every problem with its place (sheet, row,
column) in Vietnamese. `decision_as_dict` and `version_as_dict` are the inverse, so an export
read back by the import gives the same catalog.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from motcua.catalog.codes import normalize_procedure_code
from motcua.catalog.models import (
    Applicants,
    ChangeKind,
    FeeKind,
    Level,
    OnlineLevel,
    ProcedureVersion,
    PublicationDecision,
    TimeUnit,
)
from motcua.lib.text import TextError, nfc
from motcua.org.models import Role, Unit

DECISION_FIELDS = ["number", "signed_on", "signer", "effective_from", "issuer", "title"]
VERSION_FIELDS = ["code", "decision", "kind", "replaces", "name", "field_code", "field_name", "level", "agency",
                  "receiving_place", "applicants", "conditions", "result_name", "result_kind", "result_validity",
                  "legal_basis", "online_level", "postal_allowed", "inter_agency"]
CASE_FIELDS = ["name", "processing_time", "time_unit", "time_note", "process_configured_on"]
COMPONENT_FIELDS = ["name", "originals", "copies", "required", "form_name", "form_file", "document_type", "note"]
FEE_FIELDS = ["kind", "name", "amount", "legal_basis", "note"]
STEP_FIELDS = ["unit", "role", "budget", "counted", "description"]

# Column headers of the spreadsheet (the import accepts either the key or the label).
LABELS = {
    "number": "Số quyết định", "signed_on": "Ngày ký", "signer": "Người ký", "effective_from": "Ngày hiệu lực",
    "issuer": "Mã cơ quan ban hành", "title": "Trích yếu", "code": "Mã TTHC", "decision": "Số quyết định",
    "kind": "Loại", "replaces": "Thay thế mã TTHC", "name": "Tên", "field_code": "Mã lĩnh vực",
    "field_name": "Lĩnh vực", "level": "Cấp thực hiện", "agency": "Mã cơ quan thực hiện",
    "receiving_place": "Nơi tiếp nhận", "applicants": "Đối tượng", "conditions": "Yêu cầu, điều kiện",
    "result_name": "Tên kết quả", "result_kind": "Loại kết quả", "result_validity": "Thời hạn hiệu lực kết quả",
    "legal_basis": "Căn cứ pháp lý", "online_level": "Mức độ trực tuyến", "postal_allowed": "Qua bưu chính",
    "inter_agency": "Liên thông", "case": "Trường hợp", "processing_time": "Thời hạn giải quyết",
    "time_unit": "Đơn vị thời gian", "time_note": "Ghi chú thời hạn",
    "process_configured_on": "Ngày cấu hình quy trình điện tử", "originals": "Số bản chính", "copies": "Số bản sao",
    "required": "Bắt buộc", "form_name": "Mẫu đơn, tờ khai", "form_file": "Tệp mẫu",
    "document_type": "Loại giấy tờ tái sử dụng", "note": "Ghi chú", "amount": "Mức thu (đồng)",
    "unit": "Mã đơn vị", "role": "Vai trò", "budget": "Thời gian", "counted": "Tính vào thời hạn",
    "description": "Nội dung công việc",
}


@dataclass(frozen=True)
class Problem:
    """One bad value: where it is and why, in Vietnamese."""

    sheet: str
    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        place = f"«{self.sheet}»"
        if self.row is not None:
            place += f", dòng {self.row}"
        if self.column:
            place += f", cột «{LABELS.get(self.column, self.column)}»"
        return f"{place}: {self.message}"


class CatalogError(ValueError):
    """A write was refused; nothing was saved. `problems` says everything that was wrong."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))

    @property
    def messages(self) -> list[str]:
        return [str(p) for p in self.problems]


def _loc(raw: dict, default_sheet: str) -> tuple[str, int | None]:
    loc = raw.get("_loc")
    return (loc[0], loc[1]) if loc else (default_sheet, None)


def fee_kind_named(name: str) -> str | None:
    """The kind a fee's own name states (Luật Phí và lệ phí 2015 tells "phí" from "lệ phí"): a name starting
    with "Lệ phí" is a charge, one starting with "Phí" a fee; None when the name does not say."""
    words = nfc(name).strip().lower()
    if words.startswith("lệ phí"):
        return FeeKind.CHARGE
    if words.startswith("phí"):
        return FeeKind.FEE
    return None


class _Cleaner:
    """Collects problems while converting one record."""

    def __init__(self, raw: dict, sheet: str, problems: list[Problem]):
        self.raw = raw
        self.sheet, self.row = _loc(raw, sheet)
        self.problems = problems

    def bad(self, column: str, message: str) -> None:
        self.problems.append(Problem(self.sheet, self.row, column, message))

    def text(self, key: str, *, required: bool = False, max_length: int = 1000, label: str = "") -> str:
        value = self.raw.get(key)
        if value is None:
            value = ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        try:
            value = nfc(str(value))
        except TextError as exc:
            self.bad(key, str(exc))
            return ""
        if required and not value:
            self.bad(key, f"Thiếu {label or LABELS.get(key, key).lower()}.")
        if len(value) > max_length:
            self.bad(key, f"Dài quá {max_length} ký tự.")
        return value

    def choice(self, key: str, choices: type, default: str | None = None) -> str:
        value = self.text(key)
        if not value and default is not None:
            return default
        allowed = {c.value for c in choices}
        labels = {str(c.label).lower(): c.value for c in choices}
        if value in allowed:
            return value
        if value.lower() in labels:
            return labels[value.lower()]
        self.bad(key, f"Giá trị «{value}» không hợp lệ; chỉ nhận: {', '.join(sorted(allowed))}.")
        return default or ""

    def boolean(self, key: str, default: bool) -> bool:
        value = self.raw.get(key)
        if value is None or value == "":
            return default
        if isinstance(value, bool):
            return value
        if isinstance(value, int | float) and value in (0, 1):
            return bool(value)
        folded = str(value).strip().lower()
        if folded in {"x", "có", "co", "true", "1", "yes"}:
            return True
        if folded in {"không", "khong", "false", "0", "no"}:
            return False
        self.bad(key, f"«{value}» không phải giá trị có/không.")
        return default

    def date(self, key: str, *, required: bool = True) -> dt.date | None:
        value = self.raw.get(key)
        if value is None or value == "":
            if required:
                self.bad(key, f"Thiếu {LABELS.get(key, key).lower()}.")
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        text = str(value).strip()
        for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
            try:
                return dt.datetime.strptime(text, fmt).date()  # noqa: DTZ007 (a date, no time)
            except ValueError:
                continue
        self.bad(key, f"«{text}» không phải ngày hợp lệ (dd/mm/yyyy).")
        return None

    def integer(self, key: str, *, default: int | None = None, what: str = "") -> int | None:
        value = self.raw.get(key)
        if (value is None or value == "") and default is not None:
            return default
        what = what or LABELS.get(key, key)
        if isinstance(value, bool):
            value = None
        if isinstance(value, int):
            result = value
        elif (isinstance(value, float) and value.is_integer()) or (
            isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value()
        ):
            result = int(value)
        elif isinstance(value, str) and re.fullmatch(r"\d{1,3}(\.\d{3})+|\d+", value.strip()):
            result = int(value.strip().replace(".", ""))
        else:
            self.bad(key, f"{what} phải là số nguyên không âm, nhận được «{value}».")
            return None
        if result < 0:
            self.bad(key, f"{what} không được âm.")
            return None
        return result

    def decimal(self, key: str, *, positive: bool = False) -> Decimal | None:
        value = self.raw.get(key)
        if value is None or value == "" or isinstance(value, bool):
            self.bad(key, f"Thiếu {LABELS.get(key, key).lower()}.")
            return None
        try:
            result = Decimal(str(value).strip().replace(",", "."))
        except InvalidOperation:
            self.bad(key, f"«{value}» không phải số.")
            return None
        if not result.is_finite() or result < 0 or (positive and result == 0):
            self.bad(key, f"«{value}» phải là số {'dương' if positive else 'không âm'}.")
            return None
        if result != result.quantize(Decimal("0.01")):
            self.bad(key, f"«{value}» chỉ được có tối đa 2 chữ số thập phân.")
            return None
        return result.quantize(Decimal("0.01"))

    def unit(self, key: str, units: dict[str, Unit], *, required: bool = True) -> Unit | None:
        code = self.text(key, required=required)
        if not code:
            return None
        unit = units.get(code)
        if unit is None:
            self.bad(key, f"Không có đơn vị mang mã định danh «{code}».")
        return unit


def unit_index() -> dict[str, Unit]:
    return {u.code: u for u in Unit.objects.all()}


def clean_decision(raw: dict, problems: list[Problem], units: dict[str, Unit]) -> dict:
    c = _Cleaner(raw, "decisions", problems)
    data = {
        "number": c.text("number", required=True, max_length=64),
        "signed_on": c.date("signed_on"),
        "signer": c.text("signer", required=True, max_length=255),
        "effective_from": c.date("effective_from"),
        "issuer": c.unit("issuer", units, required=False),
        "title": c.text("title", max_length=500),
        "_loc": (c.sheet, c.row),
    }
    if data["signed_on"] and data["effective_from"] and data["effective_from"] < data["signed_on"]:
        c.bad("effective_from", "Ngày có hiệu lực không được trước ngày ký.")
    return data


def _num(value: Decimal) -> str:
    return f"{value.normalize():f}".replace(".", ",")


def clean_steps(raw_steps: list[dict], *, total: Decimal | None, time_unit: str, problems: list[Problem],
                units: dict[str, Unit], where: tuple[str, int | None]) -> list[dict]:
    """Steps in order; the counted budgets must add up to the legal time (DOMAIN B.2.1, B.9.3)."""
    steps = []
    for order, raw in enumerate(raw_steps, start=1):
        c = _Cleaner(raw, where[0] if raw.get("_loc") is None else "steps", problems)
        steps.append({
            "order": order,
            "unit": c.unit("unit", units),
            "role": c.choice("role", Role),
            "budget": c.decimal("budget"),
            "counted": c.boolean("counted", True),
            "description": c.text("description", required=True),
        })
    if not steps:
        problems.append(Problem(where[0], where[1], "steps", "Quy trình nội bộ phải có ít nhất một bước."))
        return steps
    budgets = [s["budget"] for s in steps if s["counted"]]
    if total is not None and all(b is not None for b in budgets):
        counted = sum(budgets, Decimal(0))
        if counted != total:
            unit_label = dict(TimeUnit.choices)[time_unit] if time_unit in TimeUnit.values else ""
            problems.append(Problem(
                where[0], where[1], "budget",
                f"Tổng thời gian các bước được tính ({_num(counted)} {unit_label}) khác thời hạn giải quyết "
                f"({_num(total)} {unit_label}); các bước \"không tính thời gian\" (như trả kết quả) không cộng vào.",
            ))
    return steps


def clean_version(raw: dict, problems: list[Problem], units: dict[str, Unit]) -> dict:
    """One procedure entry of a decision. Abolitions need only the code and kind."""
    c = _Cleaner(raw, "procedures", problems)
    raw_code = c.text("code", required=True, max_length=32)
    code = normalize_procedure_code(raw_code) if raw_code else None
    if raw_code and code is None:
        c.bad("code", f"Mã TTHC «{raw_code}» không đúng dạng d.dddddd (ví dụ 1.014111).")
    kind = c.choice("kind", ChangeKind, default=ChangeKind.NEW)
    replaces = ""
    raw_replaces = c.text("replaces", max_length=32)
    if raw_replaces:
        replaces = normalize_procedure_code(raw_replaces) or ""
        if not replaces:
            c.bad("replaces", f"Mã TTHC bị thay thế «{raw_replaces}» không đúng dạng d.dddddd.")
    data: dict[str, Any] = {"code": code, "kind": kind, "replaces": replaces,
                            "decision": c.text("decision", max_length=64), "_loc": (c.sheet, c.row)}
    if kind == ChangeKind.ABOLISHED:
        data["cases"] = []
        return data
    data.update({
        "name": c.text("name", required=True, max_length=500, label="tên thủ tục"),
        "field_code": c.text("field_code", required=True, max_length=32),
        "field_name": c.text("field_name", required=True, max_length=255),
        "level": c.choice("level", Level, default=Level.PROVINCE),
        "agency": c.unit("agency", units),
        "receiving_place": c.text("receiving_place", max_length=5000),
        "applicants": c.choice("applicants", Applicants, default=Applicants.BOTH),
        "conditions": c.text("conditions", max_length=20000),
        "result_name": c.text("result_name", max_length=500),
        "result_kind": c.text("result_kind", max_length=128),
        "result_validity": c.text("result_validity", max_length=255),
        "legal_basis": c.text("legal_basis", max_length=20000),
        "online_level": c.choice("online_level", OnlineLevel, default=OnlineLevel.OFFLINE),
        "postal_allowed": c.boolean("postal_allowed", True),
        "inter_agency": c.boolean("inter_agency", False),
    })
    cases = []
    seen_names: set[str] = set()
    for order, raw_case in enumerate(raw.get("cases") or [], start=1):
        cc = _Cleaner(raw_case, c.sheet if raw_case.get("_loc") is None else "cases", problems)
        name = cc.text("name", max_length=500)
        if name in seen_names:
            cc.bad("name", f"Trường hợp «{name or 'chung'}» bị lặp trong thủ tục {code}.")
        seen_names.add(name)
        total = cc.decimal("processing_time", positive=True)
        time_unit = cc.choice("time_unit", TimeUnit, default=TimeUnit.DAYS)
        case = {"order": order, "name": name, "processing_time": total, "time_unit": time_unit,
                "time_note": cc.text("time_note", max_length=500),
                "process_configured_on": cc.date("process_configured_on", required=False),
                "components": [], "fees": [], "steps": []}
        for i, raw_comp in enumerate(raw_case.get("components") or [], start=1):
            k = _Cleaner(raw_comp, cc.sheet if raw_comp.get("_loc") is None else "components", problems)
            case["components"].append({
                "order": i, "name": k.text("name", required=True, label="tên giấy tờ"),
                "originals": k.integer("originals", default=0), "copies": k.integer("copies", default=0),
                "required": k.boolean("required", True), "form_name": k.text("form_name", max_length=255),
                "form_file": k.text("form_file", max_length=100), "document_type": k.text("document_type", max_length=64),
                "note": k.text("note", max_length=500),
            })
        for i, raw_fee in enumerate(raw_case.get("fees") or [], start=1):
            f = _Cleaner(raw_fee, cc.sheet if raw_fee.get("_loc") is None else "fees", problems)
            fee = {
                "order": i, "kind": f.choice("kind", FeeKind, default=FeeKind.FEE),
                "name": f.text("name", required=True, max_length=500, label="nội dung phí, lệ phí"),
                "amount": f.integer("amount", what="Mức thu phí, lệ phí (đồng)"),
                "legal_basis": f.text("legal_basis", max_length=500), "note": f.text("note", max_length=500),
            }
            named = fee_kind_named(fee["name"])
            if named is not None and fee["kind"] and named != fee["kind"]:
                f.bad("kind", f"«{fee['name']}» là {FeeKind(named).label.lower()} nhưng loại ghi là "
                              f"«{FeeKind(fee['kind']).label}»; sửa loại thành «{named}».")
            case["fees"].append(fee)
        raw_steps = raw_case.get("steps") or []
        if raw_steps or case["process_configured_on"]:
            if not case["process_configured_on"]:
                cc.bad("process_configured_on", "Có các bước xử lý nhưng thiếu ngày cấu hình quy trình điện tử.")
            case["steps"] = clean_steps(raw_steps, total=total, time_unit=time_unit, problems=problems,
                                        units=units, where=(cc.sheet, cc.row))
        cases.append(case)
    if not cases:
        c.bad("cases", f"Thủ tục {code} phải có ít nhất một trường hợp với thời hạn giải quyết.")
    data["cases"] = cases
    return data


# -- the inverse: database rows → interchange dicts ------------------------------------------------

def _plain_decimal(value: Decimal) -> str:
    return f"{value.normalize():f}"


def decision_as_dict(decision: PublicationDecision) -> dict:
    return {
        "number": decision.number,
        "signed_on": decision.signed_on.isoformat(),
        "signer": decision.signer,
        "effective_from": decision.effective_from.isoformat(),
        "issuer": decision.issuer.code if decision.issuer_id else "",
        "title": decision.title,
    }


def version_as_dict(version: ProcedureVersion) -> dict:
    data = {
        "code": version.procedure.code,
        "decision": version.decision.number,
        "kind": version.kind,
        "replaces": version.replaces.code if version.replaces_id else "",
    }
    if version.kind == ChangeKind.ABOLISHED:
        data["cases"] = []
        return data
    data.update({
        "name": version.name, "field_code": version.field.code, "field_name": version.field.name,
        "level": version.level, "agency": version.agency.code, "receiving_place": version.receiving_place,
        "applicants": version.applicants, "conditions": version.conditions, "result_name": version.result_name,
        "result_kind": version.result_kind, "result_validity": version.result_validity,
        "legal_basis": version.legal_basis, "online_level": version.online_level,
        "postal_allowed": version.postal_allowed, "inter_agency": version.inter_agency,
    })
    cases = []
    for case in version.cases.all():
        process = getattr(case, "process", None)
        cases.append({
            "name": case.name, "processing_time": _plain_decimal(case.processing_time),
            "time_unit": case.time_unit, "time_note": case.time_note,
            "process_configured_on": process.configured_on.isoformat() if process else None,
            "components": [
                {"name": k.name, "originals": k.originals, "copies": k.copies, "required": k.required,
                 "form_name": k.form_name, "form_file": k.form_file.name if k.form_file else "",
                 "document_type": k.document_type, "note": k.note}
                for k in case.components.all()
            ],
            "fees": [
                {"kind": f.kind, "name": f.name, "amount": f.amount, "legal_basis": f.legal_basis, "note": f.note}
                for f in case.fees.all()
            ],
            "steps": [
                {"unit": s.unit.code, "role": s.role, "budget": _plain_decimal(s.budget), "counted": s.counted,
                 "description": s.description}
                for s in (process.steps.all() if process else [])
            ],
        })
    data["cases"] = cases
    return data
