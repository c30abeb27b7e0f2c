from __future__ import annotations

from django.utils import timezone

from motcua.org.models import ApiToken, User


def authenticate_token(key: str) -> User | None:
    """The active person behind a bearer token, or None. Revoked tokens never authenticate."""
    if not key or not key.startswith("mc_"):
        return None
    token = ApiToken.objects.select_related("user").filter(key_hash=ApiToken.hash_key(key), revoked_at__isnull=True).first()
    if token is None or not token.user.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user
