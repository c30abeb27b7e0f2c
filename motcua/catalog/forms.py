"""Forms of the control officer's catalog screens. They only shape what was typed; the rules
(budgets adding up, codes, kinds, versions) are checked by the actions, which report every problem."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.forms import formset_factory
from django.forms.formsets import BaseFormSet
from django.utils.translation import gettext_lazy as _

from motcua.org.models import Role, Unit

STEP_ROLES = [(r.value, r.label) for r in Role if r not in {Role.CITIZEN, Role.SYSTEM_ADMIN}]
STEP_FIELDS = ["unit", "role", "budget", "counted", "description"]


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        return f"{obj.name} ({obj.code})"


class StepForm(forms.Form):
    unit = UnitChoiceField(
        label=_("Đơn vị"), queryset=Unit.objects.filter(is_active=True).order_by("path"), to_field_name="code",
        empty_label=_("— chọn đơn vị —"),
        error_messages={"required": _("Chọn đơn vị thực hiện bước này."),
                        "invalid_choice": _("Đơn vị đã chọn không còn trong danh sách.")})
    role = forms.ChoiceField(label=_("Vai trò"), choices=[("", _("— chọn vai trò —")), *STEP_ROLES],
                             error_messages={"required": _("Chọn vai trò thực hiện bước này."),
                                             "invalid_choice": _("Vai trò đã chọn không hợp lệ.")})
    # Kept as text: "0,5" and "0.5" are both read by the action, which reports a bad number itself.
    budget = forms.CharField(label=_("Thời gian"), max_length=16,
                             error_messages={"required": _("Nhập thời gian của bước (0 nếu không tính).")})
    counted = forms.BooleanField(label=_("Tính vào thời hạn"), required=False)
    description = forms.CharField(label=_("Nội dung công việc"), max_length=1000,
                                  error_messages={"required": _("Nhập nội dung công việc của bước.")})


class BaseStepFormSet(BaseFormSet):
    """Steps in the order shown; rows are added, removed and moved by buttons (no JavaScript needed)."""

    def raw_rows(self) -> list[dict]:
        """What was typed in each row, valid or not, to show it again."""
        rows = []
        for form in self.forms:
            row = {name: form[name].value() for name in STEP_FIELDS}
            row["counted"] = bool(form["counted"].value())
            rows.append(row)
        return rows


StepFormSet = formset_factory(StepForm, formset=BaseStepFormSet, extra=0, max_num=100, validate_max=True)


def budget_text(value: Decimal) -> str:
    return f"{value.normalize():f}".replace(".", ",")


def step_initial(steps) -> list[dict]:
    return [{"unit": s.unit.code, "role": s.role, "budget": budget_text(s.budget), "counted": s.counted,
             "description": s.description} for s in steps]


BLANK_STEP = {"unit": "", "role": "", "budget": "", "counted": True, "description": ""}


DATE_ERRORS = {"required": _("Nhập ngày theo dạng dd/mm/yyyy."),
               "invalid": _("Ngày không hợp lệ; nhập theo dạng dd/mm/yyyy, ví dụ 28/11/2025.")}


class DecisionForm(forms.Form):
    """The header of a publication decision, with the entries' file kept between preview and confirmation."""

    number = forms.CharField(label=_("Số quyết định"), max_length=64,
                             error_messages={"required": _("Nhập số quyết định, ví dụ 2028/QĐ-UBND.")})
    signed_on = forms.DateField(label=_("Ngày ký"), input_formats=["%d/%m/%Y"], error_messages=DATE_ERRORS,
                                widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"}))
    signer = forms.CharField(label=_("Người ký"), max_length=255,
                             error_messages={"required": _("Nhập người ký quyết định.")})
    effective_from = forms.DateField(label=_("Ngày có hiệu lực"), input_formats=["%d/%m/%Y"],
                                     error_messages=DATE_ERRORS,
                                     widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"}))
    title = forms.CharField(label=_("Trích yếu"), max_length=500, required=False,
                            widget=forms.Textarea(attrs={"rows": 2}))
    issuer = UnitChoiceField(
        label=_("Cơ quan ban hành"), required=False, to_field_name="code", empty_label=_("— không ghi —"),
        queryset=Unit.objects.filter(kind__in=[Unit.Kind.PROVINCE, Unit.Kind.AGENCY, Unit.Kind.COMMUNE],
                                     is_active=True).order_by("path"),
        error_messages={"invalid_choice": _("Cơ quan ban hành đã chọn không còn trong danh sách.")})
    abolished = forms.CharField(
        label=_("Mã TTHC bãi bỏ"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Các thủ tục quyết định này bãi bỏ: mã TTHC cách nhau bởi dấu phẩy hoặc xuống dòng."))
    entries_data = forms.CharField(required=False, widget=forms.HiddenInput)
    entries_name = forms.CharField(required=False, max_length=255, widget=forms.HiddenInput)
