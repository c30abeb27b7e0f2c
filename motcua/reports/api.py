"""Report API: the results table, the KPIs and the QĐ 766 index, scoped to the caller's units.

404 for an agency the caller may not see, 422 (Vietnamese `detail`) for a reversed, future or
longer-than-a-year period or a malformed date/month/year."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Status

from motcua.org.models import Unit
from motcua.reports.index766 import index_766
from motcua.reports.kpi import kpi_dashboard
from motcua.reports.onestop import COLUMNS as ONE_STOP_COLUMNS
from motcua.reports.onestop import onestop_table
from motcua.reports.periods import PeriodError, check_period, month_period, parse_date, parse_month
from motcua.reports.publication import COLUMNS as PUBLICATION_COLUMNS
from motcua.reports.publication import publication_table
from motcua.reports.results import COLUMNS, results_table
from motcua.reports.scope import (
    NotVisible,
    catalog_units,
    may_report,
    report_dossiers,
    resolve_scope,
    visible_agencies,
)
from motcua.reports.views_tables import catalog_versions, published_catalog

router = Router(tags=["Báo cáo"])
RESPONSES = {200: dict, 403: dict, 404: dict, 422: dict}


def _forbidden(request):
    if not may_report(request.auth):
        return Status(403, {"detail": _("Chỉ cán bộ kiểm soát TTHC và lãnh đạo được xem báo cáo.")})
    return None


def _api_date(value: str):
    """A date parameter of the API (YYYY-MM-DD): its 422 names the API's format, not the screens' dd/mm/yyyy."""
    try:
        return parse_date(value)
    except PeriodError:
        raise PeriodError(_("Ngày “%(value)s” không hợp lệ. Ngày phải theo dạng YYYY-MM-DD, ví dụ 2025-03-14.")
                          % {"value": value}) from None


def _scope(request, agency: str):
    try:
        return resolve_scope(request.auth, unit_code=agency), None
    except NotVisible as exc:
        return None, Status(404, {"detail": str(exc)})


def _api_period(request, to: str):
    """The period of `?from=YYYY-MM-DD&to=YYYY-MM-DD` (both required, checked like the pages'), or a 422."""
    raw_from = request.GET.get("from", "")
    try:
        if not raw_from:
            raise PeriodError(_("Thiếu tham số from (YYYY-MM-DD)."))
        if not to:
            raise PeriodError(_("Thiếu tham số to (YYYY-MM-DD)."))
        return check_period(_api_date(raw_from), _api_date(to)), None
    except PeriodError as exc:
        return None, Status(422, {"detail": str(exc)})


@router.get("/reports/dossier-results", response=RESPONSES,
            summary="Tình hình, kết quả giải quyết TTHC (Biểu II.06a) theo lĩnh vực")
def dossier_results(request, to: str = "", agency: str = "", group: str = "field"):
    """`from` and `to` as YYYY-MM-DD (both included). One row per field with the 13 columns by name,
    and the totals row; `checks_ok` tells whether (3)=(4)+(5)+(6), (7)=(8)+(9)+(10), (11)=(12)+(13), (3)=(7)+(11)."""
    if (refusal := _forbidden(request)) is not None:
        return refusal
    period, refusal = _api_period(request, to)
    if refusal is not None:
        return refusal
    scope, refusal = _scope(request, agency)
    if refusal is not None:
        return refusal
    if group not in {"field", "agency", "unit"}:
        return Status(422, {"detail": _("group phải là field, agency hoặc unit.")})
    table = results_table(report_dossiers(request.auth, scope), period, group=group)
    return {
        "from": period.date_from.isoformat(), "to": period.date_to.isoformat(),
        "agency": scope.unit.code if scope.unit else None, "group": group,
        "columns": [{"number": c.number, "name": c.name, "group": str(c.group), "label": str(c.label)} for c in COLUMNS],
        "rows": [{"number": r.number, "id": r.key, "name": r.label, **r.named()} for r in table.rows],
        "total": table.total.named(), "checks_ok": not table.failures, "failures": table.failures,
    }


@router.get("/reports/one-stop", response=RESPONSES,
            summary="Thực hiện cơ chế một cửa, một cửa liên thông (Biểu II.07b) theo đơn vị, trên danh mục TTHC")
def one_stop(request, date: str = "", agency: str = "", group: str = "agency"):
    """`date` as YYYY-MM-DD: the catalog in force on that day (not in the future). One row per unit (or
    field, `group=field`) with the 12 counts by name, and the totals row; district columns are null from
    01/07/2025. The unit is procedures (TTHC)."""
    if (refusal := _forbidden(request)) is not None:
        return refusal
    if not date:
        return Status(422, {"detail": _("Thiếu tham số date (YYYY-MM-DD).")})
    try:
        day = _api_date(date)
    except PeriodError as exc:
        return Status(422, {"detail": str(exc)})
    if day > timezone.localdate():
        return Status(422, {"detail": _("Ngày %(day)s chưa đến: chưa có số liệu.") % {"day": f"{day:%d/%m/%Y}"}})
    scope, refusal = _scope(request, agency)
    if refusal is not None:
        return refusal
    if group not in {"agency", "field"}:
        return Status(422, {"detail": _("group phải là agency hoặc field.")})
    table = onestop_table(catalog_versions(request.auth, scope, day), day, group=group)
    abolished = table.district_abolished
    return {
        "date": day.isoformat(), "agency": scope.unit.code if scope.unit else None, "group": group,
        "district_abolished": abolished,
        "columns": [{"number": c.number, "name": c.name, "group": str(c.group), "label": str(c.label)}
                    for c in ONE_STOP_COLUMNS],
        "rows": [{"number": r.number, "id": r.key, "name": r.label, **r.named(abolished)} for r in table.rows],
        "total": table.total.named(abolished), "checks_ok": not table.failures, "failures": table.failures,
        "warnings": table.warnings,
    }


@router.get("/reports/publication", response=RESPONSES,
            summary="Tình hình công bố TTHC trong kỳ (nội dung Biểu II.02a) theo đơn vị, trên danh mục TTHC")
def publication(request, to: str = "", agency: str = "", group: str = "agency"):
    """`from` and `to` as YYYY-MM-DD (both included): publication decisions signed in the period and the
    local-level TTHC they publish by kind and by level; one row per unit (or field), and the totals row."""
    if (refusal := _forbidden(request)) is not None:
        return refusal
    period, refusal = _api_period(request, to)
    if refusal is not None:
        return refusal
    scope, refusal = _scope(request, agency)
    if refusal is not None:
        return refusal
    if group not in {"agency", "field"}:
        return Status(422, {"detail": _("group phải là agency hoặc field.")})
    table = publication_table(published_catalog(request.auth, scope, period), period, group=group)
    return {
        "from": period.date_from.isoformat(), "to": period.date_to.isoformat(),
        "agency": scope.unit.code if scope.unit else None, "group": group,
        "columns": [{"number": c.number, "name": c.name, "group": str(c.group), "label": str(c.label)}
                    for c in PUBLICATION_COLUMNS],
        "rows": [{"number": r.number, "id": r.key, "name": r.label, **r.named()} for r in table.rows],
        "total": table.total.named(), "checks_ok": not table.failures, "failures": table.failures,
    }


@router.get("/kpi", response=RESPONSES, summary="Chỉ tiêu kế hoạch: giá trị, chỉ tiêu và số liệu tạo nên")
def kpi(request, year: str = "", agency: str = ""):
    if (refusal := _forbidden(request)) is not None:
        return refusal
    if not year:
        return Status(422, {"detail": _("Thiếu tham số year (YYYY).")})
    today = timezone.localdate()
    try:
        number = int(year)
    except ValueError:
        return Status(422, {"detail": _("Năm “%(year)s” không hợp lệ.") % {"year": year}})
    if number > today.year or number < 2000:
        return Status(422, {"detail": _("Năm %(year)s chưa có số liệu (từ 2000 đến %(last)s).")
                                   % {"year": number, "last": today.year}})
    scope, refusal = _scope(request, agency)
    if refusal is not None:
        return refusal
    values, targets = kpi_dashboard(report_dossiers(request.auth, scope), number, unit=scope.unit, today=today,
                                    units=catalog_units(request.auth))
    return {"year": number, "agency": scope.unit.code if scope.unit else None, "targets_source": targets.source,
            "targets_note": targets.note, "kpis": [v.as_dict() for v in values]}


@router.get("/index766", response=RESPONSES, summary="Bộ chỉ số QĐ 766 theo cơ quan và nhóm, một tháng")
def index766(request, month: str = "", agency: str = ""):
    if (refusal := _forbidden(request)) is not None:
        return refusal
    if not month:
        return Status(422, {"detail": _("Thiếu tham số month (YYYY-MM).")})
    try:
        year, number = parse_month(month)
    except PeriodError as exc:
        return Status(422, {"detail": str(exc)})
    if dt.date(year, number, 1) > timezone.localdate():
        return Status(422, {"detail": _("Tháng %(month)02d/%(year)d chưa đến: chưa có số liệu.")
                                   % {"month": number, "year": year}})
    scope, refusal = _scope(request, agency)
    if refusal is not None:
        return refusal
    agencies = list(visible_agencies(request.auth).exclude(kind=Unit.Kind.PROVINCE))
    groups, ranked = index_766(report_dossiers(request.auth), agencies, year, number)
    if scope.unit is not None:
        ranked = [r for r in ranked if r.agency.pk == scope.unit.pk]
        if not ranked:
            return Status(404, {"detail": _("“%(unit)s” không phải cơ quan được xếp hạng.") % {"unit": scope.unit.name}})
    period = month_period(year, number)
    return {"month": f"{year}-{number:02d}", "from": period.date_from.isoformat(), "to": period.date_to.isoformat(),
            "groups": [{"key": g.key, "name": str(g.name), "points": g.points} for g in groups],
            "agencies": [r.as_dict(groups) for r in ranked]}
