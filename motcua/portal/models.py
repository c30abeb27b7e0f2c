"""The citizen portal's own data: declaration schemas per procedure, submission drafts with their
uploads, ratings of the service (DOMAIN B.7), feedback, and what the public pages' rate limit counts."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Component, ProcedureCase, ProcedureVersion
from motcua.dossiers.models import Dossier
from motcua.org.models import Unit, User


class DeclarationSchema(models.Model):
    """The declaration (tờ khai) a procedure asks for, as a JSON Schema (subset: see `schemas.py`).
    A procedure without a row uses the default schema."""

    procedure_code = models.CharField(_("mã TTHC"), max_length=16, unique=True)
    schema = models.JSONField(_("lược đồ tờ khai (JSON Schema)"))
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("lược đồ tờ khai")
        verbose_name_plural = _("lược đồ tờ khai")
        ordering = ["procedure_code"]

    def __str__(self) -> str:
        return self.procedure_code

    def clean(self) -> None:
        from motcua.portal.schemas import check_schema

        check_schema(self.schema)


def _new_key() -> str:
    return uuid.uuid4().hex


class Draft(models.Model):
    """An online submission in progress: saved at every step, so it survives a closed browser.
    `key` is the idempotency key of the submission: a double submit makes one dossier."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="portal_drafts")
    version = models.ForeignKey(ProcedureVersion, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(ProcedureCase, on_delete=models.PROTECT, related_name="+")
    declaration = models.JSONField(default=dict, blank=True)
    declaration_valid = models.BooleanField(default=False)
    reuse = models.JSONField(default=dict, blank=True)  # {component id (str): record id}
    key = models.CharField(max_length=32, unique=True, default=_new_key, editable=False)
    dossier = models.OneToOneField(Dossier, null=True, blank=True, on_delete=models.SET_NULL, related_name="draft")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("hồ sơ nháp")
        verbose_name_plural = _("hồ sơ nháp")
        ordering = ["-updated_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.version_id} {self.key}"

    @property
    def idempotency_key(self) -> str:
        return f"portal-{self.key}"


class DraftFile(models.Model):
    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="files")
    component = models.ForeignKey(Component, on_delete=models.PROTECT, related_name="+")
    file = models.FileField(upload_to="portal/drafts/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]
        constraints = [models.UniqueConstraint(fields=["draft", "component"], name="portal_one_file_per_component")]

    def __str__(self) -> str:
        return self.original_name


class Satisfaction(models.TextChoices):
    """The citizen satisfaction scale (DOMAIN B.7): three levels."""

    VERY_SATISFIED = "very_satisfied", _("Rất hài lòng")
    SATISFIED = "satisfied", _("Hài lòng")
    NOT_SATISFIED = "not_satisfied", _("Không hài lòng")


# The nine criteria of DOMAIN B.7, each 0–2 points (maximum 18): field name, label.
CRITERIA = [
    ("time_total", _("Tổng thời gian giải quyết so với thời gian quy định")),
    ("time_units", _("Thời gian thực hiện của từng cơ quan, đơn vị tham gia giải quyết")),
    ("contacts", _("Số lần phải liên hệ để hoàn thiện hồ sơ (kể cả trực tuyến)")),
    ("agencies_contacted", _("Số cơ quan, đơn vị phải liên hệ")),
    ("one_stop", _("Tiếp nhận, giải quyết, trả kết quả qua Bộ phận Một cửa")),
    ("publicity", _("Công khai thủ tục hành chính")),
    ("attitude", _("Thái độ của cán bộ, công chức, viên chức")),
    ("feedback_response", _("Tiếp thu, giải trình phản ánh, kiến nghị")),
    ("online_service", _("Tiến độ và chất lượng cung cấp dịch vụ công trực tuyến")),
]
CRITERION_MAX = 2


def classification(total: int) -> str:
    """TH-DVC's classification of the 18-point score (DOMAIN B.7; 15 itself counted as good)."""
    if total > 15:
        return str(_("Xuất sắc"))
    if total >= 12:
        return str(_("Tốt"))
    if total >= 9:
        return str(_("Khá"))
    if total >= 6:
        return str(_("Trung bình"))
    return str(_("Yếu"))


def _criterion() -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(default=CRITERION_MAX)


class Rating(models.Model):
    """The applicant's evaluation of how one dossier was handled, once, after the result was returned."""

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="rating")
    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    satisfaction = models.CharField(_("mức độ hài lòng"), max_length=16, choices=Satisfaction.choices)
    time_total = _criterion()
    time_units = _criterion()
    contacts = _criterion()
    agencies_contacted = _criterion()
    one_stop = _criterion()
    publicity = _criterion()
    attitude = _criterion()
    feedback_response = _criterion()
    online_service = _criterion()
    total = models.PositiveSmallIntegerField(_("tổng điểm (tối đa 18)"), default=0)
    comment = models.TextField(_("ý kiến"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("đánh giá giải quyết TTHC")
        verbose_name_plural = _("đánh giá giải quyết TTHC")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(total__lte=18), name="portal_rating_total_max"),
        ] + [
            models.CheckConstraint(condition=Q(**{f"{name}__lte": CRITERION_MAX}), name=f"portal_rating_{name}_max")
            for name, _label in CRITERIA
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.satisfaction} {self.total}/18"

    def save(self, *args, **kwargs):
        self.total = sum(getattr(self, name) for name, _label in CRITERIA)
        super().save(*args, **kwargs)

    @property
    def classification(self) -> str:
        return classification(self.total)


class Feedback(models.Model):
    """A citizen's feedback (phản ánh, kiến nghị) on a procedure or on how a dossier was handled.
    The full PAKN workflow comes later; control officers see the list."""

    class Subject(models.TextChoices):
        PROCEDURE = "procedure", _("Về quy định thủ tục hành chính")
        DOSSIER = "dossier", _("Về việc giải quyết một hồ sơ")

    subject = models.CharField(_("phản ánh về"), max_length=16, choices=Subject.choices)
    procedure_code = models.CharField(_("mã TTHC"), max_length=16, blank=True)
    dossier_code = models.CharField(_("mã hồ sơ"), max_length=40, blank=True)
    dossier = models.ForeignKey(Dossier, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    agency = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    content = models.TextField(_("nội dung"))
    name = models.CharField(_("họ và tên"), max_length=255)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    address = models.CharField(_("địa chỉ"), max_length=500, blank=True)
    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    ip = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("phản ánh, kiến nghị")
        verbose_name_plural = _("phản ánh, kiến nghị")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_subject_display()}: {self.content[:40]}"


class PublicAttempt(models.Model):
    """What the rate limit of public pages counts, per address: failed status lookups (unknown code or
    wrong check digits) and feedback sent without signing in."""

    class Kind(models.TextChoices):
        LOOKUP_FAILURE = "lookup_failure", _("Tra cứu không thành công")
        FEEDBACK = "feedback", _("Gửi phản ánh")

    kind = models.CharField(max_length=16, choices=Kind.choices)
    ip = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["kind", "ip", "at"], name="portal_attempt_kind_ip_at")]

    def __str__(self) -> str:
        return f"{self.kind} {self.ip} {self.at:%d/%m/%Y %H:%M}"
