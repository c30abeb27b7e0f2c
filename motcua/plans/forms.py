"""Forms of the plan pages: Vietnamese labels and messages, dates dd/mm/yyyy."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.org.models import Unit, User
from motcua.plans.models import Recommendation, TaskStatus

DATE_WIDGET = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"})

# The usual checklist of an inspection of TTHC control and the one-stop mechanism (TT 02/2017/TT-VPCP).
CHECKLIST = [
    "Niêm yết, công khai TTHC tại trụ sở và trên Cổng thông tin điện tử",
    "Tiếp nhận, giải quyết hồ sơ đúng hạn; sổ theo dõi hồ sơ",
    "Phiếu kiểm soát quá trình giải quyết hồ sơ",
    "Văn bản xin lỗi khi giải quyết hồ sơ quá hạn",
    "Số hóa hồ sơ, kết quả giải quyết TTHC",
    "Cập nhật quy trình điện tử trên Hệ thống thông tin giải quyết TTHC",
    "Tiếp nhận, xử lý phản ánh, kiến nghị về quy định hành chính",
    "Chế độ thông tin, báo cáo định kỳ",
]


class TaskUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Trạng thái"), choices=TaskStatus.choices)
    progress = forms.IntegerField(label=_("Tiến độ (%)"), min_value=0, max_value=100,
                                  error_messages={"min_value": _("Tiến độ từ 0 đến 100%%."),
                                                  "max_value": _("Tiến độ từ 0 đến 100%%.")})
    start_on = forms.DateField(label=_("Bắt đầu"), required=False, widget=DATE_WIDGET)
    due_on = forms.DateField(label=_("Hạn hoàn thành"), required=False, widget=DATE_WIDGET)
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class InstanceUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Trạng thái"), choices=TaskStatus.choices)
    note = forms.CharField(label=_("Kết quả trong kỳ"), required=False)


class EvidenceFileForm(forms.Form):
    file = forms.FileField(label=_("Tệp minh chứng (PDF, JPG, PNG, TIFF, DOCX)"),
                           error_messages={"required": _("Chọn tệp minh chứng.")})
    label = forms.CharField(label=_("Mô tả"), required=False, max_length=500)
    instance = forms.TypedChoiceField(label=_("Kỳ"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, task=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instance"].choices = [("", "—"), *((i.pk, i.label) for i in task.instances.all())]


class EvidenceLinkForm(forms.Form):
    target = forms.ChoiceField(label=_("Đối tượng trong hệ thống"))
    label = forms.CharField(label=_("Mô tả"), required=False, max_length=500)
    instance = forms.TypedChoiceField(label=_("Kỳ"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, task=None, **kwargs):
        from motcua.plans.selectors import LINKABLES

        super().__init__(*args, **kwargs)
        groups = []
        for linkable in LINKABLES.values():
            options = [(f"{linkable.model_label}:{obj.pk}", str(obj) + (f" – {obj.title}" if getattr(obj, "title", "")
                                                                         else ""))
                       for obj in linkable.choices()[:200]]
            groups.append((linkable.label, options))
        self.fields["target"].choices = [("", "—"), *groups]
        self.fields["instance"].choices = [("", "—"), *((i.pk, i.label) for i in task.instances.all())]


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Ý kiến"), widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={"required": _("Nhập nội dung ý kiến.")})


class InspectionForm(forms.Form):
    title = forms.CharField(label=_("Tên đợt kiểm tra"), max_length=500)
    scope = forms.CharField(label=_("Nội dung kiểm tra"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    starts_on = forms.DateField(label=_("Từ ngày"), widget=DATE_WIDGET)
    ends_on = forms.DateField(label=_("Đến ngày"), widget=DATE_WIDGET)
    leader = forms.ModelChoiceField(label=_("Trưởng đoàn"), queryset=User.objects.none())
    members = forms.ModelMultipleChoiceField(label=_("Thành viên đoàn"), queryset=User.objects.none(),
                                             required=False)
    units = forms.ModelMultipleChoiceField(label=_("Đơn vị được kiểm tra"), queryset=Unit.objects.none(),
                                           error_messages={"required": _("Chọn ít nhất một đơn vị.")})

    def __init__(self, *args, plan=None, **kwargs):
        from motcua.org.models import Role, RoleAssignment

        super().__init__(*args, **kwargs)
        officers = RoleAssignment.objects.exclude(role=Role.CITIZEN).values("user")
        people = User.objects.filter(pk__in=officers, is_active=True).order_by("full_name")
        self.fields["leader"].queryset = people
        self.fields["members"].queryset = people
        self.fields["units"].queryset = plan.issuing_unit.subtree().exclude(pk=plan.issuing_unit.pk) \
            .filter(is_active=True).order_by("path")

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("Ngày kết thúc không được trước ngày bắt đầu."))
        return data


class _InspectionUnitForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Đơn vị"), queryset=Unit.objects.none())

    def __init__(self, *args, inspection=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = inspection.units.order_by("path")


class FindingForm(_InspectionUnitForm):
    item = forms.CharField(label=_("Nội dung kiểm tra"), max_length=500,
                           widget=forms.TextInput(attrs={"list": "checklist"}))
    compliant = forms.TypedChoiceField(label=_("Kết quả"), choices=[("1", _("Đạt")), ("0", _("Chưa đạt"))],
                                       coerce=lambda v: v == "1")
    observation = forms.CharField(label=_("Ghi nhận"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RecommendationForm(_InspectionUnitForm):
    text = forms.CharField(label=_("Kiến nghị"), widget=forms.Textarea(attrs={"rows": 2}))
    deadline = forms.DateField(label=_("Hạn khắc phục"), widget=DATE_WIDGET)


class FollowUpForm(forms.Form):
    status = forms.ChoiceField(label=_("Tình trạng"), choices=Recommendation.Status.choices)
    follow_up = forms.CharField(label=_("Kết quả khắc phục"), required=False)


class ConcludeForm(forms.Form):
    conclusion = forms.CharField(label=_("Kết luận chung"), widget=forms.Textarea(attrs={"rows": 3}))
    close = forms.BooleanField(label=_("Kết thúc theo dõi đợt kiểm tra"), required=False)


class SelfInspectionForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Đơn vị"), queryset=Unit.objects.none())
    period_label = forms.CharField(label=_("Kỳ báo cáo"), max_length=64, initial="6 tháng đầu năm")
    summary = forms.CharField(label=_("Kết quả tự kiểm tra"), widget=forms.Textarea(attrs={"rows": 3}))
    issues = forms.CharField(label=_("Tồn tại, hạn chế"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    file = forms.FileField(label=_("Báo cáo kèm theo (không bắt buộc)"), required=False)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
