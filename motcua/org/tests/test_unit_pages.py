"""Unit tree and unit pages, scoped to the units a person may see; administrator forms."""

import datetime as dt

import pytest

from motcua.org.models import AuditEntry, Delegation, Role, RoleAssignment, Unit


def test_tree_shows_only_visible_units_with_kind_code_and_status(client, leader):
    client.force_login(leader)
    text = client.get("/to-chuc/").content.decode()
    assert "Phòng Thi đua – Khen thưởng" in text and "000.05.12.H27" in text
    assert "Phòng, ban chuyên môn" in text and "Đang hoạt động" in text
    assert "Sở Tư pháp" not in text and "Thạch Hà" not in text
    assert "Thêm đơn vị" not in text  # not an administrator


def test_tree_shows_successor_of_a_closed_unit(client, sysadmin, unit):
    from motcua.org import actions

    actions.merge_units(sources=[unit("000.00.51.H27")], successor=unit("000.00.52.H27"),
                        effective=dt.date(2025, 7, 1), acting_user=sysadmin)
    client.force_login(sysadmin)
    text = client.get("/to-chuc/").content.decode()
    assert "Đã chấm dứt" in text and "từ sau 30/06/2025" in text and "Kế thừa bởi" in text


def test_tree_is_404_for_a_person_without_officer_roles(client, citizen):
    client.force_login(citizen)
    assert client.get("/to-chuc/").status_code == 404


def test_unit_page_lists_people_and_roles(client, specialist, unit):
    client.force_login(specialist)
    text = client.get(f"/to-chuc/{unit('000.05.12.H27').pk}/").content.decode()
    assert "Lê Văn Minh" in text and "Hoàng Văn Quang" in text and "Lãnh đạo phòng" in text
    assert "Trưởng phòng đi công tác" in text  # the demo delegation in this department
    assert "Phân công vai trò" not in text  # forms are for administrators


def test_unit_outside_scope_is_404(client, specialist, leader, unit):
    client.force_login(specialist)
    assert client.get(f"/to-chuc/{unit('000.00.15.H27').pk}/").status_code == 404  # Sở Tư pháp
    assert client.get(f"/to-chuc/{unit('000.03.12.H27').pk}/").status_code == 404  # sister department
    client.force_login(leader)
    assert client.get(f"/to-chuc/{unit('000.01.15.H27').pk}/").status_code == 404


@pytest.mark.parametrize("url", ["/to-chuc/them/", "/to-chuc/hop-nhat/"])
def test_admin_forms_are_404_for_officers(client, leader, url):
    client.force_login(leader)
    assert client.get(url).status_code == 404


def test_edit_form_is_404_for_officers(client, leader, unit):
    client.force_login(leader)
    pk = unit("000.05.12.H27").pk
    assert client.get(f"/to-chuc/{pk}/sua/").status_code == 404
    assert client.post(f"/to-chuc/{pk}/sua/", {"name": "X"}).status_code == 404


def test_tree_query_count_is_bounded(client, leader, django_assert_max_num_queries):
    client.force_login(leader)
    with django_assert_max_num_queries(6):
        assert client.get("/to-chuc/").status_code == 200


def unit_data(parent, **overrides):
    data = {"parent": parent.pk, "kind": Unit.Kind.DEPARTMENT, "name": "Phòng Thanh tra", "short_name": "",
            "code": "000.11.12.H27", "admin_code": "", "office_hours": "ha-tinh", "is_active": "on",
            "valid_from": "01/07/2025", "valid_to": ""}
    data.update(overrides)
    return data


def test_admin_creates_a_unit_with_an_audit_entry(client, sysadmin, unit):
    client.force_login(sysadmin)
    response = client.post("/to-chuc/them/", unit_data(unit("000.00.12.H27")))
    created = Unit.objects.get(code="000.11.12.H27")
    assert response.status_code == 302 and response["Location"] == f"/to-chuc/{created.pk}/"
    assert created.parent == unit("000.00.12.H27") and created.valid_from == dt.date(2025, 7, 1)
    entry = AuditEntry.objects.get(action="unit.create", object_id=str(created.pk))
    assert entry.actor == sysadmin and entry.after["name"] == "Phòng Thanh tra"


def test_bad_code_shows_a_vietnamese_message_keeps_input_and_saves_nothing(client, sysadmin, unit):
    client.force_login(sysadmin)
    before = (Unit.objects.count(), AuditEntry.objects.count())
    response = client.post("/to-chuc/them/", unit_data(unit("000.00.12.H27"), code="abc-123", name="Phòng Mới"))
    text = response.content.decode()
    assert response.status_code == 400
    assert "Mã định danh không đúng dạng" in text
    assert 'value="abc-123"' in text and 'value="Phòng Mới"' in text
    assert (Unit.objects.count(), AuditEntry.objects.count()) == before


def test_duplicate_code_is_refused_in_vietnamese(client, sysadmin, unit):
    client.force_login(sysadmin)
    response = client.post("/to-chuc/them/", unit_data(unit("000.00.12.H27"), code="000.05.12.H27"))
    assert response.status_code == 400
    assert "Mã định danh này đã được dùng cho một đơn vị khác." in response.content.decode()


def test_admin_edits_a_unit_and_the_change_is_audited(client, sysadmin, unit):
    client.force_login(sysadmin)
    dept = unit("000.05.12.H27")
    assert 'value="Phòng Thi đua – Khen thưởng"' in client.get(f"/to-chuc/{dept.pk}/sua/").content.decode()
    response = client.post(f"/to-chuc/{dept.pk}/sua/", unit_data(dept.parent, name="Phòng Thi đua, Khen thưởng",
                                                                  code=dept.code, valid_from=""))
    assert response.status_code == 302
    dept.refresh_from_db()
    assert dept.name == "Phòng Thi đua, Khen thưởng"
    entry = AuditEntry.objects.filter(action="unit.update", object_id=str(dept.pk)).latest("seq")
    assert entry.before["name"] == "Phòng Thi đua – Khen thưởng" and entry.after["name"] == dept.name


