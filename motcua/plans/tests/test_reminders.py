"""Reminders N days before and after due dates, to the lead unit's officers, once only."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from motcua.plans.models import Reminder, TaskStatus
from motcua.plans.reminders import send_reminders
from motcua.plans.tests.conftest import task_of

pytestmark = pytest.mark.django_db


def test_before_and_after_due_dates_once_only(plan, control_officer):
    i1 = task_of(plan, "I.1")  # Văn phòng, due 31/03/2024
    created = send_reminders(day=dt.date(2024, 3, 29), days=3)
    before = Reminder.objects.filter(task=i1, kind="before")
    # The Office's officers: Bà Hoa and its head, Ông Bình (binhtv).
    assert created >= 1 and {r.user.username for r in before} == {control_officer.username, "binhtv"}
    assert before[0].message.startswith("Nhiệm vụ I.1 đến hạn ngày 31/03/2024: Ban hành Kế hoạch")
    assert send_reminders(day=dt.date(2024, 3, 29), days=3) == 0
    assert send_reminders(day=dt.date(2024, 3, 30), days=3) == 0  # same due date, same people: nothing new
    send_reminders(day=dt.date(2024, 4, 3), days=3)
    after = Reminder.objects.get(task=i1, kind="after", user=control_officer)
    assert "đã quá hạn từ ngày 31/03/2024" in after.message
    # Done work is not chased.
    iii4 = task_of(plan, "III.4")
    iii4.status = TaskStatus.DONE
    iii4.save()
    send_reminders(day=dt.date(2024, 9, 3), days=3)
    assert not Reminder.objects.filter(task=iii4).exists()


def test_group_lead_reminds_the_heads_of_units_and_periods_have_their_own(plan):
    task = task_of(plan, "III.2")  # Các phòng, ban, đơn vị được giao giải quyết TTHC; due 31/07/2024
    send_reminders(day=dt.date(2024, 7, 29), days=3)
    people = set(Reminder.objects.filter(task=task).values_list("user__username", flat=True))
    assert "truongphong" in people and "minh" not in people
    send_reminders(day=dt.date(2024, 3, 12), days=3)  # Quý I of recurring tasks ends 14/03
    ix2 = Reminder.objects.filter(task=task_of(plan, "IX.2"), instance__label="Quý I")
    assert ix2.exists() and "(Quý I)" in ix2[0].message


def test_the_command_is_idempotent(plan):
    out = StringIO()
    call_command("plan_reminders", "--date", "29/03/2024", "--days", "3", stdout=out)
    count = Reminder.objects.count()
    assert count > 0 and f"Đã tạo {count} nhắc việc mới" in out.getvalue()
    out = StringIO()
    call_command("plan_reminders", "--date", "29/03/2024", "--days", "3", stdout=out)
    assert "Đã tạo 0 nhắc việc mới" in out.getvalue() and Reminder.objects.count() == count


def test_reminders_show_on_the_plans_page_and_can_be_dismissed(client, control_officer, plan):
    send_reminders(day=dt.date(2024, 3, 29), days=3)
    reminder = Reminder.objects.filter(user=control_officer).first()
    client.force_login(control_officer)
    assert reminder.message in client.get("/ke-hoach/").content.decode()
    assert reminder.message in client.get("/").content.decode()  # home section
    client.post(f"/ke-hoach/nhac-viec/{reminder.pk}/da-doc/")
    reminder.refresh_from_db()
    assert reminder.read_at is not None
