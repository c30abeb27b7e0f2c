"""POST /api/v1/dossiers and GET /api/v1/dossiers/{code}: tokens, scope, Vietnamese 422s, idempotency."""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
from io import BytesIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from pypdf import PdfWriter

from motcua.dossiers.models import ChecklistItem, Dossier, DossierEvent, DossierFile
from motcua.org.models import AuditEntry

ISO_VN = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+07:00$")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def token_for(db, capsys):
    def make(username):
        call_command("create_api_token", username)
        return capsys.readouterr().out.strip()

    return make


@pytest.fixture
def api(client, token_for):
    """`api("lan").post(body, key=...)` / `.get(code)` with a fresh bearer token."""

    class Caller:
        def __init__(self, username):
            self.auth = {"HTTP_AUTHORIZATION": f"Bearer {token_for(username)}"}

        def post(self, body, key=None):
            headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
            return client.post("/api/v1/dossiers", body, content_type="application/json", **self.auth, **headers)

        def get(self, code):
            return client.get(f"/api/v1/dossiers/{code}", **self.auth)

    return Caller


def pdf_b64() -> str:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = BytesIO()
    writer.write(buffer)
    return base64.b64encode(buffer.getvalue()).decode()


def body(**overrides):
    data = {
        "procedure": "1.013934",
        "channel": "direct",
        "applicant": {"kind": "citizen", "identifier": "042087001234", "name": "Nguyễn Văn Hùng",
                      "birth_date": "12/03/1987", "phone": "0905 123 456", "address": "Phường Thành Sen"},
        "components": ["Đơn đề nghị cấp Giấy chứng nhận đủ điều kiện kinh doanh dịch vụ lưu trữ"],
    }
    data.update(overrides)
    return data


@pytest.fixture
def all_components(db):
    from motcua.catalog.selectors import version_in_force

    version = version_in_force("1.013934", on=timezone.localdate())
    return [c.pk for c in version.cases.all()[0].components.all()]


def counts():
    return (Dossier.objects.count(), ChecklistItem.objects.count(), DossierEvent.objects.count(),
            DossierFile.objects.count(), AuditEntry.objects.count())


def test_officer_receives_a_dossier_with_code_appointment_and_checklist(api, all_components):
    response = api("lan").post(body(components=all_components, files=[
        {"component": all_components[0], "name": "don-de-nghi.pdf", "content_base64": pdf_b64()}]))
    assert response.status_code == 201, response.content
    data = response.json()
    today = timezone.localdate()
    assert data["code"] == f"000.00.12.H27-{today:%y%m%d}-0001"
    assert data["status"] == "received" and data["status_label"] == "Đã tiếp nhận"
    assert data["desk"] == "000.01.30.H27" and data["agency"] == "000.00.12.H27"
    for name in ("received_at", "due_at", "handover_at"):
        assert ISO_VN.match(data[name]), data[name]
    assert dt.datetime.fromisoformat(data["due_at"]) > dt.datetime.fromisoformat(data["received_at"])
    assert data["case"]["processing_time"] == "10" and data["version"]["procedure"] == "1.013934"
    assert [item["component"] for item in data["checklist"]] == all_components
    assert all(item["present"] for item in data["checklist"])
    assert data["checklist"][0]["files"][0]["content_type"] == "application/pdf"
    assert data["applicant"]["phone"] == "0905123456"
    dossier = Dossier.objects.get(code=data["code"])
    assert dossier.applicant.birth_date == dt.date(1987, 3, 12)
    assert dossier.received_by.username == "lan"
    assert DossierFile.objects.get(dossier=dossier).file.read()[:4] == b"%PDF"


def test_get_returns_the_dossier_to_its_officers_and_404_to_other_units(api, all_components):
    code = api("lan").post(body(components=all_components)).json()["code"]
    mine = api("lan").get(code)
    assert mine.status_code == 200 and mine.json()["code"] == code
    assert ISO_VN.match(mine.json()["due_at"])
    # The Sở's control officer sees it (the Sở handles it); a commune's one-stop officer does not.
    assert api("hoa").get(code).status_code == 200
    other = api("motcuaxa").get(code)
    assert other.status_code == 404 and "Không tìm thấy" in other.json()["errors"]["code"][0]
    assert api("hung").get(code).status_code == 404
    assert api("lan").get("000.00.12.H27-990101-9999").status_code == 404


def test_without_a_token_both_endpoints_answer_401(client, db):
    assert client.post("/api/v1/dossiers", body(), content_type="application/json").status_code == 401
    assert client.get("/api/v1/dossiers/000.00.12.H27-251117-0001").status_code == 401
    bad = {"HTTP_AUTHORIZATION": "Bearer mc_not-a-token"}
    assert client.post("/api/v1/dossiers", body(), content_type="application/json", **bad).status_code == 401