def test_a_cycle_is_refused_and_nothing_changes(client, sysadmin, unit):
    client.force_login(sysadmin)
    agency = unit("000.00.12.H27")
    before = (agency.parent_id, agency.path, AuditEntry.objects.count())
    response = client.post(f"/to-chuc/{agency.pk}/sua/", unit_data(unit("000.05.12.H27"), name=agency.name,
                                                                    code=agency.code, kind=Unit.Kind.AGENCY))
    assert response.status_code == 400
    assert "Không thể đặt một đơn vị làm cấp dưới của chính nó." in response.content.decode()
    agency.refresh_from_db()
    assert (agency.parent_id, agency.path, AuditEntry.objects.count()) == before


def test_admin_merges_communes(client, sysadmin, unit):
    client.force_login(sysadmin)
    old, new = unit("000.00.51.H27"), unit("000.00.52.H27")
    response = client.post("/to-chuc/hop-nhat/", {"sources": [old.pk], "successor": new.pk, "effective": "01/07/2025"})
    assert response.status_code == 302
    old.refresh_from_db()
    assert not old.is_active and old.successor == new and old.valid_to == dt.date(2025, 6, 30)
    assert AuditEntry.objects.filter(action="unit.update", object_id=str(old.pk), after__is_active=False).exists()


def test_merge_into_itself_is_refused(client, sysadmin, unit):
    client.force_login(sysadmin)
    commune = unit("000.00.51.H27")
    before = AuditEntry.objects.count()
    response = client.post("/to-chuc/hop-nhat/", {"sources": [commune.pk], "successor": commune.pk,
                                                   "effective": "1/7/2025x"})
    text = response.content.decode()
    assert response.status_code == 400
    assert "Đơn vị kế thừa không được nằm trong" in text and "Nhập ngày theo dạng dd/mm/yyyy" in text
    assert AuditEntry.objects.count() == before


def test_admin_assigns_and_ends_a_role(client, sysadmin, unit, clerk):
    client.force_login(sysadmin)
    dept = unit("000.03.12.H27")
    response = client.post(f"/to-chuc/{dept.pk}/phan-cong/", {
        "assign-person": clerk.pk, "assign-role": Role.SPECIALIST, "assign-includes_subunits": "on",
        "assign-valid_from": "01/01/2025", "assign-valid_to": ""})
    assert response.status_code == 302
    assignment = RoleAssignment.objects.get(user=clerk, unit=dept)
    assert AuditEntry.objects.filter(action="role.assign", object_id=str(assignment.pk)).exists()
    response = client.post(f"/phan-cong/{assignment.pk}/ket-thuc/", {f"end{assignment.pk}-last_day": "31/12/2025"})
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.valid_to == dt.date(2025, 12, 31)
    assert AuditEntry.objects.filter(action="role.end", object_id=str(assignment.pk)).exists()


def test_assignment_with_dates_reversed_keeps_input(client, sysadmin, unit, clerk):
    client.force_login(sysadmin)
    dept = unit("000.03.12.H27")
    response = client.post(f"/to-chuc/{dept.pk}/phan-cong/", {
        "assign-person": clerk.pk, "assign-role": Role.SPECIALIST,
        "assign-valid_from": "01/02/2025", "assign-valid_to": "01/01/2025"})
    text = response.content.decode()
    assert response.status_code == 400 and "Ngày kết thúc phải sau hoặc bằng ngày bắt đầu." in text
    assert 'value="01/02/2025"' in text
    assert not RoleAssignment.objects.filter(user=clerk, unit=dept).exists()


def test_admin_records_and_revokes_a_delegation(client, sysadmin, unit, leader, specialist):
    client.force_login(sysadmin)
    agency = unit("000.00.12.H27")
    response = client.post(f"/to-chuc/{agency.pk}/uy-quyen/", {
        "delegation-delegator": leader.pk, "delegation-role": Role.AGENCY_LEADER,
        "delegation-delegate": specialist.pk, "delegation-starts_on": "01/03/2025",
        "delegation-ends_on": "05/03/2025", "delegation-reason": "Giám đốc đi học"})
    assert response.status_code == 302
    delegation = Delegation.objects.get(delegate=specialist)
    response = client.post(f"/uy-quyen/{delegation.pk}/thu-hoi/", {"next": "unit"})
    assert response["Location"] == f"/to-chuc/{agency.pk}/"
    delegation.refresh_from_db()
    assert delegation.revoked_at is not None
    assert AuditEntry.objects.filter(action="delegation.revoke", object_id=str(delegation.pk)).exists()


def test_admin_delegation_of_a_role_not_held_shows_the_reason(client, sysadmin, unit, specialist, clerk):
    client.force_login(sysadmin)
    response = client.post(f"/to-chuc/{unit('000.05.12.H27').pk}/uy-quyen/", {
        "delegation-delegator": specialist.pk, "delegation-role": Role.AGENCY_LEADER,
        "delegation-delegate": clerk.pk, "delegation-starts_on": "01/03/2025", "delegation-ends_on": "05/03/2025"})
    assert response.status_code == 400
    assert "Người ủy quyền không giữ vai trò này" in response.content.decode()
    assert not Delegation.objects.filter(delegate=clerk).exists()
