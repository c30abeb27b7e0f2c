import datetime as dt
from io import BytesIO

import pytest
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from motcua.paperwork import docx as docx_tools
from motcua.paperwork import xlsx
from motcua.paperwork.pdf import render_pdf
from motcua.paperwork.qr import qr_svg_data_uri


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)


def embedded_fonts(data: bytes) -> set[str]:
    names = set()
    for page in PdfReader(BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


@pytest.fixture(scope="module")
def nd30_pdf():
    return render_pdf("paperwork/nd30.html", {
        "parent_agency_name": "UBND tỉnh Hà Tĩnh",
        "agency_name": "Sở Nội vụ",
        "document_number": "12/GTN-SNV",
        "place": "Hà Tĩnh",
        "issued_on": dt.date(2025, 11, 17),
        "title": "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
        "qr_uri": qr_svg_data_uri("https://motcua.example/tra-cuu/000.00.12.H27-251117-0042"),
        "qr_caption": "Tra cứu hồ sơ",
    })


def test_pdf_has_the_national_header_in_vietnamese(nd30_pdf):
    text = pdf_text(nd30_pdf)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "Hà Tĩnh, ngày 17 tháng 11 năm 2025" in text
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text
    assert "Số: 12/GTN-SNV" in text


def test_pdf_embeds_the_bundled_serif_font(nd30_pdf):
    fonts = embedded_fonts(nd30_pdf)
    assert fonts and all("Liberation-Serif" in name for name in fonts), fonts


def test_xlsx_cells_carry_an_explicit_font_and_landscape_page():
    wb = xlsx.new_workbook()
    ws = wb.active
    xlsx.setup_sheet(ws)
    xlsx.write_title(ws, 1, "Sổ theo dõi hồ sơ", columns=3)
    xlsx.write_row(ws, 2, ["Mã hồ sơ", "Tên TTHC", "Lệ phí"], bold=True)
    xlsx.write_row(ws, 3, ["000.00.12.H27-251117-0042", "Tặng Bằng khen", 1250000])
    back = load_workbook(BytesIO(xlsx.to_bytes(wb))).active
    assert back["A1"].value == "Sổ theo dõi hồ sơ"
    assert back["B3"].value == "Tặng Bằng khen" and back["C3"].value == 1250000
    assert back["B3"].font.name == "Times New Roman"
    assert back.page_setup.orientation == "landscape"


def test_docx_sets_the_east_asian_font_slot():
    doc = docx_tools.new_document()
    doc.add_paragraph("Thư xin lỗi và hẹn lại ngày trả kết quả")
    back = Document(BytesIO(docx_tools.to_bytes(doc)))
    assert back.paragraphs[-1].text == "Thư xin lỗi và hẹn lại ngày trả kết quả"
    rfonts = back.styles["Normal"].element.rPr.rFonts
    assert rfonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "Times New Roman"
