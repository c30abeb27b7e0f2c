"""Read a yearly plan (Markdown, DOCX or XLSX) into sections and tasks, without touching the database.

The plan's table has six columns (TT, Nội dung công việc, Đơn vị chủ trì, Đơn vị phối hợp, Sản phẩm, Thời gian
thực hiện). It breaks across pages: the header row comes back, and a row with an empty number continues the row
above. Roman numbers open a section; Arabic numbers are tasks. The decision before the table (number, place and
date, legal bases, signer) is the plan's metadata. Every problem is reported with its row; nothing is dropped.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

from motcua.lib.text import fold, nfc
from motcua.plans.timeframes import Timeframe, parse_timeframe

COLUMNS = ("number", "content", "lead", "coordinating", "product", "timeframe")
COLUMN_LABELS = {
    "number": "TT", "content": "Nội dung công việc", "lead": "Đơn vị chủ trì", "coordinating": "Đơn vị phối hợp",
    "product": "Sản phẩm", "timeframe": "Thời gian thực hiện",
}
_HEADINGS = {
    "tt": "number", "stt": "number", "so tt": "number",
    "noi dung cong viec": "content", "noi dung": "content", "nhiem vu": "content",
    "don vi chu tri": "lead", "chu tri": "lead", "co quan chu tri": "lead",
    "don vi phoi hop": "coordinating", "phoi hop": "coordinating", "co quan phoi hop": "coordinating",
    "san pham": "product", "ket qua": "product",
    "thoi gian thuc hien": "timeframe", "thoi gian": "timeframe", "thoi han": "timeframe",
}
_ROMAN = re.compile(r"^[IVXL]+$")
_ARABIC = re.compile(r"^\d{1,3}$")

ERROR, UNIT, DATES = "error", "unit", "dates"


@dataclass(frozen=True)
class Problem:
    where: str
    message: str
    kind: str = ERROR  # error: must be fixed; unit: a name to confirm; dates: no date, the office sets one

    def as_text(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


@dataclass
class RawRow:
    where: str
    cells: list[str]


@dataclass
class ParsedTask:
    number: str
    content: str
    lead: str
    coordinating: str
    product: str
    timeframe_text: str
    where: str
    timeframe: Timeframe | None = None

    def as_json(self) -> dict:
        return {
            "number": self.number, "content": self.content, "lead": self.lead,
            "coordinating": self.coordinating, "product": self.product,
            "timeframe": (self.timeframe or Timeframe(self.timeframe_text)).as_json(),
        }


@dataclass
class ParsedSection:
    number: str
    title: str
    where: str
    tasks: list[ParsedTask] = field(default_factory=list)

    def as_json(self) -> dict:
        return {"number": self.number, "title": self.title, "tasks": [t.as_json() for t in self.tasks]}


@dataclass
class PlanHeader:
    number: str = ""        # "/QĐ-SNV" when the number is still blank
    place: str = ""
    date_text: str = ""     # "ngày tháng 3 năm 2024" as written
    signed_on: str = ""     # ISO date, only when day, month and year are all there
    decision_title: str = ""
    title: str = ""
    issuer_title: str = ""  # "GIÁM ĐỐC SỞ NỘI VỤ"
    issuer_name: str = ""   # "Sở Nội vụ"
    signer: str = ""
    signer_title: str = ""
    legal_bases: list[str] = field(default_factory=list)


@dataclass
class ParsedPlan:
    year: int
    header: PlanHeader
    sections: list[ParsedSection]
    problems: list[Problem]

    @property
    def tasks(self) -> list[ParsedTask]:
        return [t for s in self.sections for t in s.tasks]

    def as_json(self) -> dict:
        return {"sections": [s.as_json() for s in self.sections]}


# --- Cells -----------------------------------------------------------------------------------------

def clean_cell(value) -> str:
    """NFC, whitespace collapsed; HTML paragraphs and list items become separate paragraphs (one per line)."""
    text = "" if value is None else str(value)
    had_list = bool(re.search(r"(?i)<(ul|ol|li)\b", text))
    text = re.sub(r"(?i)<br\s*/?>|</?p\b[^>]*>|</?li\b[^>]*>|</?(ul|ol)\b[^>]*>", "\n", text)
    text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    paragraphs: list[str] = []
    for part in text.replace("\r", "\n").split("\n"):
        part = " ".join(part.split())
        if not part:
            continue
        if had_list or part.startswith("- "):
            items = [i.strip() for i in re.split(r"(?:^|\s)[-•]\s+", part) if i.strip()]
            if had_list or part.startswith(("- ", "• ")) or len(items) > 1:
                paragraphs.extend(f"- {i}" for i in items)
                continue
        paragraphs.append(part)
    return nfc("\n".join(paragraphs))


def _join(above: str, more: str) -> str:
    if not above:
        return more
    if not more:
        return above
    return f"{above}\n{more}" if more.startswith("- ") else f"{above} {more}"


# --- Readers: each gives the lines before the table and the table's rows ----------------------------

def read_markdown(text: str) -> tuple[list[str], list[RawRow]]:
    header_lines: list[str] = []
    rows: list[RawRow] = []
    for lineno, line in enumerate(nfc(text).splitlines(), start=1):
        stripped = line.strip()
        if not stripped.startswith("|"):
            if not rows:
                header_lines.append(line)
            continue
        body = stripped[1:-1] if stripped.endswith("|") and len(stripped) > 1 else stripped[1:]
        cells = [c.replace("\\|", "|") for c in re.split(r"(?<!\\)\|", body)]
        if all(re.fullmatch(r"\s*:?-{2,}:?\s*", c) for c in cells):
            continue  # the separator under a header row
        rows.append(RawRow(f"dòng {lineno}", [clean_cell(c) for c in cells]))
    return header_lines, rows


def read_docx(content: bytes) -> tuple[list[str], list[RawRow]]:
    from docx import Document

    doc = Document(BytesIO(content))
    body = doc.element.body
    header_lines: list[str] = []
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "tbl":
            break
        if tag == "p":
            header_lines.append("".join(t.text or "" for t in child.iter() if t.tag.endswith("}t")))
            header_lines.append("")
    rows: list[RawRow] = []
    for t_index, table in enumerate(doc.tables, start=1):
        for r_index, row in enumerate(table.rows, start=1):
            cells, seen = [], None
            for cell in row.cells:
                # A cell merged across columns comes back once per column: keep its text in the first only.
                cells.append("" if cell._tc is seen else clean_cell("\n".join(p.text for p in cell.paragraphs)))
                seen = cell._tc
            rows.append(RawRow(f"bảng {t_index}, hàng {r_index}", cells))
    return header_lines, rows


def read_xlsx(content: bytes) -> tuple[list[str], list[RawRow]]:
    from openpyxl import load_workbook

    wb = load_workbook(BytesIO(content), read_only=True, data_only=True)
    ws = wb.worksheets[0]
    header_lines: list[str] = []
    rows: list[RawRow] = []
    in_table = False
    for r_index, values in enumerate(ws.iter_rows(values_only=True), start=1):
        cells = [clean_cell(v) for v in values]
        if not in_table and cells and fold(cells[0]) in {"tt", "stt", "so tt"}:
            in_table = True
        if not in_table:
            header_lines.extend([" ".join(c for c in cells if c), ""])
            continue
        if any(cells):
            rows.append(RawRow(f"hàng {r_index}", cells))
    wb.close()
    return header_lines, rows


# --- The decision header ---------------------------------------------------------------------------

def _paragraphs(lines: list[str]) -> list[str]:
    """Blank lines separate paragraphs; a paragraph starting in lower case continues the one before it
    (a sentence broken by a page break)."""
    paragraphs: list[str] = []
    current: list[str] = []
    for line in [*lines, ""]:
        if line.strip():
            current.append(line.strip())
            continue
        if current:
            text = " ".join(" ".join(current).split())
            if paragraphs and text[:1].islower():
                paragraphs[-1] = f"{paragraphs[-1]} {text}"
            else:
                paragraphs.append(text)
            current = []
    return [nfc(p) for p in paragraphs]


def parse_header(lines: list[str]) -> PlanHeader:
    header = PlanHeader()
    paragraphs = [p.replace("**", "").strip() for p in _paragraphs(lines)]
    bases_open = True
    after_decision_word = False
    for index, p in enumerate(paragraphs):
        key = fold(p)
        if not header.number and (m := re.match(r"^Số\s*:?\s*(.*)$", p)) and "/" in p:
            header.number = m.group(1).strip()
        elif not header.date_text and (m := re.match(
                r"^(.+?),\s*(ngày\s*(\d{0,2})\s*tháng\s*(\d{0,2})\s*năm\s*(\d{4}))", p)):
            header.place, header.date_text = m.group(1).strip(), m.group(2)
            day, month, year = m.group(3), m.group(4), m.group(5)
            if day and month:
                try:
                    import datetime as dt

                    header.signed_on = dt.date(int(year), int(month), int(day)).isoformat()
                except ValueError:
                    header.signed_on = ""
        elif key == "quyet dinh":
            after_decision_word = True
        elif after_decision_word and not header.decision_title:
            header.decision_title = p
        elif header.decision_title and not header.issuer_title and p == p.upper() and "quyet dinh" not in key:
            header.issuer_title = p
        elif key.startswith(("quyet dinh:", "dieu 1")):
            bases_open = False
        elif bases_open and key.startswith(("can cu", "thuc hien")):
            header.legal_bases.append(p)
        elif key.startswith("ke hoach") and p == p.upper() and not header.title:
            header.title = p
        elif m := re.search(r"kèm theo quyết định.*?của\s+(.+?)\)?$", p, flags=re.IGNORECASE):
            header.issuer_name = m.group(1).strip().rstrip(")")
        elif key.startswith("noi nhan"):
            _signer(header, paragraphs[index + 1:])
    if not header.title and header.decision_title:
        header.title = re.sub(r"^Ban hành\s+", "", header.decision_title)
    if not header.issuer_name and header.issuer_title:
        name = re.sub(r"^(KT\.\s*)?(PHÓ\s+)?GIÁM ĐỐC\s+", "", header.issuer_title)
        header.issuer_name = name.capitalize()
    return header


def _signer(header: PlanHeader, rest: list[str]) -> None:
    titles = []
    for p in rest:
        if p.startswith(("-", "•")) or p.endswith(";"):
            continue
        if p == p.upper():
            if fold(p).startswith("ke hoach"):
                break
            titles.append(p)
            continue
        header.signer = p
        break
    header.signer_title = " ".join(titles)


# --- The table -------------------------------------------------------------------------------------

def _header_mapping(row: RawRow) -> tuple[dict[str, int] | None, list[Problem]]:
    mapping: dict[str, int] = {}
    for index, cell in enumerate(row.cells):
        name = _HEADINGS.get(fold(cell).rstrip(" ."))
        if name and name not in mapping:
            mapping[name] = index
    missing = [COLUMN_LABELS[c] for c in COLUMNS if c not in mapping]
    if missing:
        return None, [Problem(row.where, f"Bảng thiếu cột “{m}”.") for m in missing]
    return mapping, []


def _is_header(row: RawRow) -> bool:
    return bool(row.cells) and fold(row.cells[0]) in {"tt", "stt", "so tt"}


def parse_rows(rows: list[RawRow], *, year: int) -> tuple[list[ParsedSection], list[Problem]]:
    problems: list[Problem] = []
    sections: list[ParsedSection] = []
    mapping: dict[str, int] | None = None
    last = None  # the section or task a continuation row belongs to
    for row in rows:
        if _is_header(row):
            if mapping is None:
                mapping, found = _header_mapping(row)
                if found:
                    return [], found
            continue
        if mapping is None:
            return [], [Problem(row.where, "Bảng không có hàng tiêu đề (TT, Nội dung công việc, …).")]
        if len(row.cells) <= max(mapping.values()):
            problems.append(Problem(row.where, f"Hàng có {len(row.cells)} ô, thiếu cột so với hàng tiêu đề."))
            continue
        values = {name: row.cells[i] for name, i in mapping.items()}
        number = values["number"].rstrip(".").strip()
        if not number:
            if not any(values.values()):
                continue
            if last is None:
                problems.append(Problem(row.where, "Hàng không có số thứ tự và không có hàng nào ở trên để nối vào."))
            elif isinstance(last, ParsedSection):
                last.title = _join(last.title, values["content"])
            else:
                for name in COLUMNS[1:]:
                    attr = "timeframe_text" if name == "timeframe" else name
                    setattr(last, attr, _join(getattr(last, attr), values[name]))
            continue
        if _ROMAN.match(number.upper()):
            if not values["content"]:
                problems.append(Problem(row.where, f"Mục {number} không có tên."))
            last = ParsedSection(number.upper(), values["content"], row.where)
            sections.append(last)
        elif _ARABIC.match(number):
            if not sections:
                problems.append(Problem(row.where, f"Nhiệm vụ {number} đứng trước mục I (chưa có mục nào)."))
                sections.append(ParsedSection("", "", row.where))
            section = sections[-1]
            if any(t.number == number for t in section.tasks):
                problems.append(Problem(row.where, f"Mục {section.number} có hai nhiệm vụ số {number}."))
            last = ParsedTask(number, values["content"], values["lead"], values["coordinating"],
                              values["product"], values["timeframe"], row.where)
            section.tasks.append(last)
        else:
            problems.append(Problem(row.where, f"Số thứ tự “{number}” không phải số La Mã (mục) hay số (nhiệm vụ)."))
    if mapping is None:
        problems.append(Problem("", "Không tìm thấy bảng kế hoạch (hàng tiêu đề TT, Nội dung công việc, …)."))
    for section in sections:
        if not section.tasks:
            problems.append(Problem(section.where, f"Mục {section.number} “{section.title}” không có nhiệm vụ nào."))
        for task in section.tasks:
            label = f"Nhiệm vụ {section.number}.{task.number}"
            if not task.content:
                problems.append(Problem(task.where, f"{label} không có nội dung."))
            if not task.lead:
                problems.append(Problem(task.where, f"{label} không có đơn vị chủ trì."))
            task.timeframe = parse_timeframe(task.timeframe_text, year=year)
            if task.timeframe.error:
                problems.append(Problem(task.where, f"{label}: {task.timeframe.error}"))
            elif task.timeframe.needs_dates:
                problems.append(Problem(task.where, f"{label}: thời gian “{task.timeframe_text}” không có ngày, "
                                                    "văn phòng cần đặt ngày.", DATES))
    return sections, problems


def parse_plan(content: bytes | str, *, filename: str, year: int) -> ParsedPlan:
    """Parse a plan file by its extension (.md/.txt, .docx, .xlsx)."""
    suffix = Path(filename).suffix.lower()
    try:
        if suffix in {".md", ".markdown", ".txt"}:
            text = content.decode("utf-8-sig") if isinstance(content, bytes) else content
            header_lines, rows = read_markdown(text)
        elif suffix == ".docx":
            header_lines, rows = read_docx(content)
        elif suffix == ".xlsx":
            header_lines, rows = read_xlsx(content)
        else:
            return ParsedPlan(year, PlanHeader(), [], [Problem(
                "", f"Không đọc được tệp “{filename}”: chỉ nhận Markdown (.md), Word (.docx) hoặc Excel (.xlsx).")])
    except (UnicodeDecodeError, ValueError, KeyError, OSError) as exc:
        return ParsedPlan(year, PlanHeader(), [], [Problem("", f"Tệp “{filename}” hỏng, không đọc được ({exc}).")])
    except Exception as exc:  # python-docx / openpyxl raise their own zip and XML errors
        if type(exc).__module__.split(".")[0] in {"zipfile", "docx", "openpyxl", "lxml"}:
            return ParsedPlan(year, PlanHeader(), [], [Problem("", f"Tệp “{filename}” hỏng, không đọc được.")])
        raise
    sections, problems = parse_rows(rows, year=year)
    return ParsedPlan(year, parse_header(header_lines), sections, problems)


# --- Units -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class UnitRef:
    code: str
    name: str
    short_name: str
    kind: str
    path: str


@dataclass(frozen=True)
class UnitMatch:
    name: str             # as written in the plan
    code: str | None      # the unit matched, or None
    group: bool = False   # True: every sub-unit of `code` (the agency), e.g. "Các phòng, ban, đơn vị"


_GROUP = re.compile(r"^(?:cong chuc, vien chuc tai |nhan vien tai )?cac (?:phong|ban|don vi|co quan, don vi)\b")
_OFFICE_ALIASES = {"van phong", "van phong so", "chanh van phong"}


def split_unit_names(text: str) -> list[str]:
    """Units in a cell are separated by semicolons or line breaks (commas belong to names like
    "Các phòng, ban, đơn vị")."""
    names = []
    for part in re.split(r"[;\n]", text or ""):
        part = part.strip().lstrip("-•").strip().rstrip(".").strip()
        if part:
            names.append(part)
    return names


class UnitMatcher:
    """Matches names to units ignoring case and diacritics; the issuing agency's own units win."""

    def __init__(self, units: list[UnitRef], *, agency: UnitRef | None):
        self.units = units
        self.agency = agency

    def _inside(self, unit: UnitRef) -> bool:
        return self.agency is not None and unit.path.startswith(self.agency.path)

    def match(self, name: str) -> UnitMatch:
        key = fold(name).rstrip(" .;")
        if _GROUP.match(key):
            return UnitMatch(name, self.agency.code if self.agency else None, group=self.agency is not None)
        if (key in _OFFICE_ALIASES or key.split(",")[0] in _OFFICE_ALIASES) and self.agency is not None:
            offices = [u for u in self.units if u.kind == "office" and self._inside(u)
                       and u.path.count("/") == self.agency.path.count("/") + 1]
            if offices:
                return UnitMatch(name, offices[0].code)
        candidates = [u for u in self.units if key in {fold(u.name), fold(u.short_name), fold(u.code)}]
        candidates.sort(key=lambda u: (not self._inside(u), u.path.count("/")))
        return UnitMatch(name, candidates[0].code if candidates else None)

    def match_cell(self, text: str) -> list[UnitMatch]:
        return [self.match(n) for n in split_unit_names(text)]


