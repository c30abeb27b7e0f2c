"""Portal forms (Vietnamese labels and messages). The declaration form itself comes from
`schemas.declaration_form_class`."""

from __future__ import annotations

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from motcua.portal.models import CRITERIA, CRITERION_MAX, Feedback, Satisfaction


class LookupForm(forms.Form):
    ma = forms.CharField(label=_("Mã hồ sơ"), max_length=40,
                         error_messages={"required": _("Vui lòng nhập mã hồ sơ.")},
                         widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))
    check = forms.CharField(
        label=_("4 số cuối điện thoại hoặc số định danh của người nộp"), min_length=4, max_length=4,
        validators=[RegexValidator(r"^\d{4}$", message=_("Nhập đúng 4 chữ số."))],
        error_messages={"required": _("Vui lòng nhập 4 số cuối điện thoại hoặc số định danh."),
                        "min_length": _("Nhập đúng 4 chữ số."), "max_length": _("Nhập đúng 4 chữ số.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "pattern": r"\d{4}"}))


SCORE_CHOICES = [(str(v), f"{v}") for v in range(CRITERION_MAX, -1, -1)]


class RatingForm(forms.Form):
    satisfaction = forms.ChoiceField(label=_("Mức độ hài lòng"), choices=Satisfaction.choices,
                                     widget=forms.RadioSelect,
                                     error_messages={"required": _("Vui lòng chọn mức độ hài lòng.")})
    comment = forms.CharField(label=_("Ý kiến khác (nếu có)"), required=False, max_length=4000,
                              widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in CRITERIA:
            self.fields[name] = forms.TypedChoiceField(
                # The scale (0 – chưa đạt, 1 – đạt một phần, 2 – đạt) is the legend of the criteria's fieldset.
                label=label, choices=SCORE_CHOICES, coerce=int, initial=str(CRITERION_MAX),
                error_messages={"required": _("Vui lòng chấm điểm tiêu chí này."),
                                "invalid_choice": _("Điểm mỗi tiêu chí từ 0 đến 2.")})

    def scores(self) -> dict[str, int]:
        return {name: self.cleaned_data[name] for name, _label in CRITERIA}

    def criteria_fields(self):
        return [self[name] for name, _label in CRITERIA]


class FeedbackForm(forms.Form):
    subject = forms.ChoiceField(label=_("Phản ánh về"), choices=Feedback.Subject.choices, widget=forms.RadioSelect,
                                error_messages={"required": _("Vui lòng chọn nội dung phản ánh.")})
    procedure_code = forms.CharField(label=_("Mã thủ tục (nếu phản ánh về thủ tục)"), required=False, max_length=16)
    dossier_code = forms.CharField(label=_("Mã hồ sơ (nếu phản ánh về việc giải quyết hồ sơ)"), required=False,
                                   max_length=40)
    content = forms.CharField(label=_("Nội dung phản ánh, kiến nghị"), max_length=4000,
                              widget=forms.Textarea(attrs={"rows": 5}),
                              error_messages={"required": _("Vui lòng nhập nội dung phản ánh, kiến nghị.")})
    name = forms.CharField(label=_("Họ và tên"), max_length=255,
                           error_messages={"required": _("Vui lòng nhập họ và tên.")})
    phone = forms.CharField(label=_("Số điện thoại"), required=False, max_length=20,
                            validators=[RegexValidator(r"^0\d{9,10}$", message=_(
                                "Số điện thoại gồm 10 hoặc 11 chữ số, bắt đầu bằng 0."))],
                            widget=forms.TextInput(attrs={"inputmode": "tel", "type": "tel"}))
    email = forms.EmailField(label=_("Thư điện tử"), required=False,
                             error_messages={"invalid": _("Địa chỉ thư điện tử không hợp lệ.")})
    address = forms.CharField(label=_("Địa chỉ liên hệ"), required=False, max_length=500)

    def clean(self):
        data = super().clean()
        if not data.get("phone") and not data.get("email"):
            raise forms.ValidationError(_("Vui lòng để lại số điện thoại hoặc thư điện tử để cơ quan trả lời."))
        if data.get("subject") == Feedback.Subject.DOSSIER and not data.get("dossier_code"):
            self.add_error("dossier_code", _("Vui lòng nhập mã hồ sơ được phản ánh."))
        if data.get("subject") == Feedback.Subject.PROCEDURE and not data.get("procedure_code"):
            self.add_error("procedure_code", _("Vui lòng nhập mã thủ tục được phản ánh."))
        return data
