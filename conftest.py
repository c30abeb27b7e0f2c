"""Project-wide test fixtures: the demo organisation is loaded once per test database, and
named personas (the people of JOURNEYS.md) are looked up from it."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        _load_session_data()
    _test_db["ready"] = True


def _load_session_data():
    """What every test database holds: the demo data (also put back after each transactional test)."""
    from motcua.catalog import demo as catalog_demo
    from motcua.org import demo

    demo.load()
    catalog_demo.load()


_test_db = {"ready": False}


@pytest.fixture(autouse=True)
def _default_language():
    """A request with the English cookie leaves English active in the test's thread (LocaleMiddleware does not
    reset it): put the default back, so a later test calling report code directly gets the Vietnamese text."""
    yield
    from django.utils import translation

    translation.deactivate()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test (live server, threads) ends with a flush that empties every table; the demo
    data goes back in right after it, so every later test sees the same organisation whatever the order."""
    try:
        return (yield)
    finally:
        # nextitem None: the session ends here and the test database is already gone.
        if nextitem is not None and _test_db["ready"] and _is_transactional(item):
            from django.db import connections
            from pytest_django.plugin import blocking_manager_key

            with item.config.stash[blocking_manager_key].unblock():
                _load_session_data()
                # While a browser test's Playwright runs, this thread has a second set of connections
                # (tests/e2e/conftest.py); close what the reload opened so none outlives the session.
                connections.close_all()


def _is_transactional(item) -> bool:
    from pytest_django.plugin import validate_django_db

    marker = item.get_closest_marker("django_db")
    if marker is not None:
        transaction, reset_sequences, *_ = validate_django_db(marker)
        if transaction or reset_sequences:
            return True
    names = getattr(item, "fixturenames", ())
    return "transactional_db" in names or "live_server" in names


def _person(username):
    from motcua.org.models import User

    return User.objects.get(username=username)


@pytest.fixture
def clerk(db):
    """Chị Lan, one-stop officer at the provincial public-service centre."""
    return _person("lan")


@pytest.fixture
def specialist(db):
    """Anh Minh, specialist in the emulation & rewards department."""
    return _person("minh")


@pytest.fixture
def leader(db):
    return _person("giamdoc")


@pytest.fixture
def control_officer(db):
    """Bà Hoa, TTHC control officer at the Office."""
    return _person("hoa")


@pytest.fixture
def citizen(db):
    """Ông Hùng, a citizen."""
    return _person("hung")


@pytest.fixture
def sysadmin(db):
    return _person("admin")


@pytest.fixture
def outsider(db):
    """A signed-in person with no role anywhere."""
    from motcua.org.models import User

    return User.objects.create_user(username="outsider", password="x-Outsider-2025", full_name="Người Ngoài")


@pytest.fixture
def unit(db):
    from motcua.org.models import Unit

    return lambda code: Unit.objects.get(code=code)
