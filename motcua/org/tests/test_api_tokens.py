import pytest
from django.core.management import call_command

from motcua.org.actions import revoke_api_token
from motcua.org.models import ApiToken


@pytest.fixture
def token_for(capsys):
    def make(username):
        call_command("create_api_token", username)
        return capsys.readouterr().out.strip()

    return make


@pytest.mark.django_db
def test_me_returns_roles_and_units_for_a_token(client, token_for):
    key = token_for("lan")
    data = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}").json()
    assert data["username"] == "lan"
    assert data["roles"] == ["one_stop_officer"]
    assert data["grants"][0]["unit"]["code"] == "000.01.30.H27"


@pytest.mark.django_db
def test_no_token_and_revoked_token_get_401(client, token_for):
    assert client.get("/api/v1/me").status_code == 401
    key = token_for("minh")
    revoke_api_token(token=ApiToken.objects.get(key_hash=ApiToken.hash_key(key)), acting_user=None)
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401


@pytest.mark.django_db
def test_only_the_hash_of_a_token_is_stored(token_for):
    key = token_for("hoa")
    assert not ApiToken.objects.filter(key_hash=key).exists()
    assert ApiToken.objects.filter(key_hash=ApiToken.hash_key(key)).exists()


@pytest.mark.django_db
def test_openapi_document_and_docs_are_served_locally(client):
    doc = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/me" in doc["paths"]
    page = client.get("/api/v1/docs").content.decode()
    assert "cdn." not in page and "unpkg" not in page
