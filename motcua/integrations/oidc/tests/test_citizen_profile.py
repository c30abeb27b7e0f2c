"""The account behind an e-ID sign-in: found by personal ID, created with the citizen role, applicants linked."""

from __future__ import annotations

import pytest

from motcua.dossiers.models import Applicant, ApplicantKind
from motcua.integrations.oidc.actions import sign_in_citizen
from motcua.integrations.oidc.client import OidcError
from motcua.integrations.oidc.models import Identity
from motcua.org.models import AuditEntry, Role, RoleAssignment, User

ISSUER = "http://127.0.0.1:8000/oidc-dev"


@pytest.mark.django_db
def test_the_demo_citizen_is_found_by_personal_id_not_duplicated(citizen):
    roles_before = RoleAssignment.objects.filter(user=citizen).count()
    user = sign_in_citizen(issuer=ISSUER, claims={"sub": "dev-hung", "personal_id": "042087001234",
                                                 "name": "Nguyễn Văn Hùng", "phone_number": "0905123456"})
    assert user == citizen
    assert RoleAssignment.objects.filter(user=citizen).count() == roles_before
    assert Identity.objects.get(issuer=ISSUER, subject="dev-hung").user == citizen
    # Next time the (issuer, subject) pair finds the account directly.
    assert sign_in_citizen(issuer=ISSUER, claims={"sub": "dev-hung", "personal_id": "042087001234"}) == citizen


@pytest.mark.django_db
def test_a_new_citizen_gets_an_account_the_citizen_role_and_their_earlier_applications():
    applicant = Applicant.objects.create(kind=ApplicantKind.CITIZEN, identifier="001203004567", name="Đỗ Thị Thu")
    seq = AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    user = sign_in_citizen(issuer=ISSUER, claims={"sub": "001203004567", "name": "Đỗ Thị Thu",
                                                 "phone_number": "+84 912 000 111", "email": "thu@example.vn"},
                           ip="10.0.0.7")
    assert user.personal_id == "001203004567" and user.username == "001203004567"
    assert user.phone == "0912000111" and user.email == "thu@example.vn"
    assert not user.has_usable_password()
    assert list(RoleAssignment.objects.filter(user=user).values_list("role", "unit__code")) == [
        (Role.CITIZEN, "000.00.00.H27")]
    applicant.refresh_from_db()
    assert applicant.user == user
    actions = list(AuditEntry.objects.filter(seq__gt=seq).order_by("seq").values_list("action", flat=True))
    assert actions == ["person.create", "oidc.identity_link", "role.assign", "applicant.link_account"]


@pytest.mark.django_db
def test_claims_without_a_personal_id_are_refused():
    with pytest.raises(OidcError, match="12 chữ số"):
        sign_in_citizen(issuer=ISSUER, claims={"sub": "opaque-subject", "name": "Không Số"})
    assert not User.objects.filter(full_name="Không Số").exists()
