"""Every demo role signs in through the real login form and lands on its own home page."""

from __future__ import annotations

import pytest

from motcua.org import demo
from motcua.org.models import Role, Unit


def _first_holder_of_each_role() -> dict[str, tuple[str, str, str]]:
    """role -> (username, full name, unit code) of the first demo person holding it."""
    units = {key: code for key, _parent, _kind, _name, _short, code, _hours in demo.UNITS}
    holders: dict[str, tuple[str, str, str]] = {}
    for username, full_name, _position, grants, _extra in demo.PEOPLE:
        for role, unit_key in grants:
            holders.setdefault(role, (username, full_name, units[unit_key]))
    return holders


ROLE_HOLDERS = _first_holder_of_each_role()


def test_the_demo_data_has_an_account_for_every_role():
    assert set(ROLE_HOLDERS) == set(Role.values)


@pytest.mark.browser
@pytest.mark.parametrize("role", Role.values)
def test_each_role_signs_in_and_sees_its_home(desktop, role):
    username, full_name, unit_code = ROLE_HOLDERS[role]
    unit_name = Unit.objects.get(code=unit_code).name
    desktop.login(username, demo.DEMO_PASSWORD)

    page = desktop.page
    assert page.url == desktop.live_server.url + "/"
    assert page.locator("h1").inner_text() == f"Xin chào, {full_name}"
    assert page.locator(".who-name").inner_text() == full_name
    assert str(Role(role).label) in page.locator(".who-roles").inner_text()
    grants = page.locator("ul.grants li")
    assert grants.filter(has_text=str(Role(role).label)).filter(has_text=unit_name).count() == 1
    desktop.traffic.assert_clean()


@pytest.mark.browser
def test_a_delegated_role_shows_who_lent_it(desktop):
    desktop.login("phophong", demo.DEMO_PASSWORD)
    delegated = desktop.page.locator("ul.grants li").filter(has_text=str(Role.HEAD_OF_UNIT.label))
    assert delegated.count() == 1
    assert "ủy quyền bởi" in delegated.inner_text()
    assert "Hoàng Văn Quang" in delegated.inner_text()


@pytest.mark.browser
def test_a_wrong_password_gets_the_vietnamese_message(desktop):
    desktop.login("lan", "khong-dung-mat-khau")

    page = desktop.page
    assert page.url.startswith(desktop.live_server.url + "/dang-nhap/")
    assert page.locator("[role=alert]").inner_text() == "Tên đăng nhập hoặc mật khẩu không đúng."
    assert page.locator(".who-name").count() == 0
    # The page answers 400 on a failed form; Chromium logs that status as a console error, nothing else.
    assert all("400" in message for message in desktop.traffic.console_errors)
    assert desktop.traffic.foreign_requests() == []
