"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

One browser per session, a new context (cookies, storage, viewport) per test. Playwright's own
browser download is never used: the browser is the system `chromium`. Without it every browser
test is skipped with a message, unless MOTCUA_REQUIRE_BROWSER=1 (CI), where they fail instead.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from django.db import connections

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make between
# browser steps are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# The live server listens on 127.0.0.1 (not "localhost"), so "stayed on the server" is one exact host.
os.environ.setdefault("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1")

SKIP_MESSAGE = "Bỏ qua kiểm thử trình duyệt: không tìm thấy Chromium (cài bằng apt-get install chromium)"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
MOBILE_VIEWPORT = {"width": 375, "height": 740}


def chromium_path() -> str | None:
    return shutil.which("chromium")


def browser_required() -> bool:
    return os.environ.get("MOTCUA_REQUIRE_BROWSER") == "1"


def pytest_collection_modifyitems(config, items):
    browser_items = [item for item in items if item.get_closest_marker("browser")]
    config.stash[_browser_skipped_key] = False
    if not browser_items or chromium_path() or browser_required():
        return
    config.stash[_browser_skipped_key] = True
    for item in browser_items:
        item.add_marker(pytest.mark.skip(reason=SKIP_MESSAGE))


_browser_skipped_key = pytest.StashKey[bool]()


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if config.stash.get(_browser_skipped_key, False):
        terminalreporter.write_sep("-", SKIP_MESSAGE, yellow=True)


@pytest.fixture(scope="session")
def browser(tmp_path_factory):
    executable = chromium_path()
    if executable is None:
        # Only reached with MOTCUA_REQUIRE_BROWSER=1: collection skips the tests otherwise.
        pytest.fail(f"{SKIP_MESSAGE} — MOTCUA_REQUIRE_BROWSER=1 đòi chạy kiểm thử trình duyệt.", pytrace=False)
    from playwright.sync_api import sync_playwright

    # A fresh, empty profile and download folder for this session; launch() itself also starts
    # from a new temporary user-data-dir.
    downloads = tmp_path_factory.mktemp("chromium-downloads")
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_FLAGS,
                                             downloads_path=downloads)
    except Exception:
        playwright.stop()
        raise
    try:
        yield browser
    finally:
        try:
            browser.close()
        finally:
            # While Playwright runs, its event loop counts as running in this thread, so Django hands out
            # a second set of connections (asgiref's thread-critical Local switches storage). Close them
            # now: left open, PostgreSQL refuses to drop the test database ("being accessed by other users").
            connections.close_all()
            playwright.stop()


@dataclass
class Traffic:
    """Everything a page asked for and every console error it logged."""

    allowed_netloc: str
    urls: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def foreign_requests(self) -> list[str]:
        return [url for url in self.urls
                if urlsplit(url).scheme not in {"data", "blob"} and urlsplit(url).netloc != self.allowed_netloc]

    def assert_clean(self) -> None:
        assert self.urls, "the page made no request at all"
        assert self.foreign_requests() == [], "requests left the live server"
        assert self.console_errors == [], "the browser console reported errors"


class Browse:
    """A browser context on the live server with its traffic recorded."""

    def __init__(self, browser, live_server, **context_options):
        self.live_server = live_server
        self.context = browser.new_context(base_url=live_server.url, locale="vi-VN", **context_options)
        self.context.set_default_timeout(10_000)
        self.page = self.context.new_page()
        self.traffic = Traffic(allowed_netloc=urlsplit(live_server.url).netloc)
        self.page.on("request", lambda request: self.traffic.urls.append(request.url))
        self.page.on("console", self._on_console)
        self.page.on("pageerror", lambda error: self.traffic.console_errors.append(f"pageerror: {error}"))

    def _on_console(self, message) -> None:
        if message.type != "error":
            return
        # The app ships no favicon yet; Chromium's own request for one 404s. Nothing else is forgiven.
        if urlsplit(message.location.get("url") or "").path == "/favicon.ico":
            return
        self.traffic.console_errors.append(f"{message.text} ({message.location.get('url')})")

    def login(self, username: str, password: str) -> None:
        self.page.goto("/dang-nhap/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", password)
        with self.page.expect_navigation():
            self.page.click("form button.primary")

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def browse(browser, live_server):
    """Opens browser contexts on the live server (options as for `browser.new_context`); all closed after
    the test."""
    opened: list[Browse] = []

    def open_context(**options) -> Browse:
        session = Browse(browser, live_server, **options)
        opened.append(session)
        return session

    yield open_context
    for session in opened:
        session.close()
    # The test's ORM calls used the Playwright-time connections (see `browser`); don't keep them open.
    connections.close_all()


@pytest.fixture
def desktop(browse):
    return browse(viewport={"width": 1280, "height": 800})


@pytest.fixture
def phone(browse):
    return browse(viewport=MOBILE_VIEWPORT, is_mobile=True, has_touch=True)
