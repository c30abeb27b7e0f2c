"""The listing board (bảng niêm yết) of an agency: the procedures it receives, in force on a day,
grouped by field, printed as an A4 document in the ND 30/2020 layout for the one-stop desk."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch

from motcua.catalog.models import ProcedureCase, ProcedureVersion
from motcua.lib.formats import money
from motcua.org.models import Unit
from motcua.paperwork.pdf import render_pdf

PROVINCE_PREFIXES = ("Ủy ban nhân dân tỉnh ", "Ủy ban nhân dân thành phố ", "UBND tỉnh ", "UBND thành phố ")


@dataclass(frozen=True)
class BoardRow:
    number: int
    code: str
    name: str
    times: list[str]
    fees: list[str]
    online_level: str
    receiving_place: str


@dataclass(frozen=True)
class BoardGroup:
    field: str
    rows: list[BoardRow]


def _place(agency: Unit) -> str:
    for unit in [agency, *reversed(agency.ancestors())]:
        if unit.kind == Unit.Kind.PROVINCE:
            for prefix in PROVINCE_PREFIXES:
                if unit.name.startswith(prefix):
                    return unit.name[len(prefix):]
            return unit.name
    return ""


def _case_prefix(case: ProcedureCase, several: bool) -> str:
    return f"{case.name}: " if several and case.name else ""


def board_groups(agency: Unit, on: dt.date) -> list[BoardGroup]:
    """Versions of `agency` in force on `on` (abolished ones are not in force), by field then code."""
    cases = ProcedureCase.objects.prefetch_related("fees").order_by("order", "id")
    versions = (ProcedureVersion.objects.in_force_on(on).filter(agency=agency)
                .select_related("procedure", "field").prefetch_related(Prefetch("cases", queryset=cases))
                .order_by("field__name", "procedure__code"))
    groups: list[BoardGroup] = []
    for number, version in enumerate(versions, start=1):
        if not groups or groups[-1].field != version.field.name:
            groups.append(BoardGroup(version.field.name, []))
        cases_ = list(version.cases.all())
        several = len(cases_) > 1
        times = [f"{_case_prefix(c, several)}{c.time_label}" + (f" ({c.time_note})" if c.time_note else "")
                 for c in cases_]
        fees = [f"{_case_prefix(c, several)}{f.name}: {money(f.amount)}" for c in cases_ for f in c.fees.all()]
        groups[-1].rows.append(BoardRow(
            number=number, code=version.procedure.code, name=version.name, times=times, fees=fees,
            online_level=version.get_online_level_display(), receiving_place=version.receiving_place,
        ))
    return groups


def board_pdf(agency: Unit, on: dt.date) -> bytes:
    groups = board_groups(agency, on)
    parent = agency.parent
    return render_pdf("catalog/board_pdf.html", {
        "parent_agency_name": parent.name if parent is not None else "",
        "agency_name": agency.name, "place": _place(agency), "issued_on": on,
        "title": "Danh mục thủ tục hành chính", "agency": agency, "on": on, "groups": groups,
        "total": sum(len(g.rows) for g in groups),
    })
