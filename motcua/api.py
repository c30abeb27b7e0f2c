"""The JSON API under /api/v1/: joins the routers of the apps.

Authentication: `Authorization: Bearer <token>` (tokens from `manage.py create_api_token`), or the
signed-in browser session. Each router scopes its data by the caller's roles and units.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from ninja import NinjaAPI
from ninja.security import APIKeyCookie, HttpBearer

from motcua.catalog.api import router as catalog_router
from motcua.dossiers.api import router as dossiers_router
from motcua.dossiers.api_processing import router as processing_router
from motcua.org.api import router as org_router
from motcua.org.calendar_api import router as calendar_router
from motcua.org.tokens import authenticate_token
from motcua.portal.api import router as portal_router
from motcua.reports.api import router as reports_router


class BearerToken(HttpBearer):
    def authenticate(self, request, token: str):
        user = authenticate_token(token)
        if user is not None:
            request.user = user
        return user


class SessionAuth(APIKeyCookie):
    param_name = "sessionid"

    def authenticate(self, request, key):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return user
        return None


api = NinjaAPI(
    title="Một Cửa API",
    version="1",
    description="API của hệ thống Một Cửa: danh mục TTHC, hồ sơ, lịch làm việc, báo cáo.",
    auth=[BearerToken(), SessionAuth()],
    urls_namespace="api",
)
api.add_router("/", org_router)
api.add_router("/", catalog_router)
api.add_router("/", dossiers_router)
api.add_router("/", processing_router)
api.add_router("/", calendar_router)
api.add_router("/", reports_router)
api.add_router("/", portal_router)



def public_api_urls():
    """The API authenticates every call itself (401 without a token), so the site's
    login-required middleware must not redirect API calls to the sign-in page."""
    patterns, app_name, namespace = api.urls

    def exempt(items):
        for item in items:
            if getattr(item, "url_patterns", None) is not None:
                exempt(item.url_patterns)
            elif getattr(item, "callback", None) is not None:
                item.callback = login_not_required(item.callback)

    exempt(patterns)
    return patterns, app_name, namespace
