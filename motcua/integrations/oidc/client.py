"""A generic OpenID Connect relying party: authorization-code flow with PKCE, state and nonce.

Works with any provider that publishes `/.well-known/openid-configuration` (VNeID, or the local
development provider of `motcua.integrations.oidc.provider`). Every call to the provider goes over
HTTP; ID tokens are checked for signature (RS256 with the provider's JWKS, or HS256 with the
client secret), issuer, audience, expiry and nonce.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import secrets
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

import jwt
from django.conf import settings

SESSION_KEY = "oidc_pending"
ALLOWED_ALGORITHMS = ("RS256", "HS256")
LEEWAY_SECONDS = 60
_DISCOVERY_TTL = 300
_discovery_cache: dict[str, tuple[float, dict]] = {}

log = logging.getLogger(__name__)


class OidcError(Exception):
    """The sign-in cannot go on; the message is shown to the person (Vietnamese)."""


@dataclass(frozen=True)
class ClientConfig:
    issuer: str
    client_id: str
    client_secret: str
    redirect_uri: str
    scopes: str
    timeout: int

    @classmethod
    def from_settings(cls) -> ClientConfig:
        return cls(
            issuer=settings.OIDC_ISSUER.rstrip("/"),
            client_id=settings.OIDC_CLIENT_ID,
            client_secret=settings.OIDC_CLIENT_SECRET,
            redirect_uri=settings.OIDC_REDIRECT_URI,
            scopes=settings.OIDC_SCOPES,
            timeout=settings.OIDC_TIMEOUT_SECONDS,
        )


def is_configured() -> bool:
    return bool(settings.OIDC_ISSUER and settings.OIDC_CLIENT_ID)


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def pkce_challenge(verifier: str) -> str:
    return _b64url(hashlib.sha256(verifier.encode("ascii")).digest())


def _http_json(url: str, *, data: dict | None = None, headers: dict | None = None, timeout: int) -> dict:
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, headers={"Accept": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.loads(response.read().decode("utf-8"))
    except urllib.error.HTTPError as exc:
        detail = exc.read().decode("utf-8", "replace")[:300]
        raise OidcError(f"Nhà cung cấp định danh trả lỗi {exc.code}: {detail}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        # The citizen reads the message: the socket error (English, internal addresses) goes to the log only.
        log.warning("OIDC: cannot reach %s: %s", url, exc)
        raise OidcError("Không kết nối được nhà cung cấp định danh. Vui lòng thử lại sau ít phút.") from None
    except ValueError:
        raise OidcError("Nhà cung cấp định danh trả về dữ liệu không đúng định dạng JSON.") from None


def discover(config: ClientConfig) -> dict:
    """The provider's metadata, cached for a few minutes; its issuer must be the configured one."""
    cached = _discovery_cache.get(config.issuer)
    if cached and cached[0] > time.monotonic():
        return cached[1]
    metadata = _http_json(f"{config.issuer}/.well-known/openid-configuration", timeout=config.timeout)
    if metadata.get("issuer", "").rstrip("/") != config.issuer:
        raise OidcError("Thông tin cấu hình của nhà cung cấp định danh không khớp với OIDC_ISSUER.")
    for key in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
        if not metadata.get(key):
            raise OidcError(f"Nhà cung cấp định danh không công bố {key}.")
    _discovery_cache[config.issuer] = (time.monotonic() + _DISCOVERY_TTL, metadata)
    return metadata


def begin(session, config: ClientConfig | None = None, *, next_url: str = "") -> str:
    """Remember state, nonce and the PKCE verifier in the session; return the provider's authorize URL."""
    config = config or ClientConfig.from_settings()
    metadata = discover(config)
    state = secrets.token_urlsafe(24)
    nonce = secrets.token_urlsafe(24)
    verifier = secrets.token_urlsafe(48)
    session[SESSION_KEY] = {"state": state, "nonce": nonce, "verifier": verifier, "next": next_url,
                            "issuer": config.issuer}
    query = urllib.parse.urlencode({
        "response_type": "code",
        "client_id": config.client_id,
        "redirect_uri": config.redirect_uri,
        "scope": config.scopes,
        "state": state,
        "nonce": nonce,
        "code_challenge": pkce_challenge(verifier),
        "code_challenge_method": "S256",
    })
    separator = "&" if "?" in metadata["authorization_endpoint"] else "?"
    return f"{metadata['authorization_endpoint']}{separator}{query}"


@dataclass(frozen=True)
class SignInResult:
    claims: dict
    next_url: str


