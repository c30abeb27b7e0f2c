"""Reading the plan's table from Markdown, DOCX and XLSX; the decision header; every bad input with its row."""

import json

from openpyxl import Workbook

from motcua.paperwork import docx as pdocx
from motcua.paperwork import xlsx as pxlsx
from motcua.plans.importer import (
    DATES,
    ERROR,
    clean_cell,
    extract_targets,
    parse_plan,
)

HEAD = "| TT | Nội dung công việc | Đơn vị chủ trì | Đơn vị phối hợp | Sản phẩm | Thời gian thực hiện |\n|---|---|---|---|---|---|\n"


def test_seed_sections_tasks_and_merged_continuations(seed_text):
    parsed = parse_plan(seed_text, filename="seed.md", year=2024)
    assert [s.number for s in parsed.sections] == ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"]
    assert [len(s.tasks) for s in parsed.sections] == [4, 3, 4, 4, 3, 2, 3, 14, 3]
    assert len(parsed.tasks) == 40
    tasks = {f"{s.number}.{t.number}": t for s in parsed.sections for t in s.tasks}
    assert tasks["I.3"].content.endswith("trong các cơ quan hành chính nhà nước tỉnh Hà Tĩnh giai đoạn 2022-2025")
    assert tasks["II.3"].coordinating == ("Sở Tư pháp; Văn phòng UBND tỉnh; Các phòng, ban, đơn vị thuộc và "
                                          "trực thuộc Sở, các đơn vị liên quan")
    assert tasks["VIII.8"].content.endswith("tối đa 15 phút/01 lượt giao dịch; thời gian tiếp nhận, xử lý hồ sơ "
                                            "tối thiểu 30 phút/01 hồ sơ.")
    assert tasks["VIII.14"].content.endswith("trong giải quyết TTHC do UBND tỉnh tổ chức")
    assert tasks["IV.1"].product.split("\n") == [
        "Văn bản đề nghị công bố Danh mục, quy trình nội bộ giải quyết TTHC",
        "Phát hiện các TTHC chưa công bố hoặc có sự khác biệt giữa nội dung công bố với văn bản pháp luật quy "
        "định về TTHC, kịp thời kiến nghị cấp có thẩm quyền công bố sửa đổi, bổ sung",
    ]
    assert tasks["IV.2"].product.split("\n") == [
        "- Rà soát các TTHC nội bộ giữa các cơ quan hành chính nhà nước, TTHC nội bộ Sở",
        "- Tờ trình, dự thảo Quyết định công bố TTHC nội bộ",
    ]
    assert parsed.sections[7].title == "Thực hiện cơ chế một cửa, một cửa liên thông trong giải quyết TTHC"
    # Only the three undated time frames are flagged; nothing is an error.
    assert [p.kind for p in parsed.problems] == [DATES, DATES, DATES]
    assert [p.where for p in parsed.problems] == ["dòng 142", "dòng 143", "dòng 144"]


def test_seed_decision_header(seed_text):
    header = parse_plan(seed_text, filename="seed.md", year=2024).header
    assert header.number == "/QĐ-SNV"
    assert (header.place, header.date_text, header.signed_on) == ("Hà Tĩnh", "ngày tháng 3 năm 2024", "")
    assert header.signer == "Bùi Quang Dương"
    assert header.signer_title == "KT. GIÁM ĐỐC PHÓ GIÁM ĐỐC"
    assert header.issuer_name == "Sở Nội vụ"
    assert header.title.startswith("Kế hoạch kiểm soát thủ tục hành chính") and header.title.endswith("năm 2024")
    assert len(header.legal_bases) == 8
    assert header.legal_bases[0].startswith("Căn cứ Nghị định số 20/2008/NĐ-CP")
    # The paragraph broken by a page break ("giai" / "đoạn 2022-2025") is one basis again.
    assert "chuyển đổi số quốc gia giai đoạn 2022-2025, tầm nhìn đến năm 2030" in header.legal_bases[-1]


