"""The tracking book (Sổ theo dõi hồ sơ): period, unit and field filters, scoping, pagination bound
on queries, and the XLSX and PDF read back."""

import re
from io import BytesIO

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from motcua.dossiers import book as book_module
from motcua.dossiers import views_book
from motcua.dossiers.book import COLUMNS
from motcua.dossiers.intake import ApplicantData, receive_dossier
from motcua.dossiers.models import Dossier
from motcua.dossiers.slips import book_position, receipt_context
from motcua.org.models import User

from .conftest import at

PERIOD = {"tu": "17/11/2025", "den": "18/11/2025"}


def pdf_text(data: bytes) -> str:
    return " ".join("\n".join(p.extract_text() for p in PdfReader(BytesIO(data)).pages).split())


@pytest.fixture
def dossiers(make_request, clerk):
    people = [("042087001234", "Nguyễn Văn Hùng"), ("042190002345", "Lê Thị Hoa"), ("042095003456", "Phạm Minh Đức")]
    made = []
    for i, (identifier, name) in enumerate(people):
        applicant = ApplicantData(kind="citizen", identifier=identifier, name=name, phone="0905123456",
                                  address="Phường Thành Sen, Hà Tĩnh")
        made.append(receive_dossier(request=make_request(applicant=applicant, return_channel="postal" if i else "counter",
                                                         received_at=at(f"17/11/2025 {8 + i:02d}:15")),
                                    acting_user=clerk))
    made.append(receive_dossier(request=make_request(received_at=at("20/11/2025 09:00")), acting_user=clerk))
    return made


def test_page_lists_the_period_with_the_form_columns(client, clerk, dossiers):
    client.force_login(clerk)
    page = client.get("/mot-cua/so-theo-doi/", PERIOD).content.decode()
    for column in COLUMNS:
        assert column in page
    for dossier in dossiers[:3]:
        assert dossier.code in page and dossier.applicant_name in page
    assert dossiers[3].code not in page  # 20/11 is outside the period
    assert "08:15 17/11/2025" in page and "Qua bưu chính công ích" in page and "Sở Nội vụ tỉnh Hà Tĩnh" in page
    assert "BM.06" in page


def test_field_and_unit_filters(client, clerk, dossiers):
    client.force_login(clerk)
    assert dossiers[0].code in client.get("/mot-cua/so-theo-doi/", {**PERIOD, "linh-vuc": "VTLT"}).content.decode()
    assert dossiers[0].code not in client.get("/mot-cua/so-theo-doi/",
                                              {**PERIOD, "linh-vuc": "TDKT"}).content.decode()
    page = client.get("/mot-cua/so-theo-doi/", {**PERIOD, "don-vi": "000.01.52.H27"}).content.decode()
    assert "Không có đơn vị này trong phạm vi bạn được xem" in page and dossiers[0].code in page


def test_bad_dates_get_a_message(client, clerk):
    client.force_login(clerk)
    page = client.get("/mot-cua/so-theo-doi/", {"tu": "2025-11-17", "den": "16/11/2025"}).content.decode()
    assert "Ngày phải theo dạng dd/mm/yyyy" in page


def test_book_is_scoped_to_the_person_units(client, dossiers, citizen):
    client.force_login(User.objects.get(username="motcuaxa"))
    page = client.get("/mot-cua/so-theo-doi/", PERIOD).content.decode()
    assert dossiers[0].code not in page and "Không có hồ sơ nào" in page
    client.force_login(citizen)
    assert client.get("/mot-cua/so-theo-doi/", PERIOD).status_code == 404


def test_page_queries_do_not_grow_with_rows(client, clerk, make_request, django_assert_max_num_queries):
    for minute in range(30):
        receive_dossier(request=make_request(received_at=at(f"17/11/2025 10:{minute:02d}")), acting_user=clerk)
    client.force_login(clerk)
    with django_assert_max_num_queries(12):
        response = client.get("/mot-cua/so-theo-doi/", PERIOD)
    assert response.content.decode().count("000.00.12.H27-251117-") >= 30


def test_xlsx_has_the_columns_rows_fonts_and_landscape_page(client, clerk, dossiers):
    client.force_login(clerk)
    response = client.get("/mot-cua/so-theo-doi/so-theo-doi.xlsx", PERIOD)
    assert response["Content-Disposition"].startswith('attachment; filename="so-theo-doi-ho-so-20251117-20251118')
    ws = load_workbook(BytesIO(response.content)).active
    assert "SỔ THEO DÕI HỒ SƠ" in ws["A2"].value and "BM.06" in ws["A2"].value
    assert ws["A3"].value == "Từ ngày 17/11/2025 đến ngày 18/11/2025"
    assert [c.value for c in ws[5]] == COLUMNS
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=6, max_row=8)]
    assert [r[1] for r in rows] == [d.code for d in dossiers[:3]]
    assert rows[0][0] == 1 and rows[0][3] == "Nguyễn Văn Hùng"
    assert rows[0][4] == "Phường Thành Sen, Hà Tĩnh, 0905123456" and rows[0][6] == "08:15 17/11/2025"
    assert rows[1][9] == "Qua bưu chính công ích"
    assert ws["B6"].font.name == "Times New Roman" and ws["A1"].font.name == "Times New Roman"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert ws.cell(row=10, column=1).value == "Tổng số: 3 hồ sơ"