def complete(session, params, config: ClientConfig | None = None) -> SignInResult:
    """Handle the redirect back: check state, exchange the code over HTTP, validate the ID token and
    merge the userinfo claims. The pending sign-in is spent whatever happens."""
    config = config or ClientConfig.from_settings()
    pending = session.pop(SESSION_KEY, None)
    if params.get("error"):
        raise OidcError(f"Nhà cung cấp định danh từ chối đăng nhập: {params.get('error_description') or params['error']}")
    if not pending:
        raise OidcError("Phiên đăng nhập đã hết hạn hoặc đã được dùng. Vui lòng đăng nhập lại.")
    if not secrets.compare_digest(str(params.get("state", "")), pending["state"]):
        raise OidcError("Tham số state không khớp: yêu cầu đăng nhập không hợp lệ.")
    code = params.get("code")
    if not code:
        raise OidcError("Thiếu mã ủy quyền (code) từ nhà cung cấp định danh.")
    metadata = discover(config)
    tokens = _http_json(metadata["token_endpoint"], data={
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": config.redirect_uri,
        "client_id": config.client_id,
        "client_secret": config.client_secret,
        "code_verifier": pending["verifier"],
    }, timeout=config.timeout)
    id_token = tokens.get("id_token")
    if not id_token:
        raise OidcError("Nhà cung cấp định danh không trả về ID token.")
    claims = validate_id_token(id_token, config=config, metadata=metadata, nonce=pending["nonce"])
    consume_nonce(claims["nonce"])
    access_token = tokens.get("access_token")
    if access_token and metadata.get("userinfo_endpoint"):
        info = _http_json(metadata["userinfo_endpoint"], headers={"Authorization": f"Bearer {access_token}"},
                          timeout=config.timeout)
        if info.get("sub") != claims["sub"]:
            raise OidcError("Thông tin người dùng không khớp với ID token.")
        claims = {**info, **claims}
    return SignInResult(claims=claims, next_url=pending.get("next", ""))


def _signing_key(token: str, *, config: ClientConfig, metadata: dict, jwks: dict | None):
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError:
        raise OidcError("ID token không đúng định dạng.") from None
    algorithm = header.get("alg")
    if algorithm not in ALLOWED_ALGORITHMS:
        raise OidcError(f"Thuật toán ký {algorithm!r} không được chấp nhận.")
    if algorithm == "HS256":
        if not config.client_secret:
            raise OidcError("ID token ký HS256 nhưng chưa cấu hình OIDC_CLIENT_SECRET.")
        return config.client_secret, algorithm
    if jwks is None:
        jwks = _http_json(metadata["jwks_uri"], timeout=config.timeout)
    try:
        key_set = jwt.PyJWKSet.from_dict(jwks)
    except jwt.PyJWTError:
        raise OidcError("Bộ khóa công khai (JWKS) của nhà cung cấp không hợp lệ.") from None
    kid = header.get("kid")
    candidates = [k for k in key_set.keys if kid is None or k.key_id == kid]
    if not candidates:
        raise OidcError("Không tìm thấy khóa ký của ID token trong JWKS.")
    return candidates[0].key, algorithm


def validate_id_token(token: str, *, config: ClientConfig, metadata: dict, nonce: str,
                      jwks: dict | None = None) -> dict:
    """Signature, iss, aud, exp (with a minute of leeway) and nonce; returns the claims. The provider's
    JWKS is fetched from its `jwks_uri` unless given."""
    key, algorithm = _signing_key(token, config=config, metadata=metadata, jwks=jwks)
    try:
        claims = jwt.decode(token, key, algorithms=[algorithm], audience=config.client_id, issuer=metadata["issuer"],
                            leeway=LEEWAY_SECONDS, options={"require": ["exp", "iat", "iss", "aud", "sub"]})
    except jwt.ExpiredSignatureError:
        raise OidcError("ID token đã hết hạn. Vui lòng đăng nhập lại.") from None
    except jwt.InvalidSignatureError:
        raise OidcError("Chữ ký của ID token không hợp lệ.") from None
    except jwt.InvalidAudienceError:
        raise OidcError("ID token không dành cho hệ thống này (aud).") from None
    except jwt.InvalidIssuerError:
        raise OidcError("ID token không do nhà cung cấp đã cấu hình phát hành (iss).") from None
    except jwt.PyJWTError as exc:
        raise OidcError(f"ID token không hợp lệ: {exc}") from None
    if not nonce or not secrets.compare_digest(str(claims.get("nonce", "")), nonce):
        raise OidcError("Nonce của ID token không khớp với yêu cầu đăng nhập.")
    return claims


def consume_nonce(nonce: str) -> None:
    """Spend a nonce once; a second ID token carrying it is a replay and is refused."""
    from django.db import IntegrityError, transaction

    from motcua.integrations.oidc.models import UsedNonce

    try:
        with transaction.atomic():
            UsedNonce.objects.create(nonce=nonce)
    except IntegrityError:
        raise OidcError("ID token đã được dùng (nonce lặp lại): yêu cầu bị từ chối.") from None
