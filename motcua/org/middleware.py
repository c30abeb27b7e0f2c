from __future__ import annotations

import ipaddress

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
    """The caller's address; behind a proxy set MOTCUA_TRUST_X_FORWARDED_FOR (see .env.example).

    Each proxy appends the address it saw to X-Forwarded-For, and a client can put anything before that,
    so the entry taken is the one the outermost trusted proxy wrote: `TRUSTED_PROXY_HOPS` (default 1)
    counted from the right. A header with fewer entries gives its leftmost one; a value that is not an IP
    address gives REMOTE_ADDR."""
    remote = request.META.get("REMOTE_ADDR") or None
    if getattr(settings, "TRUST_X_FORWARDED_FOR", False):
        entries = [e.strip() for e in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if e.strip()]
        if entries:
            hops = max(1, int(getattr(settings, "TRUSTED_PROXY_HOPS", 1)))
            candidate = entries[-min(hops, len(entries))]
            try:
                return str(ipaddress.ip_address(candidate))
            except ValueError:
                return remote
    return remote
