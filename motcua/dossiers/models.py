"""The dossier (hồ sơ) and what is written about it at intake.

Deadline columns (`clock_start`, `handover_at`, `due_at`, `warn_at`) are stored, computed by
`workdays` when the dossier is received. The frozen procedure version and case are the ones in
force at the received instant. Every move writes a `DossierEvent` (history row) and an audit entry.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Component, ProcedureCase, ProcedureVersion
from motcua.org.models import Unit, User


class Channel(models.TextChoices):
    """Submission channel; `national_code` is the DVCQG sync code (DOMAIN B.1.1)."""

    DIRECT = "direct", _("Trực tiếp")
    POSTAL = "postal", _("Qua bưu chính công ích")
    ONLINE = "online", _("Trực tuyến")

    @property
    def national_code(self) -> int:
        return {"direct": 1, "online": 2, "postal": 3}[self.value]


class ReturnChannel(models.TextChoices):
    COUNTER = "counter", _("Tại Bộ phận Một cửa")
    POSTAL = "postal", _("Qua bưu chính công ích")
    ONLINE = "online", _("Trực tuyến")


class Status(models.TextChoices):
    """Business status; `national_code` is the DVCQG `TrangThaiHoSo` (DOMAIN B.1.8)."""

    SUBMITTED = "submitted", _("Mới đăng ký, chờ tiếp nhận")
    RECEIVED = "received", _("Đã tiếp nhận")
    REFUSED = "refused", _("Không được tiếp nhận")
    IN_PROGRESS = "in_progress", _("Đang xử lý")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Yêu cầu bổ sung")
    AWAITING_PAYMENT = "awaiting_payment", _("Chờ thực hiện nghĩa vụ tài chính")
    WITHDRAWAL_REQUESTED = "withdrawal_requested", _("Công dân yêu cầu rút hồ sơ")
    STOPPED = "stopped", _("Dừng xử lý")
    RESOLVED = "resolved", _("Đã giải quyết xong")
    RETURNED = "returned", _("Đã trả kết quả")

    @property
    def national_code(self) -> int:
        order = ["submitted", "received", "refused", "in_progress", "supplement_requested", "awaiting_payment",
                 "withdrawal_requested", "stopped", "resolved", "returned"]
        return order.index(self.value) + 1


class ApplicantKind(models.TextChoices):
    CITIZEN = "citizen", _("Công dân")
    ORGANISATION = "organisation", _("Tổ chức, doanh nghiệp")


class FormSet(models.TextChoices):
    """Which statutory set of slips a dossier prints (DOMAIN A.3, C.4.3)."""

    TT01_2018 = "tt01_2018", _("Thông tư 01/2018/TT-VPCP")
    TT03_2025 = "tt03_2025", _("Thông tư 03/2025/TT-VPCP")


class Outcome(models.TextChoices):
    APPROVED = "approved", _("Giải quyết (chấp thuận)")
    REFUSED = "refused", _("Từ chối giải quyết")


class Applicant(models.Model):
    """A person or organisation who has come before; found again by ID number or enterprise code."""

    kind = models.CharField(_("loại"), max_length=16, choices=ApplicantKind.choices, default=ApplicantKind.CITIZEN)
    identifier = models.CharField(_("số định danh / mã số doanh nghiệp"), max_length=16)
    name = models.CharField(_("họ tên / tên tổ chức"), max_length=255)
    birth_date = models.DateField(_("ngày sinh"), null=True, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    address = models.CharField(_("địa chỉ"), max_length=500, blank=True)
    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="applicants")
    search_text = models.CharField(max_length=800, default="", editable=False, db_index=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("người nộp hồ sơ")
        verbose_name_plural = _("người nộp hồ sơ")
        constraints = [models.UniqueConstraint(fields=["kind", "identifier"], name="dossiers_applicant_identity")]

    def __str__(self) -> str:
        return f"{self.name} ({self.identifier})"


class DailyCounter(models.Model):
    """Per agency, series and day, the last sequence number used (dossier codes, slip numbers).
    Never goes back: a number, once committed, is never handed out again."""

    agency = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    series = models.CharField(max_length=16, default="dossier")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "series", "day"], name="dossiers_counter_unique")]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.series} {self.day:%d/%m/%Y}: {self.last}"


class Dossier(models.Model):
    code = models.CharField(_("mã hồ sơ"), max_length=40, unique=True)
    agency = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("cơ quan tiếp nhận"))
    desk = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("bộ phận tiếp nhận"))
    handling_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+",
                                      verbose_name=_("cơ quan giải quyết"))
    version = models.ForeignKey(ProcedureVersion, on_delete=models.PROTECT, related_name="dossiers")
    case = models.ForeignKey(ProcedureCase, on_delete=models.PROTECT, related_name="dossiers")
    status = models.CharField(_("trạng thái"), max_length=32, choices=Status.choices, default=Status.RECEIVED,
                              db_index=True)
    channel = models.CharField(_("hình thức nộp"), max_length=16, choices=Channel.choices)
    return_channel = models.CharField(_("hình thức nhận kết quả"), max_length=16, choices=ReturnChannel.choices,
                                      default=ReturnChannel.COUNTER)
    form_set = models.CharField(max_length=16, choices=FormSet.choices, default=FormSet.TT03_2025)

    applicant = models.ForeignKey(Applicant, on_delete=models.PROTECT, related_name="dossiers")
    applicant_kind = models.CharField(max_length=16, choices=ApplicantKind.choices)
    applicant_identifier = models.CharField(_("số định danh"), max_length=16, db_index=True)
    applicant_name = models.CharField(_("người nộp"), max_length=255)
    applicant_phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    applicant_email = models.EmailField(_("thư điện tử"), blank=True)
    applicant_address = models.CharField(_("địa chỉ"), max_length=500, blank=True)
    sets_count = models.PositiveSmallIntegerField(_("số bộ hồ sơ"), default=1)

    submitted_at = models.DateTimeField(_("thời điểm nộp"), null=True, blank=True)
    received_at = models.DateTimeField(_("thời điểm tiếp nhận"), null=True, blank=True, db_index=True)
    clock_start = models.DateTimeField(null=True, blank=True)
    handover_at = models.DateTimeField(_("chuyển cơ quan giải quyết"), null=True, blank=True)
    due_at = models.DateTimeField(_("hẹn trả kết quả"), null=True, blank=True, db_index=True)
    warn_at = models.DateTimeField(null=True, blank=True, db_index=True)
    resolved_at = models.DateTimeField(_("thời điểm có kết quả"), null=True, blank=True)
    returned_at = models.DateTimeField(_("thời điểm trả kết quả"), null=True, blank=True)
    received_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    postal_waybill = models.CharField(_("mã vận đơn bưu chính"), max_length=64, blank=True)
    postal_handed_on = models.DateField(_("ngày bưu điện chuyển"), null=True, blank=True)
    # The person who submits on the applicant's behalf (người được ủy quyền, BM.01 of TT 03/2025), if any:
    # printed on the receipt, which they sign.
    authorised_name = models.CharField(max_length=255, blank=True, default="")
    authorised_identifier = models.CharField(max_length=16, blank=True, default="")
    idempotency_key = models.CharField(max_length=80, null=True, blank=True, unique=True)
    # SHA-256 of the normalised API request that used the key ("" for other intakes and older dossiers):
    # the same key with another body is refused instead of answering with this dossier (api.create_dossier).
    idempotency_digest = models.CharField(max_length=64, blank=True, default="", editable=False)
    search_text = models.CharField(max_length=1000, default="", editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    # Serial in the desk's tracking book of the year received (the volume), taken with the code at intake
    # (codes.claim_numbers) and printed on the receipt as "Quyển số … Số thứ tự …"; never renumbered.
    book_serial = models.PositiveIntegerField(null=True, blank=True, editable=False)

    # Processing (issue 6): where the dossier is, whether its clock is paused, how it was decided.
    current_step = models.ForeignKey("StepRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    paused_since = models.DateTimeField(_("tạm dừng tính thời gian từ"), null=True, blank=True)
    original_due_at = models.DateTimeField(_("hẹn trả ban đầu"), null=True, blank=True)
    outcome = models.CharField(_("kết quả giải quyết"), max_length=16, choices=Outcome.choices, blank=True)
    outcome_reason = models.TextField(_("lý do"), blank=True)
    returned_to = models.CharField(_("người nhận kết quả"), max_length=255, blank=True)
    return_waybill = models.CharField(_("mã vận đơn trả kết quả"), max_length=64, blank=True)
    # The day the result was handed to the post (return by post, issue 5 item 3); None for other channels.
    return_handed_on = models.DateField(_("ngày giao bưu điện trả kết quả"), null=True, blank=True)
    # Deadline watch (dossiers/watch.py): set once by the worker that claims the warning / overdue mark.
    warned_at = models.DateTimeField(_("đã cảnh báo lúc"), null=True, blank=True)
    overdue_at = models.DateTimeField(_("đánh dấu quá hạn lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["handling_unit", "status", "due_at"], name="dossiers_unit_status_due"),
            models.Index(fields=["agency", "received_at"], name="dossiers_agency_received"),
            # Covering (PostgreSQL): the KPI dashboard's one pass over "received or resolved in the year"
            # reads every column it counts from this index (an Index Only Scan) instead of the whole heap
            # (1,000,000 dossiers: 417 MB heap; see motcua/reports/measures.py `_own_months`).
            models.Index(fields=["received_at"], include=["resolved_at", "status", "channel", "version", "case",
                                                          "due_at", "id"], name="dossiers_received_pass"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(due_at__isnull=True) | Q(received_at__isnull=False),
                                   name="dossiers_due_needs_receipt"),
        ]

    def __str__(self) -> str:
        return self.code


class ChecklistItem(models.Model):
    """One component of the frozen version, as checked at the counter."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="checklist")
    component = models.ForeignKey(Component, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField(default=1)
    name = models.CharField(max_length=1000)
    originals = models.PositiveSmallIntegerField(default=0)
    copies = models.PositiveSmallIntegerField(default=0)
    required = models.BooleanField(default=True)
    present = models.BooleanField(default=False)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class DossierFile(models.Model):
    class Source(models.TextChoices):
        UPLOAD = "upload", _("Tải lên")
        SCAN = "scan", _("Số hóa tại quầy")
        REUSE = "reuse", _("Tái sử dụng từ kho dữ liệu")

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="files")
    checklist_item = models.ForeignKey(ChecklistItem, null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="files")
    file = models.FileField(upload_to="dossiers/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.UPLOAD)
    uploaded_at = models.DateTimeField(default=timezone.now)
    uploaded_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return self.original_name


class DossierEvent(models.Model):
    """History row: one per move. It is the trail, the notification outbox and the raw data of reports."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=48)
    from_status = models.CharField(max_length=32, blank=True)
    to_status = models.CharField(max_length=32)
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.action} {self.at:%d/%m/%Y %H:%M}"


class IntakeNotice(models.Model):
    """A supplement request or a refusal given at the counter for papers that were NOT received:
    no dossier code exists yet (DOMAIN B.1.2). For an online dossier it points at the dossier."""

    class Kind(models.TextChoices):
        SUPPLEMENT = "supplement", _("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ")
        REFUSAL = "refusal", _("Phiếu từ chối tiếp nhận giải quyết hồ sơ")

    kind = models.CharField(max_length=16, choices=Kind.choices)
    number = models.CharField(_("số phiếu"), max_length=40, unique=True)
    desk = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    version = models.ForeignKey(ProcedureVersion, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(ProcedureCase, on_delete=models.PROTECT, related_name="+")
    dossier = models.ForeignKey(Dossier, null=True, blank=True, on_delete=models.PROTECT, related_name="notices")
    channel = models.CharField(max_length=16, choices=Channel.choices)
    applicant_kind = models.CharField(max_length=16, choices=ApplicantKind.choices)
    applicant_identifier = models.CharField(max_length=16, blank=True)
    applicant_name = models.CharField(max_length=255)
    applicant_phone = models.CharField(max_length=20, blank=True)
    applicant_email = models.EmailField(blank=True)
    applicant_address = models.CharField(max_length=500, blank=True)
    items = models.JSONField(default=list, blank=True)
    reason = models.TextField()
    issued_at = models.DateTimeField(default=timezone.now)
    issued_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    form_set = models.CharField(max_length=16, choices=FormSet.choices, default=FormSet.TT03_2025)
    # A double click or a retried request gives the same notice (intake.give_intake_notice).
    idempotency_key = models.CharField(max_length=80, null=True, blank=True, unique=True)

    class Meta:
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


class StepResult(models.TextChoices):
    """Per handoff, as on the process control slip (BM.05 / Mẫu 05)."""

    EARLY = "early", _("Trước hạn")
    ON_TIME = "on_time", _("Đúng hạn")
    LATE = "late", _("Quá hạn")


class StepRun(models.Model):
    """One stay of a dossier at one step of its internal process: a row of the process control slip.

    `received_at` is the handoff to this step, `due_at` its budget's end (pauses excluded),
    `finished_at` the handoff onwards with its result (early / on time / late).

    Work lists read open runs only, through two partial indexes (open runs are a small share of
    all runs) ordered by `list_due`: the run's own due instant, or the dossier's appointment when
    the step has no budget. While the run is open, `list_due` and `paused_since` (the dossier's
    clock stop) are kept equal to the dossier's by the transitions that change them, so the list,
    its total and its late count never join the dossier table."""

    class Kind(models.TextChoices):
        PROCESS = "process", _("Bước quy trình")
        RETURNED = "returned", _("Trả lại bước trước")

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="step_runs")
    step = models.ForeignKey("catalog.Step", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.PROCESS)
    order = models.PositiveSmallIntegerField()
    description = models.CharField(max_length=1000)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=32)
    assignee = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    budget_minutes = models.PositiveIntegerField(default=0)
    counted = models.BooleanField(default=True)
    received_at = models.DateTimeField()
    handed_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    due_at = models.DateTimeField(null=True, blank=True)
    list_due = models.DateTimeField(null=True, blank=True)
    paused_since = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    finished_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    result = models.CharField(max_length=16, choices=StepResult.choices, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["received_at", "id"]
        indexes = [
            models.Index(fields=["assignee", "list_due", "id"], name="dossiers_steprun_open_mine",
                         include=["paused_since"], condition=Q(finished_at__isnull=True)),
            models.Index(fields=["unit", "role", "list_due", "id"], name="dossiers_steprun_open_unit",
                         include=["assignee", "paused_since"], condition=Q(finished_at__isnull=True)),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} #{self.order} {self.description[:40]}"


class SupplementRound(models.Model):
    """A supplement request during processing: the clock pauses from `requested_at` until the
    complete supplement arrives (`received_at`)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="supplements")
    number = models.CharField(max_length=60, unique=True)
    requested_at = models.DateTimeField()
    requested_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    items = models.JSONField(default=list)
    reason = models.TextField()
    repeated = models.BooleanField(default=False, help_text="A second request: the national portal counts it late.")
    received_at = models.DateTimeField(null=True, blank=True)
    received_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["requested_at", "id"]

    def __str__(self) -> str:
        return self.number


