"""The home page is served entirely from our own server, under the CSP, and renders."""

from __future__ import annotations

import struct

import pytest

from motcua.org.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def test_no_request_leaves_the_live_server_and_the_console_stays_clean(desktop):
    desktop.login("hoa", DEMO_PASSWORD)
    desktop.page.wait_for_load_state("networkidle")

    traffic = desktop.traffic
    paths = [url.removeprefix(desktop.live_server.url) for url in traffic.urls]
    # The login page, the form post, the home page and their own CSS and JS (htmx included).
    assert "/dang-nhap/" in paths and "/" in paths
    assert any(p.startswith("/static/css/motcua") for p in paths)
    assert any(p.startswith("/static/js/motcua") for p in paths)
    assert any(p.startswith("/static/django_htmx/htmx") for p in paths)
    assert traffic.foreign_requests() == []
    assert not [m for m in traffic.console_errors if "Content Security Policy" in m]
    assert traffic.console_errors == []
    # htmx loaded and running under the CSP (no inline script or style needed).
    assert desktop.page.evaluate("typeof window.htmx") == "object"


def test_a_screenshot_of_the_home_page_is_a_real_png(desktop, tmp_path):
    desktop.login("giamdoc", DEMO_PASSWORD)
    target = tmp_path / "home.png"
    desktop.page.screenshot(path=str(target), full_page=True)

    data = target.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])  # IHDR: the first chunk after the signature
    assert width == 1280 and height >= 800
    assert len(data) > 5_000
    desktop.traffic.assert_clean()
