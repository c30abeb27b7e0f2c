"""The procedure catalog (Bộ TTHC).

A `Procedure` is only an identity (its national code). What it says — name, times, documents,
fees — lives in `ProcedureVersion`s, each brought in by one `PublicationDecision`. Versions of a
procedure never share an effective date, and each carries the day before its successor's
effective date as `effective_to`, so the version in force on a date is one range lookup.

Cases (`ProcedureCase`) carry what differs by case: time, components, fees and the internal
process. A version without real cases has one case with an empty name.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.org.models import Role, Unit, User


class Level(models.TextChoices):
    CENTRAL = "central", _("Cấp trung ương")
    PROVINCE = "province", _("Cấp tỉnh")
    DISTRICT = "district", _("Cấp huyện (trước 01/07/2025)")
    COMMUNE = "commune", _("Cấp xã")


class OnlineLevel(models.TextChoices):
    FULL = "full", _("Trực tuyến toàn trình")
    PARTIAL = "partial", _("Trực tuyến một phần")
    OFFLINE = "offline", _("Không trực tuyến")


class Applicants(models.TextChoices):
    INDIVIDUAL = "individual", _("Cá nhân")
    ORGANISATION = "organisation", _("Tổ chức")
    BOTH = "both", _("Cá nhân, tổ chức")


class TimeUnit(models.TextChoices):
    DAYS = "days", _("ngày làm việc")
    HOURS = "hours", _("giờ làm việc")


class ChangeKind(models.TextChoices):
    NEW = "new", _("Ban hành mới")
    AMENDED = "amended", _("Sửa đổi, bổ sung")
    REPLACED = "replaced", _("Thay thế")
    ABOLISHED = "abolished", _("Bãi bỏ")


class FeeKind(models.TextChoices):
    FEE = "fee", _("Phí")
    CHARGE = "charge", _("Lệ phí")


class Field(models.Model):
    """Lĩnh vực: the sector a procedure belongs to."""

    code = models.CharField(_("mã lĩnh vực"), max_length=32, unique=True)
    name = models.CharField(_("tên lĩnh vực"), max_length=255)

    class Meta:
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PublicationDecision(models.Model):
    """Quyết định công bố: every change to the catalog enters through one."""

    number = models.CharField(_("số quyết định"), max_length=64, unique=True)
    signed_on = models.DateField(_("ngày ký"))
    signer = models.CharField(_("người ký"), max_length=255)
    effective_from = models.DateField(_("ngày có hiệu lực"))
    issuer = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name=_("cơ quan ban hành"))
    title = models.CharField(_("trích yếu"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("quyết định công bố")
        verbose_name_plural = _("quyết định công bố")
        ordering = ["-signed_on", "-id"]

    def __str__(self) -> str:
        return f"QĐ {self.number}"


class Procedure(models.Model):
    """A TTHC by its national code. Its content is in `versions`."""

    code = models.CharField(_("mã TTHC"), max_length=16, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class VersionQuerySet(models.QuerySet):
    def in_force_on(self, day: dt.date) -> VersionQuerySet:
        """Versions in force on `day`: started, not yet succeeded, and not an abolition."""
        return self.filter(effective_from__lte=day).filter(
            Q(effective_to__isnull=True) | Q(effective_to__gte=day)
        ).exclude(kind=ChangeKind.ABOLISHED)


class ProcedureVersion(models.Model):
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="versions")
    decision = models.ForeignKey(PublicationDecision, on_delete=models.PROTECT, related_name="versions")
    kind = models.CharField(_("hình thức công bố"), max_length=16, choices=ChangeKind.choices)
    replaces = models.ForeignKey(Procedure, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name=_("thay thế thủ tục"))
    effective_from = models.DateField(_("hiệu lực từ"))
    effective_to = models.DateField(_("hiệu lực đến"), null=True, blank=True, editable=False)

    name = models.CharField(_("tên thủ tục"), max_length=500)
    field = models.ForeignKey(Field, on_delete=models.PROTECT, related_name="versions", verbose_name=_("lĩnh vực"))
    level = models.CharField(_("cấp thực hiện"), max_length=16, choices=Level.choices)
    agency = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("cơ quan thực hiện"))
    receiving_place = models.TextField(_("nơi tiếp nhận"), blank=True)
    applicants = models.CharField(_("đối tượng thực hiện"), max_length=16, choices=Applicants.choices,
                                  default=Applicants.BOTH)
    conditions = models.TextField(_("yêu cầu, điều kiện"), blank=True)
    result_name = models.CharField(_("tên kết quả"), max_length=500, blank=True)
    result_kind = models.CharField(_("loại kết quả"), max_length=128, blank=True)
    result_validity = models.CharField(_("thời hạn hiệu lực của kết quả"), max_length=255, blank=True)
    legal_basis = models.TextField(_("căn cứ pháp lý"), blank=True)
    online_level = models.CharField(_("mức độ trực tuyến"), max_length=16, choices=OnlineLevel.choices,
                                    default=OnlineLevel.OFFLINE)
    postal_allowed = models.BooleanField(_("nhận, trả qua bưu chính"), default=True)
    inter_agency = models.BooleanField(_("liên thông"), default=False)

    has_fee = models.BooleanField(default=False, editable=False)
    search_text = models.CharField(max_length=1000, default="", editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    objects = VersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("phiên bản thủ tục")
        verbose_name_plural = _("phiên bản thủ tục")
        ordering = ["procedure__code", "effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "effective_from"], name="catalog_one_version_per_day"),
        ]
        indexes = [models.Index(fields=["effective_from", "effective_to"], name="catalog_version_range")]

    def __str__(self) -> str:
        return f"{self.procedure.code} {self.name} ({self.get_kind_display()}, {self.effective_from:%d/%m/%Y})"

    @property
    def is_abolished(self) -> bool:
        return self.kind == ChangeKind.ABOLISHED


class ProcedureCase(models.Model):
    """Trường hợp: one way the procedure runs, with its own time, documents and fees."""

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="cases")
    order = models.PositiveSmallIntegerField(default=1)
    name = models.CharField(_("trường hợp"), max_length=500, blank=True)
    processing_time = models.DecimalField(_("thời hạn giải quyết"), max_digits=7, decimal_places=2)
    time_unit = models.CharField(_("đơn vị thời gian"), max_length=8, choices=TimeUnit.choices,
                                 default=TimeUnit.DAYS)
    time_note = models.CharField(_("ghi chú thời hạn"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("trường hợp")
        verbose_name_plural = _("trường hợp")
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["version", "name"], name="catalog_case_name_unique")]

    def __str__(self) -> str:
        return self.name or str(_("Chung"))

    @property
    def time_label(self) -> str:
        value = self.processing_time.normalize()
        text = f"{value:f}".replace(".", ",")
        return f"{text} {self.get_time_unit_display()}"


class Component(models.Model):
    """Thành phần hồ sơ."""

    case = models.ForeignKey(ProcedureCase, on_delete=models.CASCADE, related_name="components")
    order = models.PositiveSmallIntegerField(default=1)
    name = models.CharField(_("tên giấy tờ"), max_length=1000)
    originals = models.PositiveSmallIntegerField(_("số bản chính"), default=0)
    copies = models.PositiveSmallIntegerField(_("số bản sao"), default=0)
    required = models.BooleanField(_("bắt buộc"), default=True)
    form_name = models.CharField(_("mẫu đơn, tờ khai"), max_length=255, blank=True)
    form_file = models.FileField(_("tệp mẫu"), upload_to="catalog/forms/", blank=True)
    document_type = models.CharField(_("loại giấy tờ (tái sử dụng)"), max_length=64, blank=True)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("thành phần hồ sơ")
        verbose_name_plural = _("thành phần hồ sơ")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class Fee(models.Model):
    """Phí, lệ phí: integer đồng, per case, with its legal basis."""

    case = models.ForeignKey(ProcedureCase, on_delete=models.CASCADE, related_name="fees")
    order = models.PositiveSmallIntegerField(default=1)
    kind = models.CharField(_("loại"), max_length=8, choices=FeeKind.choices, default=FeeKind.FEE)
    name = models.CharField(_("nội dung"), max_length=500)
    amount = models.BigIntegerField(_("mức thu (đồng)"))
    legal_basis = models.CharField(_("căn cứ"), max_length=500, blank=True)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("phí, lệ phí")
        verbose_name_plural = _("phí, lệ phí")
        ordering = ["order", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="catalog_fee_not_negative")]

    def __str__(self) -> str:
        return f"{self.name}: {self.amount}"


class InternalProcess(models.Model):
    """Quy trình nội bộ (and its electronic configuration) of one case of one version."""

    case = models.OneToOneField(ProcedureCase, on_delete=models.CASCADE, related_name="process")
    configured_on = models.DateField(_("ngày cấu hình quy trình điện tử"))
    configured_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("quy trình nội bộ")
        verbose_name_plural = _("quy trình nội bộ")

    def __str__(self) -> str:
        return f"{self.case.version.procedure.code} – {self.case}"

    def counted_total(self) -> Decimal:
        return sum((s.budget for s in self.steps.all() if s.counted), Decimal(0))


class Step(models.Model):
    process = models.ForeignKey(InternalProcess, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField()
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị"))
    role = models.CharField(_("vai trò"), max_length=32, choices=Role.choices)
    budget = models.DecimalField(_("thời gian"), max_digits=7, decimal_places=2)
    counted = models.BooleanField(_("tính vào thời hạn"), default=True)
    description = models.CharField(_("nội dung công việc"), max_length=1000)

    class Meta:
        verbose_name = _("bước xử lý")
        verbose_name_plural = _("bước xử lý")
        ordering = ["order"]
        constraints = [models.UniqueConstraint(fields=["process", "order"], name="catalog_step_order_unique")]

    def __str__(self) -> str:
        return f"{self.order}. {self.description}"
