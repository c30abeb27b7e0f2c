"""The fpdf2 long-table writer: wrapping, the heading, the embedded font, pages."""

import datetime as dt
import re
import unicodedata
from io import BytesIO

from pypdf import PdfReader

from motcua.paperwork.tablepdf import Heading, TablePdf


def make(rows: int = 3, **heading) -> bytes:
    doc = TablePdf(["STT", "Tên thủ tục hành chính", "Ghi chú"], [10, 60, 30])
    doc.heading(Heading(agency_name="Sở Nội vụ tỉnh Hà Tĩnh", place="Hà Tĩnh", issued_on=dt.date(2025, 11, 27),
                        title="Sổ theo dõi hồ sơ", form_number="BM.06", form_basis="Ban hành kèm theo …",
                        period="Ngày 27/11/2025", **heading))
    for i in range(rows):
        doc.row([i + 1, f"Cấp giấy phép số {i + 1}", "Đã trả kết quả"])
    return doc.output()


def test_wrap_breaks_at_spaces_and_inside_only_too_long_words():
    doc = TablePdf(["A"], [100])
    cache = doc._use("", 9)
    lines = doc.wrap("Thủ tục thẩm định, phê duyệt đề án vị trí việc làm", 30, cache)
    assert len(lines) > 1 and " ".join(lines) == "Thủ tục thẩm định, phê duyệt đề án vị trí việc làm"
    assert all(doc._text_width(line, cache) <= 30 for line in lines)
    long = doc.wrap("000.00.12.H27-251117-0001", 10, cache)
    assert "".join(long) == "000.00.12.H27-251117-0001" and len(long) > 2
    assert doc.wrap("", 30, cache) == [] and doc.wrap(None, 30, cache) == ["None"]


def test_wrap_composes_combining_marks_and_drops_control_characters():
    doc = TablePdf(["A"], [100])
    cache = doc._use("", 9)
    assert doc.wrap(unicodedata.normalize("NFD", "Nguyễn Thị Ánh"), 80, cache) == ["Nguyễn Thị Ánh"]
    assert doc.wrap("Phường\tThành Sen\nHà\x00Tĩnh", 80, cache) == ["Phường Thành Sen Hà Tĩnh"]


def test_heading_rows_and_embedded_font():
    data = make(3, notice="Bản in PDF chỉ gồm 3 hồ sơ")
    reader = PdfReader(BytesIO(data))
    text = " ".join(reader.pages[0].extract_text().split())
    for part in ("SỞ NỘI VỤ TỈNH HÀ TĨNH", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                 "Hà Tĩnh, ngày 27 tháng 11 năm 2025", "SỔ THEO DÕI HỒ SƠ", "BM.06", "Ngày 27/11/2025",
                 "Bản in PDF chỉ gồm 3 hồ sơ", "STT Tên thủ tục hành chính Ghi chú", "Trang 1"):
        assert part in text
    for i in range(1, 4):
        assert f"{i} Cấp giấy phép số {i} Đã trả kết quả" in text
    fonts = {str(f.get_object()["/BaseFont"]) for f in reader.pages[0]["/Resources"]["/Font"].values()}
    assert any(name.endswith("+LiberationSerif") for name in fonts)  # embedded subset
    assert reader.pages[0].mediabox.width > reader.pages[0].mediabox.height


def test_rows_flow_over_pages_with_the_header_again():
    reader = PdfReader(BytesIO(make(rows=120)))
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]
    assert len(pages) > 2
    for page in pages:
        assert "STT Tên thủ tục hành chính Ghi chú" in page
    printed = re.findall(r"(\d+) Cấp giấy phép số (\d+) Đã trả kết quả", " ".join(pages))
    assert printed == [(str(i), str(i)) for i in range(1, 121)]
