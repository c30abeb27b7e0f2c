"""The applicant's store of digitized documents and results (kho quản lý dữ liệu điện tử, DOMAIN B.8),
and every reuse of one, so a paper the state already holds is not asked for again."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import Applicant, ChecklistItem, Dossier, DossierFile, ResultDocument
from motcua.org.models import User


class Record(models.Model):
    class Source(models.TextChoices):
        RESULT = "result", _("Kết quả giải quyết TTHC")
        COMPONENT = "component", _("Thành phần hồ sơ đã số hóa")

    applicant = models.ForeignKey(Applicant, on_delete=models.PROTECT, related_name="records")
    document_type = models.CharField(_("loại giấy tờ"), max_length=64, db_index=True)
    name = models.CharField(_("tên giấy tờ"), max_length=500)
    source = models.CharField(max_length=16, choices=Source.choices)
    file = models.FileField(upload_to="records/%Y/%m/")
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    # Metadata of a digitized result (DOMAIN B.8).
    number = models.CharField(_("số, ký hiệu"), max_length=64, blank=True)
    issuer_code = models.CharField(_("mã cơ quan cấp"), max_length=32, blank=True)
    procedure_code = models.CharField(_("mã TTHC"), max_length=16, blank=True)
    dossier_code = models.CharField(_("mã hồ sơ"), max_length=40, blank=True)
    signer = models.CharField(_("người ký"), max_length=255, blank=True)
    issued_on = models.DateField(_("ngày cấp"), null=True, blank=True)
    valid_until = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    dossier = models.ForeignKey(Dossier, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    result = models.OneToOneField(ResultDocument, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="record")
    dossier_file = models.OneToOneField(DossierFile, null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="record")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("giấy tờ trong kho dữ liệu")
        verbose_name_plural = _("kho dữ liệu điện tử")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["applicant", "sha256"], name="records_one_copy_per_owner")]

    def __str__(self) -> str:
        return self.name

    def is_valid_on(self, day) -> bool:
        return self.valid_until is None or self.valid_until >= day


class Reuse(models.Model):
    """A record attached to a later dossier instead of a new paper (the reuse KPI counts these)."""

    record = models.ForeignKey(Record, on_delete=models.PROTECT, related_name="reuses")
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="reuses")
    checklist_item = models.ForeignKey(ChecklistItem, null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="+")
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["record", "dossier"], name="records_reuse_once_per_dossier")]

    def __str__(self) -> str:
        return f"{self.record_id} → {self.dossier_id}"
