"""The citizen's account after an OpenID Connect sign-in: found or created, kept up to date, linked."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.integrations.oidc.client import OidcError
from motcua.integrations.oidc.models import Identity
from motcua.lib.identifiers import is_personal_id
from motcua.lib.text import nfc
from motcua.org import actions as org_actions
from motcua.org.audit import record_audit
from motcua.org.models import Role, RoleAssignment, Unit, User


def personal_id_from(claims: dict) -> str:
    """The 12-digit personal ID: the configured claim, else `sub` when it is one."""
    for key in (settings.OIDC_PERSONAL_ID_CLAIM, "sub"):
        value = str(claims.get(key) or "").strip()
        if is_personal_id(value):
            return value
    raise OidcError(_("Nhà cung cấp định danh không trả về số định danh cá nhân (12 chữ số)."))


def citizen_unit() -> Unit:
    """Citizens hold their role at the province (the root unit of kind province)."""
    unit = Unit.objects.filter(kind=Unit.Kind.PROVINCE, is_active=True).order_by("depth", "pk").first()
    if unit is None:
        raise OidcError(_("Chưa có đơn vị cấp tỉnh để gán vai trò công dân."))
    return unit


def _profile(claims: dict) -> dict:
    name = claims.get("name") or " ".join(
        part for part in (claims.get("family_name"), claims.get("middle_name"), claims.get("given_name")) if part)
    return {
        "full_name": nfc(str(name or "")).strip()[:255],
        "phone": str(claims.get("phone_number") or "").replace(" ", "").replace("+84", "0")[:20],
        "email": str(claims.get("email") or "")[:254],
    }


@transaction.atomic
def sign_in_citizen(*, issuer: str, claims: dict, ip: str | None = None) -> User:
    """Find the account by (issuer, sub), else by personal ID, else create it; refresh the profile from
    the provider; make sure it holds the citizen role; link earlier applicants with the same ID number."""
    from motcua.dossiers.models import Applicant, ApplicantKind

    subject = str(claims["sub"])
    personal_id = personal_id_from(claims)
    profile = _profile(claims)
    identity = Identity.objects.select_for_update().filter(issuer=issuer, subject=subject).select_related("user").first()
    if identity is not None:
        user = identity.user
    else:
        user = User.objects.filter(personal_id=personal_id).order_by("pk").first()
        if user is None:
            username = personal_id if not User.objects.filter(username__iexact=personal_id).exists() \
                else f"vneid-{personal_id}"
            user = org_actions.create_person(username=username, password=None,
                                             full_name=profile["full_name"] or personal_id, acting_user=None, ip=ip,
                                             personal_id=personal_id, phone=profile["phone"], email=profile["email"])
        identity = Identity.objects.create(issuer=issuer, subject=subject, user=user, personal_id=personal_id)
        record_audit(action="oidc.identity_link", obj=identity, actor=user, ip=ip,
                     after={"issuer": issuer, "subject": subject, "user": user.pk, "personal_id": personal_id})

    before = {"full_name": user.full_name, "phone": user.phone, "email": user.email, "personal_id": user.personal_id}
    changes = {key: value for key, value in {**profile, "personal_id": personal_id}.items()
               if value and getattr(user, key) != value}
    if changes:
        for key, value in changes.items():
            setattr(user, key, value)
        user.save()
        record_audit(action="person.update_from_eid", obj=user, actor=user, ip=ip,
                     before={k: before[k] for k in changes}, after=changes)

    if not RoleAssignment.objects.filter(user=user, role=Role.CITIZEN).exists():
        org_actions.assign_role(person=user, unit=citizen_unit(), role=Role.CITIZEN, acting_user=None, ip=ip)

    for applicant in Applicant.objects.select_for_update().filter(
            kind=ApplicantKind.CITIZEN, identifier=personal_id, user__isnull=True):
        applicant.user = user
        applicant.save(update_fields=["user"])
        record_audit(action="applicant.link_account", obj=applicant, actor=user, ip=ip,
                     before={"user": None}, after={"user": user.pk})

    identity.last_login_at = timezone.now()
    identity.save(update_fields=["last_login_at"])
    return user
