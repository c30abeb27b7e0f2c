"""The yearly plan (kế hoạch kiểm soát TTHC): its decision, sections, tasks with their units, schedule and
progress, evidence, comments, history; inspections and self-inspection reports; measurable targets."""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.lib.text import fold, nfc
from motcua.org.models import Unit, User


class Plan(models.Model):
    """A yearly plan and the decision that issued it (number may still be blank: "/QĐ-SNV")."""

    year = models.PositiveSmallIntegerField(_("năm"))
    title = models.CharField(_("tên kế hoạch"), max_length=500)
    issuing_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="plans",
                                     verbose_name=_("cơ quan ban hành"))
    decision_number = models.CharField(_("số quyết định"), max_length=64, blank=True)
    decision_title = models.CharField(_("trích yếu quyết định"), max_length=500, blank=True)
    place = models.CharField(_("địa danh"), max_length=128, blank=True)
    date_text = models.CharField(_("ngày ban hành (như ghi trên văn bản)"), max_length=64, blank=True)
    signed_on = models.DateField(_("ngày ký"), null=True, blank=True)
    signer = models.CharField(_("người ký"), max_length=255, blank=True)
    signer_title = models.CharField(_("chức vụ người ký"), max_length=255, blank=True)
    legal_bases = models.JSONField(_("căn cứ"), default=list, blank=True)
    source_name = models.CharField(_("tệp nguồn"), max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("kế hoạch")
        verbose_name_plural = _("kế hoạch")
        ordering = ["-year", "issuing_unit__path"]
        constraints = [models.UniqueConstraint(fields=["issuing_unit", "year"], name="plans_one_plan_per_unit_year")]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"

    @property
    def has_number(self) -> bool:
        return bool(self.decision_number) and not self.decision_number.startswith("/")


class Section(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="sections")
    number = models.CharField(_("mục"), max_length=8)
    title = models.CharField(_("tên mục"), max_length=500)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["plan", "position"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="plans_section_number_unique")]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Recurrence(models.TextChoices):
    CONTINUOUS = "continuous", _("Thường xuyên")
    PERIODIC = "periodic", _("Định kỳ theo kỳ báo cáo")


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Chưa thực hiện")
    IN_PROGRESS = "in_progress", _("Đang thực hiện")
    DONE = "done", _("Hoàn thành")
    CANCELLED = "cancelled", _("Không thực hiện")


OPEN_STATUSES = (TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS)


class Task(models.Model):
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="tasks")
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks")
    number = models.CharField(_("số thứ tự"), max_length=8)
    position = models.PositiveSmallIntegerField(default=0)
    content = models.TextField(_("nội dung công việc"))
    lead_text = models.TextField(_("đơn vị chủ trì (như ghi trong kế hoạch)"))
    coordinating_text = models.TextField(_("đơn vị phối hợp (như ghi trong kế hoạch)"), blank=True)
    product = models.TextField(_("sản phẩm"), blank=True)
    timeframe_text = models.CharField(_("thời gian thực hiện"), max_length=255, blank=True)
    start_on = models.DateField(_("bắt đầu"), null=True, blank=True)
    due_on = models.DateField(_("hạn hoàn thành"), null=True, blank=True)
    recurrence = models.CharField(_("nhịp thực hiện"), max_length=16, choices=Recurrence.choices, blank=True)
    needs_dates = models.BooleanField(_("cần đặt ngày"), default=False)
    status = models.CharField(_("trạng thái"), max_length=16, choices=TaskStatus.choices,
                              default=TaskStatus.NOT_STARTED)
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0,
                                                validators=[MinValueValidator(0), MaxValueValidator(100)])
    done_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    search_text = models.TextField(editable=False, default="")

    class Meta:
        ordering = ["plan", "section__position", "position"]
        constraints = [
            models.UniqueConstraint(fields=["section", "number"], name="plans_task_number_unique"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="plans_task_progress_max_100"),
        ]

    def __str__(self) -> str:
        return f"{self.ref} {self.content[:80]}"

    def save(self, *args, **kwargs) -> None:
        self.content = nfc(self.content)
        self.search_text = fold(f"{self.content} {self.lead_text} {self.coordinating_text} {self.product}")
        super().save(*args, **kwargs)

    @property
    def ref(self) -> str:
        return f"{self.section.number}.{self.number}"

    def is_overdue(self, day) -> bool:
        return self.status in OPEN_STATUSES and self.due_on is not None and self.due_on < day


