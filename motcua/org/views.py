from __future__ import annotations

from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from motcua.org.forms import LoginForm
from motcua.org.home import sections_for
from motcua.org.selectors import grants_of, roles_of


@login_not_required
@never_cache
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    form = LoginForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        auth_login(request, form.user)
        target = request.POST.get("next") or request.GET.get("next") or ""
        if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
            return redirect(target)
        return redirect("home")
    return render(request, "org/login.html", {"form": form, "next": request.GET.get("next", "")},
                  status=200 if not form.errors else 400)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    auth_logout(request)
    return redirect("login")


def home(request: HttpRequest) -> HttpResponse:
    """Each person's home: their roles today, then the sections apps registered for those roles."""
    roles = roles_of(request.user)
    context = {
        "grants": grants_of(request.user),
        "roles": roles,
        "home_sections": sections_for(request, roles),
    }
    return render(request, "org/home.html", context)


@login_not_required
def healthz(request: HttpRequest) -> HttpResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # a health check reports every failure, whatever its kind
        return JsonResponse({"status": "error", "database": str(exc)[:200]}, status=503)
    return JsonResponse({"status": "ok", "database": connection.vendor})
