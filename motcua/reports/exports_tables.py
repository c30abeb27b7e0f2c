"""Biểu II.07b as XLSX in the form's layout (merged header rows, numbered columns, totals row, landscape,
fit to width — the helpers of the II.06a exporter) and as a DOCX report per Nghị định 30/2020 with the
figures filled in and the table as its annex."""

from __future__ import annotations

from django.utils import timezone, translation
from openpyxl.styles import Alignment, Font

from motcua.lib.formats import vn_date
from motcua.org.models import Unit
from motcua.paperwork import docx as docx_helpers
from motcua.paperwork import xlsx
from motcua.reports.exports import FORM_BASIS, _merge, _run, _signature_and_annex
from motcua.reports.onestop import COLUMNS, GROUP_LABELS, OneStopTable
from motcua.reports.periods import Period
from motcua.reports.publication import COLUMNS as PUB_COLUMNS
from motcua.reports.publication import GROUP_LABELS as PUB_GROUPS
from motcua.reports.publication import PublicationTable

FORM_NUMBER = "Biểu số II.07b/VPCP/KSTT"
FORM_TITLE = "TỔNG HỢP SỐ LƯỢNG THỦ TỤC HÀNH CHÍNH"
UNIT_NOTE = "Đơn vị tính: Số TTHC"


def notes(table: OneStopTable) -> list[str]:
    lines = [
        f"Số liệu tính theo danh mục TTHC có hiệu lực ngày {vn_date(table.as_of)}; không tính TTHC cấp trung ương.",
        "Ghi chú: (3) = (4) + (5) + (6); (7) = (8) + (9) + (10); (11) = (12) + (13) + (14); (7) ≤ (3); (11) ≤ (7).",
        "Cột (7)–(10): TTHC có trường hợp được tiếp nhận tại Bộ phận Một cửa (bước đầu của quy trình nội bộ), "
        "chia theo cấp của Bộ phận Một cửa tiếp nhận.",
        "Cột (11)–(14): TTHC của cột (7) mà mọi trường hợp đã có quy trình nội bộ được ban hành, cấu hình đến "
        "ngày trên (tính theo số TTHC, chia theo cấp của TTHC).",
    ]
    if table.district_abolished:
        lines.append("Từ ngày 01/07/2025 không còn cấp huyện (chính quyền địa phương hai cấp): cột (5), (9), (13) "
                     "để trống.")
    lines += [f"CẢNH BÁO: {w}" for w in table.warnings]
    if table.failures:
        lines.append("CẢNH BÁO: số liệu không cân đối — " + "; ".join(table.failures))
    return lines


def _values(row, table: OneStopTable) -> list:
    return [row.shown(c.key, table.district_abolished) for c in COLUMNS]


@translation.override("vi")  # a statutory form: always in Vietnamese, whatever the UI language
def onestop_xlsx(table: OneStopTable, *, period: Period, agency_name: str) -> bytes:
    wb = xlsx.new_workbook()
    ws = wb.active
    ws.title = "Bieu II.07b"
    xlsx.setup_sheet(ws, landscape=True)
    xlsx.set_widths(ws, [6, 40] + [10] * 12)
    columns = 14
    ws.cell(row=1, column=1, value=FORM_NUMBER).font = Font(name=xlsx.FONT_NAME, bold=True, size=11)
    ws.cell(row=1, column=10, value=FORM_BASIS).font = Font(name=xlsx.FONT_NAME, italic=True, size=10)
    xlsx.write_title(ws, 2, FORM_TITLE, columns=columns)
    xlsx.write_title(ws, 3, agency_name.upper(), columns=columns, size=12)
    xlsx.write_title(ws, 4, f"Kỳ báo cáo: {period.title} — số liệu đến ngày {vn_date(table.as_of)}",
                     columns=columns, size=12, bold=False)
    ws.cell(row=5, column=12, value=UNIT_NOTE).font = Font(name=xlsx.FONT_NAME, italic=True, size=10)
    # Header: row 6 the three groups, row 7 total and levels, row 8 column numbers.
    _merge(ws, 6, 1, 7, 1, "STT")
    _merge(ws, 6, 2, 7, 2, GROUP_LABELS[table.group])
    for first in (3, 7, 11):
        _merge(ws, 6, first, 6, first + 3, COLUMNS[first - 3].group)
        for offset in range(4):
            _merge(ws, 7, first + offset, 7, first + offset, COLUMNS[first - 3 + offset].label, size=10)
    ws.row_dimensions[6].height = 48
    ws.row_dimensions[7].height = 48
    for col in range(1, columns + 1):
        _merge(ws, 8, col, 8, col, f"({col})", bold=False, size=10)
    first_data = row = 9
    for item in table.rows:
        xlsx.write_row(ws, row, [item.number, item.label, *_values(item, table)], size=11)
        row += 1
    xlsx.write_row(ws, row, ["", table.total.label.upper(), *_values(table.total, table)], bold=True, size=11)
    for r in range(first_data, row + 1):
        for c in range(3, columns + 1):
            ws.cell(row=r, column=c).alignment = Alignment(horizontal="center", vertical="top")
    ws.print_title_rows = "6:8"
    ws.freeze_panes = "C9"
    line = row + 2
    for text in notes(table):
        ws.cell(row=line, column=1, value=text).font = Font(name=xlsx.FONT_NAME, italic=True, size=10)
        line += 1
    return xlsx.to_bytes(wb)


