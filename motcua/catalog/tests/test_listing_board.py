import io

import pytest
import time_machine
from pypdf import PdfReader

from motcua.catalog.tests.conftest import make_entry

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


@pytest.fixture
def catalog(publish):
    publish([
        make_entry(fee=1250000),
        make_entry(code="1.013263", name="Xét tặng danh hiệu “Bà mẹ Việt Nam anh hùng”", field_code="TDKT",
                   field_name="Thi đua, khen thưởng", steps=False),
        make_entry(code="1.005384", name="Thủ tục sẽ bị bãi bỏ", field_code="TDKT", field_name="Thi đua, khen thưởng",
                   steps=False),
        make_entry(code="2.000001", name="Thủ tục của Sở Tư pháp", agency="000.00.15.H27", steps=False),
    ], number="2028/QĐ-UBND", signed_on="2025-11-28")
    publish([{"code": "1.005384", "kind": "abolished"}], number="7/QĐ-UBND", signed_on="2026-01-05")


@time_machine.travel("2026-02-02 09:00 +0700", tick=False)
def test_board_lists_the_agencys_procedures_in_force_without_sign_in(client, catalog):
    response = client.get("/thu-tuc/niem-yet/000.00.12.H27.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "SỞ NỘI VỤ TỈNH HÀ TĨNH" in text  # the ND 30 header, upper case
    assert "Hà Tĩnh, ngày 02 tháng 02 năm 2026" in text
    assert "1.013934" in text and "dịch vụ lưu trữ" in text
    assert "1.013263" in text and "Bà mẹ Việt Nam anh hùng" in text
    assert "Lĩnh vực Thi đua, khen thưởng" in text and "Lĩnh vực Văn thư, lưu trữ" in text
    assert "Phí thẩm định: 1.250.000 đ" in text
    assert "10 ngày làm việc" in text and "Trực tuyến toàn trình" in text
    assert "Trung tâm Phục vụ hành chính công tỉnh" in text
    # Abolished before today, and another agency's procedure: not on this board.
    assert "1.005384" not in text and "bãi bỏ" not in text
    assert "2.000001" not in text
    assert "Tổng số: 2 thủ tục" in text


def test_board_of_an_unknown_agency_is_404(client, catalog):
    assert client.get("/thu-tuc/niem-yet/999.99.99.H99.pdf").status_code == 404


def test_public_listing_filtered_by_agency_links_the_board(client, catalog):
    html = client.get("/thu-tuc/", {"agency": "000.00.12.H27"}).content.decode()
    assert "/thu-tuc/niem-yet/000.00.12.H27.pdf" in html
    assert "/thu-tuc/niem-yet/" not in client.get("/thu-tuc/").content.decode()
