"""ID token checks of the relying party, and the refusals of the callback and the local provider."""

from __future__ import annotations

import time

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from motcua.integrations.oidc import client as rp
from motcua.integrations.oidc import provider
from motcua.integrations.oidc.client import SESSION_KEY, ClientConfig, OidcError

ISSUER = "http://127.0.0.1:8000/oidc-dev"
CONFIG = ClientConfig(issuer=ISSUER, client_id="motcua", client_secret="dev-oidc-client-secret-change-me-0001",
                      redirect_uri="http://testserver/dang-nhap/vneid/callback/", scopes="openid", timeout=5)
METADATA = provider.metadata(ISSUER)


def jwks() -> dict:
    return {"keys": [provider.public_jwk()]}


def claims(**overrides) -> dict:
    now = int(time.time())
    values = {"iss": ISSUER, "aud": "motcua", "sub": "dev-abc", "iat": now, "exp": now + 300, "nonce": "n-1",
              "personal_id": "042087001234", "name": "Nguyễn Văn Hùng"}
    values.update(overrides)
    return values


def check(token: str, nonce: str = "n-1") -> dict:
    return rp.validate_id_token(token, config=CONFIG, metadata=METADATA, nonce=nonce, jwks=jwks())


def test_a_token_signed_by_the_provider_passes():
    assert check(provider.sign(claims()))["personal_id"] == "042087001234"


def test_hs256_with_the_client_secret_passes_and_with_another_secret_is_refused():
    assert check(jwt.encode(claims(), "dev-oidc-client-secret-change-me-0001", algorithm="HS256"))["sub"] == "dev-abc"
    with pytest.raises(OidcError, match="Chữ ký"):
        check(jwt.encode(claims(), "someone-elses-secret-of-32-bytes!", algorithm="HS256"))


def test_a_token_signed_with_another_key_is_refused():
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    forged = jwt.encode(claims(), stranger, algorithm="RS256", headers={"kid": provider.public_jwk()["kid"]})
    with pytest.raises(OidcError, match="Chữ ký"):
        check(forged)


def test_an_unsigned_token_is_refused():
    with pytest.raises(OidcError, match="Thuật toán"):
        check(jwt.encode(claims(), None, algorithm="none"))


def test_an_expired_token_is_refused():
    old = int(time.time()) - 3600
    with pytest.raises(OidcError, match="hết hạn"):
        check(provider.sign(claims(iat=old, exp=old + 300)))


@pytest.mark.parametrize(("field", "value", "message"), [
    ("aud", "another-client", "aud"), ("iss", "http://evil.example/oidc", "iss"), ("nonce", "n-2", "Nonce")])
def test_wrong_audience_issuer_or_nonce_is_refused(field, value, message):
    with pytest.raises(OidcError, match=message):
        check(provider.sign(claims(**{field: value})))


@pytest.mark.django_db
def test_a_nonce_is_accepted_once():
    rp.consume_nonce("nonce-xyz")
    with pytest.raises(OidcError, match="nonce lặp lại"):
        rp.consume_nonce("nonce-xyz")


@pytest.mark.django_db
def test_callback_with_another_state_is_refused_and_spends_the_pending_sign_in(client):
    session = client.session
    session[SESSION_KEY] = {"state": "expected", "nonce": "n", "verifier": "v" * 43, "next": "", "issuer": ISSUER}
    session.save()
    response = client.get("/dang-nhap/vneid/callback/?code=abc&state=forged")
    assert response.status_code == 400
    assert "state không khớp" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert SESSION_KEY not in client.session
    # Even with the right state now, nothing is pending any more.
    assert client.get("/dang-nhap/vneid/callback/?code=abc&state=expected").status_code == 400


@pytest.mark.django_db
def test_local_provider_refuses_a_foreign_redirect_uri_and_a_wrong_pkce_verifier(client, settings):
    settings.OIDC_REDIRECT_URI = CONFIG.redirect_uri
    params = {"client_id": "motcua", "redirect_uri": "http://evil.example/cb", "response_type": "code",
              "scope": "openid", "state": "s", "nonce": "n", "code_challenge": rp.pkce_challenge("v" * 43),
              "code_challenge_method": "S256"}
    refused = client.get("/oidc-dev/authorize/", params)
    assert refused.status_code == 400 and "redirect_uri" in refused.content.decode()

    params["redirect_uri"] = CONFIG.redirect_uri
    typed = client.post("/oidc-dev/authorize/", {**params, "personal_id": "12345", "name": ""})
    assert typed.status_code == 400 and "12 chữ số" in typed.content.decode()
    chosen = client.post("/oidc-dev/authorize/", {**params, "personal_id": "042095009999", "name": "Phan Văn Đức"})
    assert chosen.status_code == 302
    code = chosen["Location"].split("code=")[1].split("&")[0]
    token = {"grant_type": "authorization_code", "code": code, "redirect_uri": CONFIG.redirect_uri,
             "client_id": "motcua", "client_secret": "dev-oidc-client-secret-change-me-0001", "code_verifier": "w" * 43}
    wrong = client.post("/oidc-dev/token/", token)
    assert wrong.status_code == 400 and "PKCE" in wrong.json()["error_description"]


@pytest.mark.django_db
def test_local_provider_is_gone_when_disabled(client, settings):
    settings.OIDC_DEV_PROVIDER_ENABLED = False
    assert client.get("/oidc-dev/.well-known/openid-configuration").status_code == 404
    assert client.get("/oidc-dev/jwks/").status_code == 404
