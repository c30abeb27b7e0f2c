"""Citizen sign-in with the national e-ID (VNeID) through OpenID Connect, and the local provider's pages."""

from __future__ import annotations

import urllib.parse

from django.conf import settings
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from motcua.integrations.oidc import client, provider
from motcua.integrations.oidc.actions import sign_in_citizen
from motcua.lib.identifiers import personal_id_problem
from motcua.lib.text import nfc
from motcua.org.middleware import client_ip


def _error(request: HttpRequest, message: str, status: int = 400) -> HttpResponse:
    return render(request, "integrations/oidc/error.html", {"message": message}, status=status)


@login_not_required
@never_cache
@require_GET
def vneid_start(request: HttpRequest) -> HttpResponse:
    if not client.is_configured():
        return _error(request, _("Chưa cấu hình đăng nhập bằng tài khoản định danh điện tử (OIDC_ISSUER)."), 503)
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = ""
    try:
        return redirect(client.begin(request.session, next_url=next_url))
    except client.OidcError as exc:
        return _error(request, str(exc), 502)


@login_not_required
@never_cache
@require_GET
def vneid_callback(request: HttpRequest) -> HttpResponse:
    try:
        result = client.complete(request.session, request.GET)
        user = sign_in_citizen(issuer=settings.OIDC_ISSUER.rstrip("/"), claims=result.claims, ip=client_ip(request))
    except client.OidcError as exc:
        return _error(request, str(exc))
    auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    if result.next_url and url_has_allowed_host_and_scheme(result.next_url, {request.get_host()}, request.is_secure()):
        return redirect(result.next_url)
    return redirect("home")


# ---- the local development provider ----------------------------------------------------------------

def _dev_only(view):
    def wrapped(request, *args, **kwargs):
        if not settings.OIDC_DEV_PROVIDER_ENABLED:
            raise Http404("OIDC_DEV_PROVIDER_ENABLED=false")
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _issuer(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("oidc_dev_discovery")).removesuffix("/.well-known/openid-configuration")


def _provider_error(exc: provider.ProviderError, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": exc.error, "error_description": exc.description}, status=status)


@login_not_required
@require_GET
@_dev_only
def dev_discovery(request: HttpRequest) -> JsonResponse:
    return JsonResponse(provider.metadata(_issuer(request)))


@login_not_required
@require_GET
@_dev_only
def dev_jwks(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"keys": [provider.public_jwk()]})


AUTHORIZE_PARAMS = ("client_id", "redirect_uri", "response_type", "scope", "state", "nonce", "code_challenge",
                    "code_challenge_method")


@login_not_required
@never_cache
@_dev_only
def dev_authorize(request: HttpRequest) -> HttpResponse:
    """The provider's sign-in page: choose a demo citizen or type a personal ID and a name."""
    source = request.POST if request.method == "POST" else request.GET
    params = {key: source.get(key, "") for key in AUTHORIZE_PARAMS}
    try:
        provider.check_authorize_request(params)
    except provider.ProviderError as exc:
        return render(request, "integrations/oidc/dev_authorize.html", {"fatal": exc.description}, status=400)
    errors: dict[str, str] = {}
    typed = {"personal_id": "", "name": "", "phone_number": "", "email": ""}
    if request.method == "POST":
        if request.POST.get("action") == "cancel":
            return redirect(_back(params, error="access_denied", error_description="Người dùng hủy đăng nhập"))
        chosen = request.POST.get("demo", "")
        person = next((p for p in provider.DEMO_CITIZENS if p["personal_id"] == chosen), None)
        if person is None:
            typed = {key: nfc(request.POST.get(key, "")).strip() for key in typed}
            problem = personal_id_problem(typed["personal_id"])
            if problem:
                errors["personal_id"] = problem
            if not typed["name"]:
                errors["name"] = _("Vui lòng nhập họ và tên.")
            person = typed
        if not errors:
            grant = provider.create_grant(params, person)
            return redirect(_back(params, code=grant.code))
    return render(request, "integrations/oidc/dev_authorize.html",
                  {"params": params, "citizens": provider.DEMO_CITIZENS, "errors": errors, "typed": typed},
                  status=400 if errors else 200)


def _back(params: dict, **values) -> str:
    query = {**values}
    if params.get("state"):
        query["state"] = params["state"]
    separator = "&" if "?" in params["redirect_uri"] else "?"
    return f"{params['redirect_uri']}{separator}{urllib.parse.urlencode(query)}"


@login_not_required
@csrf_exempt
@require_POST
@_dev_only
def dev_token(request: HttpRequest) -> JsonResponse:
    try:
        tokens = provider.exchange(request, _issuer(request))
    except provider.ProviderError as exc:
        return _provider_error(exc, 401 if exc.error == "invalid_client" else 400)
    response = JsonResponse(tokens)
    response["Cache-Control"] = "no-store"
    return response


@login_not_required
@require_GET
@_dev_only
def dev_userinfo(request: HttpRequest) -> JsonResponse:
    try:
        return JsonResponse(provider.userinfo(request))
    except provider.ProviderError as exc:
        response = _provider_error(exc, 401)
        response["WWW-Authenticate"] = 'Bearer error="invalid_token"'
        return response
