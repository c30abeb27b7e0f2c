"""/lich-lam-viec/: a year in month grids with every kind of day in its colour and source, office
hours of a unit, and local closures that only system administrators add or remove (audited)."""

import datetime as dt
import re

import pytest

from motcua.org.models import AuditEntry, LocalClosure

pytestmark = pytest.mark.django_db

URL = "/lich-lam-viec/"


def cell(html: str, iso: str) -> str:
    match = re.search(rf'<td class="([^"]*)" title="([^"]*)" data-date="{iso}">', html)
    assert match, iso
    return match.group(1), match.group(2)


def test_2026_grid_colours_legend_and_sources(client, clerk):
    client.force_login(clerk)
    response = client.get(URL, {"nam": "2026"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Lịch làm việc năm 2026" in html and "css/calendar.css" in html
    for css in ("day-weekend", "day-holiday", "day-compensatory", "day-swap-off", "day-makeup", "day-closure"):
        assert f'<span class="cal-swatch {css}"></span>' in html  # legend entry of each colour
    css, title = cell(html, "2026-01-10")
    assert css == "day-makeup" and "Làm bù" in title and "Công văn 12729/VPCP-KGVX" in title
    assert cell(html, "2026-01-02")[0] == "day-swap-off"
    assert cell(html, "2026-01-01")[0] == "day-holiday"
    for day in range(16, 21):
        css, title = cell(html, f"2026-02-{day}")
        assert css == "day-holiday" and "Tết Nguyên đán Bính Ngọ" in title and "9859/VPCP-KGVX" in title
    for day in (14, 15, 21, 22):
        assert cell(html, f"2026-02-{day}")[0] == "day-weekend"
    assert cell(html, "2026-04-27")[0] == "day-compensatory"
    assert cell(html, "2026-02-23")[0] == ""  # back to work on Monday
    assert "14/02/2026 – 22/02/2026: 9 ngày (Tết Nguyên đán Bính Ngọ)" in html
    assert "chưa có lịch nghỉ chính thức" not in html
    assert "Giờ hành chính mặc định" in html and "07:30–11:30, 13:30–17:30" in html


def test_unit_office_hours_and_its_closures_on_the_grid(client, clerk, unit):
    client.force_login(clerk)
    desk = unit("000.01.52.H27")  # Một cửa xã Thạch Hà: closure of the commune applies
    html = client.get(URL, {"nam": "2025", "don-vi": desk.pk}).content.decode()
    css, title = cell(html, "2025-09-29")
    assert css == "day-closure" and "Bão số 10 (Bualoi)" in title and "UBND xã Thạch Hà" in title
    assert "Mùa hè</strong> từ 16/04/2025: 07:00–11:30, 14:00–17:30" in html
    assert "Mùa đông</strong> từ 16/10/2025: 07:30–11:30, 13:30–17:30" in html
    other = client.get(URL, {"nam": "2025", "don-vi": unit("000.01.51.H27").pk}).content.decode()
    assert cell(other, "2025-09-29")[0] == ""


def test_a_year_without_official_schedule_says_so(client, clerk):
    client.force_login(clerk)
    html = client.get(URL, {"nam": "2031"}).content.decode()
    assert "Năm 2031 chưa có lịch nghỉ chính thức" in html and "tính theo Bộ luật Lao động" in html
    assert cell(html, "2031-09-02")[0] == "day-holiday"


def test_bad_year_keeps_the_page_with_a_message_and_unknown_unit_is_404(client, clerk):
    client.force_login(clerk)
    html = client.get(URL, {"nam": "20x6"}).content.decode()
    assert "Năm &#x27;20x6&#x27; không hợp lệ" in html
    assert client.get(URL, {"don-vi": "999999"}).status_code == 404


def test_sign_in_required_and_nav_entry_for_officers(client, clerk):
    assert client.get(URL).status_code == 302
    client.force_login(clerk)
    assert f'href="{URL}"' in client.get("/").content.decode()


def test_only_system_admins_see_and_use_the_closure_form(client, clerk, control_officer, unit):
    sở = unit("000.00.12.H27")
    client.force_login(clerk)
    assert "Thêm ngày nghỉ địa phương" not in client.get(URL).content.decode()
    data = {"unit": sở.pk, "date": "04/03/2026", "reason": "Lũ lớn"}
    assert client.post("/lich-lam-viec/nghi-dia-phuong/", data).status_code == 404
    client.force_login(control_officer)
    assert client.post("/lich-lam-viec/nghi-dia-phuong/", data).status_code == 404
    closure = LocalClosure.objects.get(unit__code="000.00.52.H27")
    assert client.post(f"/lich-lam-viec/nghi-dia-phuong/{closure.pk}/xoa/").status_code == 404
    assert not LocalClosure.objects.filter(unit=sở).exists()
    assert LocalClosure.objects.filter(pk=closure.pk).exists()


def test_admin_adds_and_removes_a_closure_audited(client, sysadmin, unit):
    sở = unit("000.00.12.H27")
    client.force_login(sysadmin)
    page = client.get(URL, {"don-vi": sở.pk}).content.decode()
    assert "Thêm ngày nghỉ địa phương" in page and 'placeholder="dd/mm/yyyy"' in page
    response = client.post("/lich-lam-viec/nghi-dia-phuong/", {
        "unit": sở.pk, "date": "04/03/2026", "reason": "Lũ lớn – UBND tỉnh cho nghỉ",
        "legal_basis": "Công điện số 01/CĐ-UBND"})
    assert response.status_code == 302 and response["Location"] == f"{URL}?nam=2026&don-vi={sở.pk}"
    closure = LocalClosure.objects.get(unit=sở, date=dt.date(2026, 3, 4))
    assert AuditEntry.objects.filter(action="closure.add", object_id=str(closure.pk), actor=sysadmin).exists()
    html = client.get(response["Location"]).content.decode()
    assert "Đã ghi ngày nghỉ 04/03/2026 cho Sở Nội vụ tỉnh Hà Tĩnh." in html
    assert cell(html, "2026-03-04")[0] == "day-closure"
    department = client.get(URL, {"nam": "2026", "don-vi": unit("000.05.12.H27").pk}).content.decode()
    assert cell(department, "2026-03-04")[0] == "day-closure"
    removed = client.post(f"/lich-lam-viec/nghi-dia-phuong/{closure.pk}/xoa/", {"don-vi": sở.pk})
    assert removed.status_code == 302
    assert not LocalClosure.objects.filter(pk=closure.pk).exists()
    assert AuditEntry.objects.filter(action="closure.remove", object_id=str(closure.pk), actor=sysadmin).exists()
    html = client.get(removed["Location"]).content.decode()
    assert "Đã bỏ ngày nghỉ 04/03/2026" in html and cell(html, "2026-03-04")[0] == ""


@pytest.mark.parametrize(("data", "message"), [
    ({"date": "4/3/26x", "reason": "Lũ"}, "Nhập ngày theo dạng dd/mm/yyyy"),
    ({"date": "", "reason": "Lũ"}, "Nhập ngày nghỉ theo dạng dd/mm/yyyy."),
    ({"date": "04/03/2026", "reason": ""}, "Cần ghi lý do nghỉ."),
    ({"date": "17/02/2026", "reason": "Lũ"}, "Ngày 17/02/2026 vốn đã là ngày nghỉ của đơn vị"),
    ({"date": "29/09/2025", "reason": "Lũ", "unit_code": "000.00.52.H27"}, "Đơn vị này đã có ngày nghỉ 29/09/2025."),
])
def test_admin_form_errors_in_vietnamese_keep_the_input(client, sysadmin, unit, data, message):
    client.force_login(sysadmin)
    target = unit(data.pop("unit_code", "000.00.12.H27"))
    before = AuditEntry.objects.count()
    response = client.post("/lich-lam-viec/nghi-dia-phuong/", {"unit": target.pk, **data})
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    if data["reason"]:
        assert f'value="{data["reason"]}"' in html
    assert AuditEntry.objects.count() == before
