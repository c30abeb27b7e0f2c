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
