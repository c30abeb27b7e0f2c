"""Report pages under /bao-cao/: the results table (Biểu II.06a) with exports, the KPI dashboard, the
QĐ 766 index, the dossier lists behind every number, and the ad-hoc export. Thin: parameters are read
by `params`, numbers come from `results`, `kpi`, `index766`."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qsl

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog.models import Field
from motcua.dossiers.slips import place_of
from motcua.org.models import Unit
from motcua.org.selectors import visible_units
from motcua.reports import charts, export_jobs, exports
from motcua.reports.index766 import (
    definitions,
    index_766,
    indicator_dossiers,
    indicator_feedback,
    indicator_procedures,
)
from motcua.reports.kpi import KPI_BY_KEY, kpi_dashboard, kpi_dossiers, kpi_procedures
from motcua.reports.onestop import procedure_facts
from motcua.reports.params import ResultParams, parse_result_params
from motcua.reports.periods import KIND_LABELS, KINDS, PeriodError, month_period, parse_month
from motcua.reports.results import COLUMN_BY_KEY, COLUMNS, GROUP_LABELS, GROUPS, cell_dossiers, results_table
from motcua.reports.scope import (
    NotVisible,
    catalog_units,
    may_report,
    report_dossiers,
    resolve_scope,
    visible_agencies,
)

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _guard(request: HttpRequest) -> None:
    if not may_report(request.user):
        raise Http404(_("Trang này dành cho cán bộ kiểm soát TTHC và lãnh đạo."))


def _params(request: HttpRequest) -> ResultParams:
    _guard(request)
    params = parse_result_params(request.user, request.GET)
    if "scope" in params.errors:
        raise Http404(params.errors["scope"])
    return params


def _refused(params: ResultParams) -> HttpResponse | None:
    """An export with a bad period is refused with the reason — never a file for another period."""
    if params.errors:
        return HttpResponse(_("Không xuất được tệp: %(reasons)s") % {"reasons": " ".join(params.errors.values())},
                            status=400,
                            content_type="text/plain; charset=utf-8")
    return None


def _agency_name(request: HttpRequest, params: ResultParams) -> tuple[Unit | None, str]:
    unit = params.scope.unit or visible_units(request.user).order_by("depth", "path").first()
    return unit, unit.name if unit else ""


def _filters_context(request: HttpRequest) -> dict:
    return {"units": visible_units(request.user).order_by("path").only("code", "name", "depth"),
            "fields": Field.objects.order_by("name").only("code", "name"), "groups": GROUP_LABELS,
            "kinds": [(k, KIND_LABELS[k]) for k in KINDS]}


def results_page(request: HttpRequest) -> HttpResponse:
    params = _params(request)
    table = results_table(report_dossiers(request.user, params.scope), params.period, group=params.group,
                          rules=params.rules)
    query = params.query()
    cell_url = reverse("reports_results_cell")
    rows = []
    for row in [*table.rows, table.total]:
        key = "" if row.key is None else str(row.key)
        rows.append({"row": row, "total": row is table.total, "cells": [
            {"value": row.values[c.key], "column": c,
             "url": f"{cell_url}?{params.query(cot=c.key, khoa=key or None)}"} for c in COLUMNS]})
    return render(request, "reports/results.html", {
        "params": params, "table": table, "rows": rows, "columns": COLUMNS, "query": query, "colnos": range(1, 14),
        "group_label": GROUP_LABELS[params.group], **_filters_context(request),
    })


def results_xlsx(request: HttpRequest) -> HttpResponse:
    params = _params(request)
    if (refusal := _refused(params)) is not None:
        return refusal
    table = results_table(report_dossiers(request.user, params.scope), params.period, group=params.group,
                          rules=params.rules)
    _unit, name = _agency_name(request, params)
    response = HttpResponse(exports.results_xlsx(table, agency_name=name), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{_stem(params)}.xlsx"'
    return response


def results_docx(request: HttpRequest) -> HttpResponse:
    params = _params(request)
    if (refusal := _refused(params)) is not None:
        return refusal
    table = results_table(report_dossiers(request.user, params.scope), params.period, group=params.group,
                          rules=params.rules)
    unit, name = _agency_name(request, params)
    response = HttpResponse(exports.results_docx(table, agency=unit, agency_name=name,
                                                 place=place_of(unit) if unit else ""), content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="{_stem(params)}.docx"'
    return response


def _stem(params: ResultParams) -> str:
    return f"bieu-II06a-{params.period.date_from:%Y%m%d}-{params.period.date_to:%Y%m%d}"


def _int_or_404(value: str | None) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(value)
    except ValueError:
        raise Http404(_("Tham số không hợp lệ.")) from None


def _part_label(part: str) -> str:
    """The numerator ("num") or the denominator of a ratio, as the drill-down titles name it."""
    return _("Tử số") if part == "num" else _("Mẫu số")


def _part_title(label: str, part: str) -> str:
    return _("%(indicator)s – %(part)s") % {"indicator": label, "part": _part_label(part)}


def _month_label(year: int, month: int) -> str:
    return _("Tháng %(month)02d/%(year)d") % {"month": month, "year": year}


def _when(year: int, month: int | None) -> str:
    """A drill-down's period: one month of the year, or the whole year."""
    if month:
        return _("tháng %(month)02d/%(year)d") % {"month": month, "year": year}
    return _("năm %(year)d") % {"year": year}


