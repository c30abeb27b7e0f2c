"""The report pages, exports and drill-downs through the browser-facing views, on the module's dossiers."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from docx import Document
from openpyxl import load_workbook

from motcua.reports.results import COLUMNS

from .conftest import Desk

Q1 = "tu=17/11/2025&den=28/11/2025"


@pytest.fixture(scope="module")
def dossiers(django_db_setup, django_db_blocker):
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        desk = Desk()
        made = [desk.receive("17/11/2025 09:10"), desk.receive("18/11/2025 09:00", channel="online"),
                desk.receive("19/11/2025 09:00", channel="postal"), desk.receive("10/11/2025 09:00")]
        desk.resolve(made[0], "20/11/2025 10:00")
        desk.resolve(made[3], "27/11/2025 10:00")
        desk.supplement(made[2], "20/11/2025 09:00")
        yield made
        transaction.set_rollback(True)


def test_results_page_shows_the_table_and_every_cell_links_to_as_many_dossiers(dossiers, client, control_officer,
                                                                              django_assert_max_num_queries):
    client.force_login(control_officer)
    with django_assert_max_num_queries(25):
        response = client.get(f"/bao-cao/ket-qua/?{Q1}")
    assert response.status_code == 200
    html = response.content.decode()
    links = re.findall(r'<td class="n"><a href="([^"]+)"[^>]*>(\d+)</a></td>', html)
    assert len(links) == 2 * len(COLUMNS)        # one field row + the totals row
    for url, value in links:
        listed = client.get(url.replace("&amp;", "&"))
        assert listed.status_code == 200
        assert listed.content.decode().count('href="/mot-cua/ho-so/') == int(value), url
    assert "khớp ở mọi dòng" in html


def test_results_xlsx_reads_back_in_the_form_layout(dossiers, client, control_officer):
    client.force_login(control_officer)
    response = client.get(f"/bao-cao/ket-qua/xlsx/?{Q1}&co-quan=000.00.12.H27")
    ws = load_workbook(BytesIO(response.content)).active
    assert ws["A1"].value == "Biểu số II.06a/VPCP/KSTT"
    assert "SỞ NỘI VỤ" in ws["A3"].value
    assert [ws.cell(row=9, column=c).value for c in range(1, 14)] == [f"({n})" for n in range(1, 14)]
    assert any(str(r) == "C6:F6" for r in ws.merged_cells.ranges)
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert ws["B10"].font.name == "Times New Roman"
    total = [ws.cell(row=11, column=c).value for c in range(2, 14)]
    assert total == ["TỔNG CỘNG", 4, 1, 2, 1, 2, 1, 0, 1, 2, 2, 0]


def test_results_docx_has_the_nd30_header_and_the_figures(dossiers, client, control_officer):
    client.force_login(control_officer)
    response = client.get(f"/bao-cao/ket-qua/docx/?{Q1}")
    doc = Document(BytesIO(response.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    header = "\n".join(c.text for c in doc.tables[0].rows[0].cells)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in header and "Độc lập - Tự do - Hạnh phúc" in header
    assert "Tổng số hồ sơ nhận giải quyết: 4 hồ sơ" in text
    assert "trước hạn 1 hồ sơ; đúng hạn 0 hồ sơ; quá hạn 1 hồ sơ" in text
    annex = doc.tables[-1]
    assert [c.text for c in annex.rows[-1].cells][2:] == ["4", "1", "2", "1", "2", "1", "0", "1", "2", "2", "0"]


def test_docx_names_a_statutory_quarter_with_its_roman_numeral(dossiers, client, control_officer):
    """The opening sentence lowers only the first letter of the period: "quý I năm 2026", never "quý i"."""
    client.force_login(control_officer)
    for url in ("/bao-cao/ket-qua/docx/", "/bao-cao/mot-cua/docx/", "/bao-cao/cong-bo/docx/"):
        response = client.get(f"{url}?ky=quarter&nam=2026&so=4")
        assert response.status_code == 200, url
        text = "\n".join(p.text for p in Document(BytesIO(response.content)).paragraphs)
        assert "quý IV năm 2026 (từ ngày 15/09/2026 đến ngày 14/12/2026)" in text, url
        assert "quý iv" not in text, url


def test_bad_period_gives_a_message_and_exports_refuse(dossiers, client, control_officer):
    client.force_login(control_officer)
    page = client.get("/bao-cao/ket-qua/?tu=28/11/2025&den=17/11/2025")
    assert "“Đến ngày” phải sau hoặc bằng “Từ ngày”" in page.content.decode()
    refused = client.get("/bao-cao/ket-qua/xlsx/?tu=01/01/2024&den=31/03/2025")
    assert refused.status_code == 400 and "tối đa 366 ngày" in refused.content.decode()


def test_another_agency_is_404_and_people_without_a_report_role_too(dossiers, client, control_officer, specialist):
    client.force_login(control_officer)
    assert client.get(f"/bao-cao/ket-qua/?{Q1}&co-quan=000.00.15.H27").status_code == 404
    client.force_login(specialist)
    assert client.get(f"/bao-cao/ket-qua/?{Q1}").status_code == 404


def test_kpi_dashboard_renders_numbers_without_javascript(dossiers, client, control_officer,
                                                          django_assert_max_num_queries):
    client.force_login(control_officer)
    with django_assert_max_num_queries(40):
        response = client.get("/bao-cao/kpi/?nam=2025")
    html = response.content.decode()
    assert response.status_code == 200
    assert "chưa có dữ liệu" in html and "<svg" in html and "style=" not in html and "<script>" not in html
    assert "Tỷ lệ hồ sơ nộp trực tuyến" in html
    numerator = re.search(r'href="(/bao-cao/kpi/ho-so/\?chi-tieu=online_rate&amp;nam=2025&amp;phan=num)">(\d+)</a>',
                          html)
    assert numerator and int(numerator.group(2)) == 1
    listed = client.get(numerator.group(1).replace("&amp;", "&"))
    assert listed.content.decode().count('href="/mot-cua/ho-so/') == 1


def test_index766_ranks_agencies_and_marks_missing_data(dossiers, client, control_officer,
                                                        django_assert_max_num_queries):
    client.force_login(control_officer)
    with django_assert_max_num_queries(60):
        response = client.get("/bao-cao/chi-so-766/?thang=2025-11")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Sở Nội vụ tỉnh Hà Tĩnh" in html and "chưa có dữ liệu" in html
    assert "min((" in html                      # formulas shown next to values
    assert "Tiến độ, kết quả giải quyết (20)" in html


def test_adhoc_export_streams_csv_and_xlsx(dossiers, client, control_officer):
    client.force_login(control_officer)
    response = client.get(f"/bao-cao/trich-xuat/tai/?{Q1}&dinh-dang=csv")
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0].startswith("Mã hồ sơ,Mã TTHC") and lines[-1] == "Tổng số: 4 hồ sơ"
    response = client.get(f"/bao-cao/trich-xuat/tai/?{Q1}&dinh-dang=xlsx")
    ws = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[1][0] == "Mã hồ sơ" and len(rows) == 2 + 4 + 1
    grouped = client.get(f"/bao-cao/trich-xuat/tai/?{Q1}&gop=1")
    assert b"".join(grouped.streaming_content).decode("utf-8-sig").splitlines()[1].endswith(",4")


def test_home_shows_this_quarters_headline_for_control_officers(client, control_officer):
    client.force_login(control_officer)
    html = client.get("/").content.decode()
    assert "Kết quả giải quyết TTHC: Quý" in html
