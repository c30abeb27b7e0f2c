"""Finding a dossier by its code from the officer's header box (JOURNEYS 1: "finds it by code or by
scanning the QR on her receipt").

What is typed may be the exact code, the public status URL a barcode scanner types from the receipt's
QR (`…/tra-cuu/?ma=<code>`), or part of a code. Every look-up reads the code's unique index (PostgreSQL
also has its `varchar_pattern_ops` twin for prefixes): an exact code, or prefixes — as typed; for
"YYMMDD-NNNN" after the identifier of each agency that numbered dossiers that day; for a bare sequence
number after today's date."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

from django.db.models import Q
from django.utils import timezone

from motcua.dossiers.fees import with_fee_state
from motcua.dossiers.models import DailyCounter, Dossier
from motcua.dossiers.selectors import dossiers_visible_to
from motcua.org.models import Unit

MATCH_LIMIT = 20
MAX_PREFIX_UNITS = 200
MIN_PARTIAL = 2
_SPACES = re.compile(r"\s+")


def normalize_code(raw: str) -> str:
    """The code inside what was typed or scanned: a status URL's `ma` parameter, spaces removed, upper case."""
    text = (raw or "").strip()
    if "ma=" in text.lower():
        query = urlsplit(text).query if "?" in text else text
        params = {key.lower(): values for key, values in parse_qs(query).items()}
        if params.get("ma"):
            text = params["ma"][0]
    return _SPACES.sub("", text).upper()[:60]


@dataclass
class FindResult:
    query: str
    dossier: Dossier | None = None
    matches: list[Dossier] = field(default_factory=list)


def find_dossiers(user, raw: str, *, limit: int = MATCH_LIMIT) -> FindResult:
    """The dossier with exactly this code, if the person may see it; otherwise the visible dossiers whose
    code starts with it (directly, after an agency identifier, or after today's date). A dossier the
    person may not see is never named, exact or partial."""
    query = normalize_code(raw)
    result = FindResult(query=query)
    if len(query) < MIN_PARTIAL:
        return result
    visible = dossiers_visible_to(user)
    result.dossier = visible.filter(code=query).select_related("version").first()
    if result.dossier is not None:
        return result
    condition = Q(code__startswith=query)
    dated = _DATED.match(query)
    if dated or (query.isdigit() and len(query) <= 5):
        # "251117-0042" or "251117": after the identifier of each agency that numbered dossiers that day;
        # "0042": after today's date.
        day = _day(dated.group("day")) if dated else timezone.localdate()
        tail = query if dated else f"{day:%y%m%d}-{query}"
        if day is not None:
            for code in _numbering_agencies(day):
                condition |= Q(code__startswith=f"{code}-{tail}")
    result.matches = list(with_fee_state(visible.filter(condition)).select_related("version")
                          .order_by("-code")[:limit])
    return result


_DATED = re.compile(r"^(?P<day>\d{6})(-\d*)?$")


def _day(text: str) -> dt.date | None:
    try:
        return dt.date(2000 + int(text[:2]), int(text[2:4]), int(text[4:6]))
    except ValueError:
        return None


def _numbering_agencies(day: dt.date) -> list[str]:
    """Identifiers of the agencies whose dossier counter ran on `day` (a few rows); when the counters
    say nothing (data loaded without them), every unit with an identifier, bounded."""
    codes = list(DailyCounter.objects.filter(series="dossier", day=day).exclude(agency__code="")
                 .values_list("agency__code", flat=True).distinct()[:MAX_PREFIX_UNITS])
    if codes:
        return codes
    return list(Unit.objects.exclude(code="").exclude(kind=Unit.Kind.ONE_STOP)
                .values_list("code", flat=True).order_by("code")[:MAX_PREFIX_UNITS])
