"""The home section of control officers and leaders: this statutory quarter's headline figures."""

from __future__ import annotations

from django.http import HttpRequest

from motcua.reports.kpi import headline
from motcua.reports.periods import current_quarter
from motcua.reports.scope import report_dossiers


def reports_home(request: HttpRequest) -> dict:
    return headline(report_dossiers(request.user), current_quarter())