def _with_unit(text: str, scope) -> str:
    return f"{text} · {scope.unit.name}" if scope.unit else text


def _dossier_list(request: HttpRequest, qs, *, title: str, subtitle: str, back: str) -> HttpResponse:
    qs = qs.select_related("version__procedure", "handling_unit").order_by("received_at", "id")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("trang"))
    query = request.GET.copy()
    query.pop("trang", None)
    return render(request, "reports/dossier_list.html", {
        "title": title, "subtitle": subtitle, "page": page, "query": query.urlencode(), "back": back})


def results_cell(request: HttpRequest) -> HttpResponse:
    params = _params(request)
    key = request.GET.get("cot", "")
    if key not in COLUMN_BY_KEY:
        raise Http404(_("Không có cột này trong biểu."))
    group_value = _int_or_404(request.GET.get("khoa"))
    qs = cell_dossiers(report_dossiers(request.user, params.scope), params.period, key, group=params.group,
                       group_value=group_value, rules=params.rules)
    column = COLUMN_BY_KEY[key]
    label = _("Tổng cộng")
    if group_value is not None:
        model = Field if params.group == "field" else Unit
        label = model.objects.filter(pk=group_value).values_list("name", flat=True).first() or "—"
    return _dossier_list(request, qs, title=_("Cột (%(number)s) %(group)s – %(label)s")
                         % {"number": column.number, "group": column.group, "label": column.label},
                         subtitle=f"{GROUP_LABELS[params.group]}: {label} · {params.period.title}",
                         back=f"{reverse('reports_results')}?{params.query()}")


# --- KPI ---------------------------------------------------------------------------------------------

def _year(request: HttpRequest) -> tuple[int, str]:
    today = timezone.localdate()
    raw = (request.GET.get("nam") or "").strip()
    if not raw:
        return today.year, ""
    try:
        year = int(raw)
    except ValueError:
        return today.year, _("Năm “%(year)s” không hợp lệ.") % {"year": raw}
    if year > today.year or year < 2000:
        return today.year, (_("Năm %(year)s chưa có số liệu (chọn từ 2000 đến %(last)s).")
                            % {"year": year, "last": today.year})
    return year, ""


def _unit_scope(request: HttpRequest):
    try:
        return resolve_scope(request.user, unit_code=request.GET.get("co-quan", ""))
    except NotVisible as exc:
        raise Http404(str(exc)) from None


def kpi_page(request: HttpRequest) -> HttpResponse:
    _guard(request)
    year, error = _year(request)
    scope = _unit_scope(request)
    values, targets = kpi_dashboard(report_dossiers(request.user, scope), year, unit=scope.unit,
                                    units=catalog_units(request.user))
    unit_part = f"&co-quan={scope.unit.code}" if scope.unit else ""
    cards = []
    for item in values:
        link = (item.definition.measure is not None or item.definition.kind == "procedures") and not item.no_data
        cell = reverse("reports_kpi_procedures" if item.definition.kind == "procedures" else "reports_kpi_cell")
        cards.append({
            "item": item, "chart": charts.trend(item.months, target=item.target) if item.months else None,
            "num_url": f"{cell}?chi-tieu={item.definition.key}&nam={year}&phan=num{unit_part}" if link else "",
            "den_url": f"{cell}?chi-tieu={item.definition.key}&nam={year}&phan=den{unit_part}" if link else "",
            "months": [{**m, "url": f"{cell}?chi-tieu={item.definition.key}&nam={year}&thang={m['month']}"
                        f"&phan=num{unit_part}" if link else ""} for m in item.months],
        })
    # An invalid year keeps what the person typed in the form, with the reason beside it; the cards then
    # show the current year's numbers, and the heading says which year they are.
    typed = (request.GET.get("nam") or "").strip() if error else str(year)
    return render(request, "reports/kpi.html", {
        "year": year, "typed_year": typed, "error": error, "cards": cards, "targets": targets, "scope": scope,
        "units": visible_units(request.user).order_by("path").only("code", "name", "depth")})


