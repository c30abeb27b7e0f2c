import datetime as dt

import pytest

from motcua.catalog.selectors import search_versions
from motcua.catalog.tests.conftest import make_entry

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog(publish):
    publish([
        make_entry(code="1.013263", name="Xét tặng danh hiệu “Bà mẹ Việt Nam anh hùng”",
                   field_code="TDKT", field_name="Thi đua, khen thưởng", result_name="Quyết định", steps=False),
        make_entry(code="1.014111", name="Thi tuyển công chức", field_code="CCVC", field_name="Công chức, viên chức",
                   fee=500000, online_level="partial", result_name="Quyết định", steps=False),
        make_entry(code="1.013934", steps=False),
        make_entry(code="2.000001", name="Đăng ký hoạt động tín ngưỡng", field_code="TG", field_name="Tôn giáo",
                   level="commune", agency="000.00.52.H27", result_name="Văn bản", steps=False),
    ], number="1/QĐ", signed_on="2025-01-10")


def codes(qs):
    return [v.procedure.code for v in qs]


def test_search_ignores_diacritics_and_case(catalog):
    on = dt.date(2025, 2, 1)
    assert codes(search_versions(q="thi dua", on=on)) == ["1.013263"]
    assert codes(search_versions(q="THI ĐUA", on=on)) == ["1.013263"]
    assert codes(search_versions(q="ba me viet nam", on=on)) == ["1.013263"]
    assert codes(search_versions(q="luu tru", on=on)) == ["1.013934"]
    assert codes(search_versions(q="Lưu Trữ giấy", on=on)) == ["1.013934"]
    assert codes(search_versions(q="1.014111", on=on)) == ["1.014111"]
    assert codes(search_versions(q="tin nguong xa thach ha", on=on)) == ["2.000001"]


def test_filters(catalog):
    on = dt.date(2025, 2, 1)
    assert codes(search_versions(field="CCVC", on=on)) == ["1.014111"]
    assert codes(search_versions(level="commune", on=on)) == ["2.000001"]
    assert codes(search_versions(agency="000.00.52.H27", on=on)) == ["2.000001"]
    assert codes(search_versions(online_level="partial", on=on)) == ["1.014111"]
    assert codes(search_versions(has_fee=True, on=on)) == ["1.014111"]
    assert len(codes(search_versions(has_fee=False, on=on))) == 3
    assert codes(search_versions(on=dt.date(2025, 1, 9))) == []
