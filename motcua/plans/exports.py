"""Documents of the plan: its progress in the seed's six-column table (+ status and progress) as DOCX and XLSX,
and an inspection's report as DOCX laid out per Nghị định 30/2020 (national motto, number, place and date)."""

from __future__ import annotations

import datetime as dt

from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from motcua.lib.formats import vn_date
from motcua.paperwork import docx as pdocx
from motcua.paperwork import xlsx as pxlsx
from motcua.plans.models import Inspection, Plan, Task, TaskStatus

HEADINGS = ["TT", "Nội dung công việc", "Đơn vị chủ trì", "Đơn vị phối hợp", "Sản phẩm", "Thời gian thực hiện",
            "Trạng thái", "Tiến độ (%)"]


def _status_text(task: Task, day: dt.date) -> str:
    text = task.get_status_display()
    if task.is_overdue(day):
        text += " (quá hạn)"
    instances = list(task.instances.all())
    if instances:
        done = [i.label for i in instances if i.status == TaskStatus.DONE]
        text += f"; kỳ đã xong: {', '.join(done) if done else 'chưa có'}"
    return text


def plan_rows(plan: Plan, day: dt.date) -> list[tuple[bool, list]]:
    """(is_section, cells) in the seed's order."""
    rows: list[tuple[bool, list]] = []
    tasks = Task.objects.filter(plan=plan).prefetch_related("instances").order_by("section__position", "position")
    by_section: dict[int, list[Task]] = {}
    for task in tasks:
        by_section.setdefault(task.section_id, []).append(task)
    for section in plan.sections.order_by("position"):
        rows.append((True, [section.number, section.title, "", "", "", "", "", ""]))
        for task in by_section.get(section.pk, []):
            rows.append((False, [task.number, task.content, task.lead_text, task.coordinating_text, task.product,
                                 task.timeframe_text, _status_text(task, day), task.progress]))
    return rows