def test_pdf_has_the_title_and_rows(client, clerk, dossiers):
    client.force_login(clerk)
    response = client.get("/mot-cua/so-theo-doi/so-theo-doi.pdf", PERIOD)
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "SỔ THEO DÕI HỒ SƠ" in text and "BM.06" in text
    for dossier in dossiers[:3]:
        assert dossier.code in text and dossier.applicant_name in text
    assert dossiers[3].code not in text
    assert "Tổng số: 3 hồ sơ" in text


def test_a_2018_period_prints_the_2018_numbering(client, clerk):
    client.force_login(clerk)
    text = pdf_text(client.get("/mot-cua/so-theo-doi/so-theo-doi.pdf", {"tu": "02/06/2025", "den": "02/06/2025"})
                    .content)
    assert "Mẫu số 06" in text and "Ngày 02/06/2025" in text


def _stt_cells(page: str) -> dict[str, str]:
    """Dossier code → the "STT" cell of its row on the book page."""
    return dict((code, stt) for stt, code in re.findall(r"<tr>\s*<td>(\d+)</td><td class=\"nowrap\"><a [^>]*>([^<]+)</a>",
                                                          page))


def test_stt_is_the_serial_of_the_receipt_not_the_rank_in_the_listing(client, clerk, dossiers):
    """The 20/11 dossier is the desk's 4th of the year: "Số thứ tự: 4" on its receipt, 4 in the book
    of 20/11 alone (where it is the only row), on the page, in the XLSX and in the PDF."""
    last = Dossier.objects.get(pk=dossiers[3].pk)
    assert last.book_serial == 4 and book_position(last).serial == 4
    assert receipt_context(last)["document_number"].startswith("4/")
    client.force_login(clerk)
    day = {"tu": "20/11/2025", "den": "20/11/2025"}
    assert _stt_cells(client.get("/mot-cua/so-theo-doi/", day).content.decode()) == {last.code: "4"}
    ws = load_workbook(BytesIO(client.get("/mot-cua/so-theo-doi/so-theo-doi.xlsx", day).content)).active
    assert [ws["A6"].value, ws["B6"].value] == [4, last.code]
    text = pdf_text(client.get("/mot-cua/so-theo-doi/so-theo-doi.pdf", day).content)
    assert f"4 {last.code}" in text and f"1 {last.code}" not in text
    # the whole period: 1, 2, 3 on 17/11 as stored
    page = client.get("/mot-cua/so-theo-doi/", {"tu": "17/11/2025", "den": "20/11/2025"}).content.decode()
    assert _stt_cells(page) == {d.code: str(d.book_serial) for d in dossiers}


def test_a_back_dated_entry_keeps_its_serial_in_the_book(client, clerk, make_request, dossiers):
    """A postal dossier entered after the others but received (back-dated) at 07:00 on 17/11 comes first
    in the listing yet keeps the serial printed on its receipt (5), and the others keep theirs."""
    late = receive_dossier(request=make_request(received_at=at("17/11/2025 07:00")), acting_user=clerk)
    assert late.book_serial == 5
    client.force_login(clerk)
    response = client.get("/mot-cua/so-theo-doi/so-theo-doi.xlsx", PERIOD)
    ws = load_workbook(BytesIO(response.content)).active
    assert [(ws.cell(row=r, column=1).value, ws.cell(row=r, column=2).value) for r in range(6, 10)] == \
        [(5, late.code), (1, dossiers[0].code), (2, dossiers[1].code), (3, dossiers[2].code)]
    assert book_position(Dossier.objects.get(pk=late.pk)).serial == 5


def test_dossiers_from_before_stored_serials_get_the_receipt_rank(client, clerk, make_request, dossiers,
                                                                   django_assert_max_num_queries):
    """Without a stored serial the book falls back to the receipt's rule (rank among the desk's receptions
    of the year), through the same function, in one extra query for the page, however many rows."""
    for minute in range(20):
        receive_dossier(request=make_request(received_at=at(f"18/11/2025 10:{minute:02d}")), acting_user=clerk)
    Dossier.objects.update(book_serial=None)
    legacy = list(Dossier.objects.order_by("received_at", "id"))
    expected = {d.code: str(book_position(d).serial) for d in legacy}
    assert [int(expected[d.code]) for d in legacy] == list(range(1, len(legacy) + 1))
    client.force_login(clerk)
    with django_assert_max_num_queries(13):
        page = client.get("/mot-cua/so-theo-doi/", {"tu": "18/11/2025", "den": "20/11/2025"}).content.decode()
    cells = _stt_cells(page)
    assert len(cells) == 21 and cells == {code: stt for code, stt in expected.items() if code in cells}
    assert cells[dossiers[3].code] == "24"  # 3 on 17/11, 20 on 18/11, then 20/11
    ws = load_workbook(BytesIO(client.get("/mot-cua/so-theo-doi/so-theo-doi.xlsx", PERIOD).content)).active
    assert [ws.cell(row=r, column=1).value for r in range(6, 29)] == list(range(1, 24))


