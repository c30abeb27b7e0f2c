import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from motcua.org.audit import record_audit, verify_chain
from motcua.org.models import AuditEntry, Unit


def test_demo_load_leaves_an_intact_chain(db):
    report = verify_chain()
    assert report.intact, report.message()
    assert report.checked == AuditEntry.objects.count() > 20


def test_verify_audit_command_reports_intact(db, capsys):
    call_command("verify_audit")
    assert "toàn vẹn" in capsys.readouterr().out


def test_edited_entry_is_found(db):
    victim = AuditEntry.objects.order_by("seq")[5]
    AuditEntry.objects.filter(pk=victim.pk).update(note="sửa lén")
    report = verify_chain()
    assert not report.intact
    assert report.broken_seq == victim.seq
    with pytest.raises(CommandError, match=f"#{victim.seq}"):
        call_command("verify_audit")


def test_deleted_entry_is_found(db):
    victim = AuditEntry.objects.order_by("seq")[3]
    AuditEntry.objects.filter(pk=victim.pk).delete()  # raw queryset delete bypasses the model guard
    report = verify_chain()
    assert not report.intact
    assert report.broken_seq == victim.seq


def test_truncated_tail_is_found(db):
    last = AuditEntry.objects.order_by("-seq").first()
    AuditEntry.objects.filter(pk=last.pk).delete()
    assert not verify_chain().intact


def test_entries_cannot_be_edited_or_deleted_through_the_model(db):
    entry = AuditEntry.objects.first()
    entry.note = "x"
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        entry.delete()


def test_record_audit_refuses_to_run_outside_a_transaction(db, settings):
    unit = Unit.objects.first()
    # pytest-django wraps each test in a transaction; leave it to prove the guard.
    conn = transaction.get_connection()
    saved = conn.in_atomic_block
    conn.in_atomic_block = False
    try:
        with pytest.raises(RuntimeError):
            record_audit(action="x", obj=unit)
    finally:
        conn.in_atomic_block = saved


def test_entry_records_before_after_actor_and_address(db, sysadmin):
    from motcua.org.actions import update_unit

    unit = Unit.objects.get(code="000.00.52.H27")
    update_unit(unit=unit, acting_user=sysadmin, ip="10.0.0.5", name="Ủy ban nhân dân xã Thạch Hà mới")
    entry = AuditEntry.objects.order_by("-seq").first()
    assert entry.action == "unit.update"
    assert entry.actor == sysadmin
    assert entry.ip == "10.0.0.5"
    assert entry.before["name"] == "Ủy ban nhân dân xã Thạch Hà"
    assert entry.after["name"] == "Ủy ban nhân dân xã Thạch Hà mới"
    assert verify_chain().intact
