"""`make run` on a database from an earlier run: the demo loader keeps existing people, but a demo person
left without a usable password (the background officers an earlier dossiers demo created with none) gets the
demo password — audited, in the loader's transaction — while a password someone set is never replaced."""

from __future__ import annotations

import io

import pytest

from motcua.org import actions, calendar_demo, demo
from motcua.org.audit import verify_chain
from motcua.org.models import AuditEntry, User

pytestmark = pytest.mark.django_db

OLD_BACKGROUND = ["hangvt", "toantq", "binhtv"]  # made by the old dossiers demo with password=None


def _as_on_an_old_database(usernames):
    for username in usernames:
        person = User.objects.get(username=username)
        person.set_unusable_password()
        person.save(update_fields=["password"])


def test_old_passwordless_demo_people_get_the_demo_password_and_others_keep_theirs(client):
    _as_on_an_old_database(OLD_BACKGROUND)
    lan = User.objects.get(username="lan")
    lan.set_password("Lan@Rieng-2026")  # changed by its user: stays
    lan.save(update_fields=["password"])
    outsider = actions.create_person(username="ngoaidemo", password=None, full_name="Người ngoài demo",
                                     acting_user=None)  # not a demo person: not the loader's business
    audit_before = AuditEntry.objects.count()
    out = io.StringIO()

    created = demo.load(stdout=out)

    assert created["people"] == 0 and created["passwords"] == len(OLD_BACKGROUND)
    assert "+3 mật khẩu minh họa" in out.getvalue()
    for username in OLD_BACKGROUND:
        person = User.objects.get(username=username)
        assert person.has_usable_password() and person.check_password(demo.DEMO_PASSWORD)
    assert client.login(username="hangvt", password=demo.DEMO_PASSWORD)
    lan.refresh_from_db()
    assert lan.check_password("Lan@Rieng-2026") and not lan.check_password(demo.DEMO_PASSWORD)
    outsider.refresh_from_db()
    assert not outsider.has_usable_password()

    entries = list(AuditEntry.objects.filter(seq__gt=audit_before).order_by("seq"))
    assert sorted((e.action, e.object_id) for e in entries) == sorted(
        ("person.set_password", str(User.objects.get(username=u).pk)) for u in OLD_BACKGROUND)
    for entry in entries:
        assert entry.actor is None and entry.before == {"usable_password": False}
        assert entry.after["usable_password"] is True
        assert demo.DEMO_PASSWORD not in str(entry.before) + str(entry.after) + entry.note
    assert verify_chain().intact

    # Run again (the next `make run`): nothing left to do, nothing audited.
    audit_after = AuditEntry.objects.count()
    assert demo.load()["passwords"] == 0
    assert AuditEntry.objects.count() == audit_after


def test_a_load_that_fails_later_gives_no_password(monkeypatch):
    _as_on_an_old_database(["toantq"])
    audit_before = AuditEntry.objects.count()

    def broken(stdout=None):
        raise RuntimeError("lịch làm việc lỗi")

    monkeypatch.setattr(calendar_demo, "load", broken)
    with pytest.raises(RuntimeError):
        demo.load()
    assert not User.objects.get(username="toantq").has_usable_password()
    assert AuditEntry.objects.count() == audit_before
