"""Local closures (typhoon, flood): audited actions, and they move due instants of the unit and
every unit under it."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from motcua.org.calendar import (
    CalendarInputError,
    add_local_closure,
    office_hours_code,
    remove_local_closure,
    schedule_for_agency_code,
    schedule_for_unit,
)
from motcua.org.models import AuditEntry, LocalClosure
from motcua.workdays import VN_TZ, get_schedule

pytestmark = pytest.mark.django_db

SNV = "000.00.12.H27"  # Sở Nội vụ (ha-tinh office hours)
SNV_DEPT = "000.05.12.H27"  # Phòng Thi đua – Khen thưởng, under the Sở


def at(day, month, year, hour=8, minute=0):
    return dt.datetime(year, month, day, hour, minute, tzinfo=VN_TZ)


def test_a_closure_inside_the_window_moves_the_due_instant_by_one_working_day_and_removal_restores(unit, sysadmin):
    sở = unit(SNV)
    start = at(2, 3, 2026, 9, 0)  # Monday 02/03/2026 (summer hours start 16/04, so 07:30–17:30)
    before = schedule_for_unit(sở).add_working(start, 5)
    assert before == at(9, 3, 2026, 9, 0)
    closure = add_local_closure(unit=sở, date=dt.date(2026, 3, 4), reason="Lũ lớn – UBND tỉnh cho nghỉ",
                                legal_basis="Công điện số 01/CĐ-UBND", acting_user=sysadmin, ip="10.0.0.1")
    moved = schedule_for_unit(sở).add_working(start, 5)
    assert moved == at(10, 3, 2026, 9, 0)
    assert schedule_for_unit(sở).working_between(before, moved) == dt.timedelta(hours=8)
    remove_local_closure(closure=closure, acting_user=sysadmin)
    assert schedule_for_unit(sở).add_working(start, 5) == before
    assert not LocalClosure.objects.filter(pk=closure.pk).exists()


def test_closure_of_an_agency_applies_to_its_departments_but_not_to_other_agencies(unit, sysadmin):
    add_local_closure(unit=unit(SNV), date=dt.date(2026, 3, 4), reason="Lũ lớn", acting_user=sysadmin)
    start = at(3, 3, 2026, 9, 0)
    assert schedule_for_unit(unit(SNV_DEPT)).add_working(start, 1) == at(5, 3, 2026, 9, 0)
    assert schedule_for_unit(unit("000.00.15.H27")).add_working(start, 1) == at(4, 3, 2026, 9, 0)  # Sở Tư pháp
    reason = schedule_for_unit(unit(SNV_DEPT)).calendar.reason_off(dt.date(2026, 3, 4))
    assert reason is not None and "Lũ lớn" in reason.reason_vi and "Sở Nội vụ" in reason.reason_vi


def test_demo_typhoon_closure_of_thach_ha_applies_to_its_one_stop_desk(unit):
    closure = LocalClosure.objects.get(unit__code="000.00.52.H27", date=dt.date(2025, 9, 29))
    assert "Bualoi" in closure.reason
    desk = schedule_for_unit(unit("000.01.52.H27"))
    assert not desk.calendar.is_working_day(dt.date(2025, 9, 29))
    # Friday 10:00, 2 days: Mon 29/09 is closed → Wed 01/10 10:00 instead of Tue 30/09.
    assert desk.add_working(at(26, 9, 2025, 10, 0), 2) == at(1, 10, 2025, 10, 0)
    assert schedule_for_unit(unit("000.01.51.H27")).add_working(at(26, 9, 2025, 10, 0), 2) == at(30, 9, 2025, 10, 0)


def test_add_and_remove_are_audited_in_the_chain(unit, sysadmin):
    closure = add_local_closure(unit=unit(SNV), date=dt.date(2026, 3, 4), reason="Lũ lớn",
                                legal_basis="Công điện số 01/CĐ-UBND", acting_user=sysadmin, ip="10.0.0.1")
    added = AuditEntry.objects.filter(action="closure.add").latest("seq")
    assert added.actor == sysadmin and added.ip == "10.0.0.1"
    assert added.after == {"unit": unit(SNV).pk, "unit_code": SNV, "date": "2026-03-04", "reason": "Lũ lớn",
                           "legal_basis": "Công điện số 01/CĐ-UBND"}
    assert closure.created_by == sysadmin
    remove_local_closure(closure=closure, acting_user=sysadmin)
    removed = AuditEntry.objects.filter(action="closure.remove").latest("seq")
    assert removed.before["date"] == "2026-03-04" and removed.object_id == str(closure.pk)


def test_rejects_duplicates_days_already_off_and_missing_reason(unit, sysadmin):
    sở = unit(SNV)
    add_local_closure(unit=sở, date=dt.date(2026, 3, 4), reason="Lũ lớn", acting_user=sysadmin)
    with pytest.raises(ValidationError) as dup:
        add_local_closure(unit=sở, date=dt.date(2026, 3, 4), reason="Lũ lớn", acting_user=sysadmin)
    assert "đã có ngày nghỉ 04/03/2026" in dup.value.message_dict["date"][0]
    with pytest.raises(ValidationError) as tet:
        add_local_closure(unit=sở, date=dt.date(2026, 2, 17), reason="Bão", acting_user=sysadmin)
    assert "17/02/2026 vốn đã là ngày nghỉ" in tet.value.message_dict["date"][0]
    assert "Tết Nguyên đán" in tet.value.message_dict["date"][0]
    with pytest.raises(ValidationError) as sunday:
        add_local_closure(unit=sở, date=dt.date(2026, 3, 8), reason="Bão", acting_user=sysadmin)
    assert "Chủ nhật" in sunday.value.message_dict["date"][0]
    with pytest.raises(ValidationError) as empty:
        add_local_closure(unit=sở, date=dt.date(2026, 3, 5), reason="  ", acting_user=sysadmin)
    assert "lý do" in empty.value.message_dict["reason"][0]
    assert LocalClosure.objects.filter(unit=sở).count() == 1


def test_a_make_up_saturday_can_be_closed(unit, sysadmin):
    sở = unit(SNV)
    assert schedule_for_unit(sở).calendar.is_working_day(dt.date(2026, 1, 10))
    add_local_closure(unit=sở, date=dt.date(2026, 1, 10), reason="Rét đậm", acting_user=sysadmin)
    assert not schedule_for_unit(sở).calendar.is_working_day(dt.date(2026, 1, 10))


def test_schedule_uses_the_unit_profile_and_blank_profiles_follow_the_parent(unit):
    dept = unit(SNV_DEPT)
    assert schedule_for_unit(dept).hours.code == "ha-tinh"
    dept.office_hours = ""
    assert office_hours_code(dept) == "ha-tinh"
    # Summer hours in Hà Tĩnh: 07:00–11:30, 14:00–17:30 → 1 day from 07:00 ends at 17:30.
    assert schedule_for_unit(dept).add_working(at(4, 5, 2026, 7, 0), 1) == at(4, 5, 2026, 17, 30)
    assert schedule_for_unit(None) is get_schedule()
    dept.office_hours = "khong-co"
    with pytest.raises(CalendarInputError, match="bộ giờ làm việc 'khong-co' chưa được khai báo"):
        schedule_for_unit(dept)


def test_schedule_for_agency_code(unit):
    assert schedule_for_agency_code(SNV).hours.code == "ha-tinh"
    with pytest.raises(CalendarInputError) as exc:
        schedule_for_agency_code("000.00.99.H99")
    assert str(exc.value) == (
        "Không có cơ quan, đơn vị nào mang mã định danh '000.00.99.H99' (ví dụ mã đúng dạng: 000.00.12.H27)."
    )
