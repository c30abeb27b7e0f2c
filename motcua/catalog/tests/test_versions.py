import datetime as dt

import pytest

from motcua.catalog.interchange import CatalogError
from motcua.catalog.models import ChangeKind, ProcedureVersion
from motcua.catalog.selectors import compare_versions, version_in_force
from motcua.catalog.tests.conftest import make_entry
from motcua.org.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_version_in_force_follows_effective_dates(publish, control_officer):
    before = AuditEntry.objects.filter(action="catalog.publish_decision").count()
    publish([make_entry(days="10")], acting_user=control_officer, number="1/QĐ", signed_on="2025-01-10")
    publish([make_entry(kind="amended", days="8", steps=False)], number="2/QĐ",
            signed_on="2025-05-20", effective_from="2025-06-01")
    assert version_in_force("1.013934", on=dt.date(2025, 1, 9)) is None
    first = version_in_force("1.013934", on=dt.date(2025, 5, 31))
    second = version_in_force("1.013934", on=dt.date(2025, 6, 1))
    assert first.decision.number == "1/QĐ" and first.cases.all()[0].processing_time == 10
    assert second.decision.number == "2/QĐ" and second.cases.all()[0].processing_time == 8
    assert first.effective_to == dt.date(2025, 5, 31) and second.effective_to is None
    # Older print style of the code is accepted.
    assert version_in_force("1.013.934", on=dt.date(2025, 7, 1)).pk == second.pk
    assert AuditEntry.objects.filter(action="catalog.publish_decision").count() == before + 2


def test_abolished_procedure_has_no_version_in_force(publish):
    publish([make_entry()], number="1/QĐ", signed_on="2025-01-10")
    publish([{"code": "1.013934", "kind": "abolished"}], number="9/QĐ", signed_on="2025-09-01")
    assert version_in_force("1.013934", on=dt.date(2025, 8, 31)) is not None
    assert version_in_force("1.013934", on=dt.date(2025, 9, 1)) is None
    abolished = ProcedureVersion.objects.get(kind=ChangeKind.ABOLISHED)
    assert abolished.name.startswith("Cấp Giấy chứng nhận")  # the header is kept for history


def test_replacement_by_a_new_code_abolishes_the_old_one(publish):
    publish([make_entry(code="1.000001", name="Thủ tục cũ")], number="1/QĐ", signed_on="2025-01-10")
    publish([make_entry(code="1.000002", kind="replaced", replaces="1.000001", name="Thủ tục mới")],
            number="2/QĐ", signed_on="2025-07-01")
    assert version_in_force("1.000001", on=dt.date(2025, 7, 1)) is None
    new = version_in_force("1.000002", on=dt.date(2025, 7, 1))
    assert new.kind == ChangeKind.REPLACED and new.replaces.code == "1.000001"


def test_amending_a_procedure_that_does_not_exist_is_refused(publish):
    before = AuditEntry.objects.count()
    with pytest.raises(CatalogError) as err:
        publish([make_entry(code="1.999999", kind="amended")], number="3/QĐ")
    assert "Không thể sửa đổi, bổ sung thủ tục 1.999999" in str(err.value)
    assert not ProcedureVersion.objects.exists()
    assert AuditEntry.objects.count() == before


def test_publishing_an_existing_procedure_as_new_is_refused(publish):
    publish([make_entry()], number="1/QĐ", signed_on="2025-01-10")
    with pytest.raises(CatalogError, match="đã có trong danh mục"):
        publish([make_entry()], number="2/QĐ", signed_on="2025-03-10")


def test_duplicate_codes_and_bad_values_are_all_reported(publish):
    with pytest.raises(CatalogError) as err:
        publish([make_entry(), make_entry(code="1.013.934"), make_entry(code="12345", level="galaxy")],
                number="4/QĐ")
    text = str(err.value)
    assert "Mã TTHC 1.013934 bị trùng trong quyết định 4/QĐ" in text
    assert "«12345» không đúng dạng d.dddddd" in text
    assert "«galaxy» không hợp lệ" in text
    assert not ProcedureVersion.objects.exists()


def test_two_versions_compare_side_by_side(publish):
    publish([make_entry(days="10")], number="1/QĐ", signed_on="2025-01-10")
    publish([make_entry(kind="amended", days="8", fee=500000, configured_on="2025-06-02",
                        steps=False)], number="2/QĐ", signed_on="2025-06-01")
    old, new = ProcedureVersion.objects.order_by("effective_from")
    rows = {row.label: row for row in compare_versions(old, new)}
    changed = {label for label, row in rows.items() if row.changed}
    assert "Trường hợp «chung»: Thời hạn giải quyết" in changed
    assert "Trường hợp «chung»: phí, lệ phí" in changed
    assert rows["Trường hợp «chung»: phí, lệ phí"].right == "Phí thẩm định: 500000 đ"
    assert not rows["Tên"].changed