def test_json_is_nfc_and_whitespace_normalised():
    text = HEAD + "| I | Mu\u0323c  mo\u0323\u0302t | | | | |\n| 1 | Vie\u0323\u0302c   A\u00a0 | Văn phòng |  | SP | Tháng 3 năm 2024 |\n"
    parsed = parse_plan(text, filename="x.md", year=2024)
    data = parsed.as_json()
    assert data == {"sections": [{"number": "I", "title": "Mục một", "tasks": [{
        "number": "1", "content": "Việc A", "lead": "Văn phòng", "coordinating": "", "product": "SP",
        "timeframe": {"text": "Tháng 3 năm 2024", "start": "2024-03-01", "end": "2024-03-31", "recurrence": None},
    }]}]}
    json.dumps(data)


def test_html_paragraphs_become_separate_paragraphs():
    assert clean_cell("<p>Một</p> <p>Hai  ba</p>") == "Một\nHai ba"
    assert clean_cell("<ul><li>A</li><li>B &amp; C</li></ul>") == "- A\n- B & C"
    assert clean_cell("a<br>b") == "a\nb"


def test_missing_column_is_reported_and_nothing_parsed():
    text = ("| TT | Nội dung công việc | Đơn vị chủ trì | Sản phẩm | Thời gian thực hiện |\n|---|---|---|---|---|\n"
            "| I | Mục | | | |\n| 1 | Việc | Văn phòng | SP | Tháng 3 năm 2024 |\n")
    parsed = parse_plan(text, filename="x.md", year=2024)
    assert parsed.sections == []
    assert [(p.where, p.message) for p in parsed.problems] == [("dòng 1", "Bảng thiếu cột “Đơn vị phối hợp”.")]


def test_bad_rows_each_reported_with_their_row():
    text = HEAD + ("| | mồ côi | | | | |\n"
                   "| I | Mục có việc | | | | |\n"
                   "| 1 | Việc | Văn phòng | | SP | Tháng 13 năm 2024 |\n"
                   "| 1 | Trùng số | Văn phòng | | SP | Quý II |\n"
                   "| 2 | Thiếu chủ trì | | | SP | Thường xuyên |\n"
                   "| a) | Số lạ | Văn phòng | | SP | Thường xuyên |\n"
                   "| II | Mục trống | | | | |\n"
                   "| III | Mục ba | | | | |\n"
                   "| 1 | Ít ô |\n")
    parsed = parse_plan(text, filename="x.md", year=2024)
    found = [(p.where, p.message) for p in parsed.problems if p.kind == ERROR]
    assert ("dòng 3", "Hàng không có số thứ tự và không có hàng nào ở trên để nối vào.") in found
    assert ("dòng 6", "Mục I có hai nhiệm vụ số 1.") in found
    assert ("dòng 8", "Số thứ tự “a)” không phải số La Mã (mục) hay số (nhiệm vụ).") in found
    assert ("dòng 11", "Hàng có 2 ô, thiếu cột so với hàng tiêu đề.") in found
    assert ("dòng 9", "Mục II “Mục trống” không có nhiệm vụ nào.") in found
    assert ("dòng 10", "Mục III “Mục ba” không có nhiệm vụ nào.") in found
    assert ("dòng 7", "Nhiệm vụ I.2 không có đơn vị chủ trì.") in found
    assert any(w == "dòng 5" and "Tháng 13 năm 2024" in m for w, m in found)
    # Text is never lost: the unreadable time frame is kept as written.
    assert parsed.sections[0].tasks[0].timeframe_text == "Tháng 13 năm 2024"


def test_not_a_plan_file():
    parsed = parse_plan(b"hello", filename="x.pdf", year=2024)
    assert parsed.problems[0].message.startswith("Không đọc được tệp “x.pdf”")
    assert parse_plan(b"not a zip", filename="x.docx", year=2024).problems[0].message == \
        "Tệp “x.docx” hỏng, không đọc được."
    assert parse_plan("chỉ có chữ", filename="x.md", year=2024).problems[-1].message.startswith(
        "Không tìm thấy bảng kế hoạch")


