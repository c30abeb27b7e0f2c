"""Report pages for the catalog-based forms: Biểu II.07b (one-stop implementation) with its XLSX and
DOCX exports and the list of procedures behind every number. Thin: parameters are read by `params`
(the same period and scope as II.06a), numbers come from `onestop`."""

from __future__ import annotations

import datetime as dt

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from motcua.catalog.models import Field, PublicationDecision
from motcua.dossiers.slips import place_of
from motcua.org.models import Role
from motcua.org.selectors import roles_of, visible_units
from motcua.reports import exports_tables
from motcua.reports.onestop import (
    COLUMN_BY_KEY,
    COLUMNS,
    GROUP_LABELS,
    cell_procedures,
    onestop_table,
    versions_in_force,
)
from motcua.reports.params import ResultParams
from motcua.reports.periods import report_period
from motcua.reports.publication import COLUMN_BY_KEY as PUB_COLUMN_BY_KEY
from motcua.reports.publication import COLUMNS as PUB_COLUMNS
from motcua.reports.publication import GROUP_LABELS as PUB_GROUPS
from motcua.reports.publication import cell_decisions, cell_items, publication_table, published_versions
from motcua.reports.scope import Scope
from motcua.reports.views import (
    DOCX,
    PAGE_SIZE,
    XLSX,
    _agency_name,
    _filters_context,
    _int_or_404,
    _params,
    _refused,
)


def _group(request: HttpRequest) -> str:
    return "field" if request.GET.get("nhom") == "field" else "agency"


def as_of_day(date_to: dt.date, today: dt.date | None = None) -> dt.date:
    """The day the catalog is read on: the period's last day, never later than today."""
    return min(date_to, today or timezone.localdate())


def catalog_versions(user, scope: Scope, as_of: dt.date):
    """Versions in force that the person may report on: their agency is one of the person's units."""
    everything = user.is_superuser or Role.SYSTEM_ADMIN in roles_of(user)
    return versions_in_force(as_of, units=None if everything else visible_units(user), unit=scope.unit,
                             field_id=scope.field.pk if scope.field else None)


def _table(request: HttpRequest, params: ResultParams):
    as_of = as_of_day(params.period.date_to)
    return onestop_table(catalog_versions(request.user, params.scope, as_of), as_of, group=_group(request))


def _query(params: ResultParams, group: str, **extra) -> str:
    return params.query(nhom=group, **extra)


def onestop_page(request: HttpRequest) -> HttpResponse:
    params = _params(request)
    table = _table(request, params)
    cell_url = reverse("reports_onestop_cell")
    rows = []
    for row in [*table.rows, table.total]:
        key = None if row.key is None else str(row.key)
        rows.append({"row": row, "total": row is table.total, "cells": [
            {"value": row.shown(c.key, table.district_abolished), "column": c,
             "url": f"{cell_url}?{_query(params, table.group, cot=c.key, khoa=key)}"} for c in COLUMNS]})
    filters = _filters_context(request)
    filters["groups"] = GROUP_LABELS
    return render(request, "reports/onestop.html", {
        "params": params, "table": table, "rows": rows, "query": _query(params, table.group),
        "colnos": range(1, 15), "group_label": GROUP_LABELS[table.group], "notes": exports_tables.notes(table),
        "group": table.group, **filters})


