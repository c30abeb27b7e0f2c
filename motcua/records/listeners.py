"""Reactions to dossier moves (after commit): results and digitized components land in the store."""

from __future__ import annotations

import logging

from motcua.dossiers.models import DossierEvent

log = logging.getLogger(__name__)


def on_dossier_moved(sender, event: DossierEvent, **kwargs) -> None:
    from motcua.records import actions

    dossier = event.dossier
    try:
        if event.action == "hand_to_desk":
            for result in dossier.results.all():
                actions.store_result(result=result, acting_user=event.actor)
        elif event.action in {"hand_on", "transfer_agency"} and event.data.get("step") == 2:
            actions.store_components(dossier=dossier, acting_user=event.actor)
    except Exception:  # a failure here must never undo or block the move itself
        log.exception("records: could not store documents of %s after %s", dossier.code, event.action)