def _header(doc, *, agency: Unit | None, agency_name: str, place: str) -> None:
    """The ND 30/2020 header: issuing agency and number on the left, national title and date on the right."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    header = doc.add_table(rows=1, cols=2)
    left, right = header.rows[0].cells
    parent = agency.parent.name.upper() if agency is not None and agency.parent_id else ""
    p = left.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if parent:
        _run(p, parent + "\n", size=12)
    _run(p, agency_name.upper(), bold=True, size=12)
    _run(left.add_paragraph(), "Số:      /BC-", size=13)
    p = right.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(p, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n", bold=True, size=12)
    _run(p, "Độc lập - Tự do - Hạnh phúc", bold=True, size=13)
    day = timezone.localdate()
    dated = right.add_paragraph()
    dated.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(dated, f"{place}, ngày {day.day:02d} tháng {day.month:02d} năm {day.year}", italic=True)


def _opening(*, agency: Unit | None, agency_name: str, place: str, subject: str, period: Period):
    """A new document with the ND 30/2020 header and the title block (BÁO CÁO, subject, period)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    doc = docx_helpers.new_document()
    _header(doc, agency=agency, agency_name=agency_name, place=place)
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(title, "BÁO CÁO\n", bold=True, size=14)
    _run(title, f"{subject}\n", bold=True, size=14)
    _run(title, period.title, italic=True)
    return doc


def _body(doc, paragraphs: list[str]) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    for text in paragraphs:
        para = doc.add_paragraph()
        para.paragraph_format.first_line_indent = Cm(1)
        para.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        _run(para, text)


def _rate(part: int, whole: int) -> str:
    return (f"{100 * part / whole:.1f}".replace(".", ",") + "%") if whole else "—"


