import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from motcua.org import actions
from motcua.org.models import Role, Unit
from motcua.org.selectors import roles_of, visible_units


def codes(qs):
    return set(qs.values_list("code", flat=True))


def test_specialist_sees_only_their_department(specialist):
    assert codes(visible_units(specialist)) == {"000.05.12.H27"}


def test_leader_sees_the_whole_agency_subtree_and_nothing_else(leader):
    seen = codes(visible_units(leader))
    assert "000.00.12.H27" in seen and "000.05.12.H27" in seen and "000.10.12.H27" in seen
    assert "000.00.15.H27" not in seen  # Sở Tư pháp
    assert "000.00.52.H27" not in seen  # a commune


def test_person_without_a_role_sees_nothing(outsider):
    assert not visible_units(outsider).exists()


def test_citizen_role_gives_no_officer_data(citizen):
    assert roles_of(citizen) == {Role.CITIZEN}
    assert not visible_units(citizen).exists()


def test_system_admin_sees_every_unit(sysadmin):
    assert visible_units(sysadmin).count() == Unit.objects.count()


def test_delegation_grants_the_role_only_within_its_dates(db):
    from motcua.org.models import User

    deputy = User.objects.get(username="phophong")
    today = timezone.localdate()
    assert Role.HEAD_OF_UNIT in roles_of(deputy, on=today)
    assert Role.HEAD_OF_UNIT not in roles_of(deputy, on=today + dt.timedelta(days=30))


def test_cannot_delegate_a_role_one_does_not_hold(specialist, clerk, unit):
    with pytest.raises(ValidationError):
        actions.delegate_role(delegator=specialist, delegate=clerk, unit=unit("000.05.12.H27"),
                              role=Role.AGENCY_LEADER, starts_on=dt.date(2025, 1, 1), ends_on=dt.date(2025, 1, 5),
                              acting_user=specialist)


def test_tree_of_any_depth_and_moves_keep_paths(sysadmin, unit):
    commune = unit("000.00.52.H27")
    parent = commune
    for level in range(6):
        parent = actions.create_unit(acting_user=sysadmin, parent=parent, kind=Unit.Kind.DEPARTMENT,
                                     name=f"Tổ {level}", code=f"000.{level + 20:02d}.52.H27")
    assert parent.depth == 7
    assert commune.subtree().count() == 8  # the commune, its one-stop desk and six nested units
    new_parent = unit("000.00.51.H27")
    actions.update_unit(unit=commune.subtree().get(name="Tổ 0"), acting_user=sysadmin, parent=new_parent)
    assert new_parent.subtree().filter(name="Tổ 5").exists()
    assert not commune.subtree().filter(name="Tổ 5").exists()


def test_a_unit_cannot_become_its_own_descendant(sysadmin, unit):
    agency = unit("000.00.12.H27")
    with pytest.raises(ValidationError):
        actions.update_unit(unit=agency, acting_user=sysadmin, parent=unit("000.05.12.H27"))


def test_merger_keeps_history_and_points_to_successor(sysadmin, unit):
    new = actions.create_unit(acting_user=sysadmin, parent=unit("000.00.00.H27"), kind=Unit.Kind.COMMUNE,
                              name="Ủy ban nhân dân xã Thạch Hà Mới", code="000.00.53.H27")
    old = unit("000.00.52.H27")
    actions.merge_units(sources=[old], successor=new, effective=dt.date(2026, 1, 1), acting_user=sysadmin)
    old.refresh_from_db()
    assert not old.is_active and old.successor == new and old.valid_to == dt.date(2025, 12, 31)
    from motcua.org.models import RoleAssignment

    assert RoleAssignment.objects.filter(unit__in=old.subtree()).exists()  # officers' history stays attached


def test_malformed_agency_code_is_refused_in_vietnamese(sysadmin):
    with pytest.raises(ValidationError, match="Mã định danh"):
        actions.create_unit(acting_user=sysadmin, kind=Unit.Kind.AGENCY, name="Sở X", code="abc")
