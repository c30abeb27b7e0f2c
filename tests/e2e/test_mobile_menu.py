"""On a 375 px phone the navigation folds behind the Menu button (motcua/static/js/motcua.js)."""

from __future__ import annotations

import pytest

from motcua.org.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def test_the_menu_button_opens_the_navigation_on_a_phone(phone):
    phone.login("lan", DEMO_PASSWORD)
    page = phone.page
    assert page.evaluate("window.innerWidth") == 375

    toggle = page.locator(".menu-toggle")
    nav = page.locator("#mainnav")
    assert toggle.is_visible()
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not nav.is_visible()

    toggle.click()
    assert nav.is_visible()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert nav.get_by_role("link", name="Trang chính").is_visible()

    toggle.click()
    assert not nav.is_visible()
    assert toggle.get_attribute("aria-expanded") == "false"
    phone.traffic.assert_clean()


def test_the_menu_button_is_hidden_on_a_desktop(desktop):
    desktop.login("lan", DEMO_PASSWORD)
    assert not desktop.page.locator(".menu-toggle").is_visible()
    assert desktop.page.locator("#mainnav").get_by_role("link", name="Trang chính").is_visible()
