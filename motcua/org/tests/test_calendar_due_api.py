"""GET /api/v1/calendar/due: public, same JSON as `manage.py deadline --json`, 422 in Vietnamese."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db

URL = "/api/v1/calendar/due"


def command_json(*args) -> dict:
    out = StringIO()
    call_command("deadline", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_public_and_identical_to_the_command(client):
    params = {"start": "13/02/2026 15:10", "working_days": "5", "agency": "000.00.12.H27"}
    response = client.get(URL, params)
    assert response.status_code == 200
    answer = response.json()
    assert answer == command_json("--start", "13/02/2026 15:10", "--working-days", "5", "--agency", "000.00.12.H27")
    assert answer["due"] == "2026-02-27T15:10:00+07:00" and answer["handover_at"] == "2026-02-23T07:30:00+07:00"
    assert len(answer["skipped"]) == 9


def test_repeated_pauses_mode_same_day_and_channel(client):
    query = ("start=02/03/2026 08:00&working_days=3&pause=03/03/2026 08:00..09/03/2026 08:00"
             "&pause=10/03/2026 08:00..11/03/2026 08:00&mode=resume&channel=postal")
    answer = client.get(f"{URL}?{query}").json()
    assert answer["due"] == "2026-03-12T08:00:00+07:00" and len(answer["pauses"]) == 2
    assert answer["channel"] == "postal"
    assert answer == command_json("--start", "02/03/2026 08:00", "--working-days", "3", "--channel", "postal",
                                  "--pause", "03/03/2026 08:00..09/03/2026 08:00",
                                  "--pause", "10/03/2026 08:00..11/03/2026 08:00")
    same_day = client.get(URL, {"start": "16/03/2026 08:00", "working_days": "0,5", "same_day": "true"}).json()
    assert same_day["due"] == "2026-03-16T17:30:00+07:00" and same_day["same_day"] is True
    restart = client.get(URL, {"start": "02/03/2026 08:00", "working_days": "3", "mode": "restart",
                               "pause": "03/03/2026 08:00..09/03/2026 08:00"}).json()
    assert restart["due"] == "2026-03-12T08:00:00+07:00"


@pytest.mark.parametrize(("params", "message"), [
    ({"working_days": "5"}, "Thiếu thời điểm tiếp nhận (start)"),
    ({"start": "13/02/2026 15:10"}, "Thiếu thời hạn giải quyết (working_days)"),
    ({"start": "13/02/2026", "working_days": "5"}, "Không đọc được thời điểm '13/02/2026'"),
    ({"start": "13/02/2026 15:10", "working_days": "400"}, "vượt quá 365 ngày làm việc"),
    ({"start": "13/02/2026 15:10", "working_days": "-0.5"}, "thời hạn không được âm"),
    ({"start": "13/02/2026 15:10", "working_days": "5", "agency": "H99"},
     "Không có cơ quan, đơn vị nào mang mã định danh 'H99'"),
    ({"start": "13/02/2026 15:10", "working_days": "5", "same_day": "maybe"}, "Giá trị 'maybe' của same_day"),
    ({"start": "13/02/2026 15:10", "working_days": "5", "pause": "x"}, "Khoảng tạm dừng 'x' không đúng dạng"),
])
def test_bad_input_is_422_with_a_vietnamese_message(client, params, message):
    response = client.get(URL, params)
    assert response.status_code == 422
    assert message in response.json()["detail"]


def test_listed_in_the_openapi_schema(client):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/calendar/due"]["get"]
    names = {p["name"] for p in operation["parameters"]}
    assert {"start", "working_days", "channel", "agency", "pause", "same_day", "mode"} <= names
    assert operation.get("security") in (None, [])