ROWS = [
    ["TT", "Nội dung công việc", "Đơn vị chủ trì", "Đơn vị phối hợp", "Sản phẩm", "Thời gian thực hiện"],
    ["I", "Công tác chỉ đạo điều hành", "", "", "", ""],
    ["1", "Ban hành Kế hoạch", "Văn phòng", "Các phòng, ban, đơn vị", "Kế hoạch", "Tháng 03 năm 2024"],
    ["2", "Rà soát trong các cơ quan", "Văn phòng", "Sở Tư pháp", "Văn bản", "Quý II, III"],
    ["TT", "Nội dung công việc", "Đơn vị chủ trì", "Đơn vị phối hợp", "Sản phẩm", "Thời gian thực hiện"],
    ["", "hành chính nhà nước", "", "", "", ""],
]


def _check_small(parsed):
    assert not [p for p in parsed.problems if p.kind == ERROR]
    assert [s.number for s in parsed.sections] == ["I"]
    tasks = parsed.sections[0].tasks
    assert [t.number for t in tasks] == ["1", "2"]
    assert tasks[1].content == "Rà soát trong các cơ quan hành chính nhà nước"
    assert tasks[1].timeframe.as_json()["end"] == "2024-09-30"


def test_docx_tables_with_merged_section_cells_and_header():
    doc = pdocx.new_document()
    doc.add_paragraph("Số: 12/QĐ-SNV")
    doc.add_paragraph("Hà Tĩnh, ngày 05 tháng 3 năm 2024")
    doc.add_paragraph("Căn cứ Nghị định số 63/2010/NĐ-CP;")
    for chunk in (ROWS[:4], ROWS[4:]):
        table = doc.add_table(rows=0, cols=6)
        for values in chunk:
            cells = table.add_row().cells
            for cell, value in zip(cells, values, strict=True):
                cell.text = value
        if chunk[0][0] == "TT":
            section_row = table.rows[1].cells
            section_row[1].merge(section_row[5])  # a section title spans the row, as Word does it
    parsed = parse_plan(pdocx.to_bytes(doc), filename="plan.docx", year=2024)
    _check_small(parsed)
    assert parsed.sections[0].title == "Công tác chỉ đạo điều hành"
    assert parsed.header.number == "12/QĐ-SNV"
    assert parsed.header.signed_on == "2024-03-05"
    assert parsed.header.legal_bases == ["Căn cứ Nghị định số 63/2010/NĐ-CP;"]
    assert parsed.sections[0].tasks[0].where == "bảng 1, hàng 3"


def test_xlsx_same_columns():
    wb = Workbook()
    ws = wb.active
    ws.append(["KẾ HOẠCH KIỂM SOÁT TTHC NĂM 2024"])
    ws.append([])
    for values in ROWS:
        ws.append(values)
    parsed = parse_plan(pxlsx.to_bytes(wb), filename="plan.xlsx", year=2024)
    _check_small(parsed)
    assert parsed.sections[0].tasks[0].where == "hàng 5"


def test_targets_read_from_the_seed_text(seed_text):
    parsed = parse_plan(seed_text, filename="seed.md", year=2024)
    targets = {t.key: (t.value, t.unit, t.direction, t.source) for t in extract_targets(parsed)}
    assert targets == {
        "online_rate": (70, "percent", "at_least", "VIII.7"),
        "full_online_rate": (90, "percent", "at_least", "VIII.7"),
        "electronic_circulation": (100, "percent", "at_least", "VIII.7"),
        "digitized_results": (90, "percent", "at_least", "VIII.2"),
        "digitized_archived": (100, "percent", "at_least", "VIII.7"),
        "waiting_minutes": (15, "minutes", "at_most", "VIII.8"),
        "intake_minutes": (30, "minutes", "at_least", "VIII.8"),
        "reuse": (70, "percent", "at_least", "VIII.9"),
        "online_payment_procedures": (80, "percent", "at_least", "VIII.10"),
        "online_payment_share": (50, "percent", "at_least", "VIII.10"),
        "satisfaction": (94, "percent", "at_least", "VIII.11"),
    }
