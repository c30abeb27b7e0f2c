"""The demo organisation staffs the demo catalog: whatever step a demo dossier waits at, someone who can
sign in holds that step's role over its unit today, and every one-stop desk has a one-stop officer.
(An acceptance test found Phòng Lao động – Việc làm empty: nobody could carry on 1.014199's steps 2–4.)"""

from __future__ import annotations

import pytest

from motcua.catalog.models import Step
from motcua.org import demo
from motcua.org.models import Role, RoleAssignment, Unit
from motcua.org.selectors import today

pytestmark = pytest.mark.django_db


def sign_in_holders(unit: Unit, role: str) -> set[str]:
    """Usernames of active people with a usable password holding `role` at `unit` today, directly or at an
    ancestor whose assignment includes sub-units (the work lists' own rule); delegations do not count."""
    ancestors = [int(part) for part in unit.path.split("/") if part]
    grants = (RoleAssignment.objects.active_on(today()).filter(role=role, unit_id__in=ancestors)
              .select_related("user", "unit"))
    return {g.user.username for g in grants
            if (g.unit_id == unit.pk or g.includes_subunits) and g.user.is_active and g.user.has_usable_password()}


def test_every_step_of_every_demo_process_has_someone_to_sign_in_and_do_it():
    pairs = {(step.unit, step.role) for step in Step.objects.select_related("unit")}
    assert len(pairs) >= 25  # the loaded demo catalog, not an empty one
    missing = sorted(f"{unit.code} {unit.name}: {Role(role).label}" for unit, role in pairs
                     if not sign_in_holders(unit, role))
    assert missing == []


def test_every_one_stop_desk_has_a_one_stop_officer():
    desks = list(Unit.objects.filter(kind=Unit.Kind.ONE_STOP, is_active=True))
    assert len(desks) >= 4
    missing = sorted(desk.name for desk in desks if not sign_in_holders(desk, Role.ONE_STOP_OFFICER))
    assert missing == []


def test_labour_department_has_its_head_and_specialist():
    unit = Unit.objects.get(code="000.06.12.H27")
    assert sign_in_holders(unit, Role.HEAD_OF_UNIT) == {"hangvt"}
    assert sign_in_holders(unit, Role.SPECIALIST) == {"toantq"}


def test_the_demo_people_sign_in_with_the_demo_password():
    from motcua.org.models import User

    usernames = [username for username, *_rest in demo.PEOPLE]
    assert len(usernames) == len(set(usernames))
    for person in User.objects.filter(username__in=usernames):
        assert person.check_password(demo.DEMO_PASSWORD), person.username
    assert User.objects.filter(username__in=usernames).count() == len(usernames)


def test_the_province_leader_signs_for_the_province_only():
    grant = RoleAssignment.objects.get(user__username="khoalv")
    assert (grant.role, grant.unit.code, grant.includes_subunits) == (Role.AGENCY_LEADER, "000.00.00.H27", False)