def test_only_one_stop_officers_may_receive(api, all_components):
    callers = {username: api(username) for username in ("minh", "hung", "lan")}
    before = counts()
    for username in ("minh", "hung"):
        response = callers[username].post(body(components=all_components))
        assert response.status_code == 403
        assert "Chỉ cán bộ Một cửa" in response.json()["errors"]["__all__"][0]
    # A desk the officer does not work at is refused on the desk field.
    response = callers["lan"].post(body(components=all_components, desk="000.01.52.H27"))
    assert response.status_code == 422 and "không phải cán bộ Một cửa" in response.json()["errors"]["desk"][0]
    assert counts() == before


def test_bad_id_number_gets_a_vietnamese_message_and_nothing_is_saved(api, all_components):
    lan = api("lan")
    before = counts()
    applicant = {"kind": "citizen", "identifier": "04208700123", "name": "Nguyễn Văn Hùng"}
    response = lan.post(body(components=all_components, applicant=applicant))
    assert response.status_code == 422
    assert "đúng 12 chữ số" in response.json()["errors"]["applicant_identifier"][0]
    assert counts() == before


def test_missing_required_component_is_a_422_on_components(api):
    lan = api("lan")
    before = counts()
    response = lan.post(body(components=[]))
    assert response.status_code == 422
    assert "chưa đủ thành phần bắt buộc" in response.json()["errors"]["components"][0]
    assert counts() == before


def test_every_bad_field_is_reported_at_once(api):
    applicant = {"kind": "citizen", "identifier": "099087001234", "name": "", "birth_date": "31/02/1990",
                 "email": "khong-phai-email"}
    response = api("lan").post(body(applicant=applicant, components=["Giấy tờ không có"], case="Không có"))
    errors = response.json()["errors"]
    assert response.status_code == 422
    assert "Thủ tục không có trường hợp" in errors["case"][0]
    assert "mã tỉnh" in errors["applicant_identifier"][0]
    assert "họ tên" in errors["applicant_name"][0]
    assert "dd/mm/yyyy" in errors["applicant_birth_date"][0]
    assert "thư điện tử" in errors["applicant_email"][0]


def test_unknown_and_abolished_procedures_are_refused(api, all_components):
    from motcua.catalog.actions import publish_decision
    from motcua.catalog.tests.conftest import make_decision

    unknown = api("lan").post(body(procedure="1.999999"))
    assert unknown.status_code == 422 and "Không có thủ tục mã 1.999999" in unknown.json()["errors"]["procedure"][0]
    assert "không đúng dạng" in api("lan").post(body(procedure="abc")).json()["errors"]["procedure"][0]
    today = timezone.localdate().isoformat()
    publish_decision(decision=make_decision(number="99/QĐ-UBND", signed_on=today),
                     entries=[{"code": "1.013934", "kind": "abolished"}], acting_user=None)
    lan = api("lan")
    before = counts()
    response = lan.post(body(components=all_components))
    assert response.status_code == 422
    assert "không còn hiệu lực" in response.json()["errors"]["procedure"][0]
    assert counts() == before


def test_bad_base64_and_wrong_file_type_are_refused_on_files(api, all_components):
    lan = api("lan")
    before = counts()
    bad_b64 = lan.post(body(components=all_components, files=[
        {"component": all_components[0], "name": "don.pdf", "content_base64": "không phải base64!"}]))
    assert bad_b64.status_code == 422 and "base64" in bad_b64.json()["errors"]["files"][0]
    exe = base64.b64encode(b"MZ\x90\x00 an executable renamed").decode()
    wrong_type = lan.post(body(components=all_components, files=[
        {"component": all_components[0], "name": "don.pdf", "content_base64": exe}]))
    assert wrong_type.status_code == 422 and "không đúng định dạng" in wrong_type.json()["errors"]["files"][0]
    assert counts() == before


def test_schema_problems_come_back_in_vietnamese_per_field(api):
    response = api("lan").post({"channel": "direct", "applicant": {"name": 12}})
    errors = response.json()["errors"]
    assert response.status_code == 422
    assert errors["procedure"] == ["Cần nhập trường này."]
    assert errors["applicant_name"] == ["Giá trị không đúng kiểu dữ liệu."]
    assert api("lan").post("{not json").status_code == 422


