"""The results table as XLSX in the form's layout (merged header rows, numbered columns, totals row,
landscape, fit to width, explicit fonts) and a DOCX report laid out per Nghị định 30/2020 with the
figures filled in; and the streamed ad-hoc export of dossiers (CSV, XLSX in write-only mode)."""

from __future__ import annotations

import contextlib
import csv
import tempfile
from collections.abc import Iterable, Iterator
from typing import BinaryIO, TextIO

from django.utils import timezone, translation
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from motcua.lib.formats import vn_datetime
from motcua.org.models import Unit
from motcua.paperwork import docx as docx_helpers
from motcua.paperwork import xlsx
from motcua.reports.results import COLUMNS, GROUP_LABELS, ResultTable

FORM_NUMBER = "Biểu số II.06a/VPCP/KSTT"
FORM_TITLE = "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"
FORM_BASIS = "Ban hành kèm theo Thông tư số 01/2020/TT-VPCP ngày 21/10/2020"
UNIT_NOTE = "Đơn vị tính: Số hồ sơ TTHC"


def _merge(ws, r1, c1, r2, c2, text, *, bold=True, size=11):
    if (r1, c1) != (r2, c2):
        ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
    cell = ws.cell(row=r1, column=c1, value=str(text))
    cell.font = Font(name=xlsx.FONT_NAME, bold=bold, size=size)
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for row in range(r1, r2 + 1):
        for col in range(c1, c2 + 1):
            ws.cell(row=row, column=col).border = xlsx.GRID


@translation.override("vi")  # a statutory form: always in Vietnamese, whatever the UI language
def results_xlsx(table: ResultTable, *, agency_name: str) -> bytes:
    wb = xlsx.new_workbook()
    ws = wb.active
    ws.title = "Bieu II.06a"
    xlsx.setup_sheet(ws, landscape=True)
    xlsx.set_widths(ws, [6, 40] + [11] * 11)
    columns = 13
    ws.cell(row=1, column=1, value=FORM_NUMBER).font = Font(name=xlsx.FONT_NAME, bold=True, size=11)
    ws.cell(row=1, column=10, value=FORM_BASIS).font = Font(name=xlsx.FONT_NAME, italic=True, size=10)
    xlsx.write_title(ws, 2, FORM_TITLE, columns=columns)
    xlsx.write_title(ws, 3, agency_name.upper(), columns=columns, size=12)
    xlsx.write_title(ws, 4, f"Kỳ báo cáo: {table.period.title}", columns=columns, size=12, bold=False)
    ws.cell(row=5, column=12, value=UNIT_NOTE).font = Font(name=xlsx.FONT_NAME, italic=True, size=10)
    # Header: row 6 groups, row 7 sub-groups, row 8 column labels, row 9 column numbers.
    _merge(ws, 6, 1, 8, 1, "TT")
    _merge(ws, 6, 2, 8, 2, f"{GROUP_LABELS[table.group]}, công việc giải quyết theo cấp")
    _merge(ws, 6, 3, 6, 6, "Số hồ sơ nhận giải quyết")
    _merge(ws, 6, 7, 6, 10, "Kết quả giải quyết: số hồ sơ đã giải quyết")
    _merge(ws, 6, 11, 6, 13, "Số hồ sơ đang giải quyết")
    _merge(ws, 7, 3, 8, 3, "Tổng số")
    _merge(ws, 7, 4, 7, 5, "Trong đó: số mới tiếp nhận trong kỳ")
    _merge(ws, 8, 4, 8, 4, "Trực tuyến")
    _merge(ws, 8, 5, 8, 5, "Trực tiếp, dịch vụ bưu chính")
    _merge(ws, 7, 6, 8, 6, "Từ kỳ trước chuyển qua")
    _merge(ws, 7, 7, 8, 7, "Tổng số")
    _merge(ws, 7, 8, 8, 8, "Trước hạn")
    _merge(ws, 7, 9, 8, 9, "Đúng hạn")
    _merge(ws, 7, 10, 8, 10, "Quá hạn")
    _merge(ws, 7, 11, 8, 11, "Tổng số")
    _merge(ws, 7, 12, 8, 12, "Trong hạn")
    _merge(ws, 7, 13, 8, 13, "Quá hạn")
    for col in range(1, columns + 1):
        _merge(ws, 9, col, 9, col, f"({col})", bold=False, size=10)
    row = 10
    for item in table.rows:
        xlsx.write_row(ws, row, [item.number, item.label, *(item.values[c.key] for c in COLUMNS)], size=11)
        row += 1
    xlsx.write_row(ws, row, ["", table.total.label.upper(), *(table.total.values[c.key] for c in COLUMNS)],
                   bold=True, size=11)
    for r in range(10, row + 1):
        for c in range(3, columns + 1):
            ws.cell(row=r, column=c).alignment = Alignment(horizontal="center", vertical="top")
    ws.print_title_rows = "6:9"
    ws.freeze_panes = "C10"
    notes = row + 2
    for text in _notes(table):
        ws.cell(row=notes, column=1, value=text).font = Font(name=xlsx.FONT_NAME, italic=True, size=10)
        notes += 1
    return xlsx.to_bytes(wb)


