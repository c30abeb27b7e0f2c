"""Public catalog API: search procedures in force, and one procedure with everything in it."""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from django.urls import reverse
from ninja import Query, Router, Schema

from motcua.catalog import selectors
from motcua.catalog.interchange import version_as_dict

router = Router(tags=["Danh mục TTHC"], auth=None)


class ProcedureFilters(Schema):
    q: str = ""
    field: str = ""
    level: str = ""
    agency: str = ""
    online_level: str = ""
    has_fee: bool | None = None
    on: dt.date | None = None
    page: int = 1
    page_size: int = 20


class ProcedureItem(Schema):
    code: str
    name: str
    field: str
    field_name: str
    level: str
    agency: str
    agency_name: str
    online_level: str
    has_fee: bool
    effective_from: dt.date
    decision: str


class ProcedurePage(Schema):
    count: int
    page: int
    page_size: int
    items: list[ProcedureItem]


class StepOut(Schema):
    unit: str
    role: str
    budget: str
    counted: bool
    description: str


class ComponentOut(Schema):
    name: str
    originals: int
    copies: int
    required: bool
    form_name: str
    form_file: str
    document_type: str
    note: str


class FeeOut(Schema):
    kind: str
    name: str
    amount: int
    legal_basis: str
    note: str


class CaseOut(Schema):
    name: str
    processing_time: str
    time_unit: str
    time_note: str
    process_configured_on: str | None
    components: list[ComponentOut]
    fees: list[FeeOut]
    steps: list[StepOut]


class ProcedureOut(Schema):
    code: str
    decision: str
    kind: str
    replaces: str
    effective_from: dt.date
    effective_to: dt.date | None
    name: str
    field_code: str
    field_name: str
    level: str
    agency: str
    agency_name: str
    receiving_place: str
    applicants: str
    conditions: str
    result_name: str
    result_kind: str
    result_validity: str
    legal_basis: str
    online_level: str
    postal_allowed: bool
    inter_agency: bool
    cases: list[CaseOut]


@router.get("/procedures", response=ProcedurePage, url_name="api_procedure_list",
            summary="Tìm thủ tục hành chính đang có hiệu lực (không phân biệt dấu, hoa thường)")
def procedure_list(request, filters: Query[ProcedureFilters]):
    page_size = max(1, min(filters.page_size, 100))
    page = max(1, filters.page)
    qs = selectors.search_versions(q=filters.q[:200], field=filters.field, level=filters.level,
                                   agency=filters.agency, online_level=filters.online_level,
                                   has_fee=filters.has_fee, on=filters.on).select_related("decision")
    start = (page - 1) * page_size
    return {
        "count": qs.count(), "page": page, "page_size": page_size,
        "items": [
            {"code": v.procedure.code, "name": v.name, "field": v.field.code, "field_name": v.field.name,
             "level": v.level, "agency": v.agency.code, "agency_name": v.agency.name,
             "online_level": v.online_level, "has_fee": v.has_fee, "effective_from": v.effective_from,
             "decision": v.decision.number}
            for v in qs[start:start + page_size]
        ],
    }


@router.get("/procedures/{code}", response=ProcedureOut, url_name="api_procedure_detail",
            summary="Một thủ tục: phiên bản có hiệu lực hôm nay hoặc vào ngày ?on=YYYY-MM-DD")
def procedure_detail(request, code: str, on: dt.date | None = None):
    version = selectors.version_in_force(code, on=on)
    if version is None:
        raise Http404("Không có thủ tục hành chính này, hoặc thủ tục không có hiệu lực vào ngày đã chọn.")
    data = version_as_dict(version)
    data.update(effective_from=version.effective_from, effective_to=version.effective_to,
                agency_name=version.agency.name)
    for case_data, case in zip(data["cases"], version.cases.all(), strict=True):
        for item, component in zip(case_data["components"], case.components.all(), strict=True):
            item["form_file"] = reverse("catalog_form_download", args=[component.pk]) if component.form_file else ""
    return data