def test_retry_with_the_same_idempotency_key_returns_the_same_dossier(api, all_components):
    lan = api("lan")
    first = lan.post(body(components=all_components), key="quay-3-lan-1")
    before = counts()
    again = lan.post(body(components=all_components), key="quay-3-lan-1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["code"] == first.json()["code"]
    assert counts() == before
    # A new key is a new dossier.
    assert lan.post(body(components=all_components), key="quay-3-lan-2").json()["code"] != first.json()["code"]
    assert lan.post(body(), key="x" * 65).json()["errors"]["idempotency_key"]


KEY_REUSED = "Khóa Idempotency-Key đã được dùng cho một yêu cầu khác"


def test_same_key_same_body_in_another_key_order_is_the_same_dossier(api, all_components, client):
    lan = api("lan")
    first = lan.post(body(components=all_components), key="quay-3-k")
    assert first.status_code == 201
    stored = Dossier.objects.get(code=first.json()["code"])
    assert len(stored.idempotency_digest) == 64
    # the same request with its keys in another order, other spacing, and a default spelled out
    data = body(components=all_components)
    text = json.dumps({"sets_count": 1, **dict(reversed(list(data.items())))}, indent=2, ensure_ascii=False)
    again = client.post("/api/v1/dossiers", text, content_type="application/json", **lan.auth,
                        HTTP_IDEMPOTENCY_KEY="quay-3-k")
    assert again.status_code == 200 and again.json()["code"] == first.json()["code"]


def test_same_key_with_another_body_is_a_422_and_nothing_is_saved(api, all_components):
    lan = api("lan")
    first = lan.post(body(components=all_components), key="quay-3-k")
    before = counts()
    other = body(components=all_components, applicant={**body()["applicant"], "name": "Lê Thị Hoa",
                                                       "identifier": "042190002345", "birth_date": "02/05/1990"})
    response = lan.post(other, key="quay-3-k")
    assert response.status_code == 422
    assert KEY_REUSED in response.json()["errors"]["idempotency_key"][0]
    assert counts() == before
    # the first request sent again still gets its dossier; the other body with a fresh key is a new one
    assert lan.post(body(components=all_components), key="quay-3-k").json()["code"] == first.json()["code"]
    fresh = lan.post(other, key="quay-3-k-2")
    assert fresh.status_code == 201 and fresh.json()["code"] != first.json()["code"]
    # another officer's same key is theirs: no clash with lan's
    assert "idempotency_key" not in api("motcuaxa").post(other, key="quay-3-k").json().get("errors", {})


def test_a_keyed_dossier_from_before_digests_still_answers_its_retry(api, all_components):
    lan = api("lan")
    first = lan.post(body(components=all_components), key="quay-3-old")
    Dossier.objects.filter(code=first.json()["code"]).update(idempotency_digest="")
    again = lan.post(body(components=all_components, sets_count=2), key="quay-3-old")
    assert again.status_code == 200 and again.json()["code"] == first.json()["code"]


@pytest.mark.django_db(transaction=True)
def test_two_bodies_with_one_key_at_once_make_one_dossier_and_one_422(token_for, all_components):
    """Two different requests with one key race on PostgreSQL: the one that loses the unique index gets
    the winner's dossier from intake and answers 422 instead of returning it."""
    from django.db import connection

    if connection.vendor == "sqlite":
        pytest.skip("concurrent intake is proved on PostgreSQL (DATABASE_URL=postgres://…)")
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from django.test import Client

    auth = {"HTTP_AUTHORIZATION": f"Bearer {token_for('lan')}", "HTTP_IDEMPOTENCY_KEY": "cung-khoa"}
    bodies = [body(components=all_components),
              body(components=all_components, applicant={**body()["applicant"], "name": "Lê Thị Hoa",
                                                         "identifier": "042190002345", "birth_date": "02/05/1990"})]
    barrier = threading.Barrier(2)

    def send(data):
        try:
            barrier.wait(timeout=30)
            response = Client().post("/api/v1/dossiers", data, content_type="application/json", **auth)
            return response.status_code, response.json()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(send, bodies))
    statuses = sorted(status for status, _ in results)
    assert statuses == [201, 422]
    winner = next(data for status, data in results if status == 201)
    loser = next(data for status, data in results if status == 422)
    assert KEY_REUSED in loser["errors"]["idempotency_key"][0]
    assert list(Dossier.objects.values_list("code", flat=True)) == [winner["code"]]
    assert AuditEntry.objects.filter(action="dossier.receive").count() == 1


def test_an_authorised_person_is_taken_stored_and_returned(api, all_components):
    lan = api("lan")
    response = lan.post(body(components=all_components,
                             authorised={"name": "Trần Văn An", "identifier": "042090001111"}))
    assert response.status_code == 201
    assert response.json()["authorised"] == {"name": "Trần Văn An", "identifier": "042090001111"}
    dossier = Dossier.objects.get(code=response.json()["code"])
    assert (dossier.authorised_name, dossier.authorised_identifier) == ("Trần Văn An", "042090001111")
    assert lan.post(body(components=all_components)).json()["authorised"] is None
    before = counts()
    bad = lan.post(body(components=all_components, authorised={"name": "Trần Văn An", "identifier": "123"}))
    assert bad.status_code == 422 and bad.json()["errors"]["authorised_identifier"]
    # reported together with the other fields' problems
    both = lan.post(body(procedure="9.999999", authorised={"identifier": "042090001111"}))
    assert set(both.json()["errors"]) >= {"procedure", "authorised_name"}
    assert counts() == before
