import pytest

from motcua.org.demo import DEMO_PASSWORD
from motcua.org.models import LoginFailure


@pytest.mark.django_db
def test_demo_officer_signs_in_and_sees_their_home(client):
    response = client.post("/dang-nhap/", {"username": "lan", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    home = client.get("/")
    text = home.content.decode()
    assert "Trần Thị Lan" in text and "Cán bộ Một cửa" in text


@pytest.mark.django_db
def test_wrong_password_gets_a_plain_vietnamese_message_and_counts(client):
    response = client.post("/dang-nhap/", {"username": "lan", "password": "sai-mat-khau"})
    assert response.status_code == 400
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.content.decode()
    assert LoginFailure.objects.filter(username="lan").count() == 1


@pytest.mark.django_db
def test_too_many_failures_lock_even_the_right_password(client, settings):
    settings.LOGIN_MAX_FAILURES = 3
    for _ in range(3):
        client.post("/dang-nhap/", {"username": "lan", "password": "sai"})
    response = client.post("/dang-nhap/", {"username": "lan", "password": DEMO_PASSWORD})
    assert response.status_code == 400
    assert "quá nhiều lần" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_healthz_checks_the_database(client):
    data = client.get("/healthz").json()
    assert data["status"] == "ok" and data["database"] in {"sqlite", "postgresql"}


@pytest.mark.django_db
def test_pages_carry_a_content_security_policy(client):
    response = client.get("/dang-nhap/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
