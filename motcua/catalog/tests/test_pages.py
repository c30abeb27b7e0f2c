import pytest
from django.core.files.base import ContentFile

from motcua.catalog.models import Component, PublicationDecision
from motcua.catalog.tests.conftest import make_entry

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog(publish):
    publish([make_entry(fee=1250000),
             make_entry(code="1.013263", name="Xét tặng danh hiệu “Bà mẹ Việt Nam anh hùng”", field_code="TDKT",
                        field_name="Thi đua, khen thưởng", steps=False)],
            number="2028/QĐ-UBND", signed_on="2025-11-28")
    publish([make_entry(kind="amended", days="8", fee=1250000, steps=False)], number="5/QĐ-UBND", signed_on="2026-01-05")


def test_public_listing_searches_without_sign_in(client, catalog):
    response = client.get("/thu-tuc/", {"q": "thi dua"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bà mẹ Việt Nam anh hùng" in html and "dịch vụ lưu trữ" not in html
    response = client.get("/thu-tuc/", {"has_fee": "1"})
    assert "dịch vụ lưu trữ" in response.content.decode() and "Bà mẹ" not in response.content.decode()


def test_public_detail_shows_what_a_citizen_needs(client, catalog):
    html = client.get("/thu-tuc/1.013934/", {"on": "2025-12-01"}).content.decode()
    assert "10 ngày làm việc" in html
    assert "1.250.000 đ" in html
    assert "Đơn đề nghị cấp Giấy chứng nhận" in html and "Trả kết quả" in html
    assert "2028/QĐ-UBND" in html
    assert "8 ngày làm việc" in client.get("/thu-tuc/1.013.934/", {"on": "06/01/2026"}).content.decode()
    assert client.get("/thu-tuc/1.999999/").status_code == 404


def test_blank_form_downloads_without_sign_in(client, catalog, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    component = Component.objects.filter(name__startswith="Đơn đề nghị").first()
    component.form_file.save("mau-01.docx", ContentFile(b"mau don"), save=True)
    html = client.get("/thu-tuc/1.013934/", {"on": "2025-12-01"}).content.decode()
    assert f"/thu-tuc/mau/{component.pk}/" in html
    response = client.get(f"/thu-tuc/mau/{component.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"mau don"
    assert "mau-01.docx" in response["Content-Disposition"]


def test_control_pages_are_for_control_officers(client, catalog, clerk, control_officer):
    client.force_login(clerk)
    assert client.get("/danh-muc/").status_code == 403
    client.force_login(control_officer)
    html = client.get("/danh-muc/").content.decode()
    assert "chưa có quy trình nội bộ" in html and "1.013263" in html
    decision = PublicationDecision.objects.get(number="2028/QĐ-UBND")
    html = client.get(f"/danh-muc/quyet-dinh/{decision.pk}/").content.decode()
    assert "Đúng hạn" in html
    html = client.get("/danh-muc/so-sanh/1.013934/").content.decode()
    assert "thay đổi" in html and "5/QĐ-UBND" in html


def test_import_page_reports_problems_and_export_downloads(client, catalog, control_officer):
    client.force_login(control_officer)
    response = client.post("/danh-muc/nhap-xuat/", {"file": ContentFile(b"not a workbook", name="x.xlsx")})
    assert response.status_code == 400
    assert "Không đọc được tệp" in response.content.decode()
    response = client.get("/danh-muc/xuat/", {"format": "xlsx"})
    assert response.status_code == 200 and response.content[:2] == b"PK"
    response = client.get("/danh-muc/xuat/", {"format": "json"})
    assert response.json()["decisions"][0]["number"] == "2028/QĐ-UBND"