def kpi_cell(request: HttpRequest) -> HttpResponse:
    _guard(request)
    key = request.GET.get("chi-tieu", "")
    definition = KPI_BY_KEY.get(key)
    if definition is None or definition.measure is None:
        raise Http404(_("Chỉ tiêu này không có danh sách hồ sơ."))
    year, error = _year(request)
    if error:
        raise Http404(error)
    month = _int_or_404(request.GET.get("thang"))
    if month is not None and not 1 <= month <= 12:
        raise Http404(_("Tháng không hợp lệ."))
    part = "num" if request.GET.get("phan") == "num" else "den"
    scope = _unit_scope(request)
    qs = kpi_dossiers(report_dossiers(request.user, scope), key, year, part, month)
    return _dossier_list(request, qs, title=_part_title(definition.label, part), subtitle=_when(year, month),
                         back=f"{reverse('reports_kpi')}?nam={year}")


def kpi_procedures_page(request: HttpRequest) -> HttpResponse:
    """The procedures behind the fee-bearing KPI (its numbers count procedures, not dossiers)."""
    _guard(request)
    definition = KPI_BY_KEY.get(request.GET.get("chi-tieu", "online_payment_procedures"))
    if definition is None or definition.kind != "procedures":
        raise Http404(_("Chỉ tiêu này không có danh sách thủ tục."))
    year, error = _year(request)
    if error:
        raise Http404(error)
    month = _int_or_404(request.GET.get("thang"))
    if month is not None and not 1 <= month <= 12:
        raise Http404(_("Tháng không hợp lệ."))
    part = "num" if request.GET.get("phan") == "num" else "den"
    scope = _unit_scope(request)
    today = timezone.localdate()
    versions = kpi_procedures(report_dossiers(request.user, scope), year, part, unit=scope.unit,
                              units=catalog_units(request.user), month=month, today=today)
    facts = procedure_facts(versions, min(dt.date(year, 12, 31), today))
    page = Paginator(facts, PAGE_SIZE).get_page(request.GET.get("trang"))
    query = request.GET.copy()
    query.pop("trang", None)
    return render(request, "reports/procedure_list.html", {
        "title": _part_title(definition.label, part),
        "subtitle": _with_unit(_when(year, month), scope), "page": page,
        "query": query.urlencode(), "back": f"{reverse('reports_kpi')}?nam={year}"})


# --- QĐ 766 ------------------------------------------------------------------------------------------

def _month(request: HttpRequest) -> tuple[int, int, str]:
    today = timezone.localdate()
    raw = (request.GET.get("thang") or "").strip()
    if not raw:
        return today.year, today.month, ""
    try:
        year, month = parse_month(raw)
    except PeriodError as exc:
        return today.year, today.month, str(exc)
    if dt.date(year, month, 1) > today:
        return today.year, today.month, (_("Tháng %(month)02d/%(year)d chưa đến: chưa có số liệu.")
                                          % {"month": month, "year": year})
    return year, month, ""


def index766_page(request: HttpRequest) -> HttpResponse:
    _guard(request)
    year, month, error = _month(request)
    scope = _unit_scope(request)
    agencies = list(visible_agencies(request.user).exclude(kind=Unit.Kind.PROVINCE))
    groups, ranked = index_766(report_dossiers(request.user), agencies, year, month)
    shown = [r for r in ranked if scope.unit is None or r.agency.pk == scope.unit.pk]
    cell = reverse("reports_index766_cell")
    # An unusable month keeps what the person typed in the form, with the reason beside it; the tables then
    # show the current month's numbers, and the page says which month they are.
    typed = (request.GET.get("thang") or "").strip() if error else f"{year}-{month:02d}"
    return render(request, "reports/index766.html", {
        "year": year, "month": month, "error": error, "typed_month": typed, "groups": groups, "ranked": ranked, "shown": shown,
        "ranking": [{"index": r, "groups": [r.group_points(g.key) for g in groups]} for r in ranked],
        "indicators": definitions()[1], "scope": scope, "cell": cell, "month_param": f"{year}-{month:02d}",
        "agencies": agencies})


def index766_cell(request: HttpRequest) -> HttpResponse:
    _guard(request)
    year, month, error = _month(request)
    if error:
        raise Http404(error)
    scope = _unit_scope(request)
    part = "num" if request.GET.get("phan") == "num" else "den"
    indicator_id = request.GET.get("chi-so", "")
    indicator = next((i for i in definitions()[1] if i.id == indicator_id), None)
    if indicator is not None and indicator.counts in {"procedures", "feedback"}:
        return _index766_list(request, indicator, scope, year, month, part)
    try:
        qs = indicator_dossiers(report_dossiers(request.user, scope), indicator_id, year, month, part)
    except (KeyError, StopIteration):
        raise Http404(_("Chỉ số này không tính trên hồ sơ.")) from None
    if scope.unit is not None:
        qs = qs.filter(agency__path__startswith=scope.unit.path)
    title = _("Chỉ số %(id)s – %(part)s") % {"id": indicator_id, "part": _part_label(part)}
    return _dossier_list(request, qs, title=title, subtitle=_with_unit(_month_label(year, month), scope),
                         back=f"{reverse('reports_index766')}?thang={year}-{month:02d}")