def plan_docx(plan: Plan, *, day: dt.date) -> bytes:
    doc = pdocx.new_document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    section.left_margin, section.right_margin = Cm(2), Cm(1.5)
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.add_run(plan.title.upper()).bold = True
    sub = doc.add_paragraph()
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
    sub.add_run(f"Tình hình thực hiện đến ngày {vn_date(day)}").italic = True
    table = doc.add_table(rows=1, cols=len(HEADINGS))
    table.style = "Table Grid"
    for cell, heading in zip(table.rows[0].cells, HEADINGS, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(heading).bold = True
    for is_section, values in plan_rows(plan, day):
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            paragraphs = str(value).split("\n")
            cell.text = paragraphs[0]
            for extra in paragraphs[1:]:
                cell.add_paragraph(extra)
            if is_section:
                for run in cell.paragraphs[0].runs:
                    run.bold = True
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(11)
    return pdocx.to_bytes(doc)


def plan_xlsx(plan: Plan, *, day: dt.date) -> bytes:
    wb = pxlsx.new_workbook()
    ws = wb.active
    ws.title = f"Kế hoạch {plan.year}"
    pxlsx.setup_sheet(ws)
    pxlsx.write_title(ws, 1, plan.title.upper(), columns=len(HEADINGS))
    pxlsx.write_title(ws, 2, f"Tình hình thực hiện đến ngày {vn_date(day)}", columns=len(HEADINGS), size=12,
                      bold=False)
    pxlsx.write_row(ws, 4, HEADINGS, bold=True)
    row = 5
    for is_section, values in plan_rows(plan, day):
        pxlsx.write_row(ws, row, values, bold=is_section)
        row += 1
    pxlsx.set_widths(ws, [6, 60, 24, 24, 36, 22, 22, 10])
    ws.freeze_panes = "A5"
    return pxlsx.to_bytes(wb)


# --- Inspection report (Nghị định 30/2020: header table, motto, number, place/date, title, body, signature) ---

def _centered(cell, lines: list[tuple[str, bool, bool]]) -> None:
    cell.text = ""
    first = True
    for text, bold, italic in lines:
        paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
        first = False
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(text)
        run.bold, run.italic = bold, italic
        run.font.size = Pt(13 if bold else 12)


def inspection_docx(inspection: Inspection, *, day: dt.date) -> bytes:
    plan = inspection.plan
    agency = plan.issuing_unit
    parent = agency.parent
    doc = pdocx.new_document()
    header = doc.add_table(rows=1, cols=2)
    _centered(header.rows[0].cells[0], [
        ((parent.short_name or parent.name).upper() if parent else "", False, False),
        (agency.name.upper(), True, False),
        ("Số:       /BC-ĐKT", False, False),
    ])
    _centered(header.rows[0].cells[1], [
        ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", True, False),
        ("Độc lập - Tự do - Hạnh phúc", True, False),
        (f"{plan.place or 'Hà Tĩnh'}, ngày {day.day:02d} tháng {day.month:02d} năm {day.year}", False, True),
    ])
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_before = Pt(12)
    title.add_run("BÁO CÁO").bold = True
    subject = doc.add_paragraph()
    subject.alignment = WD_ALIGN_PARAGRAPH.CENTER
    subject.add_run(f"Kết quả kiểm tra: {inspection.title}").bold = True

    def para(text: str, *, bold: bool = False) -> None:
        p = doc.add_paragraph()
        p.paragraph_format.first_line_indent = Cm(1)
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        p.add_run(text).bold = bold

    para(f"Thực hiện {plan.title} (nhiệm vụ {inspection.task.ref if inspection.task else 'mục V'}), "
         f"đoàn kiểm tra đã tiến hành kiểm tra từ ngày {vn_date(inspection.starts_on)} "
         f"đến ngày {vn_date(inspection.ends_on)}.")
    para("I. THÀNH PHẦN ĐOÀN KIỂM TRA", bold=True)
    para(f"Trưởng đoàn: {inspection.leader} ({inspection.leader.position or 'cán bộ'}).")
    for member in inspection.members.order_by("full_name"):
        para(f"Thành viên: {member}{f' ({member.position})' if member.position else ''}.")
    para("II. ĐƠN VỊ ĐƯỢC KIỂM TRA VÀ NỘI DUNG KIỂM TRA", bold=True)
    para("; ".join(u.name for u in inspection.units.order_by("path")) + ".")
    if inspection.scope:
        para(inspection.scope)
    para("III. KẾT QUẢ KIỂM TRA", bold=True)
    findings = list(inspection.findings.select_related("unit"))
    table = doc.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for cell, heading in zip(table.rows[0].cells, ["TT", "Đơn vị", "Nội dung kiểm tra", "Kết quả", "Ghi nhận"],
                             strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(heading).bold = True
    for index, finding in enumerate(findings, start=1):
        cells = table.add_row().cells
        for cell, value in zip(cells, [str(index), finding.unit.name, finding.item,
                                       "Đạt" if finding.compliant else "Chưa đạt", finding.observation],
                               strict=True):
            cell.text = value
    compliant = sum(f.compliant for f in findings)
    para(f"Tổng số nội dung kiểm tra: {len(findings)}; đạt: {compliant}; chưa đạt: {len(findings) - compliant}.")
    if inspection.conclusion:
        para(inspection.conclusion)
    para("IV. KIẾN NGHỊ", bold=True)
    recommendations = list(inspection.recommendations.select_related("unit"))
    if not recommendations:
        para("Không có kiến nghị.")
    for index, rec in enumerate(recommendations, start=1):
        para(f"{index}. {rec.unit.name}: {rec.text} Thời hạn khắc phục: {vn_date(rec.deadline)} "
             f"(tình trạng: {rec.get_status_display().lower()}).")
    footer = doc.add_table(rows=1, cols=2)
    receivers = footer.rows[0].cells[0]
    receivers.text = ""
    run = receivers.paragraphs[0].add_run("Nơi nhận:")
    run.bold, run.italic = True, True
    for line in ["- Giám đốc Sở (b/c);", *[f"- {u.name};" for u in inspection.units.order_by("path")],
                 "- Lưu: VT, VP."]:
        receivers.add_paragraph(line).runs[0].font.size = Pt(11)
    _centered(footer.rows[0].cells[1], [("TRƯỞNG ĐOÀN KIỂM TRA", True, False), ("", False, False),
                                        ("", False, False), (str(inspection.leader), True, False)])
    return pdocx.to_bytes(doc)
