"""What the portal adds to the officer's dossier page: the declaration (tờ khai) the citizen submitted
online, with the schema's labels and values formatted for reading.

Registered with `views_dossier.register_detail_panel`, so it is shown only on the page of a dossier the
officer may see (the page's own scoping); a dossier received at the counter has no declaration and no panel.
"""

from __future__ import annotations

from django.http import HttpRequest

from motcua.dossiers.models import Dossier
from motcua.portal import schemas
from motcua.portal.models import Draft


def declaration_rows(dossier: Dossier) -> list[tuple[str, str]]:
    draft = Draft.objects.filter(dossier=dossier).only("declaration").first()
    if draft is None or not draft.declaration:
        return []
    return schemas.rows(schemas.schema_for(dossier.version.procedure.code), draft.declaration)


def declaration_panel(request: HttpRequest, dossier: Dossier) -> dict:
    return {"rows": declaration_rows(dossier)}