class TaskUnit(models.Model):
    """A unit named in a task, as lead or coordinating. `unit` is None for a name the office confirmed without
    a matching unit; `includes_subunits` marks a group ("Các phòng, ban, đơn vị": every unit under the agency)."""

    class Role(models.TextChoices):
        LEAD = "lead", _("Chủ trì")
        COORDINATING = "coordinating", _("Phối hợp")

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="units")
    role = models.CharField(max_length=16, choices=Role.choices)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="plan_tasks")
    includes_subunits = models.BooleanField(default=False)
    label = models.CharField(_("tên như ghi trong kế hoạch"), max_length=500)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["task", "role", "position"]

    def __str__(self) -> str:
        return self.label


class TaskInstance(models.Model):
    """One report period of a recurring task (Quý I, II, III, cả năm)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="instances")
    label = models.CharField(_("kỳ"), max_length=32)
    period_start = models.DateField(_("từ ngày"))
    period_end = models.DateField(_("đến ngày"))
    due_on = models.DateField(_("hạn"))
    status = models.CharField(_("trạng thái"), max_length=16, choices=TaskStatus.choices,
                              default=TaskStatus.NOT_STARTED)
    note = models.TextField(_("kết quả trong kỳ"), blank=True)
    done_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)

    class Meta:
        ordering = ["task", "due_on", "id"]
        constraints = [models.UniqueConstraint(fields=["task", "label"], name="plans_instance_label_unique")]

    def __str__(self) -> str:
        return f"{self.task.ref} – {self.label}"

    def is_overdue(self, day) -> bool:
        return self.status in OPEN_STATUSES and self.due_on < day


class TaskEvent(models.Model):
    """History of a task: every change, who, when, from what to what."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="events")
    instance = models.ForeignKey(TaskInstance, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=32)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.task_id} {self.action} {self.at:%d/%m/%Y %H:%M}"


class Evidence(models.Model):
    """Proof a task was done: an uploaded file, or a link to an object in the system (a publication decision,
    later a report or a review) by content type and id, with a label kept in case the object goes away."""

    class Kind(models.TextChoices):
        FILE = "file", _("Tệp đính kèm")
        LINK = "link", _("Liên kết đối tượng trong hệ thống")

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="evidence")
    instance = models.ForeignKey(TaskInstance, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="evidence")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    file = models.FileField(upload_to="plans/evidence/%Y/%m/", blank=True)
    name = models.CharField(_("tên tệp"), max_length=255, blank=True)
    content_type_name = models.CharField(max_length=128, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    linked_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    linked_id = models.CharField(max_length=64, blank=True)
    linked = GenericForeignKey("linked_type", "linked_id")
    label = models.CharField(_("mô tả"), max_length=500)
    added_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-added_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="file") & ~Q(file="")) | (Q(kind="link") & Q(linked_type__isnull=False)),
                name="plans_evidence_file_or_link",
            ),
        ]

    def __str__(self) -> str:
        return self.label


class Comment(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("ý kiến"))
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class Reminder(models.Model):
    """An in-app reminder to a lead unit's officer, before or after a due date. `key` makes it once only:
    two runs of `plan_reminders` (or two workers) cannot create it twice."""

    class Kind(models.TextChoices):
        BEFORE = "before", _("Sắp đến hạn")
        AFTER = "after", _("Đã quá hạn")

    key = models.CharField(max_length=128, unique=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="plan_reminders")
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reminders")
    instance = models.ForeignKey(TaskInstance, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    due_on = models.DateField()
    message = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="plans_reminder_user_unread")]

    def __str__(self) -> str:
        return self.message[:80]