def _index766_list(request: HttpRequest, indicator, scope, year: int, month: int, part: str) -> HttpResponse:
    """The procedures (1.3, 3.1, 3.2, 3.5) or the feedback (5.1) behind an indicator's number, for one ranked
    agency the person may see (none given: all of them) — the rows the index counted."""
    agencies = list(visible_agencies(request.user).exclude(kind=Unit.Kind.PROVINCE))
    if scope.unit is not None and all(a.pk != scope.unit.pk for a in agencies):
        raise Http404(_("“%(unit)s” không phải cơ quan được xếp hạng.") % {"unit": scope.unit.name})
    try:
        if indicator.counts == "procedures":
            rows = indicator_procedures(report_dossiers(request.user), indicator.id, year, month, part,
                                        agency=scope.unit, agencies=agencies)
        else:
            rows = (indicator_feedback(indicator.id, year, month, part, agency=scope.unit, agencies=agencies)
                    .select_related("agency").order_by("created_at", "id"))
    except KeyError:
        raise Http404(_("Chỉ số này không có danh sách trong tháng đã chọn.")) from None
    if indicator.counts == "procedures":
        rows = procedure_facts(rows, month_period(year, month).date_to)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("trang"))
    query = request.GET.copy()
    query.pop("trang", None)
    back = f"{reverse('reports_index766')}?thang={year}-{month:02d}" + (
        f"&co-quan={scope.unit.code}" if scope.unit else "")
    return render(request, "reports/procedure_list.html" if indicator.counts == "procedures"
                  else "reports/feedback_list.html", {
                      "title": _("Chỉ số %(id)s %(name)s – %(part)s")
                      % {"id": indicator.id, "name": indicator.name, "part": _part_label(part)},
                      "subtitle": _with_unit(_month_label(year, month), scope),
                      "page": page, "query": query.urlencode(), "back": back})


# --- Ad-hoc export -----------------------------------------------------------------------------------

def adhoc_page(request: HttpRequest) -> HttpResponse:
    params = _params(request)
    qs = cell_dossiers(report_dossiers(request.user, params.scope), params.period, "c3", rules=params.rules)
    column = GROUPS[params.group][0]
    grouped = _grouped(qs, params.group, column)
    total = sum(n for _l, n in grouped)
    return render(request, "reports/adhoc.html", {
        "params": params, "grouped": grouped, "total": total, "query": params.query(),
        "background": total > settings.EXPORT_BACKGROUND_THRESHOLD, "export_fields": parse_qsl(params.query()),
        "threshold": settings.EXPORT_BACKGROUND_THRESHOLD, "group_label": GROUP_LABELS[params.group],
        **_filters_context(request)})


def _grouped(qs, group: str, column: str) -> list[tuple[str, int]]:
    rows = list(qs.order_by().values(column).annotate(n=Count("pk")))
    model = Field if group == "field" else Unit
    names = dict(model.objects.filter(pk__in=[r[column] for r in rows]).values_list("pk", "name"))
    return sorted(((names.get(r[column], "—"), r["n"]) for r in rows), key=lambda item: item[0])


def adhoc_export(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    params = _params(request)
    if (refusal := _refused(params)) is not None:
        return refusal
    qs = cell_dossiers(report_dossiers(request.user, params.scope), params.period, "c3", rules=params.rules)
    fmt = request.GET.get("dinh-dang", "csv")
    if request.GET.get("gop") != "1" and export_jobs.is_large(qs):
        # Too many rows for a request: the page offers the background export instead (a POST).
        messages.info(request, export_jobs.too_large_message())
        return redirect(f"{reverse('reports_adhoc')}?{params.query()}")
    stem = f"ho-so-{params.period.date_from:%Y%m%d}-{params.period.date_to:%Y%m%d}"
    if request.GET.get("gop") == "1":
        rows = _grouped(qs, params.group, GROUPS[params.group][0])
        response = StreamingHttpResponse(exports.adhoc_groups_csv(rows, GROUP_LABELS[params.group]),
                                         content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{stem}-theo-nhom.csv"'
        return response
    if fmt == "xlsx":
        response = StreamingHttpResponse(exports.adhoc_xlsx(qs, title=f"Hồ sơ {params.period.title}"),
                                         content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{stem}.xlsx"'
        return response
    response = StreamingHttpResponse(exports.adhoc_csv(qs), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{stem}.csv"'
    return response