class Consultation(models.Model):
    """Asking another unit or agency for an opinion (lấy ý kiến, liên thông) and its answer."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="consultations")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    question = models.TextField()
    asked_at = models.DateTimeField()
    asked_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    answer = models.TextField(blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["asked_at", "id"]

    def __str__(self) -> str:
        return f"{self.dossier_id} → {self.unit_id}"


class Apology(models.Model):
    """Văn bản/Phiếu xin lỗi và hẹn lại ngày trả kết quả (BM.04 / Mẫu 04)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="apologies")
    number = models.CharField(max_length=60, unique=True)
    issued_at = models.DateTimeField()
    issued_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    previous_due_at = models.DateTimeField()
    new_due_at = models.DateTimeField()
    reason = models.TextField()
    caused_by = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["issued_at", "id"]

    def __str__(self) -> str:
        return self.number


class ResultDocument(models.Model):
    """The signed result (or refusal letter), digitized: file plus metadata (DOMAIN B.8)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="results")
    name = models.CharField(max_length=500)
    number = models.CharField(_("số, ký hiệu"), max_length=64, blank=True)
    signed_on = models.DateField(null=True, blank=True)
    signer = models.CharField(max_length=255, blank=True)
    valid_until = models.DateField(null=True, blank=True)
    file = models.FileField(upload_to="results/%Y/%m/")
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    uploaded_at = models.DateTimeField(default=timezone.now)
    uploaded_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return self.name


class Notification(models.Model):
    """An in-app notice to an officer (deadline warning, overdue), shown until read."""

    class Kind(models.TextChoices):
        WARNING = "warning", _("Sắp đến hạn")
        OVERDUE = "overdue", _("Quá hạn")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    dossier = models.ForeignKey(Dossier, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    message = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at", "created_at"], name="dossiers_notif_user_unread")]
        constraints = [models.UniqueConstraint(fields=["user", "dossier", "kind"], name="dossiers_notif_once")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.dossier_id}"