def _notes(table: ResultTable) -> list[str]:
    notes = [
        "Ghi chú: (3) = (4) + (5) + (6); (7) = (8) + (9) + (10); (11) = (12) + (13); (3) = (7) + (11).",
        "Hồ sơ chờ bổ sung và hồ sơ dừng giải quyết được tính vào “đang giải quyết – trong hạn”.",
        ("So sánh thời điểm có kết quả với hạn trả theo ngày." if table.rules.granularity == "date"
         else "So sánh thời điểm có kết quả với hạn trả theo thời điểm (giờ, phút)."),
    ]
    if table.rules.appointment == "original":
        notes.append("Hạn trả tính theo hẹn trả ban đầu (không tính ngày hẹn lại trong văn bản xin lỗi).")
    if table.failures:
        notes.append("CẢNH BÁO: số liệu không cân đối — " + "; ".join(table.failures))
    return notes


def _run(paragraph, text, *, bold=False, italic=False, size=13):
    from docx.shared import Pt

    run = paragraph.add_run(text)
    run.bold, run.italic = bold, italic
    run.font.size = Pt(size)
    return run


def _signature_and_annex(doc, form: str, title: str) -> None:
    """Recipients and signature (ND 30/2020), then a landscape section headed by the form's number and title."""
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    sign = doc.add_table(rows=1, cols=2)
    recipients, signer = sign.rows[0].cells
    p = recipients.paragraphs[0]
    _run(p, "Nơi nhận:\n", bold=True, italic=True, size=12)
    _run(p, "- Văn phòng UBND tỉnh;\n- Lưu: VT.", size=11)
    p = signer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(p, "THỦ TRƯỞNG CƠ QUAN\n", bold=True)
    _run(p, "(Ký, ghi rõ họ tên, đóng dấu)", italic=True)

    annex = doc.add_section()
    annex.orientation = WD_ORIENT.LANDSCAPE
    annex.page_width, annex.page_height = Cm(29.7), Cm(21.0)
    annex.left_margin = annex.right_margin = Cm(1.5)
    heading = doc.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(heading, f"{form}\n", bold=True, size=12)
    _run(heading, title, bold=True, size=12)


