from __future__ import annotations

from django.conf import settings


class ContentSecurityPolicyMiddleware:
    """Adds the Content-Security-Policy header: own origin only, so no CDN can sneak in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.CONTENT_SECURITY_POLICY and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = settings.CONTENT_SECURITY_POLICY
        return response


class VietnameseByDefaultMiddleware:
    """The interface is Vietnamese unless the person picks another language (the header's language
    switch sets a cookie). Browsers on Vietnamese officers' machines often send `Accept-Language: en-US`;
    that must not switch a Vietnamese agency's interface to English. Runs before LocaleMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


def client_ip(request) -> str | None:
    """The caller's address; behind a proxy set MOTCUA_TRUST_X_FORWARDED_FOR (see .env.example)."""
    if getattr(settings, "TRUST_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR") or None