def find_agency(units: list[UnitRef], name: str) -> UnitRef | None:
    key = fold(name)
    if not key:
        return None
    for unit in units:
        if key in {fold(unit.name), fold(unit.short_name), fold(unit.code)}:
            return unit
    return None


def unit_problems(plan: ParsedPlan, matcher: UnitMatcher) -> list[Problem]:
    """One problem per unmatched name (with every row it appears on): to confirm or to fix."""
    rows: dict[str, list[str]] = {}
    for section in plan.sections:
        for task in section.tasks:
            for column in ("lead", "coordinating"):
                for m in matcher.match_cell(getattr(task, column)):
                    if m.code is None:
                        rows.setdefault(m.name, []).append(f"{section.number}.{task.number} ({task.where})")
    return [Problem(", ".join(where), f"Không tìm thấy đơn vị “{name}” trong danh sách đơn vị.", UNIT)
            for name, where in rows.items()]


# --- Targets ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class TargetSpec:
    key: str
    label: str
    value: int
    unit: str       # "percent" or "minutes"
    direction: str  # "at_least" or "at_most"
    source: str     # the task it was read from, e.g. "VIII.7"


# (key, label, unit, direction, pattern on the folded task text; group 1 is the value)
TARGET_RULES = [
    ("online_rate", "Tỷ lệ hồ sơ nộp trực tuyến", "percent", "at_least",
     r"ty le nop ho so truc tuyen dat (\d+)%"),
    ("full_online_rate", "Tỷ lệ hồ sơ nộp trực tuyến toàn trình", "percent", "at_least",
     r"ty le nop ho so truc tuyen toan trinh dat (\d+)%"),
    ("electronic_circulation", "Hồ sơ luân chuyển nội bộ bằng phương thức điện tử", "percent", "at_least",
     r"(\d+)% ho so giai quyet tthc duoc luan chuyen"),
    ("digitized_results", "Kết quả giải quyết TTHC được số hóa", "percent", "at_least",
     r"so hoa ket qua giai quyet thu tuc hanh chinh.*?ty le toi thieu (\d+)%"),
    ("digitized_archived", "Hồ sơ giải quyết thành công được số hóa, lưu trữ, có giá trị tái sử dụng", "percent",
     "at_least", r"(\d+)% ho so tthc da giai quyet thanh cong duoc so hoa"),
    ("waiting_minutes", "Thời gian chờ đợi trung bình mỗi lượt giao dịch (phút)", "minutes", "at_most",
     r"thoi gian cho doi.*?toi da (\d+) phut"),
    ("intake_minutes", "Thời gian tiếp nhận, xử lý mỗi hồ sơ (phút, tối thiểu)", "minutes", "at_least",
     r"thoi gian tiep nhan, xu ly ho so toi thieu (\d+) phut"),
    ("reuse", "Người dân, doanh nghiệp không phải cung cấp lại giấy tờ đã có", "percent", "at_least",
     r"toi thieu (\d+)% nguoi dan, doanh nghiep.*?khong phai cung cap lai"),
    ("online_payment_procedures", "TTHC có nghĩa vụ tài chính được thanh toán trực tuyến", "percent", "at_least",
     r"toi thieu (\d+)% tthc.*?nghia vu tai chinh.*?thanh toan truc tuyen"),
    ("online_payment_share", "Tỷ lệ giao dịch thanh toán trực tuyến", "percent", "at_least",
     r"ty le giao dich thanh toan truc tuyen dat tu (\d+)%"),
    ("satisfaction", "Mức độ hài lòng của người dân, doanh nghiệp", "percent", "at_least",
     r"muc do hai long.*?dat tu (\d+)%"),
]


def extract_targets(plan: ParsedPlan) -> list[TargetSpec]:
    """The measurable targets written in the tasks' text (section VIII in the seed), the first mention of each."""
    found: dict[str, TargetSpec] = {}
    for section in plan.sections:
        for task in section.tasks:
            text = fold(task.content)
            for key, label, unit, direction, pattern in TARGET_RULES:
                if key in found:
                    continue
                if m := re.search(pattern, text):
                    found[key] = TargetSpec(key, label, int(m.group(1)), unit, direction,
                                            f"{section.number}.{task.number}")
    return [found[rule[0]] for rule in TARGET_RULES if rule[0] in found]
