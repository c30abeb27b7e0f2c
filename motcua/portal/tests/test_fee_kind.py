"""A fee's label (Phí / Lệ phí) comes from its kind in the catalog, and the kind agrees with its name:
1.900101's "Phí cung cấp thông tin lý lịch tư pháp" is a phí (TT 244/2016/TT-BTC), not a lệ phí."""

import copy
import json

import pytest
from django.template import Context, Template

from motcua.catalog import demo, transfer
from motcua.catalog.interchange import fee_kind_named
from motcua.catalog.models import Fee, FeeKind
from motcua.catalog.selectors import version_in_force
from motcua.org.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_the_fee_of_1_900101_is_a_phi_and_pages_say_so(client):
    case = version_in_force("1.900101").cases.get()
    (fee,) = case.fees.all()
    assert fee.kind == FeeKind.FEE and fee.get_kind_display() == "Phí"
    body = client.get("/cong/thu-tuc/1.900101/").content.decode()
    assert "Phí – Phí cung cấp thông tin lý lịch tư pháp: <strong>200.000 đ</strong>" in body
    assert "Lệ phí" not in body
    heading = Template("{% load catalog_tags %}{% fee_heading case %}")
    assert heading.render(Context({"case": case})) == "Phí"
    assert heading.render(Context({"case": version_in_force("1.014199").cases.first()})) == "Lệ phí"


def test_an_import_whose_fee_kind_contradicts_its_name_is_refused():
    assert fee_kind_named("Lệ phí cấp giấy phép lao động") == FeeKind.CHARGE
    assert fee_kind_named("Phí dự tuyển") == FeeKind.FEE and fee_kind_named("Tiền in ấn") is None
    doc = json.loads(demo.DATA_FILE.read_text(encoding="utf-8"))
    procedure = copy.deepcopy(next(p for p in doc["procedures"] if p["code"] == "1.900101"))
    procedure["cases"][0]["fees"][0]["kind"] = "charge"
    decision = next(d for d in doc["decisions"] if d["number"] == procedure["decision"])
    decision = {**decision, "number": "999/QĐ-UBND"}
    procedure["decision"] = decision["number"]
    bad = {**doc, "decisions": [decision], "procedures": [procedure]}
    with pytest.raises(transfer.CatalogError) as caught:
        transfer.import_document(bad, acting_user=None)
    messages = " ".join(p.message for p in caught.value.problems)
    assert "«Phí cung cấp thông tin lý lịch tư pháp» là phí nhưng loại ghi là «Lệ phí»" in messages


def test_demo_corrects_the_kind_in_a_catalog_loaded_from_the_old_file():
    fee = Fee.objects.get(case__version__procedure__code="1.900101")
    Fee.objects.filter(pk=fee.pk).update(kind=FeeKind.CHARGE)
    assert demo.load() == {"decisions": 0, "versions": 0}
    fee.refresh_from_db()
    assert fee.kind == FeeKind.FEE
    assert AuditEntry.objects.filter(action="catalog.demo_fee_kind", object_id=str(fee.pk)).count() == 1
    demo.load()
    assert AuditEntry.objects.filter(action="catalog.demo_fee_kind").count() == 1
