"""Reads about dossiers. Officer queries are scoped through `org.selectors.visible_units`."""

from __future__ import annotations

import datetime as dt

from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from motcua.dossiers.models import Applicant, Dossier
from motcua.lib.text import fold
from motcua.org.models import User
from motcua.org.selectors import visible_units


def dossiers_visible_to(user: User) -> QuerySet[Dossier]:
    """Dossiers received at, or handled by, a unit the person may see."""
    units = visible_units(user)
    return Dossier.objects.filter(Q(desk__in=units) | Q(handling_unit__in=units) | Q(agency__in=units))


def dossier_for(user: User, code: str) -> Dossier | None:
    return dossiers_visible_to(user).filter(code=code).select_related(
        "version__procedure", "case", "desk", "agency", "applicant").first()


def find_applicants(query: str, *, limit: int = 10) -> list[Applicant]:
    """Earlier applicants by ID number, enterprise code, phone or name (diacritics ignored)."""
    query = query.strip()
    if not query:
        return []
    if query.replace("-", "").isdigit():
        return list(Applicant.objects.filter(Q(identifier__startswith=query) | Q(phone__startswith=query))[:limit])
    return list(Applicant.objects.filter(search_text__contains=fold(query))[:limit])


def latest_receptions() -> dict[str, dt.date]:
    """{procedure code: local date of its latest reception} — the catalog's control page uses it to
    flag dossiers received for procedures not published or already abolished."""
    rows = (Dossier.objects.filter(received_at__isnull=False).values("version__procedure__code")
            .annotate(last=Max("received_at")))
    return {row["version__procedure__code"]: timezone.localtime(row["last"]).date() for row in rows}