@translation.override("vi")  # a statutory form: always in Vietnamese, whatever the UI language
def onestop_docx(table: OneStopTable, *, period: Period, agency: Unit | None, agency_name: str, place: str) -> bytes:
    """The report skeleton on the one-stop mechanism with the figures of Biểu II.07b, the table annexed."""

    doc = _opening(agency=agency, agency_name=agency_name, place=place,
                   subject="Tình hình, kết quả thực hiện cơ chế một cửa, một cửa liên thông", period=period)

    t = table.total.values
    abolished = table.district_abolished
    levels = "cấp tỉnh {p}, cấp xã {c}" if abolished else "cấp tỉnh {p}, cấp huyện {d}, cấp xã {c}"
    body = [
        f"Thực hiện Thông tư số 01/2020/TT-VPCP ngày 21/10/2020 của Văn phòng Chính phủ, {agency_name} báo cáo "
        f"tình hình, kết quả thực hiện cơ chế một cửa, một cửa liên thông {period.in_sentence} như sau "
        f"(số liệu theo danh mục TTHC có hiệu lực ngày {vn_date(table.as_of)}):",
        f"1. Tổng số TTHC thuộc thẩm quyền giải quyết: {t['c3']} TTHC, trong đó "
        + levels.format(p=t["c4"], d=t["c5"], c=t["c6"]) + ".",
        f"2. Số TTHC thực hiện theo cơ chế một cửa, một cửa liên thông: {t['c7']} TTHC "
        f"(đạt {_rate(t['c7'], t['c3'])}), trong đó tiếp nhận tại Bộ phận Một cửa "
        + levels.format(p=t["c8"], d=t["c9"], c=t["c10"]) + ".",
        f"3. Số TTHC thực hiện theo cơ chế một cửa, một cửa liên thông đã ban hành quy trình nội bộ: {t['c11']} TTHC "
        f"(đạt {_rate(t['c11'], t['c7'])}), trong đó "
        + levels.format(p=t["c12"], d=t["c13"], c=t["c14"]) + ".",
        "4. Khó khăn, vướng mắc và đề xuất, kiến nghị: ……",
        f"(Chi tiết tại {FORM_NUMBER} kèm theo.)",
    ]
    _body(doc, body)

    _signature_and_annex(doc, FORM_NUMBER, FORM_TITLE)
    grid = doc.add_table(rows=2, cols=14)
    grid.style = "Table Grid"
    labels = ["STT", str(GROUP_LABELS[table.group])] + [f"{c.group}: {c.label}" for c in COLUMNS]
    for index, label in enumerate(labels):
        _run(grid.rows[0].cells[index].paragraphs[0], label, bold=True, size=8)
        _run(grid.rows[1].cells[index].paragraphs[0], f"({index + 1})", italic=True, size=8)
    for item in [*table.rows, table.total]:
        cells = grid.add_row().cells
        values = [str(item.number or ""), str(item.label),
                  *("" if v is None else str(v) for v in _values(item, table))]
        for index, value in enumerate(values):
            _run(cells[index].paragraphs[0], value, bold=item is table.total, size=9)
    for text in notes(table):
        _run(doc.add_paragraph(), text, italic=True, size=10)
    return docx_helpers.to_bytes(doc)


# --- Publication of TTHC (content of Biểu II.02a) -----------------------------------------------------

PUBLICATION_FORM = "Biểu số II.02a/VPCP/KSTT"
PUBLICATION_TITLE = "TÌNH HÌNH CÔNG BỐ THỦ TỤC HÀNH CHÍNH"


def publication_notes(table: PublicationTable) -> list[str]:
    lines = [
        "Quyết định công bố tính theo ngày ký trong kỳ; chỉ tính TTHC cấp tỉnh, cấp huyện, cấp xã.",
        "Ghi chú: (4) = (5) + (6) + (7) + (8) = (9) + (10) + (11). Dòng tổng cộng của cột (3) tính mỗi quyết định "
        "một lần.",
        "TTHC bị thay thế bằng mã khác trong cùng quyết định được tính ở cột (7), không tính thêm ở cột (8).",
        "Bố cục cột theo nội dung yêu cầu của biểu; chưa đối chiếu được với Phụ lục II Thông tư 01/2020/TT-VPCP.",
    ]
    if table.failures:
        lines.append("CẢNH BÁO: số liệu không cân đối — " + "; ".join(table.failures))
    return lines


