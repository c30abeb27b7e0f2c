"""The public status lookup (page and API): a second factor, nothing revealed without it, rate limited."""

import pytest
from django.test import override_settings

from motcua.portal import actions
from motcua.portal.models import PublicAttempt


@pytest.fixture
def submitted(ready_draft, citizen):
    return actions.submit_draft(draft=ready_draft, acting_user=citizen)


def test_someone_elses_dossier_without_the_second_factor_reveals_nothing(client, submitted):
    wrong = client.post("/tra-cuu/", {"ma": submitted.code, "check": "0000"})
    unknown = client.post("/tra-cuu/", {"ma": "000.00.12.H27-999999-9999", "check": "0000"})
    assert wrong.status_code == unknown.status_code == 200

    def visible(response):
        import re

        body = response.content.decode()
        body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body[body.index("<main"):])
        return body.replace(submitted.code, "CODE").replace("000.00.12.H27-999999-9999", "CODE")

    assert visible(wrong) == visible(unknown)  # byte for byte the same answer
    body = wrong.content.decode()
    assert "Không tìm thấy hồ sơ" in body
    for secret in ["Nguyễn Văn Hùng", submitted.version.name, "Đã tiếp nhận", "Mới đăng ký"]:
        assert secret not in body
    api_wrong = client.get(f"/api/v1/public/status/{submitted.code}?check=0000")
    api_missing = client.get(f"/api/v1/public/status/{submitted.code}")
    api_unknown = client.get("/api/v1/public/status/000.00.12.H27-999999-9999?check=3456")
    assert api_wrong.status_code == api_missing.status_code == api_unknown.status_code == 404
    assert api_wrong.json() == api_unknown.json() == {"detail": "Không tìm thấy hồ sơ với mã và 4 số kiểm tra đã nhập."}


def test_the_right_check_shows_status_and_history_without_personal_data(client, submitted):
    for check in ["3456", "1234"]:  # last 4 of the phone 0905123456, of the ID 042087001234
        response = client.post("/tra-cuu/", {"ma": submitted.code, "check": check})
        body = response.content.decode()
        assert submitted.code in body and "Mới đăng ký, chờ tiếp nhận" in body and "Nộp hồ sơ trực tuyến" in body
        for personal in ["Nguyễn Văn Hùng", "0905123456", "042087001234", "hung@example.vn", "Thành Sen"]:
            assert personal not in body
    data = client.get(f"/api/v1/public/status/{submitted.code}?check=3456").json()
    assert data["code"] == submitted.code and data["status"] == "submitted" and data["due_at"] is None
    assert [h["action"] for h in data["history"]] == ["Nộp hồ sơ trực tuyến"]
    text = str(data)
    for personal in ["Hùng", "0905123456", "042087001234", "hung@example.vn", "Thành Sen"]:
        assert personal not in text


def test_the_qr_link_prefills_the_code(client, submitted):
    body = client.get(f"/tra-cuu/?ma={submitted.code}").content.decode()
    assert f'value="{submitted.code}"' in body and 'name="check"' in body


@override_settings(PORTAL_LOOKUP_MAX_FAILURES=3, PORTAL_LOOKUP_WINDOW_MINUTES=10)
def test_failures_are_limited_per_address(client, submitted):
    for _ in range(3):
        assert client.get(f"/api/v1/public/status/{submitted.code}?check=0000").status_code == 404
    # Now even the right check waits: the address is throttled for the window.
    blocked = client.get(f"/api/v1/public/status/{submitted.code}?check=3456")
    assert blocked.status_code == 429
    assert blocked.json()["detail"] == "Bạn đã tra cứu sai quá nhiều lần. Vui lòng thử lại sau 10 phút."
    page = client.post("/tra-cuu/", {"ma": submitted.code, "check": "3456"})
    assert page.status_code == 429 and "Vui lòng thử lại sau 10 phút" in page.content.decode()
    # Another address is not affected.
    other = client.get(f"/api/v1/public/status/{submitted.code}?check=3456", REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200
    # The window passes.
    PublicAttempt.objects.update(at=PublicAttempt.objects.first().at.replace(year=2020))
    assert client.get(f"/api/v1/public/status/{submitted.code}?check=3456").status_code == 200


def wsgi_get(path: str, query: str = "", **environ) -> tuple[int, dict, bytes]:
    """A request through the production WSGI entry point (motcua.wsgi.application, what gunicorn runs),
    not the test client's handler; the test's transaction keeps its connection."""
    import io
    import sys

    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    from motcua.wsgi import application

    base = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": query, "SERVER_NAME": "testserver",
            "SERVER_PORT": "80", "HTTP_HOST": "testserver", "REMOTE_ADDR": "10.0.0.7", "wsgi.input": io.BytesIO(),
            "wsgi.url_scheme": "http", "SERVER_PROTOCOL": "HTTP/1.1", "wsgi.errors": sys.stderr}
    base.update(environ)
    started = []
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        response = application(base, lambda status, headers, *exc: started.append((status, headers)))
        body = b"".join(response)
        response.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    status, headers = started[0]
    return int(status.split()[0]), dict(headers), body


