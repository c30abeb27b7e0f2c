"""Writes on the organisation. Each action is one transaction with its audit entry."""

from __future__ import annotations

import datetime as dt
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.org.audit import model_snapshot, record_audit
from motcua.org.models import ApiToken, Delegation, Role, RoleAssignment, Unit, User
from motcua.org.selectors import grants_of

UNIT_FIELDS = ["parent", "kind", "name", "short_name", "code", "admin_code", "office_hours",
               "receives_saturday_morning", "is_active", "valid_from", "valid_to", "successor"]


@transaction.atomic
def create_unit(*, acting_user: User | None, ip: str | None = None, **fields) -> Unit:
    unit = Unit(**fields)
    unit.full_clean()
    unit.save()
    record_audit(action="unit.create", obj=unit, actor=acting_user, ip=ip, after=model_snapshot(unit, UNIT_FIELDS))
    return unit


@transaction.atomic
def update_unit(*, unit: Unit, acting_user: User | None, ip: str | None = None, **changes) -> Unit:
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    before = model_snapshot(unit, UNIT_FIELDS)
    for name, value in changes.items():
        setattr(unit, name, value)
    unit.full_clean()
    unit.save()
    record_audit(action="unit.update", obj=unit, actor=acting_user, ip=ip, before=before,
                 after=model_snapshot(unit, UNIT_FIELDS))
    return unit


@transaction.atomic
def merge_units(*, sources: list[Unit], successor: Unit, effective: dt.date, acting_user: User | None,
                ip: str | None = None) -> None:
    """An administrative merger: the old units close on `effective` and point at their successor.
    Their history (dossiers, assignments, audit) stays attached to them."""
    for source in sources:
        update_unit(unit=source, acting_user=acting_user, ip=ip, is_active=False,
                    valid_to=effective - dt.timedelta(days=1), successor=successor)


@transaction.atomic
def create_person(*, username: str, password: str | None, full_name: str, acting_user: User | None,
                  ip: str | None = None, **fields) -> User:
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("Tên đăng nhập đã tồn tại.")})
    person = User(username=username, full_name=full_name, **fields)
    person.full_clean(exclude=["password"])
    if password:
        person.set_password(password)
    else:
        person.set_unusable_password()
    person.save()
    record_audit(action="person.create", obj=person, actor=acting_user, ip=ip,
                 after={"username": username, "full_name": person.full_name, **{k: str(v) for k, v in fields.items()}})
    return person


@transaction.atomic
def set_password(*, person: User, password: str, acting_user: User | None, ip: str | None = None,
                 reason: str = "") -> User:
    """Give the person a new password (stored hashed; the audit entry records that it changed, never what
    it is)."""
    had_usable = person.has_usable_password()
    person.set_password(password)
    person.save(update_fields=["password"])
    record_audit(action="person.set_password", obj=person, actor=acting_user, ip=ip,
                 before={"usable_password": had_usable},
                 after={"usable_password": True, **({"reason": reason} if reason else {})})
    return person


@transaction.atomic
def assign_role(*, person: User, unit: Unit, role: str, acting_user: User | None, ip: str | None = None,
                includes_subunits: bool = True, valid_from: dt.date | None = None,
                valid_to: dt.date | None = None) -> RoleAssignment:
    if role not in Role.values:
        raise ValidationError({"role": _("Vai trò không hợp lệ: %(role)s.") % {"role": role}})
    if valid_from and valid_to and valid_to < valid_from:
        raise ValidationError({"valid_to": _("Ngày kết thúc phải sau hoặc bằng ngày bắt đầu.")})
    assignment = RoleAssignment.objects.create(user=person, unit=unit, role=role, includes_subunits=includes_subunits,
                                               valid_from=valid_from, valid_to=valid_to)
    record_audit(action="role.assign", obj=assignment, actor=acting_user, ip=ip,
                 after={"user": person.pk, "unit": unit.pk, "role": role, "includes_subunits": includes_subunits,
                        "valid_from": valid_from, "valid_to": valid_to})
    return assignment


@transaction.atomic
def end_role_assignment(*, assignment: RoleAssignment, last_day: dt.date, acting_user: User | None,
                        ip: str | None = None) -> RoleAssignment:
    before = {"valid_to": assignment.valid_to}
    assignment.valid_to = last_day
    assignment.save(update_fields=["valid_to"])
    record_audit(action="role.end", obj=assignment, actor=acting_user, ip=ip, before=before,
                 after={"valid_to": last_day})
    return assignment


@transaction.atomic
def delegate_role(*, delegator: User, delegate: User, unit: Unit, role: str, starts_on: dt.date, ends_on: dt.date,
                  reason: str = "", acting_user: User | None, ip: str | None = None) -> Delegation:
    """Ủy quyền: only a role the delegator holds in that unit on the first day can be lent."""
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("Ngày kết thúc ủy quyền phải sau hoặc bằng ngày bắt đầu.")})
    if delegator.pk == delegate.pk:
        raise ValidationError({"delegate": _("Không thể ủy quyền cho chính mình.")})
    held = [g for g in grants_of(delegator, on=starts_on) if g.role == role and g.delegated_by is None
            and (g.unit.pk == unit.pk or (g.includes_subunits and unit.path.startswith(g.unit.path)))]
    if not held:
        raise ValidationError({"role": _("Người ủy quyền không giữ vai trò này tại đơn vị vào ngày bắt đầu.")})
    delegation = Delegation.objects.create(delegator=delegator, delegate=delegate, unit=unit, role=role,
                                           starts_on=starts_on, ends_on=ends_on, reason=reason)
    record_audit(action="delegation.create", obj=delegation, actor=acting_user, ip=ip,
                 after={"delegator": delegator.pk, "delegate": delegate.pk, "unit": unit.pk, "role": role,
                        "starts_on": starts_on, "ends_on": ends_on, "reason": reason})
    return delegation


@transaction.atomic
def revoke_delegation(*, delegation: Delegation, acting_user: User | None, ip: str | None = None) -> Delegation:
    delegation.revoked_at = timezone.now()
    delegation.save(update_fields=["revoked_at"])
    record_audit(action="delegation.revoke", obj=delegation, actor=acting_user, ip=ip,
                 after={"revoked_at": delegation.revoked_at})
    return delegation


@transaction.atomic
def issue_api_token(*, person: User, name: str = "", acting_user: User | None, ip: str | None = None) -> str:
    """Create a token and return it in clear text once; only its hash is kept."""
    key = "mc_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=person, name=name, prefix=key[:10], key_hash=ApiToken.hash_key(key))
    record_audit(action="api_token.issue", obj=token, actor=acting_user, ip=ip,
                 after={"user": person.pk, "name": name, "prefix": token.prefix})
    return key


@transaction.atomic
def revoke_api_token(*, token: ApiToken, acting_user: User | None, ip: str | None = None) -> ApiToken:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record_audit(action="api_token.revoke", obj=token, actor=acting_user, ip=ip, after={"prefix": token.prefix})
    return token
