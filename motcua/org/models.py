"""Organisation: units (a tree of any depth), people, roles, delegation, API tokens, audit chain."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.lib.identifiers import is_agency_code, is_personal_id
from motcua.lib.text import fold, nfc


class Role(models.TextChoices):
    CITIZEN = "citizen", _("Công dân, doanh nghiệp")
    ONE_STOP_OFFICER = "one_stop_officer", _("Cán bộ Một cửa")
    SPECIALIST = "specialist", _("Chuyên viên")
    HEAD_OF_UNIT = "head_of_unit", _("Lãnh đạo phòng")
    AGENCY_LEADER = "agency_leader", _("Lãnh đạo cơ quan")
    CONTROL_OFFICER = "control_officer", _("Cán bộ kiểm soát TTHC")
    SYSTEM_ADMIN = "system_admin", _("Quản trị hệ thống")


OFFICER_ROLES = frozenset(r for r in Role if r != Role.CITIZEN)


class Unit(models.Model):
    """An organisational unit. Units form a tree of any depth; `path` is a materialised path
    of zero-padded ids ("000001/000005/") so a subtree is one indexed prefix query."""

    class Kind(models.TextChoices):
        PROVINCE = "province", _("Tỉnh, thành phố")
        AGENCY = "agency", _("Sở, ban, ngành")
        SERVICE_CENTRE = "service_centre", _("Trung tâm Phục vụ hành chính công")
        ONE_STOP = "one_stop", _("Bộ phận Một cửa")
        OFFICE = "office", _("Văn phòng")
        DEPARTMENT = "department", _("Phòng, ban chuyên môn")
        PUBLIC_SERVICE_UNIT = "public_service_unit", _("Đơn vị sự nghiệp")
        DISTRICT = "district", _("Cấp huyện (trước 01/07/2025)")
        COMMUNE = "commune", _("Xã, phường, đặc khu")

    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    kind = models.CharField(_("loại đơn vị"), max_length=32, choices=Kind.choices)
    name = models.CharField(_("tên đơn vị"), max_length=255)
    short_name = models.CharField(_("tên viết tắt"), max_length=64, blank=True)
    code = models.CharField(
        _("mã định danh"), max_length=32, unique=True, help_text=_("Mã định danh điện tử, ví dụ 000.00.06.H56")
    )
    admin_code = models.CharField(_("mã đơn vị hành chính"), max_length=8, blank=True)
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    office_hours = models.CharField(_("lịch làm việc"), max_length=32, default="default")
    receives_saturday_morning = models.BooleanField(_("tiếp nhận sáng thứ Bảy"), default=False)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    successor = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="predecessors",
        verbose_name=_("đơn vị kế thừa"),
    )
    search_text = models.CharField(max_length=600, editable=False, default="", db_index=True)

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.name = nfc(self.name)
        self.short_name = nfc(self.short_name)
        self.search_text = fold(f"{self.name} {self.short_name} {self.code}")
        super().save(*args, **kwargs)
        expected = f"{self.parent.path if self.parent_id else ''}{self.pk:06d}/"
        if self.path != expected:
            old = self.path
            self.path = expected
            self.depth = expected.count("/") - 1
            Unit.objects.filter(pk=self.pk).update(path=self.path, depth=self.depth)
            if old:
                for child in Unit.objects.filter(path__startswith=old).exclude(pk=self.pk):
                    child.path = expected + child.path[len(old):]
                    child.depth = child.path.count("/") - 1
                    Unit.objects.filter(pk=child.pk).update(path=child.path, depth=child.depth)

    def clean(self) -> None:
        if self.code and not is_agency_code(self.code):
            raise ValidationError({"code": _("Mã định danh không đúng dạng (ví dụ 000.00.06.H56 hoặc H15.50.05).")})
        if self.pk and self.parent_id:
            ancestor = self.parent
            while ancestor is not None:
                if ancestor.pk == self.pk:
                    raise ValidationError({"parent": _("Không thể đặt một đơn vị làm cấp dưới của chính nó.")})
                ancestor = ancestor.parent

    def subtree(self) -> models.QuerySet[Unit]:
        return Unit.objects.filter(path__startswith=self.path)

    def ancestors(self) -> list[Unit]:
        ids = [int(part) for part in self.path.split("/") if part][:-1]
        by_id = Unit.objects.in_bulk(ids)
        return [by_id[i] for i in ids if i in by_id]

    def agency(self) -> Unit:
        """The nearest unit that acts as an agency (Sở, centre, commune) — the owner of dossier codes."""
        for unit in [self, *reversed(self.ancestors())]:
            if unit.kind in {self.Kind.AGENCY, self.Kind.SERVICE_CENTRE, self.Kind.COMMUNE, self.Kind.PROVINCE}:
                return unit
        return self


class User(AbstractUser):
    """A person: an officer or a citizen. Officers hold roles in units through RoleAssignment."""

    full_name = models.CharField(_("họ và tên"), max_length=255, blank=True)
    personal_id = models.CharField(_("số định danh cá nhân"), max_length=12, blank=True, db_index=True)
    phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)
    position = models.CharField(_("chức vụ"), max_length=128, blank=True)
    search_text = models.CharField(max_length=600, editable=False, default="", db_index=True)

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

    def __str__(self) -> str:
        return self.full_name or self.username

    def save(self, *args, **kwargs) -> None:
        self.full_name = nfc(self.full_name)
        self.search_text = fold(f"{self.full_name} {self.username} {self.personal_id} {self.phone}")
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        if self.personal_id and not is_personal_id(self.personal_id):
            raise ValidationError({"personal_id": _("Số định danh cá nhân phải gồm đúng 12 chữ số.")})


class RoleAssignmentQuerySet(models.QuerySet):
    def active_on(self, day: dt.date) -> RoleAssignmentQuerySet:
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )


class RoleAssignment(models.Model):
    """A person holds a role in a unit (and, by default, its sub-units) for a period."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="role_assignments")
    role = models.CharField(_("vai trò"), max_length=32, choices=Role.choices)
    includes_subunits = models.BooleanField(_("gồm đơn vị cấp dưới"), default=True)
    valid_from = models.DateField(_("từ ngày"), null=True, blank=True)
    valid_to = models.DateField(_("đến ngày"), null=True, blank=True)

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("phân công vai trò")
        verbose_name_plural = _("phân công vai trò")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role", "valid_from"], name="uniq_role_assignment"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.unit}"


