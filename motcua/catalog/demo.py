"""Demo catalog: the procedures of a provincial Department of Home Affairs (data/so-noi-vu.json),
plus a few of the Justice department and of a commune for inter-agency cases.

The file is in the catalog's own JSON export format and goes in through the import, so it is
checked like any import. Idempotent: decisions already in the catalog are skipped.
"""

from __future__ import annotations

from pathlib import Path

from motcua.catalog import transfer
from motcua.catalog.models import ProcedureVersion, PublicationDecision

DATA_FILE = Path(__file__).parent / "data" / "so-noi-vu.json"


def load(stdout=None) -> dict[str, int]:
    doc = transfer.read_json(DATA_FILE.read_bytes(), filename=DATA_FILE.name)
    known = set(PublicationDecision.objects.values_list("number", flat=True))
    doc["decisions"] = [d for d in doc["decisions"] if d["number"] not in known]
    doc["procedures"] = [p for p in doc["procedures"] if p["decision"] not in known]
    summary = {"decisions": 0, "versions": 0}
    if doc["decisions"]:
        summary = transfer.import_document(doc, acting_user=None)
    if stdout is not None:
        stdout.write(f"  Danh mục TTHC: +{summary['decisions']} quyết định, +{summary['versions']} phiên bản "
                     f"(tổng {ProcedureVersion.objects.count()} phiên bản thủ tục).")
    return summary
