"""Reading a report's parameters from a query string: the period (a statutory window or free dates),
the agency/unit and field, the grouping and the counting rules. Bad values give Vietnamese messages
and fall back to the current statutory quarter; nothing typed is lost (the form shows it again)."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.utils import timezone

from motcua.org.models import User
from motcua.reports.periods import (
    KINDS,
    Period,
    PeriodError,
    check_period,
    current_quarter,
    parse_date,
    report_period,
)
from motcua.reports.results import GROUPS, Rules
from motcua.reports.scope import NotVisible, Scope, resolve_scope


@dataclass
class ResultParams:
    period: Period
    scope: Scope
    group: str = "field"
    rules: Rules = field(default_factory=Rules)
    errors: dict[str, str] = field(default_factory=dict)
    raw: dict[str, str] = field(default_factory=dict)

    def query(self, **extra) -> str:
        values = {"tu": f"{self.period.date_from:%d/%m/%Y}", "den": f"{self.period.date_to:%d/%m/%Y}",
                  "nhom": self.group}
        if self.period.label:
            values["ten-ky"] = self.period.label
        if self.scope.unit is not None:
            values["co-quan"] = self.scope.unit.code
        if self.scope.field is not None:
            values["linh-vuc"] = self.scope.field.code
        if self.rules.granularity != "date":
            values["so-sanh"] = self.rules.granularity
        if self.rules.appointment != "current":
            values["hen"] = self.rules.appointment
        values.update({k: v for k, v in extra.items() if v is not None})
        return urlencode(values)


def parse_result_params(user: User, data) -> ResultParams:
    today = timezone.localdate()
    errors: dict[str, str] = {}
    raw = {key: (data.get(key) or "").strip() for key in
           ("ky", "nam", "so", "tu", "den", "co-quan", "linh-vuc", "nhom", "so-sanh", "hen", "ten-ky")}
    period = None
    try:
        if raw["ky"]:
            if raw["ky"] not in KINDS:
                raise PeriodError("Loại kỳ báo cáo không hợp lệ.")
            try:
                year, number = int(raw["nam"] or today.year), int(raw["so"] or 1)
            except ValueError:
                raise PeriodError("Năm và số kỳ phải là số.") from None
            statutory = report_period(raw["ky"], year, number)
            period = check_period(statutory.date_from, statutory.date_to, today=today, label=statutory.label)
        elif raw["tu"] or raw["den"]:
            date_from = parse_date(raw["tu"]) if raw["tu"] else None
            date_to = parse_date(raw["den"]) if raw["den"] else today
            if date_from is None:
                raise PeriodError("Cần nhập “Từ ngày”.")
            period = check_period(date_from, date_to, today=today, label=raw["ten-ky"][:80])
    except PeriodError as exc:
        errors["period"] = str(exc)
    if period is None:
        period = current_quarter(today)
    scope = Scope()
    try:
        scope = resolve_scope(user, unit_code=raw["co-quan"], field_code=raw["linh-vuc"])
    except NotVisible as exc:
        errors["scope"] = str(exc)
    group = raw["nhom"] if raw["nhom"] in GROUPS else "field"
    rules = Rules(granularity="instant" if raw["so-sanh"] == "instant" else "date",
                  appointment="original" if raw["hen"] == "original" else "current")
    return ResultParams(period=period, scope=scope, group=group, rules=rules, errors=errors, raw=raw)