def test_the_production_entry_point_answers_the_lookup_through_the_lean_stack(client, submitted):
    """gunicorn's application sends /api/v1/public/… through the site's middleware minus sessions, auth,
    messages, CSRF, htmx: same answers, same security headers, the Host check, the language cookie."""
    import json

    status, headers, body = wsgi_get(f"/api/v1/public/status/{submitted.code}", "check=3456")
    assert status == 200
    assert json.loads(body) == client.get(f"/api/v1/public/status/{submitted.code}?check=3456").json()
    assert headers["X-Frame-Options"] == "DENY" and headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin" and "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert "Set-Cookie" not in headers and "Cookie" not in headers.get("Vary", "")
    wrong = wsgi_get(f"/api/v1/public/status/{submitted.code}", "check=0000")
    unknown = wsgi_get("/api/v1/public/status/000.00.12.H27-999999-9999", "check=3456")
    assert wrong[0] == unknown[0] == 404 and wrong[2] == unknown[2]
    assert wsgi_get(f"/api/v1/public/status/{submitted.code}", "check=3456", HTTP_HOST="evil.example")[0] == 400
    english = json.loads(wsgi_get(f"/api/v1/public/status/{submitted.code}", "check=3456",
                                  HTTP_COOKIE="django_language=en")[2])
    assert english["status_label"] != json.loads(body)["status_label"]
    # The rest of the site keeps the whole stack (the session cookie reaches the page).
    home, _headers, _body = wsgi_get("/tra-cuu/")
    assert home == 200 and "csrftoken=" in _headers.get("Set-Cookie", "")


@override_settings(PORTAL_LOOKUP_MAX_FAILURES=2, PORTAL_LOOKUP_WINDOW_MINUTES=10)
def test_the_production_entry_point_keeps_the_failure_limit(submitted):
    for _ in range(2):
        assert wsgi_get(f"/api/v1/public/status/{submitted.code}", "check=0000")[0] == 404
    assert wsgi_get(f"/api/v1/public/status/{submitted.code}", "check=3456")[0] == 429
    assert wsgi_get(f"/api/v1/public/status/{submitted.code}", "check=3456", REMOTE_ADDR="10.0.0.8")[0] == 200
    assert PublicAttempt.objects.filter(kind=PublicAttempt.Kind.LOOKUP_FAILURE, ip="10.0.0.7").count() == 2


@override_settings(PORTAL_LOOKUP_MAX_FAILURES=2)
def test_lookup_without_an_address_is_limited_too(submitted):
    """No REMOTE_ADDR (a misconfigured proxy): failures without an address count together."""
    from motcua.portal import selectors

    answer = selectors.lookup_status(submitted.code.lower(), "3456", ip=None)
    assert not answer.throttled and answer.status.code == submitted.code
    assert [h["status"] for h in answer.status.history] == ["submitted"]
    assert answer.status.submitted_at == submitted.submitted_at  # an aware instant on every database
    for _ in range(2):
        assert selectors.lookup_status(submitted.code, "0000", ip=None).status is None
        actions.record_lookup_failure(ip=None)
    assert selectors.lookup_status(submitted.code, "3456", ip=None).throttled
    assert not selectors.lookup_status(submitted.code, "3456", ip="10.0.0.9").throttled


def test_the_public_history_names_a_deadline_warning(client, submitted):
    """The deadline watch records its event as 'warning' (dossiers.watch): the public history names it like the
    dossier page does, not as the fallback 'Cập nhật hồ sơ'."""
    from django.utils import timezone

    from motcua.dossiers.models import DossierEvent

    DossierEvent.objects.create(dossier=submitted, at=timezone.now(), actor=None, action="warning",
                                from_status=submitted.status, to_status=submitted.status)
    data = client.get(f"/api/v1/public/status/{submitted.code}?check=3456").json()
    assert [h["action"] for h in data["history"]] == ["Nộp hồ sơ trực tuyến", "Sắp đến hạn"]
