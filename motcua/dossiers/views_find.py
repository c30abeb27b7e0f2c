"""The officer's "Tìm hồ sơ theo mã" box (header and one-stop home): exact code or scanned status URL →
the dossier page; part of a code → a short list; nothing the person may not see is named."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from motcua.dossiers.find import MIN_PARTIAL, find_dossiers


def find_dossier(request: HttpRequest) -> HttpResponse:
    raw = request.GET.get("ma", "")
    result = find_dossiers(request.user, raw)
    if result.dossier is not None:
        return redirect("dossiers_detail", code=result.dossier.code)
    return render(request, "dossiers/find.html", {
        "raw": raw.strip(), "result": result, "searched": bool(raw.strip()),
        "too_short": bool(raw.strip()) and len(result.query) < MIN_PARTIAL,
    }, status=404 if raw.strip() and not result.matches else 200)
