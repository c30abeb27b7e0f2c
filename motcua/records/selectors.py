from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from motcua.dossiers.models import Applicant
from motcua.records.models import Record


def records_of(applicant: Applicant) -> QuerySet[Record]:
    return Record.objects.filter(applicant=applicant)


def offer_for(applicant: Applicant, document_types: set[str], *, on: dt.date | None = None) -> list[Record]:
    """Valid records of the types a new submission needs: offered instead of a new upload."""
    day = on or timezone.localdate()
    return [r for r in records_of(applicant).filter(document_type__in=document_types) if r.is_valid_on(day)]
