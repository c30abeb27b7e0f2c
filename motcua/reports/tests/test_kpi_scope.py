"""The catalog-based KPI (fee-bearing procedures with an online payment) counts only the procedures of the
agencies the person may see — never another agency's — on the page and in the API; its numbers drill
down to the procedures behind them; missing API parameters are a Vietnamese 422."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from motcua.catalog.models import ProcedureVersion
from motcua.org.models import Unit, User
from motcua.org.selectors import visible_units
from motcua.reports.scope import may_report

KEY = "online_payment_procedures"


def fee_procedure_count(agency_code: str | None) -> int:
    qs = ProcedureVersion.objects.in_force_on(timezone.localdate()).filter(has_fee=True)
    if agency_code is not None:
        qs = qs.filter(agency__path__startswith=Unit.objects.get(code=agency_code).path)
    return qs.values("procedure").distinct().count()


@pytest.fixture
def counts(db):
    home, justice = fee_procedure_count("000.00.12.H27"), fee_procedure_count("000.00.15.H27")
    assert home and justice, "the demo catalog has fee-bearing procedures in both departments"
    return {"home": home, "justice": justice, "all": fee_procedure_count(None)}


def api_kpi(client, user: User, year: int) -> dict:
    client.force_login(user)
    response = client.get(f"/api/v1/kpi?year={year}")
    assert response.status_code == 200
    return next(k for k in response.json()["kpis"] if k["key"] == KEY)


def test_each_agency_counts_only_its_own_fee_procedures(counts, client, control_officer, sysadmin):
    year = timezone.localdate().year
    assert api_kpi(client, control_officer, year)["denominator"] == counts["home"]       # Sở Nội vụ only
    commune = User.objects.get(username="motcuaxa")    # the one-stop officer of xã Thạch Hà
    assert may_report(commune)
    own = (ProcedureVersion.objects.in_force_on(timezone.localdate()).filter(has_fee=True,
           agency__in=visible_units(commune)).values("procedure").distinct().count())
    assert api_kpi(client, commune, year)["denominator"] == own < counts["all"]
    assert api_kpi(client, sysadmin, year)["denominator"] == counts["all"]


def test_the_page_shows_the_own_agency_count_and_links_to_the_procedures(counts, client, control_officer):
    year = timezone.localdate().year
    client.force_login(control_officer)
    html = client.get(f"/bao-cao/kpi/?nam={year}").content.decode()
    card = html[html.index("TTHC có phí, lệ phí đã có giao dịch"):]
    card = card[:card.index("</section>")]
    assert 'href=""' not in card
    links = re.findall(r'<a href="([^"]+)">(\d+)</a> / <a href="([^"]+)">(\d+)</a> thủ tục', card)
    assert links, card
    num_url, num, den_url, den = links[0]
    assert int(den) == counts["home"]
    for url, value in ((num_url, num), (den_url, den)):
        listed = client.get(url.replace("&amp;", "&"))
        assert listed.status_code == 200
        assert listed.content.decode().count('class="procedure-row"') == int(value), url


def test_the_procedure_list_refuses_another_agency_and_a_bad_year(counts, client, control_officer):
    client.force_login(control_officer)
    year = timezone.localdate().year
    assert client.get(f"/bao-cao/kpi/thu-tuc/?nam={year}&phan=den&co-quan=000.00.15.H27").status_code == 404
    assert client.get(f"/bao-cao/kpi/thu-tuc/?nam={year + 1}&phan=den").status_code == 404


@pytest.mark.parametrize("url", ["/api/v1/reports/dossier-results?from=2025-11-01", "/api/v1/reports/dossier-results",
                                 "/api/v1/kpi", "/api/v1/index766", "/api/v1/reports/one-stop",
                                 "/api/v1/reports/publication?from=2025-11-01"])
def test_a_missing_parameter_is_422_in_vietnamese(client, control_officer, url):
    client.force_login(control_officer)
    response = client.get(url)
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert isinstance(detail, str) and detail.startswith("Thiếu tham số"), detail


@pytest.mark.parametrize("url", ["/bao-cao/kpi/?nam=2025&co-quan=000.00.15.H27",
                                 "/bao-cao/ket-qua/?tu=17/11/2025&den=28/11/2025&co-quan=000.00.15.H27",
                                 "/bao-cao/chi-so-766/?thang=2025-11&co-quan=000.00.15.H27"])
def test_a_page_for_an_agency_out_of_scope_says_why_in_vietnamese(client, control_officer, url):
    client.force_login(control_officer)
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 404
    assert "Không có cơ quan, đơn vị “000.00.15.H27” trong phạm vi bạn được xem." in html
    assert "Sở Tư pháp" not in html and "Not Found" not in html


def test_an_unknown_address_is_a_plain_vietnamese_404(client):
    response = client.get("/khong-co-trang-nay/")
    html = response.content.decode()
    assert response.status_code == 404 and "Không tìm thấy trang" in html and "Resolver404" not in html


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_direct_export_failing_midway_never_ends_as_a_complete_file(desk, client, control_officer, monkeypatch,
                                                                      fmt):
    """Below the background threshold the file is streamed: a failure midway breaks the stream (the
    browser reports the download as failed) — the CSV never gets its closing 'Tổng số' line, the XLSX
    (written whole before its first byte is sent) never starts."""
    from django.db import DatabaseError

    from motcua.reports import exports

    for when in ("17/11/2025 09:10", "18/11/2025 09:00", "19/11/2025 09:00"):
        desk.receive(when)
    real_rows = exports.adhoc_rows

    def breaking_rows(qs):
        for index, row in enumerate(real_rows(qs)):
            if index == 2:
                raise DatabaseError("server closed the connection unexpectedly")
            yield row

    monkeypatch.setattr(exports, "adhoc_rows", breaking_rows)
    client.force_login(control_officer)
    response = client.get(f"/bao-cao/trich-xuat/tai/?tu=17/11/2025&den=28/11/2025&dinh-dang={fmt}")
    assert response.status_code == 200 and response.streaming
    received = []
    with pytest.raises(DatabaseError):
        for chunk in response.streaming_content:
            received.append(chunk)
    data = b"".join(received)
    if fmt == "xlsx":
        assert data == b""
    else:
        text = data.decode("utf-8-sig")
        assert text.startswith("Mã hồ sơ") and len(text.strip().splitlines()) == 3 and "Tổng số" not in text


@pytest.mark.django_db
def test_django_s_own_english_404_message_is_never_shown(client):
    """get_object_or_404's 'No Unit matches the given query.' is English and names a model: the page keeps only
    its Vietnamese explanation."""
    response = client.get("/thu-tuc/niem-yet/KHONG-CO.pdf")
    html = response.content.decode()
    assert response.status_code == 404 and "Không tìm thấy trang" in html
    assert "matches the given query" not in html and "Unit" not in html
