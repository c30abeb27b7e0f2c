"""Vietnamese is the source language; English comes from the committed catalog."""

import pytest
from django.conf import settings
from django.utils import translation

from motcua.org.audit import verify_chain
from motcua.org.models import Role


@pytest.mark.django_db
def test_login_page_is_vietnamese_by_default(client):
    text = client.get("/dang-nhap/").content.decode()
    assert 'lang="vi"' in text and "Đăng nhập" in text and "Sign in" not in text


@pytest.mark.django_db
def test_an_english_browser_still_gets_vietnamese_until_the_person_switches(client):
    text = client.get("/dang-nhap/", headers={"Accept-Language": "en-US,en;q=0.9"}).content.decode()
    assert 'lang="vi"' in text and "Đăng nhập" in text


@pytest.mark.django_db
def test_login_page_in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    text = client.get("/dang-nhap/").content.decode()
    assert 'lang="en"' in text and "Sign in" in text and "Username" in text and "Đăng nhập" not in text


@pytest.mark.django_db
def test_switching_language_from_the_header(client, clerk):
    client.force_login(clerk)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    text = client.get("/").content.decode()
    assert "Hello, Trần Thị Lan" in text and "My roles today" in text and "One-stop officer" in text


@pytest.mark.django_db
def test_compiled_catalog_is_committed_and_needs_no_gettext():
    mo = settings.LOCALE_PATHS[0] / "en" / "LC_MESSAGES" / "django.mo"
    assert mo.exists()
    with translation.override("en"):
        assert str(Role.CONTROL_OFFICER.label) == "Procedure control officer"
        assert "intact" in verify_chain().message()
        assert translation.ngettext("%(total)s bản ghi", "%(total)s bản ghi", 2) == "%(total)s entries"
