"""Units named in the plan are matched to the organisation ignoring case and diacritics; unknown names are
listed for confirmation, never dropped."""

import pytest

from motcua.plans.actions import check_import
from motcua.plans.importer import UNIT, UnitMatcher, UnitRef, parse_plan

pytestmark = pytest.mark.django_db


def test_seed_units_against_the_demo_organisation(seed_text):
    parsed = parse_plan(seed_text, filename="seed.md", year=2024)
    check = check_import(parsed)
    assert check.agency.code == "000.00.12.H27"
    match = check.matcher.match
    assert match("Văn phòng").code == "000.01.12.H27"
    assert match("Văn phòng Sở").code == "000.01.12.H27"
    assert match("VAN PHONG").code == "000.01.12.H27"
    assert match("Văn phòng, chuyên trách CNTT").code == "000.01.12.H27"
    assert match("Sở Tư pháp").code == "000.00.15.H27"
    assert match("so tu phap").code == "000.00.15.H27"
    group = match("Các phòng, ban, đơn vị được giao giải quyết TTHC")
    assert (group.code, group.group) == ("000.00.12.H27", True)
    assert match("công chức, viên chức tại các phòng, ban, đơn vị").group
    assert match("Các phòng, ban, đơn v có TTHC").group  # the seed's typo is still the group
    unknown = sorted(p.message for p in check.problems if p.kind == UNIT)
    assert unknown == sorted([
        "Không tìm thấy đơn vị “Văn phòng UBND tỉnh” trong danh sách đơn vị.",
        "Không tìm thấy đơn vị “Các tổ chức, cá nhân được kiểm tra” trong danh sách đơn vị.",
        "Không tìm thấy đơn vị “Ban Biên tập Cổng TTĐT” trong danh sách đơn vị.",
        "Không tìm thấy đơn vị “Nhân viên Bưu điện tại Trung tâm PV HCC tỉnh” trong danh sách đơn vị.",
        "Không tìm thấy đơn vị “chuyên trách CNTT” trong danh sách đơn vị.",
    ])
    where = next(p.where for p in check.problems if "Văn phòng UBND tỉnh" in p.message)
    assert where == "II.3 (dòng 86)"


def test_own_agency_units_win_over_namesakes_elsewhere():
    units = [UnitRef("A.1", "Văn phòng", "Văn phòng", "office", "000001/000002/"),
             UnitRef("B", "Sở B", "Sở B", "agency", "000003/"),
             UnitRef("B.1", "Văn phòng Sở B", "Văn phòng", "office", "000003/000004/")]
    matcher = UnitMatcher(units, agency=units[1])
    assert matcher.match("Văn phòng").code == "B.1"
    assert [m.name for m in matcher.match_cell("Văn phòng; Ban X.\nSở B")] == ["Văn phòng", "Ban X", "Sở B"]
