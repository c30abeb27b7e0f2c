"""Project-wide test fixtures: the demo organisation is loaded once per test database, and
named personas (the people of JOURNEYS.md) are looked up from it."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from motcua.org import demo

    with django_db_blocker.unblock():
        demo.load()


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
