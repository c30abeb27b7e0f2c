"""Every demo role's home renders with that person's own section."""

import pytest

from motcua.org.home import HOME_SECTIONS, register_home_section
from motcua.org.models import User

HOMES = [
    ("admin", "Nguyễn Quản Trị", "Quản trị hệ thống"),
    ("lan", "Trần Thị Lan", "Đơn vị công tác"),
    ("minh", "Lê Văn Minh", "Đơn vị công tác"),
    ("truongphong", "Hoàng Văn Quang", "Cán bộ trong đơn vị tôi phụ trách"),
    ("giamdoc", "Bùi Quang Dương", "Cán bộ trong đơn vị tôi phụ trách"),
    ("hoa", "Nguyễn Thị Hoa", "Kiểm soát TTHC: nhật ký gần đây"),
    ("hung", "Nguyễn Văn Hùng", "Thông tin cá nhân"),
]


@pytest.mark.parametrize(("username", "name", "section"), HOMES)
def test_each_demo_role_sees_its_home(client, db, username, name, section):
    client.force_login(User.objects.get(username=username))
    response = client.get("/")
    text = response.content.decode()
    assert response.status_code == 200
    assert name in text and section in text


def test_admin_home_has_counts_and_links(client, sysadmin):
    client.force_login(sysadmin)
    text = client.get("/").content.decode()
    assert "đơn vị đang hoạt động" in text and 'href="/nhat-ky/"' in text and 'href="/quan-tri/"' in text
    assert "Kiểm soát TTHC" not in text  # another role's section


def test_leader_sees_the_staff_of_the_agency(client, leader):
    client.force_login(leader)
    text = client.get("/").content.decode()
    assert "Lê Văn Minh" in text and "Phạm Thị Thu" in text and "Võ Văn Tư" not in text


def test_delegation_badge_on_the_deputy_home(client, db):
    client.force_login(User.objects.get(username="phophong"))
    text = client.get("/").content.decode()
    assert "ủy quyền bởi Hoàng Văn Quang" in text


def test_control_officer_home_loads_the_chain_status(client, control_officer):
    client.force_login(control_officer)
    text = client.get("/").content.decode()
    assert 'hx-get="/nhat-ky/kiem-tra/"' in text and "Xem toàn bộ nhật ký" in text


def test_citizen_home_is_friendly_and_shows_no_officer_data(client, citizen):
    client.force_login(citizen)
    text = client.get("/").content.decode()
    assert "042087001234" in text and "hung@example.vn" in text
    assert "Đơn vị công tác" not in text and "Nhật ký" not in text


def test_person_without_roles_is_told_so(client, outsider):
    client.force_login(outsider)
    text = client.get("/").content.decode()
    assert "chưa được phân công vai trò nào" in text


def test_apps_add_sections_for_their_roles(client, clerk, citizen, tmp_path, settings):
    (tmp_path / "extra_section.html").write_text("<section>Danh sách hồ sơ chờ tiếp nhận: {{ section.n }}</section>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}]
    register_home_section("extra_section.html", {"one_stop_officer"}, context=lambda request: {"n": 7})
    try:
        client.force_login(clerk)
        assert "Danh sách hồ sơ chờ tiếp nhận: 7" in client.get("/").content.decode()
        client.force_login(citizen)
        assert "Danh sách hồ sơ chờ tiếp nhận" not in client.get("/").content.decode()
    finally:
        HOME_SECTIONS[:] = [s for s in HOME_SECTIONS if s.template_name != "extra_section.html"]