class DelegationQuerySet(models.QuerySet):
    def active_on(self, day: dt.date) -> DelegationQuerySet:
        return self.filter(starts_on__lte=day, ends_on__gte=day, revoked_at__isnull=True)


class Delegation(models.Model):
    """Ủy quyền: a holder lends one of their roles in a unit to another person for a date range."""

    delegator = models.ForeignKey(User, on_delete=models.PROTECT, related_name="delegations_given")
    delegate = models.ForeignKey(User, on_delete=models.PROTECT, related_name="delegations_received")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="delegations")
    role = models.CharField(_("vai trò"), max_length=32, choices=Role.choices)
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày"))
    reason = models.CharField(_("lý do"), max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = DelegationQuerySet.as_manager()

    class Meta:
        verbose_name = _("ủy quyền")
        verbose_name_plural = _("ủy quyền")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="delegation_dates_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.delegator} → {self.delegate}: {self.get_role_display()} ({self.unit})"


class ApiToken(models.Model):
    """A bearer token for the JSON API. Only its SHA-256 is stored; the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=128, blank=True)
    prefix = models.CharField(max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("mã truy cập API")
        verbose_name_plural = _("mã truy cập API")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()


class LoginFailure(models.Model):
    """One failed sign-in, counted toward throttling per user name and per address."""

    username = models.CharField(max_length=150, db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"{self.username} @ {self.at:%d/%m/%Y %H:%M}"


class AuditHead(models.Model):
    """Singleton row holding the chain's tip; writers lock it so the chain stays linear."""

    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"#{self.last_seq} {self.last_hash[:12]}"


class AuditEntry(models.Model):
    """Append-only, hash-chained record of one state change."""

    seq = models.BigIntegerField(unique=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    actor_label = models.CharField(max_length=255, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    action = models.CharField(max_length=64, db_index=True)
    object_type = models.CharField(max_length=64, db_index=True)
    object_id = models.CharField(max_length=64, db_index=True, blank=True)
    object_repr = models.CharField(max_length=255, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    note = models.TextField(blank=True)
    search_text = models.TextField(editable=False, default="")
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("nhật ký")
        verbose_name_plural = _("nhật ký")
        ordering = ["-seq"]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ValidationError("Nhật ký chỉ được ghi thêm, không được sửa.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Nhật ký chỉ được ghi thêm, không được xóa.")

    def content(self) -> dict:
        return {
            "seq": self.seq,
            "at": self.at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
            "actor": self.actor_id,
            "actor_label": self.actor_label,
            "ip": self.ip,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "object_repr": self.object_repr,
            "before": self.before,
            "after": self.after,
            "note": self.note,
        }

    def compute_hash(self) -> str:
        payload = json.dumps(self.content(), sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
        return hashlib.sha256(f"{self.prev_hash}|{payload}".encode()).hexdigest()


class LocalClosure(models.Model):
    """A whole day a unit is closed by a local decision (typhoon, flood…). It is not working time
    for the unit and every unit under it (a commune's closure closes its one-stop desk)."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="local_closures",
                             verbose_name=_("đơn vị"))
    date = models.DateField(_("ngày nghỉ"))
    reason = models.CharField(_("lý do"), max_length=255)
    legal_basis = models.CharField(_("văn bản cho nghỉ"), max_length=255, blank=True)
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("người ghi"))
    created_at = models.DateTimeField(_("ghi lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("ngày nghỉ theo quyết định địa phương")
        verbose_name_plural = _("ngày nghỉ theo quyết định địa phương")
        ordering = ["date", "unit__path"]
        constraints = [models.UniqueConstraint(fields=["unit", "date"], name="uniq_local_closure_unit_date")]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} – {self.unit} – {self.reason}"