@translation.override("vi")  # a statutory form: always in Vietnamese, whatever the UI language
def results_docx(table: ResultTable, *, agency: Unit | None, agency_name: str, place: str) -> bytes:
    """The quarterly report skeleton (ND 30/2020: national header, agency, number, place and date,
    title, body with the figures, recipients and signature) with Biểu II.06a as its annex table."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    doc = docx_helpers.new_document()
    header = doc.add_table(rows=1, cols=2)
    left, right = header.rows[0].cells
    parent = agency.parent.name.upper() if agency is not None and agency.parent_id else ""
    p = left.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if parent:
        _run(p, parent + "\n", size=12)
    _run(p, agency_name.upper(), bold=True, size=12)
    _run(left.add_paragraph(), "Số:      /BC-", size=13).font.size = Pt(13)
    p = right.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(p, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n", bold=True, size=12)
    _run(p, "Độc lập - Tự do - Hạnh phúc", bold=True, size=13)
    day = timezone.localdate()
    dated = right.add_paragraph()
    dated.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(dated, f"{place}, ngày {day.day:02d} tháng {day.month:02d} năm {day.year}", italic=True)

    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(title, "BÁO CÁO\n", bold=True, size=14)
    _run(title, "Tình hình, kết quả giải quyết thủ tục hành chính\n", bold=True, size=14)
    _run(title, table.period.title, italic=True)

    t = table.total.values
    on_time = t["c8"] + t["c9"]
    rate = f"{100 * on_time / t['c7']:.1f}".replace(".", ",") + "%" if t["c7"] else "—"
    body = [
        f"Thực hiện Thông tư số 01/2020/TT-VPCP ngày 21/10/2020 của Văn phòng Chính phủ, {agency_name} "
        f"báo cáo tình hình, kết quả giải quyết thủ tục hành chính {table.period.in_sentence} như sau:",
        f"1. Tổng số hồ sơ nhận giải quyết: {t['c3']} hồ sơ, trong đó: tiếp nhận trực tuyến {t['c4']} hồ sơ; "
        f"tiếp nhận trực tiếp, qua dịch vụ bưu chính {t['c5']} hồ sơ; từ kỳ trước chuyển qua {t['c6']} hồ sơ.",
        f"2. Số hồ sơ đã giải quyết: {t['c7']} hồ sơ, trong đó: trước hạn {t['c8']} hồ sơ; đúng hạn {t['c9']} "
        f"hồ sơ; quá hạn {t['c10']} hồ sơ. Tỷ lệ giải quyết trước hạn, đúng hạn: {rate}.",
        f"3. Số hồ sơ đang giải quyết: {t['c11']} hồ sơ, trong đó: trong hạn {t['c12']} hồ sơ; quá hạn "
        f"{t['c13']} hồ sơ.",
        "4. Nguyên nhân hồ sơ quá hạn và giải pháp khắc phục: ……",
        "(Chi tiết tại Biểu số II.06a/VPCP/KSTT kèm theo.)",
    ]
    for text in body:
        para = doc.add_paragraph()
        para.paragraph_format.first_line_indent = Cm(1)
        para.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        _run(para, text)

    _signature_and_annex(doc, FORM_NUMBER, FORM_TITLE)
    grid = doc.add_table(rows=2, cols=13)
    grid.style = "Table Grid"
    labels = ["TT", str(GROUP_LABELS[table.group])] + [f"{c.group}: {c.label}" for c in COLUMNS]
    for index, label in enumerate(labels):
        _run(grid.rows[0].cells[index].paragraphs[0], label, bold=True, size=9)
        _run(grid.rows[1].cells[index].paragraphs[0], f"({index + 1})", italic=True, size=9)
    for item in [*table.rows, table.total]:
        cells = grid.add_row().cells
        values = [str(item.number or ""), str(item.label), *(str(item.values[c.key]) for c in COLUMNS)]
        for index, value in enumerate(values):
            _run(cells[index].paragraphs[0], value, bold=item is table.total, size=10)
    for text in _notes(table):
        _run(doc.add_paragraph(), text, italic=True, size=10)
    return docx_helpers.to_bytes(doc)


# --- Ad-hoc export -----------------------------------------------------------------------------------

CHUNK = 256 * 1024
ADHOC_COLUMNS = [
    ("code", "Mã hồ sơ"), ("procedure", "Mã TTHC"), ("procedure_name", "Tên thủ tục"), ("field", "Lĩnh vực"),
    ("agency", "Cơ quan giải quyết"), ("channel", "Hình thức nộp"), ("status", "Trạng thái"),
    ("received_at", "Ngày tiếp nhận"), ("due_at", "Hẹn trả"), ("resolved_at", "Ngày có kết quả"),
    ("returned_at", "Ngày trả kết quả"), ("applicant", "Người nộp"),
]
ADHOC_VALUES = ["code", "version__procedure__code", "version__name", "version__field__name", "handling_unit__name",
                "channel", "status", "received_at", "due_at", "resolved_at", "returned_at", "applicant_name"]


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def as_text(value: str | None) -> str | None:
    """Typed text (an applicant's name) that a spreadsheet would run as a formula gets a leading
    apostrophe: openpyxl stores a string starting with “=” as a formula, Excel evaluates one in a CSV."""
    if value and value.startswith(FORMULA_START):
        return "'" + value
    return value


def adhoc_rows(qs) -> Iterator[list]:
    from motcua.dossiers.models import Channel, Status

    # Labels translated once, not once a row (a lazy string is resolved on every str()).
    channels = {key: str(label) for key, label in Channel.choices}
    statuses = {key: str(label) for key, label in Status.choices}
    for row in qs.order_by("received_at", "id").values_list(*ADHOC_VALUES).iterator(chunk_size=2000):
        (code, procedure, name, field_name, agency, channel, status, received, due, resolved, returned,
         applicant) = row
        yield [code, procedure, as_text(name), as_text(field_name), as_text(agency),
               channels.get(channel, channel), statuses.get(status, status), vn_datetime(received),
               vn_datetime(due), vn_datetime(resolved), vn_datetime(returned), as_text(applicant)]


class _Echo:
    def write(self, value):
        return value


def adhoc_csv(qs) -> Iterator[str]:
    """CSV with a BOM (Excel opens Vietnamese correctly), one chunk per row: memory stays flat."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([label for _key, label in ADHOC_COLUMNS])
    count = 0
    for row in adhoc_rows(qs):
        count += 1
        yield writer.writerow(row)
    yield writer.writerow([f"Tổng số: {count} hồ sơ"])


def adhoc_groups_csv(rows: list[tuple[str, int]], group_label: str) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([group_label, "Số hồ sơ"])
    for label, count in rows:
        yield writer.writerow([label, count])


def write_adhoc_csv(rows: Iterable[list], target: TextIO) -> int:
    """The ad-hoc CSV (BOM, header, rows, count line) written to an open text file; returns the row count."""
    writer = csv.writer(target)
    target.write("\ufeff")
    writer.writerow([label for _key, label in ADHOC_COLUMNS])
    count = 0
    for row in rows:
        writer.writerow(row)
        count += 1
    writer.writerow([f"Tổng số: {count} hồ sơ"])
    return count


def write_adhoc_xlsx(rows: Iterable[list], target: str | BinaryIO, *, title: str) -> int:
    """Write-only workbook saved to `target` (a path or a binary file); returns the row count. The sheet
    goes to a temporary file as rows come and the zip is written at save, so memory holds neither the
    rows nor the file. Title and header cells are styled; data rows are plain values (styling 12 cells a
    row costs more than half the time of a million-row export)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Ho so")
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    for index, width in enumerate([26, 11, 40, 22, 26, 12, 18, 16, 16, 16, 16, 22], start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    bold = Font(name=xlsx.FONT_NAME, bold=True, size=11)

    def cells(values):
        out = []
        for value in values:
            cell = WriteOnlyCell(ws, value=value)
            cell.font = bold
            out.append(cell)
        return out

    count = 0
    try:
        ws.append(cells([title]))
        ws.append(cells([label for _key, label in ADHOC_COLUMNS]))
        for row in rows:
            ws.append(row)
            count += 1
        ws.append(cells([f"Tổng số: {count} hồ sơ"]))
    except BaseException:
        # openpyxl would keep the half-written sheet in its temporary file until the process exits.
        if (writer := getattr(ws, "_writer", None)) is not None:
            with contextlib.suppress(Exception):
                ws._rows.close()
            with contextlib.suppress(Exception):
                writer.close()
            with contextlib.suppress(Exception):
                writer.cleanup()
        raise
    wb.save(target)
    return count


def adhoc_xlsx(qs, *, title: str) -> Iterator[bytes]:
    """The ad-hoc XLSX streamed: written to a temporary file, then sent in chunks."""
    with tempfile.TemporaryFile() as target:
        write_adhoc_xlsx(adhoc_rows(qs), target, title=title)
        target.seek(0)
        while chunk := target.read(CHUNK):
            yield chunk
