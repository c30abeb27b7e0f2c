import pytest

from motcua.catalog.tests.conftest import make_entry

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog(publish):
    publish([make_entry(fee=1250000),
             make_entry(code="1.013263", name="Xét tặng danh hiệu “Bà mẹ Việt Nam anh hùng”", field_code="TDKT",
                        field_name="Thi đua, khen thưởng", steps=False, online_level="partial")],
            number="2028/QĐ-UBND", signed_on="2025-11-28")
    publish([make_entry(kind="amended", days="8", fee=1250000, steps=False)], number="5/QĐ-UBND",
            signed_on="2026-01-05")


def test_procedure_search_is_public_and_paginated(client, catalog):
    body = client.get("/api/v1/procedures", {"q": "THI DUA"}).json()
    assert body["count"] == 1 and body["items"][0]["code"] == "1.013263"
    assert body["items"][0]["field_name"] == "Thi đua, khen thưởng"
    body = client.get("/api/v1/procedures", {"online_level": "full", "agency": "000.00.12.H27"}).json()
    assert [i["code"] for i in body["items"]] == ["1.013934"]
    body = client.get("/api/v1/procedures", {"page_size": 1, "page": 2}).json()
    assert body["count"] == 2 and body["page"] == 2 and [i["code"] for i in body["items"]] == ["1.013934"]
    assert client.get("/api/v1/procedures", {"field": "TDKT"}).json()["count"] == 1


def test_procedure_detail_on_a_date_with_cases_components_fees_steps(client, catalog):
    old = client.get("/api/v1/procedures/1.013934", {"on": "2025-12-01"}).json()
    assert old["decision"] == "2028/QĐ-UBND" and old["effective_to"] == "2026-01-04"
    case = old["cases"][0]
    assert case["processing_time"] == "10" and case["fees"][0]["amount"] == 1250000
    assert case["components"][0]["name"] == "Đơn đề nghị cấp Giấy chứng nhận"
    assert len(case["steps"]) == 7 and case["steps"][-1]["counted"] is False
    assert case["steps"][2] == {"unit": "000.04.12.H27", "role": "specialist", "budget": "7", "counted": True,
                                "description": "Thẩm định hồ sơ"}
    current = client.get("/api/v1/procedures/1.013.934").json()
    assert current["decision"] == "5/QĐ-UBND" and current["cases"][0]["processing_time"] == "8"
    assert client.get("/api/v1/procedures/1.999999").status_code == 404
    assert client.get("/api/v1/procedures/1.013934", {"on": "2020-01-01"}).status_code == 404
