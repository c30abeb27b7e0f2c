"""Shared set-up of the processing tests: a received 1.013934 dossier walked to a given step.

1.013934's internal process (demo catalog): 1 desk (one-stop officer) → 2 Văn phòng (head of unit) →
3 Phòng CCHC&VTLT (specialist, 7 days) → 4 Văn phòng (head) → 5 Sở (agency leader, deciding) →
6 Văn phòng (specialist: văn thư) → 7 desk (return)."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

from pypdf import PdfReader

from motcua.dossiers import transitions as t
from motcua.dossiers.intake import receive_dossier
from motcua.org.models import RoleAssignment, Unit, User

from .conftest import at


def receive(make_request, clerk, when="17/11/2025 09:10"):
    return receive_dossier(request=make_request(received_at=at(when)), acting_user=clerk)


def walk_to(dossier, order, actor, start="17/11/2025 10:00", step_hours=1):
    instant = at(start)
    while dossier.current_step is None or dossier.current_step.order < order:
        dossier = t.hand_on(dossier=dossier, acting_user=actor, at=instant)
        instant += dt.timedelta(hours=step_hours)
    return dossier, instant


def person(username, full_name, role, unit_code, includes_subunits=True):
    user = User.objects.create_user(username=username, password="x-Test-2025", full_name=full_name)
    RoleAssignment.objects.create(user=user, unit=Unit.objects.get(code=unit_code), role=role,
                                  includes_subunits=includes_subunits)
    return user


def pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF")
    reader = PdfReader(BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def flat(text: str) -> str:
    """Text with line breaks and repeated spaces collapsed (PDF lines wrap anywhere)."""
    return " ".join(text.split())