def test_pdf_row_limit_is_said_on_the_pdf_and_on_the_page(client, clerk, dossiers, monkeypatch):
    monkeypatch.setattr(book_module, "PDF_MAX_ROWS", 2)
    monkeypatch.setattr(views_book, "PDF_MAX_ROWS", 2)
    client.force_login(clerk)
    text = pdf_text(client.get("/mot-cua/so-theo-doi/so-theo-doi.pdf", PERIOD).content)
    assert dossiers[0].code in text and dossiers[1].code in text and dossiers[2].code not in text
    assert text.count("Bản in PDF chỉ gồm 2 hồ sơ tiếp nhận đầu tiên trong tổng số 3 hồ sơ của kỳ này") == 2
    assert "Tải tệp XLSX để có đủ danh sách (tệp XLSX không giới hạn số dòng)" in text
    assert "Tổng số: 3 hồ sơ" in text
    page = client.get("/mot-cua/so-theo-doi/", PERIOD).content.decode()
    assert "Bản in PDF chỉ gồm 2 hồ sơ tiếp nhận đầu tiên trong tổng số 3 hồ sơ của kỳ này" in page
    ws = load_workbook(BytesIO(client.get("/mot-cua/so-theo-doi/so-theo-doi.xlsx", PERIOD).content)).active
    assert ws.cell(row=10, column=1).value == "Tổng số: 3 hồ sơ"  # the XLSX has every row
    monkeypatch.setattr(views_book, "PDF_MAX_ROWS", 3)
    monkeypatch.setattr(book_module, "PDF_MAX_ROWS", 3)
    assert "Bản in PDF chỉ gồm" not in client.get("/mot-cua/so-theo-doi/", PERIOD).content.decode()
    assert "Bản in PDF chỉ gồm" not in pdf_text(client.get("/mot-cua/so-theo-doi/so-theo-doi.pdf", PERIOD).content)


def test_a_long_pdf_repeats_the_column_header_on_every_page(client, clerk, make_request):
    """Some 300 dossiers fill many landscape pages: each page starts with the form's column header,
    every dossier is printed once, in the book's order, with its serial, and the total closes the book."""
    made = [receive_dossier(request=make_request(received_at=at(f"17/11/2025 {7 + i // 60:02d}:{i % 60:02d}")),
                            acting_user=clerk) for i in range(300)]
    client.force_login(clerk)
    reader = PdfReader(BytesIO(client.get("/mot-cua/so-theo-doi/so-theo-doi.pdf", PERIOD).content))
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]
    assert len(pages) >= 10
    assert reader.pages[0].mediabox.width > reader.pages[0].mediabox.height  # landscape
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in pages[0] and "SỔ THEO DÕI HỒ SƠ" in pages[0]
    for number, page in enumerate(pages, start=1):
        assert " ".join(COLUMNS) in page, f"page {number} has no column header"
        assert f"Trang {number}" in page
    text = " ".join(pages)
    printed = re.findall(r"(\d+) (000\.00\.12\.H27-251117-\d{4})\b", text)
    assert printed == [(str(d.book_serial), d.code) for d in made]
    assert "Tổng số: 300 hồ sơ." in pages[-1] and "Bản in PDF chỉ gồm" not in text


def test_pdf_of_an_empty_period_says_so(client, clerk):
    client.force_login(clerk)
    text = pdf_text(client.get("/mot-cua/so-theo-doi/so-theo-doi.pdf", {"tu": "01/01/2024", "den": "01/01/2024"})
                    .content)
    assert "Không có hồ sơ nào được tiếp nhận trong thời gian này." in text and "Tổng số: 0 hồ sơ." in text
    assert " ".join(COLUMNS) in text


def test_streamed_rows_rank_legacy_dossiers_like_the_receipt(clerk, make_request, dossiers):
    """Read chunk by chunk (as the PDF and the XLSX read a long book), dossiers without a stored serial
    are ranked from where the previous chunk stopped, and get the same serial as their receipt."""
    for minute in range(20):
        receive_dossier(request=make_request(received_at=at(f"18/11/2025 10:{minute:02d}")), acting_user=clerk)
    Dossier.objects.update(book_serial=None)
    listing = book_module.book_dossiers(clerk, book_module.BookFilter(date_from=at("18/11/2025 00:00").date(),
                                                                      date_to=at("20/11/2025 00:00").date()))
    streamed = [(row.code, row.number) for row in book_module.iter_book_rows(listing, chunk=4)]
    assert [code for code, _ in streamed] == [d.code for d in listing]
    assert streamed == [(d.code, book_position(d).serial) for d in listing]
    assert [number for _, number in streamed] == list(range(4, 25))
