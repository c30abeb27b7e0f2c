"""The audit log page: for the TTHC control officer and the system administrator only."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from motcua.org.audit import verify_chain
from motcua.org.forms import AuditFilterForm
from motcua.org.models import AuditEntry, User
from motcua.org.selectors import audit_diff, can_read_audit, search_audit

PAGE_SIZE = 50


def _require_audit_reader(request: HttpRequest) -> None:
    if not can_read_audit(request.user):
        raise Http404


def audit_log(request: HttpRequest) -> HttpResponse:
    _require_audit_reader(request)
    form = AuditFilterForm(
        request.GET or None,
        actions=list(AuditEntry.objects.order_by("action").values_list("action", flat=True).distinct()),
        object_types=list(AuditEntry.objects.order_by("object_type").values_list("object_type", flat=True).distinct()),
        actors=User.objects.filter(pk__in=AuditEntry.objects.filter(actor__isnull=False).values("actor"))
        .order_by("full_name", "username"),
    )
    filters = {}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = {"text": data["q"], "action": data["action"], "object_type": data["object_type"],
                   "actor": data["actor"], "date_from": data["date_from"], "date_to": data["date_to"]}
    entries = search_audit(**filters) if not form.errors else AuditEntry.objects.none()
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("trang"))
    for entry in page:
        entry.diff = audit_diff(entry.before, entry.after)
    query = request.GET.copy()
    query.pop("trang", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    template = "org/audit_log.html#results" if request.htmx and not request.htmx.boosted else "org/audit_log.html"
    return render(request, template, context)


def audit_verify(request: HttpRequest) -> HttpResponse:
    """Walks the whole chain; asked for explicitly (button, or lazily from the home page)."""
    _require_audit_reader(request)
    template = "org/audit_log.html#chain-status" if request.htmx else "org/audit_verify.html"
    return render(request, template, {"report": verify_chain()})