class PlanTarget(models.Model):
    """A measurable target of the plan (VIII.2, VIII.7–11 in the seed), read by the reports."""

    class Direction(models.TextChoices):
        AT_LEAST = "at_least", _("tối thiểu")
        AT_MOST = "at_most", _("tối đa")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveSmallIntegerField()
    key = models.CharField(max_length=64)
    label = models.CharField(max_length=255)
    value = models.DecimalField(max_digits=7, decimal_places=2)
    unit = models.CharField(max_length=16)  # "percent" or "minutes"
    direction = models.CharField(max_length=8, choices=Direction.choices)
    source = models.CharField(_("nhiệm vụ nguồn"), max_length=16, blank=True)

    class Meta:
        ordering = ["plan", "id"]
        constraints = [models.UniqueConstraint(fields=["plan", "key"], name="plans_target_key_unique")]

    def __str__(self) -> str:
        return f"{self.key} {self.value}"


class Inspection(models.Model):
    """An inspection (kiểm tra) under section V: team, units inspected, findings, recommendations."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Đã lập kế hoạch")
        DONE = "done", _("Đã kiểm tra")
        CLOSED = "closed", _("Đã kết thúc theo dõi")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="inspections")
    task = models.ForeignKey(Task, null=True, blank=True, on_delete=models.SET_NULL, related_name="inspections")
    title = models.CharField(_("tên đợt kiểm tra"), max_length=500)
    scope = models.TextField(_("nội dung kiểm tra"), blank=True)
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày"))
    leader = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("trưởng đoàn"))
    members = models.ManyToManyField(User, related_name="plan_inspections", blank=True,
                                     verbose_name=_("thành viên đoàn"))
    units = models.ManyToManyField(Unit, related_name="plan_inspections", verbose_name=_("đơn vị được kiểm tra"))
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PLANNED)
    conclusion = models.TextField(_("kết luận chung"), blank=True)
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")),
                                              name="plans_inspection_dates_ordered")]

    def __str__(self) -> str:
        return self.title


class Finding(models.Model):
    """One checklist item of an inspection, for one unit: compliant or not, with what was seen."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="findings")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    item = models.CharField(_("nội dung kiểm tra"), max_length=500)
    compliant = models.BooleanField(_("đạt"))
    observation = models.TextField(_("ghi nhận"), blank=True)

    class Meta:
        ordering = ["inspection", "unit__path", "id"]

    def __str__(self) -> str:
        return self.item


class Recommendation(models.Model):
    """Kiến nghị after an inspection, with a deadline and its follow-up."""

    class Status(models.TextChoices):
        OPEN = "open", _("Chưa khắc phục")
        IN_PROGRESS = "in_progress", _("Đang khắc phục")
        DONE = "done", _("Đã khắc phục")

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="recommendations")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("kiến nghị"))
    deadline = models.DateField(_("hạn khắc phục"))
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    follow_up = models.TextField(_("kết quả khắc phục"), blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["inspection", "deadline", "id"]

    def __str__(self) -> str:
        return self.text[:80]

    def is_overdue(self, day) -> bool:
        return self.status != self.Status.DONE and self.deadline < day


class SelfInspectionReport(models.Model):
    """A unit's own inspection report (task V.3), submitted to the Office."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="self_inspections")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    period_label = models.CharField(_("kỳ"), max_length=64)
    summary = models.TextField(_("kết quả tự kiểm tra"))
    issues = models.TextField(_("tồn tại, hạn chế"), blank=True)
    file = models.FileField(upload_to="plans/self-inspections/%Y/", blank=True)
    file_name = models.CharField(max_length=255, blank=True)
    submitted_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["plan", "unit", "period_label"],
                                               name="plans_self_inspection_once_per_period")]

    def __str__(self) -> str:
        return f"{self.unit} – {self.period_label}"
