"""The reports' labels, formulas and QĐ 766 names go through Django's translation: the English UI shows them
in English, the default (Vietnamese) UI and the API keep the Vietnamese text, and the statutory XLSX form stays
in Vietnamese whatever the UI language."""

from __future__ import annotations

from io import BytesIO

from openpyxl import load_workbook

from motcua.reports import strings_gen


def _english(client):
    client.cookies["django_language"] = "en"     # the language switcher's cookie (LANGUAGE_COOKIE_NAME)


def test_kpi_and_766_pages_in_english(db, client, control_officer):
    client.force_login(control_officer)
    _english(client)
    kpi = client.get("/bao-cao/kpi/?nam=2025").content.decode()
    assert "Share of dossiers submitted online" in kpi
    assert "Tỷ lệ hồ sơ nộp trực tuyến" not in kpi
    # the "how it is computed" formula is translated too
    assert "Number of dossiers received online / number of dossiers received × 100%" in kpi
    assert "Số hồ sơ tiếp nhận trực tuyến" not in kpi
    assert ">M1</text>" in kpi and ">T1</text>" not in kpi    # the trend chart's month labels

    index = client.get("/bao-cao/chi-so-766/?thang=2025-03").content.decode()
    assert "Publicity and transparency" in index
    assert "Công khai, minh bạch" not in index
    assert "Online payment (" in index            # the group, not the "Thanh toán trực tuyến" button's wording
    assert "Thanh toán trực tuyến" not in index


def test_kpi_and_766_pages_stay_vietnamese_by_default(db, client, control_officer):
    client.force_login(control_officer)
    kpi = client.get("/bao-cao/kpi/?nam=2025").content.decode()
    assert "Tỷ lệ hồ sơ nộp trực tuyến" in kpi and "Share of dossiers submitted online" not in kpi
    assert ">T1</text>" in kpi
    index = client.get("/bao-cao/chi-so-766/?thang=2025-03").content.decode()
    assert "Công khai, minh bạch" in index and "Publicity and transparency" not in index


def test_results_xlsx_stays_vietnamese_in_the_english_ui(db, client, control_officer):
    client.force_login(control_officer)
    _english(client)
    response = client.get("/bao-cao/ket-qua/xlsx/?tu=17/11/2025&den=28/11/2025")
    assert response.status_code == 200
    cells = {str(v) for row in load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True)
             for v in row if v is not None}
    # the grouping's label and the total row come from translatable strings: Vietnamese in the form
    assert {"Lĩnh vực, công việc giải quyết theo cấp", "TỔNG CỘNG"} <= cells
    assert not {"Field, công việc giải quyết theo cấp", "TOTAL"} & cells


def test_generated_766_strings_are_current():
    """index766_strings.py lists every display string of data/index766.json for makemessages:
    regenerate it (`python -m motcua.reports.strings_gen`) after editing the JSON."""
    assert strings_gen.TARGET.read_text(encoding="utf-8") == strings_gen.render()


def test_drilldown_titles_and_reasons_follow_the_ui_language(db, client, control_officer):
    client.force_login(control_officer)
    url = "/bao-cao/kpi/ho-so/?chi-tieu=digitized_archived&nam=2025&thang=11&phan=num"
    page = client.get(url).content.decode()
    assert "Tử số" in page and "tháng 11/2025" in page and "Numerator" not in page
    index = client.get("/bao-cao/chi-so-766/ho-so/?thang=2025-11&chi-so=2.1&phan=den").content.decode()
    assert "Chỉ số 2.1 – Mẫu số" in index and "Tháng 11/2025" in index

    _english(client)
    page = client.get(url).content.decode()
    assert "Numerator" in page and "month 11/2025" in page and "Tử số" not in page
    index = client.get("/bao-cao/chi-so-766/ho-so/?thang=2025-11&chi-so=2.1&phan=den").content.decode()
    assert "Indicator 2.1 – Denominator" in index and "Month 11/2025" in index
    response = client.get("/bao-cao/kpi/ho-so/?chi-tieu=digitized_archived&nam=2025&thang=13&phan=num")
    assert response.status_code == 404


def test_report_api_reasons_stay_vietnamese_by_default(db, client, control_officer):
    client.force_login(control_officer)
    response = client.get("/api/v1/kpi?year=abc")
    assert response.status_code == 422 and response.json()["detail"] == "Năm “abc” không hợp lệ."
    response = client.get("/api/v1/index766?month=2099-01")
    assert response.json()["detail"] == "Tháng 01/2099 chưa đến: chưa có số liệu."
    response = client.get("/api/v1/reports/one-stop?date=2025-13-01")
    assert response.json()["detail"] == ("Ngày “2025-13-01” không hợp lệ. Ngày phải theo dạng YYYY-MM-DD, "
                                         "ví dụ 2025-03-14.")
