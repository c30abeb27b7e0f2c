"""Walk every URL pattern: only the explicit public allow-list answers without sign-in."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

# Patterns that must be reachable without signing in. Anything else redirects to login (HTML)
# or answers 401 (API).
PUBLIC = {"login", "healthz", "set_language", "catalog_public_list", "catalog_public_detail",
          "catalog_form_download", "catalog_listing_board", "api_procedure_list", "api_procedure_detail",
          "api_calendar_due",
          "oidc_start", "oidc_callback", "oidc_dev_discovery", "oidc_dev_authorize", "oidc_dev_token",
          "oidc_dev_userinfo", "oidc_dev_jwks",
          "payments_return", "payments_ipn", "payments_sandbox_pay", "payments_sandbox_query",
          "portal_home", "portal_procedure", "portal_board", "portal_feedback", "portal_lookup", "api_public_status",
          "favicon"}
API_PUBLIC = {"api/v1/openapi.json", "api/v1/docs"}


def walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p


def concrete(route: str) -> str:
    import re

    route = route.lstrip("^").rstrip("$").replace("\\Z", "").replace("\\/", "/")
    route = re.sub(r"<(?:(\w+):)?(\w+)>", lambda m: "1" if (m.group(1) in {"int", None}) else "x", route)
    route = re.sub(r"\(\?P<\w+>[^)]*\)", "1", route)
    return "/" + route


@pytest.mark.django_db
def test_every_url_requires_sign_in_except_the_allow_list(client):
    checked = 0
    for route, pattern in walk(get_resolver().url_patterns):
        if route.startswith("quan-tri/"):
            continue  # Django admin has its own staff login, tested below
        url = concrete(route)
        if pattern.name in PUBLIC or route.rstrip("/") in API_PUBLIC:
            continue
        response = client.get(url)
        checked += 1
        if route.startswith("api/"):
            assert response.status_code in {401, 404, 405}, (url, response.status_code)
        else:
            assert response.status_code in {302, 405}, (url, response.status_code)
            if response.status_code == 302:
                assert "/dang-nhap/" in response["Location"], url
    assert checked >= 2


@pytest.mark.django_db
def test_public_allow_list_answers_without_sign_in(client):
    assert client.get("/dang-nhap/").status_code == 200
    assert client.get("/healthz").status_code == 200
    assert client.get("/api/v1/openapi.json").status_code == 200


@pytest.mark.django_db
def test_admin_is_for_system_administrators_only(client, clerk, sysadmin):
    client.force_login(clerk)
    assert client.get("/quan-tri/").status_code == 302
    client.force_login(sysadmin)
    assert client.get("/quan-tri/").status_code == 200
