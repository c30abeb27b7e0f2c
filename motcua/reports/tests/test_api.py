"""GET /api/v1/reports/dossier-results, /api/v1/kpi, /api/v1/index766: scoped, 404 and 422."""

from __future__ import annotations

import pytest

from motcua.reports.results import COLUMNS

from .conftest import Desk


@pytest.fixture(scope="module")
def dossiers(django_db_setup, django_db_blocker):
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        desk = Desk()
        made = [desk.receive("17/11/2025 09:10"), desk.receive("18/11/2025 09:00", channel="online"),
                desk.receive("10/11/2025 09:00")]
        desk.resolve(made[0], "20/11/2025 10:00")
        desk.resolve(made[2], "27/11/2025 10:00")
        from motcua.portal.models import Rating

        from .conftest import at

        Rating.objects.create(dossier=made[0], satisfaction="very_satisfied", created_at=at("21/11/2025 10:00"))
        Rating.objects.create(dossier=made[2], satisfaction="not_satisfied", created_at=at("28/11/2025 10:00"))
        yield made
        transaction.set_rollback(True)


def test_results_rows_per_field_with_the_13_columns_by_name(dossiers, client, control_officer):
    client.force_login(control_officer)
    response = client.get("/api/v1/reports/dossier-results?from=2025-11-17&to=2025-11-28&agency=000.00.12.H27")
    assert response.status_code == 200
    data = response.json()
    assert [c["name"] for c in data["columns"]] == [c.name for c in COLUMNS]
    assert data["total"] == {"received_total": 3, "received_online": 1, "received_direct_postal": 1,
                             "carried_over": 1, "resolved_total": 2, "resolved_early": 1, "resolved_on_time": 0,
                             "resolved_late": 1, "in_progress_total": 1, "in_progress_within_time": 1,
                             "in_progress_overdue": 0}
    assert len(data["rows"]) == 1 and data["rows"][0]["received_total"] == 3 and data["checks_ok"] is True


@pytest.mark.parametrize("query, message", [
    ("from=2025-11-28&to=2025-11-17", "phải sau hoặc bằng"),
    ("from=2099-01-01&to=2099-03-01", "sau ngày hôm nay"),
    ("from=2024-01-01&to=2025-06-30", "tối đa 366 ngày"),
    ("from=17/11/2025x&to=2025-11-28", "không hợp lệ"),
])
def test_bad_periods_are_422_with_a_vietnamese_message(dossiers, client, control_officer, query, message):
    client.force_login(control_officer)
    response = client.get(f"/api/v1/reports/dossier-results?{query}")
    assert response.status_code == 422 and message in response.json()["detail"]


@pytest.mark.parametrize("url", [
    "/api/v1/reports/dossier-results?from=17-11-2025&to=2025-11-28",
    "/api/v1/reports/dossier-results?from=2025-11-17&to=2025-13-40",
    "/api/v1/reports/publication?from=2025/11/17&to=2025-11-28",
    "/api/v1/reports/one-stop?date=hôm-nay",
])
def test_a_malformed_date_names_the_api_format_not_the_screens(dossiers, client, control_officer, url):
    client.force_login(control_officer)
    response = client.get(url)
    detail = response.json()["detail"]
    assert response.status_code == 422
    assert "Ngày phải theo dạng YYYY-MM-DD, ví dụ 2025-03-14" in detail and "dd/mm/yyyy" not in detail


def test_an_agency_the_caller_may_not_see_is_404(dossiers, client, control_officer):
    client.force_login(control_officer)
    for url in ["/api/v1/reports/dossier-results?from=2025-11-17&to=2025-11-28&agency=000.00.15.H27",
                "/api/v1/kpi?year=2025&agency=000.00.15.H27", "/api/v1/index766?month=2025-11&agency=000.00.15.H27"]:
        response = client.get(url)
        assert response.status_code == 404 and "phạm vi" in response.json()["detail"], url


def test_no_token_is_401_and_no_report_role_is_403(client, specialist):
    assert client.get("/api/v1/kpi?year=2025").status_code == 401
    client.force_login(specialist)
    assert client.get("/api/v1/kpi?year=2025").status_code == 403


def test_kpi_gives_value_target_and_counts(dossiers, client, control_officer):
    client.force_login(control_officer)
    data = client.get("/api/v1/kpi?year=2025&agency=000.00.12.H27").json()
    kpis = {k["key"]: k for k in data["kpis"]}
    assert kpis["online_rate"]["numerator"] == 1 and kpis["online_rate"]["denominator"] == 3
    assert kpis["online_rate"]["value"] == 33.3 and kpis["online_rate"]["target"] == 70.0
    assert kpis["on_time"]["numerator"] == 1 and kpis["on_time"]["denominator"] == 2
    assert (kpis["satisfaction"]["numerator"], kpis["satisfaction"]["denominator"]) == (1, 2)
    assert kpis["satisfaction"]["value"] == 50.0 and kpis["satisfaction"]["target"] == 94.0
    assert kpis["waiting_minutes"]["target"] == 15.0 and kpis["waiting_minutes"]["no_data"]
    november = kpis["online_rate"]["months"][10]
    assert november == {"month": 11, "value": 33.3, "numerator": 1, "denominator": 3}
    assert client.get("/api/v1/kpi?year=2099").status_code == 422


def test_index766_by_group_with_formulas(dossiers, client, control_officer):
    client.force_login(control_officer)
    data = client.get("/api/v1/index766?month=2025-11&agency=000.00.12.H27").json()
    assert [g["points"] for g in data["groups"]] == [18, 20, 12, 10, 22, 18]
    (agency,) = data["agencies"]
    progress = next(g for g in agency["groups"] if g["key"] == "TDGQ")
    (on_time,) = progress["indicators"]
    # 2.1: (early 1 + on time 0 + in progress within time 1) / (received or handled 3)
    assert (on_time["numerator"], on_time["denominator"], on_time["rate"]) == (2, 3, 66.7)
    assert on_time["points"] == 13.34 and "÷ 100%" in on_time["formula"]
    satisfaction = {i["id"]: i for g in agency["groups"] if g["key"] == "MDHL" for i in g["indicators"]}
    assert satisfaction["5.2"]["no_data"] and satisfaction["5.3"]["no_data"]       # no PAKN workflow yet
    assert not satisfaction["5.4"]["no_data"] and "giả định" in satisfaction["5.4"]["formula"]
    assert client.get("/api/v1/index766?month=2025-13").status_code == 422
    assert client.get("/api/v1/index766?month=2099-01").status_code == 422
