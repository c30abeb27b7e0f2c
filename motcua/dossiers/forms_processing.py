"""One small form per processing move (issue 6). Each form's `move_kwargs()` gives the keyword arguments
of the transition of the same name (motcua.dossiers.transitions.MOVES), besides dossier and actor.

Dates are typed dd/mm/yyyy and instants dd/mm/yyyy HH:MM (Vietnam time); text is NFC-normalised by the
transitions."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.files import FileCheckError, check_file
from motcua.dossiers.models import Dossier, ReturnChannel
from motcua.dossiers.transitions import return_handed_on_errors
from motcua.lib.text import nfc
from motcua.org.models import Unit, User

DATE_FORMATS = ["%d/%m/%Y"]
DATETIME_FORMATS = ["%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S"]
REPEAT_WARNING = _("Nghị định 118 chỉ cho yêu cầu bổ sung một lần; hồ sơ sẽ bị tính quá hạn")


class MoveForm(forms.Form):
    move = ""
    label = ""

    def __init__(self, *args, dossier: Dossier, user: User, **kwargs):
        self.dossier = dossier
        self.user = user
        kwargs.setdefault("prefix", self.move)
        super().__init__(*args, **kwargs)

    def move_kwargs(self) -> dict:
        return dict(self.cleaned_data)


def _people_choice(queryset, *, required: bool, label) -> forms.ModelChoiceField:
    field = forms.ModelChoiceField(queryset=queryset, required=required, label=label,
                                   empty_label=_("— chưa phân công —") if not required else _("— chọn —"))
    field.label_from_instance = lambda u: u.full_name or u.username
    return field


class HandOnForm(MoveForm):
    move = "hand_on"
    label = _("Chuyển bước tiếp theo")
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, assignees=None, **kwargs):
        super().__init__(*args, **kwargs)
        if assignees is not None:
            self.fields["assignee"] = _people_choice(assignees, required=False,
                                                     label=_("Người xử lý bước tiếp theo"))
            self.order_fields(["assignee", "note"])


class AssignForm(MoveForm):
    move = "assign"
    label = _("Phân công xử lý")

    def __init__(self, *args, assignees=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"] = _people_choice(assignees if assignees is not None else User.objects.none(),
                                                 required=True, label=_("Giao cho"))


class ReturnToStepForm(MoveForm):
    move = "return_to_step"
    label = _("Trả lại bước trước")
    to_order = forms.TypedChoiceField(label=_("Trả về bước"), coerce=int)
    reason = forms.CharField(label=_("Lý do trả lại"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, steps=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_order"].choices = [(s.order, f"{s.order}. {s.description}") for s in steps]


class RequestSupplementForm(MoveForm):
    move = "request_supplement"
    label = _("Yêu cầu bổ sung hồ sơ")
    items = forms.CharField(
        label=_("Giấy tờ cần bổ sung"), widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Mỗi dòng một giấy tờ; lý do sau dấu “|”, ví dụ: Bản sao giấy phép kinh doanh | không đọc được"))
    reason = forms.CharField(label=_("Lý do chung"), widget=forms.Textarea(attrs={"rows": 2}))
    confirm_repeat = forms.BooleanField(label=_("Tôi hiểu và vẫn yêu cầu bổ sung lần nữa"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.repeated = self.dossier.supplements.exists()
        if self.repeated:
            self.fields["confirm_repeat"].help_text = REPEAT_WARNING
        else:
            del self.fields["confirm_repeat"]

    def clean_items(self):
        items = []
        for line in nfc(self.cleaned_data["items"]).splitlines():
            name, _sep, reason = line.partition("|")
            if name.strip():
                items.append({"name": name.strip(), "reason": reason.strip()})
        if not items:
            raise forms.ValidationError(_("Cần liệt kê ít nhất một giấy tờ cần bổ sung."))
        return items

    def clean(self):
        data = super().clean()
        if self.repeated and not data.get("confirm_repeat"):
            self.add_error("confirm_repeat", forms.ValidationError(
                _("%(warning)s. Đánh dấu ô xác nhận nếu vẫn yêu cầu bổ sung.") % {"warning": REPEAT_WARNING}))
        return data

    def move_kwargs(self) -> dict:
        return {"items": self.cleaned_data["items"], "reason": self.cleaned_data["reason"]}


class ReceiveSupplementForm(MoveForm):
    move = "receive_supplement"
    label = _("Nhận hồ sơ bổ sung đầy đủ")


class ConsultForm(MoveForm):
    move = "consult"
    label = _("Lấy ý kiến cơ quan, đơn vị phối hợp")
    unit = forms.ModelChoiceField(queryset=Unit.objects.none(), label=_("Cơ quan, đơn vị"))
    question = forms.CharField(label=_("Nội dung xin ý kiến"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(is_active=True).order_by("path")


class AnswerConsultationForm(MoveForm):
    move = "answer_consultation"
    label = _("Trả lời xin ý kiến")
    consultation = forms.TypedChoiceField(label=_("Xin ý kiến"), coerce=int)
    answer = forms.CharField(label=_("Nội dung trả lời"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, consultations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.consultations = {c.pk: c for c in consultations}
        self.fields["consultation"].choices = [(c.pk, f"{c.unit.name}: {c.question[:80]}") for c in consultations]

    def move_kwargs(self) -> dict:
        return {"consultation": self.consultations[self.cleaned_data["consultation"]],
                "answer": self.cleaned_data["answer"]}


class DecideForm(MoveForm):
    move = "decide"
    label = _("Quyết định giải quyết")
    decision = forms.ChoiceField(label=_("Quyết định"), widget=forms.RadioSelect,
                                 choices=[("approve", _("Phê duyệt (giải quyết)")),
                                          ("refuse", _("Từ chối giải quyết"))])
    reason = forms.CharField(label=_("Lý do (bắt buộc khi từ chối)"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        if data.get("decision") == "refuse" and not nfc(data.get("reason", "")):
            self.add_error("reason", _("Từ chối giải quyết cần nêu rõ lý do."))
        return data

    def move_kwargs(self) -> dict:
        return {"approve": self.cleaned_data["decision"] == "approve", "reason": self.cleaned_data["reason"]}


class AttachResultForm(MoveForm):
    move = "attach_result"
    label = _("Đính kèm kết quả đã ký")
    file = forms.FileField(label=_("Tệp kết quả (PDF, ảnh)"))
    name = forms.CharField(label=_("Tên kết quả"), max_length=500)
    number = forms.CharField(label=_("Số, ký hiệu"), max_length=64)
    signer = forms.CharField(label=_("Người ký"), max_length=255)
    signed_on = forms.DateField(label=_("Ngày ký (dd/mm/yyyy)"), input_formats=DATE_FORMATS)
    valid_until = forms.DateField(label=_("Hiệu lực đến (dd/mm/yyyy)"), input_formats=DATE_FORMATS, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].initial = self.dossier.version.result_name

    def clean_file(self):
        upload = self.cleaned_data["file"]
        content = upload.read()
        try:
            self.checked = check_file(upload.name, content)
        except FileCheckError as exc:
            raise forms.ValidationError(str(exc)) from None
        return upload

    def move_kwargs(self) -> dict:
        data = self.cleaned_data
        return {"name": data["name"], "content": self.checked.content, "filename": self.checked.name,
                "content_type": self.checked.content_type, "number": data["number"], "signer": data["signer"],
                "signed_on": data["signed_on"], "valid_until": data["valid_until"]}


class StopForm(MoveForm):
    move = "stop"
    label = _("Dừng giải quyết / rút hồ sơ theo yêu cầu")
    reason = forms.CharField(label=_("Lý do (theo đề nghị của người nộp)"), widget=forms.Textarea(attrs={"rows": 2}))
    withdrawal = forms.BooleanField(label=_("Người nộp rút hồ sơ"), required=False)


class ReturnResultForm(MoveForm):
    move = "return_result"
    label = _("Trả kết quả")
    channel = forms.ChoiceField(label=_("Hình thức trả"), choices=ReturnChannel.choices)
    returned_to = forms.CharField(label=_("Người nhận kết quả (tại quầy)"), required=False, max_length=255)
    waybill = forms.CharField(label=_("Mã vận đơn (bưu chính)"), required=False, max_length=64)
    handed_on = forms.DateField(label=_("Ngày giao bưu điện (dd/mm/yyyy)"), required=False,
                                input_formats=DATE_FORMATS,
                                error_messages={"invalid": _("Ngày giao bưu điện phải theo dạng dd/mm/yyyy.")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].initial = self.dossier.return_channel
        self.fields["handed_on"].initial = timezone.localdate().strftime("%d/%m/%Y")

    def clean(self):
        data = super().clean()
        channel = data.get("channel")
        if channel == ReturnChannel.COUNTER and not nfc(data.get("returned_to", "")):
            self.add_error("returned_to", _("Cần ghi tên người nhận kết quả."))
        if channel == ReturnChannel.POSTAL and not nfc(data.get("waybill", "")):
            self.add_error("waybill", _("Trả qua bưu chính cần mã vận đơn."))
        if channel == ReturnChannel.POSTAL and data.get("handed_on") is None and "handed_on" not in self.errors:
            self.add_error("handed_on", _("Trả qua bưu chính cần ngày giao bưu điện."))
        elif channel == ReturnChannel.POSTAL and data.get("handed_on") is not None:
            for problem in return_handed_on_errors(self.dossier, data["handed_on"]):
                self.add_error("handed_on", problem)
        if channel != ReturnChannel.POSTAL:
            data["handed_on"] = None
        return data


class IssueApologyForm(MoveForm):
    move = "issue_apology"
    label = _("Xin lỗi và hẹn lại ngày trả kết quả")
    new_due_at = forms.DateTimeField(label=_("Hẹn trả mới (dd/mm/yyyy HH:MM)"), input_formats=DATETIME_FORMATS)
    reason = forms.CharField(label=_("Lý do chậm trả"), widget=forms.Textarea(attrs={"rows": 2}))
    caused_by = forms.ModelChoiceField(queryset=Unit.objects.order_by("path"), label=_("Đơn vị để xảy ra chậm trễ"),
                                       required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        run = self.dossier.current_step
        if run is not None:
            self.fields["caused_by"].initial = run.unit_id


FORMS: dict[str, type[MoveForm]] = {f.move: f for f in [
    HandOnForm, AssignForm, ReturnToStepForm, RequestSupplementForm, ReceiveSupplementForm, ConsultForm,
    AnswerConsultationForm, DecideForm, AttachResultForm, StopForm, ReturnResultForm, IssueApologyForm]}
