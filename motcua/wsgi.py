"""WSGI entry point (`gunicorn motcua.wsgi:application`).

Two handlers over the same project, URLs and views. The public JSON API (`/api/v1/public/…`: the status
lookup by dossier code, anonymous, no session, no form) goes through `settings.MIDDLEWARE` minus what
it never uses — sessions, authentication, messages, CSRF, htmx, the login-required redirect and
WhiteNoise (static files only) — so it keeps every security header (SecurityMiddleware,
X-Frame-Options, Content-Security-Policy), the Host check (CommonMiddleware) and the language rules
(VietnameseByDefaultMiddleware, LocaleMiddleware), and any middleware added later. Everything else
goes through the whole stack. The status lookup is the busiest public endpoint (issue 7: ≥ 1,000
lookups per second); the skipped middleware cost ~0.1 ms of CPU per request (bench/README.md, http).

A view under the public prefix that needs `request.user` would see none (the API's session auth then
answers 401): put such a view elsewhere.
"""

import os

from django.core.handlers.wsgi import WSGIHandler
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")

PUBLIC_API_PREFIX = "/api/v1/public/"
NOT_FOR_PUBLIC_API = frozenset({
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
})


class PublicApiHandler(WSGIHandler):
    """A WSGIHandler whose middleware chain is `settings.MIDDLEWARE` without NOT_FOR_PUBLIC_API."""

    def load_middleware(self, is_async=False):
        from django.conf import settings

        full = settings.MIDDLEWARE
        # BaseHandler.load_middleware reads settings.MIDDLEWARE; this runs once, at start-up.
        settings.MIDDLEWARE = [path for path in full if path not in NOT_FOR_PUBLIC_API]
        try:
            super().load_middleware(is_async)
        finally:
            settings.MIDDLEWARE = full


site_application = get_wsgi_application()
public_api_application = PublicApiHandler()


def application(environ, start_response):
    if environ.get("PATH_INFO", "").startswith(PUBLIC_API_PREFIX):
        return public_api_application(environ, start_response)
    return site_application(environ, start_response)
