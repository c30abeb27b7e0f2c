"""Demo catalog: the procedures of a provincial Department of Home Affairs (data/so-noi-vu.json),
plus a few of the Justice department and of a commune for inter-agency cases.

The file is in the catalog's own JSON export format and goes in through the import, so it is
checked like any import. Idempotent: decisions already in the catalog are skipped (only a fee kind corrected
in the file since is carried over to them).
"""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from motcua.catalog import transfer
from motcua.catalog.models import Fee, ProcedureVersion, PublicationDecision
from motcua.org.audit import record_audit

DATA_FILE = Path(__file__).parent / "data" / "so-noi-vu.json"


def correct_fee_kinds(doc: dict) -> int:
    """A catalog loaded from an earlier copy of the data file keeps the fee kinds it had then: set each demo
    fee's kind (phí / lệ phí, which every page and the receipt show) to the file's, audited. Returns how many."""
    corrected = 0
    for procedure in doc["procedures"]:
        for case in procedure["cases"]:
            for fee in case["fees"]:
                wrong = Fee.objects.filter(case__version__procedure__code=procedure["code"],
                                           case__version__decision__number=procedure["decision"],
                                           name=fee["name"]).exclude(kind=fee["kind"])
                for row in wrong:
                    before = row.kind
                    row.kind = fee["kind"]
                    row.save(update_fields=["kind"])
                    record_audit(action="catalog.demo_fee_kind", obj=row, actor=None,
                                 before={"kind": before}, after={"kind": row.kind})
                    corrected += 1
    return corrected


@transaction.atomic
def load(stdout=None) -> dict[str, int]:
    doc = transfer.read_json(DATA_FILE.read_bytes(), filename=DATA_FILE.name)
    corrected = correct_fee_kinds(doc)
    known = set(PublicationDecision.objects.values_list("number", flat=True))
    doc["decisions"] = [d for d in doc["decisions"] if d["number"] not in known]
    doc["procedures"] = [p for p in doc["procedures"] if p["decision"] not in known]
    summary = {"decisions": 0, "versions": 0}
    if doc["decisions"]:
        summary = transfer.import_document(doc, acting_user=None)
    if stdout is not None:
        stdout.write(f"  Danh mục TTHC: +{summary['decisions']} quyết định, +{summary['versions']} phiên bản "
                     f"(tổng {ProcedureVersion.objects.count()} phiên bản thủ tục)"
                     + (f", sửa loại {corrected} khoản phí, lệ phí." if corrected else "."))
    return summary