def _file(content: bytes, content_type: str, params: ResultParams, ext: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    stem = f"bieu-II07b-{params.period.date_from:%Y%m%d}-{params.period.date_to:%Y%m%d}"
    response["Content-Disposition"] = f'attachment; filename="{stem}.{ext}"'
    return response


def onestop_xlsx(request: HttpRequest) -> HttpResponse:
    params = _params(request)
    if (refusal := _refused(params)) is not None:
        return refusal
    table = _table(request, params)
    _unit, name = _agency_name(request, params)
    return _file(exports_tables.onestop_xlsx(table, period=params.period, agency_name=name), XLSX, params, "xlsx")


def onestop_docx(request: HttpRequest) -> HttpResponse:
    params = _params(request)
    if (refusal := _refused(params)) is not None:
        return refusal
    table = _table(request, params)
    unit, name = _agency_name(request, params)
    content = exports_tables.onestop_docx(table, period=params.period, agency=unit, agency_name=name,
                                          place=place_of(unit) if unit else "")
    return _file(content, DOCX, params, "docx")


def onestop_cell(request: HttpRequest) -> HttpResponse:
    params = _params(request)
    key = request.GET.get("cot", "")
    if key not in COLUMN_BY_KEY:
        raise Http404("Không có cột này trong biểu.")
    group_value = _int_or_404(request.GET.get("khoa"))
    table = _table(request, params)
    procedures = cell_procedures(table, key, group_value)
    column = COLUMN_BY_KEY[key]
    label = "Tổng cộng"
    if group_value is not None:
        row = next((r for r in table.rows if r.key == group_value), None)
        if row is None and table.group == "field":
            label = Field.objects.filter(pk=group_value).values_list("name", flat=True).first() or "—"
        else:
            label = row.label if row else "—"
    page = Paginator(procedures, PAGE_SIZE).get_page(request.GET.get("trang"))
    query = request.GET.copy()
    query.pop("trang", None)
    return render(request, "reports/procedure_list.html", {
        "title": f"Cột ({column.number}) {column.group} – {column.label}",
        "subtitle": f"{GROUP_LABELS[table.group]}: {label} · danh mục có hiệu lực ngày {table.as_of:%d/%m/%Y}",
        "page": page, "query": query.urlencode(),
        "back": f"{reverse('reports_onestop')}?{_query(params, table.group)}"})


# --- Publication of TTHC (content of Biểu II.02a) -----------------------------------------------------

def published_catalog(user, scope: Scope, period):
    """Versions published in the period that the person may report on (their agency is one of the person's)."""
    everything = user.is_superuser or Role.SYSTEM_ADMIN in roles_of(user)
    return published_versions(period, units=None if everything else visible_units(user), unit=scope.unit,
                              field_id=scope.field.pk if scope.field else None)


def _publication(request: HttpRequest, params: ResultParams):
    return publication_table(published_catalog(request.user, params.scope, params.period), params.period,
                             group=_group(request))


def _latest_year(request: HttpRequest) -> int | None:
    """The latest year with a publication decision — offered when the period shown has none."""
    day = PublicationDecision.objects.filter(signed_on__lte=timezone.localdate()).order_by("-signed_on") \
        .values_list("signed_on", flat=True).first()
    if day is None:
        return None
    year = report_period("year", day.year)
    return day.year if day <= year.date_to else day.year + 1


def publication_page(request: HttpRequest) -> HttpResponse:
    params = _params(request)
    table = _publication(request, params)
    cell_url = reverse("reports_publication_cell")
    rows = []
    for row in [*table.rows, table.total]:
        key = None if row.key is None else str(row.key)
        rows.append({"row": row, "total": row is table.total, "cells": [
            {"value": row.values[c.key], "column": c,
             "url": f"{cell_url}?{_query(params, table.group, cot=c.key, khoa=key)}"} for c in PUB_COLUMNS]})
    filters = _filters_context(request)
    filters["groups"] = PUB_GROUPS
    return render(request, "reports/publication.html", {
        "params": params, "table": table, "rows": rows, "query": _query(params, table.group),
        "colnos": range(1, 12), "group_label": PUB_GROUPS[table.group], "group": table.group,
        "notes": exports_tables.publication_notes(table), "latest_year": None if table.items else _latest_year(request),
        **filters})


def publication_xlsx(request: HttpRequest) -> HttpResponse:
    params = _params(request)
    if (refusal := _refused(params)) is not None:
        return refusal
    table = _publication(request, params)
    _unit, name = _agency_name(request, params)
    response = HttpResponse(exports_tables.publication_xlsx(table, agency_name=name), content_type=XLSX)
    stem = f"cong-bo-tthc-{params.period.date_from:%Y%m%d}-{params.period.date_to:%Y%m%d}"
    response["Content-Disposition"] = f'attachment; filename="{stem}.xlsx"'
    return response


def publication_cell(request: HttpRequest) -> HttpResponse:
    params = _params(request)
    key = request.GET.get("cot", "")
    if key not in PUB_COLUMN_BY_KEY:
        raise Http404("Không có cột này trong biểu.")
    group_value = _int_or_404(request.GET.get("khoa"))
    table = _publication(request, params)
    items = cell_items(table, key, group_value)
    column = PUB_COLUMN_BY_KEY[key]
    row = next((r for r in table.rows if r.key == group_value), None)
    label = "Tổng cộng" if group_value is None else (row.label if row else "—")
    decisions = cell_decisions(items) if key == "c3" else None
    page = Paginator(decisions if decisions is not None else items, PAGE_SIZE).get_page(request.GET.get("trang"))
    query = request.GET.copy()
    query.pop("trang", None)
    return render(request, "reports/publication_list.html", {
        "title": f"Cột ({column.number}) {column.group} – {column.label}",
        "subtitle": f"{PUB_GROUPS[table.group]}: {label} · {params.period.title}", "decisions": decisions is not None,
        "page": page, "query": query.urlencode(),
        "back": f"{reverse('reports_publication')}?{_query(params, table.group)}"})


def publication_docx(request: HttpRequest) -> HttpResponse:
    params = _params(request)
    if (refusal := _refused(params)) is not None:
        return refusal
    table = _publication(request, params)
    unit, name = _agency_name(request, params)
    response = HttpResponse(exports_tables.publication_docx(table, agency=unit, agency_name=name,
                                                            place=place_of(unit) if unit else ""), content_type=DOCX)
    stem = f"cong-bo-tthc-{params.period.date_from:%Y%m%d}-{params.period.date_to:%Y%m%d}"
    response["Content-Disposition"] = f'attachment; filename="{stem}.docx"'
    return response
