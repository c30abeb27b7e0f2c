"""A local OpenID provider for development and tests, served by the project under /oidc-dev/.

It speaks the same protocol as VNeID: discovery, an authorize page (pick a demo citizen or type a
personal ID), a token endpoint that checks the client secret, the redirect URI and the PKCE
verifier and spends each code once, RS256-signed ID tokens, userinfo and JWKS. Its one client is
this project's own relying-party configuration (OIDC_CLIENT_ID / OIDC_CLIENT_SECRET /
OIDC_REDIRECT_URI). Enabled by OIDC_DEV_PROVIDER_ENABLED; production refuses to start with it.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
import secrets
from functools import cache
from pathlib import Path

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings
from django.utils import timezone

from motcua.integrations.oidc.client import pkce_challenge
from motcua.integrations.oidc.models import DevGrant

CODE_LIFETIME = dt.timedelta(minutes=5)
TOKEN_LIFETIME = dt.timedelta(minutes=10)

# Demo citizens offered on the authorize page (the first is Ông Hùng of the demo organisation).
DEMO_CITIZENS = [
    {"personal_id": "042087001234", "name": "Nguyễn Văn Hùng", "phone_number": "0905123456",
     "email": "hung@example.vn", "birthdate": "1987-03-12"},
    {"personal_id": "042190005678", "name": "Trần Thị Bình", "phone_number": "0912888777",
     "email": "binh@example.vn", "birthdate": "1990-07-02"},
    {"personal_id": "040095002468", "name": "Lê Minh Châu", "phone_number": "0977111222",
     "email": "", "birthdate": "1995-11-20"},
]


def key_path() -> Path:
    return Path(settings.VAR_DIR) / "oidc-dev" / "signing-key.pem"


@cache
def _private_key_cached(path: str):
    file = Path(path)
    if not file.exists():
        file.parent.mkdir(parents=True, exist_ok=True)
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
        temporary = file.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_bytes(pem)
        os.chmod(temporary, 0o600)
        if not file.exists():
            os.replace(temporary, file)
        else:
            temporary.unlink()
    return serialization.load_pem_private_key(file.read_bytes(), password=None)


def private_key():
    return _private_key_cached(str(key_path()))


def _b64(number: int) -> str:
    raw = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def public_jwk() -> dict:
    numbers = private_key().public_key().public_numbers()
    jwk = {"kty": "RSA", "e": _b64(numbers.e), "n": _b64(numbers.n)}
    # RFC 7638 thumbprint as the key id.
    thumbprint = hashlib.sha256(json.dumps(jwk, sort_keys=True, separators=(",", ":")).encode()).digest()
    jwk["kid"] = base64.urlsafe_b64encode(thumbprint).rstrip(b"=").decode("ascii")[:16]
    jwk.update({"use": "sig", "alg": "RS256"})
    return jwk


def metadata(issuer: str) -> dict:
    return {
        "issuer": issuer,
        "authorization_endpoint": f"{issuer}/authorize/",
        "token_endpoint": f"{issuer}/token/",
        "userinfo_endpoint": f"{issuer}/userinfo/",
        "jwks_uri": f"{issuer}/jwks/",
        "response_types_supported": ["code"],
        "grant_types_supported": ["authorization_code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "code_challenge_methods_supported": ["S256"],
        "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
        "scopes_supported": ["openid", "profile", "email", "phone"],
        "claims_supported": ["sub", "name", "personal_id", "phone_number", "email", "birthdate"],
    }


def subject_for(personal_id: str) -> str:
    """An opaque, stable subject per person (as national e-ID providers do); the ID number is a claim."""
    return "dev-" + hashlib.sha256(f"motcua-oidc-dev:{personal_id}".encode()).hexdigest()[:24]


class ProviderError(Exception):
    def __init__(self, error: str, description: str):
        super().__init__(description)
        self.error = error
        self.description = description


def check_authorize_request(params) -> None:
    """Refuse what a real provider refuses before showing anything: unknown client, foreign redirect URI,
    a flow without PKCE."""
    if params.get("client_id") != settings.OIDC_CLIENT_ID:
        raise ProviderError("unauthorized_client", "client_id không được đăng ký với nhà cung cấp thử.")
    if params.get("redirect_uri") != settings.OIDC_REDIRECT_URI:
        raise ProviderError("invalid_request", "redirect_uri không khớp địa chỉ đã đăng ký (OIDC_REDIRECT_URI).")
    if params.get("response_type") != "code":
        raise ProviderError("unsupported_response_type", "Chỉ hỗ trợ response_type=code.")
    if "openid" not in (params.get("scope") or "").split():
        raise ProviderError("invalid_scope", "Thiếu phạm vi openid.")
    if params.get("code_challenge_method") != "S256" or not params.get("code_challenge"):
        raise ProviderError("invalid_request", "Cần PKCE với code_challenge_method=S256.")


def create_grant(params, person: dict) -> DevGrant:
    claims = {"sub": subject_for(person["personal_id"]), "personal_id": person["personal_id"], "name": person["name"]}
    for key in ("phone_number", "email", "birthdate"):
        if person.get(key):
            claims[key] = person[key]
    return DevGrant.objects.create(
        code=secrets.token_urlsafe(32), client_id=params["client_id"], redirect_uri=params["redirect_uri"],
        code_challenge=params["code_challenge"], nonce=params.get("nonce", ""), scope=params.get("scope", ""),
        claims=claims)


def _client_credentials(request) -> tuple[str, str]:
    header = request.headers.get("Authorization", "")
    if header.startswith("Basic "):
        try:
            client_id, _, secret = base64.b64decode(header[6:]).decode().partition(":")
        except (ValueError, UnicodeDecodeError):
            return "", ""
        return client_id, secret
    return request.POST.get("client_id", ""), request.POST.get("client_secret", "")


def exchange(request, issuer: str) -> dict:
    """The token endpoint's work: check the client and the code, spend the code, mint the tokens."""
    if request.POST.get("grant_type") != "authorization_code":
        raise ProviderError("unsupported_grant_type", "Chỉ hỗ trợ grant_type=authorization_code.")
    client_id, secret = _client_credentials(request)
    if client_id != settings.OIDC_CLIENT_ID or not secrets.compare_digest(secret, settings.OIDC_CLIENT_SECRET):
        raise ProviderError("invalid_client", "Sai client_id hoặc client_secret.")
    grant = DevGrant.objects.filter(code=request.POST.get("code", "")).first()
    now = timezone.now()
    if grant is None or grant.client_id != client_id:
        raise ProviderError("invalid_grant", "Mã ủy quyền không tồn tại.")
    # Spend the code atomically: of two exchanges of one code, only one gets tokens.
    spent = DevGrant.objects.filter(pk=grant.pk, code_used_at__isnull=True).update(code_used_at=now)
    if not spent:
        raise ProviderError("invalid_grant", "Mã ủy quyền đã được dùng.")
    if now - grant.created_at > CODE_LIFETIME:
        raise ProviderError("invalid_grant", "Mã ủy quyền đã hết hạn.")
    if request.POST.get("redirect_uri") != grant.redirect_uri:
        raise ProviderError("invalid_grant", "redirect_uri không khớp với yêu cầu ủy quyền.")
    if not secrets.compare_digest(pkce_challenge(request.POST.get("code_verifier", "")), grant.code_challenge):
        raise ProviderError("invalid_grant", "code_verifier không khớp (PKCE).")
    grant.access_token = secrets.token_urlsafe(32)
    grant.access_expires_at = now + TOKEN_LIFETIME
    grant.save(update_fields=["access_token", "access_expires_at"])
    id_claims = {"iss": issuer, "aud": client_id, "iat": int(now.timestamp()), "auth_time": int(now.timestamp()),
                 "exp": int((now + TOKEN_LIFETIME).timestamp()), **grant.claims}
    if grant.nonce:
        id_claims["nonce"] = grant.nonce
    id_token = sign(id_claims)
    return {"access_token": grant.access_token, "token_type": "Bearer",
            "expires_in": int(TOKEN_LIFETIME.total_seconds()), "id_token": id_token, "scope": grant.scope}


def sign(claims: dict) -> str:
    return jwt.encode(claims, private_key(), algorithm="RS256", headers={"kid": public_jwk()["kid"]})


def userinfo(request) -> dict:
    header = request.headers.get("Authorization", "")
    token = header[7:] if header.startswith("Bearer ") else ""
    grant = DevGrant.objects.filter(access_token=token).first() if token else None
    if grant is None or grant.access_expires_at is None or grant.access_expires_at < timezone.now():
        raise ProviderError("invalid_token", "Access token không hợp lệ hoặc đã hết hạn.")
    return dict(grant.claims)