@translation.override("vi")  # a statutory form: always in Vietnamese, whatever the UI language
def publication_xlsx(table: PublicationTable, *, agency_name: str) -> bytes:
    wb = xlsx.new_workbook()
    ws = wb.active
    ws.title = "Bieu II.02a"
    xlsx.setup_sheet(ws, landscape=True)
    xlsx.set_widths(ws, [6, 40] + [12] * 9)
    columns = 11
    ws.cell(row=1, column=1, value=PUBLICATION_FORM).font = Font(name=xlsx.FONT_NAME, bold=True, size=11)
    ws.cell(row=1, column=8, value=FORM_BASIS).font = Font(name=xlsx.FONT_NAME, italic=True, size=10)
    xlsx.write_title(ws, 2, PUBLICATION_TITLE, columns=columns)
    xlsx.write_title(ws, 3, agency_name.upper(), columns=columns, size=12)
    xlsx.write_title(ws, 4, f"Kỳ báo cáo: {table.period.title}", columns=columns, size=12, bold=False)
    ws.cell(row=5, column=10, value="Đơn vị tính: Số quyết định, số TTHC").font = Font(
        name=xlsx.FONT_NAME, italic=True, size=10)
    _merge(ws, 6, 1, 7, 1, "STT")
    _merge(ws, 6, 2, 7, 2, PUB_GROUPS[table.group])
    _merge(ws, 6, 3, 7, 3, PUB_COLUMNS[0].group)
    _merge(ws, 6, 4, 6, 8, PUB_COLUMNS[1].group)
    _merge(ws, 6, 9, 6, 11, PUB_COLUMNS[6].group)
    for column in PUB_COLUMNS[1:]:
        _merge(ws, 7, column.number, 7, column.number, column.label, size=10)
    ws.row_dimensions[6].height = 36
    for col in range(1, columns + 1):
        _merge(ws, 8, col, 8, col, f"({col})", bold=False, size=10)
    row = 9
    for item in table.rows:
        xlsx.write_row(ws, row, [item.number, item.label, *(item.values[c.key] for c in PUB_COLUMNS)], size=11)
        row += 1
    xlsx.write_row(ws, row, ["", table.total.label.upper(), *(table.total.values[c.key] for c in PUB_COLUMNS)],
                   bold=True, size=11)
    for r in range(9, row + 1):
        for c in range(3, columns + 1):
            ws.cell(row=r, column=c).alignment = Alignment(horizontal="center", vertical="top")
    ws.print_title_rows = "6:8"
    ws.freeze_panes = "C9"
    line = row + 2
    for text in publication_notes(table):
        ws.cell(row=line, column=1, value=text).font = Font(name=xlsx.FONT_NAME, italic=True, size=10)
        line += 1
    return xlsx.to_bytes(wb)


@translation.override("vi")  # a statutory form: always in Vietnamese, whatever the UI language
def publication_docx(table: PublicationTable, *, agency: Unit | None, agency_name: str, place: str) -> bytes:
    """The report skeleton on publishing TTHC in the period, figures filled in, the table annexed."""

    doc = _opening(agency=agency, agency_name=agency_name, place=place,
                   subject="Tình hình công bố thủ tục hành chính", period=table.period)
    t = table.total.values
    body = [
        f"Thực hiện Thông tư số 01/2020/TT-VPCP ngày 21/10/2020 của Văn phòng Chính phủ, {agency_name} báo cáo "
        f"tình hình công bố thủ tục hành chính {table.period.in_sentence} như sau:",
        f"1. Số quyết định công bố thủ tục hành chính: {t['c3']} quyết định.",
        f"2. Số TTHC được công bố: {t['c4']} TTHC, trong đó: ban hành mới {t['c5']}; sửa đổi, bổ sung {t['c6']}; "
        f"thay thế {t['c7']}; bãi bỏ {t['c8']}. Theo cấp thực hiện: cấp tỉnh {t['c9']}, cấp huyện {t['c10']}, "
        f"cấp xã {t['c11']}.",
        "3. Tình hình công khai TTHC, cập nhật quy trình nội bộ, quy trình điện tử: ……",
        f"(Chi tiết tại {PUBLICATION_FORM} kèm theo.)",
    ]
    _body(doc, body)
    _signature_and_annex(doc, PUBLICATION_FORM, PUBLICATION_TITLE)
    grid = doc.add_table(rows=2, cols=11)
    grid.style = "Table Grid"
    labels = ["STT", str(PUB_GROUPS[table.group])] + [f"{c.group}: {c.label}" for c in PUB_COLUMNS]
    for index, label in enumerate(labels):
        _run(grid.rows[0].cells[index].paragraphs[0], label, bold=True, size=9)
        _run(grid.rows[1].cells[index].paragraphs[0], f"({index + 1})", italic=True, size=9)
    for item in [*table.rows, table.total]:
        cells = grid.add_row().cells
        values = [str(item.number or ""), str(item.label), *(str(item.values[c.key]) for c in PUB_COLUMNS)]
        for index, value in enumerate(values):
            _run(cells[index].paragraphs[0], value, bold=item is table.total, size=10)
    for text in publication_notes(table):
        _run(doc.add_paragraph(), text, italic=True, size=10)
    return docx_helpers.to_bytes(doc)
