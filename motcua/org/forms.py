from __future__ import annotations

from django import forms
from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _

from motcua.lib.text import TextError, nfc
from motcua.org import throttle
from motcua.org.models import Role, Unit, User


class LoginForm(forms.Form):
    username = forms.CharField(label=_("Tên đăng nhập"), max_length=150,
                               widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}))
    password = forms.CharField(label=_("Mật khẩu"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))

    def __init__(self, *args, request=None, **kwargs):
        self.request = request
        self.user = None
        super().__init__(*args, **kwargs)

    def clean(self):
        from motcua.org.middleware import client_ip

        data = super().clean()
        username = nfc(data.get("username") or "")
        password = data.get("password") or ""
        if not username or not password:
            return data
        ip = client_ip(self.request) if self.request else None
        if throttle.is_locked(username, ip):
            raise forms.ValidationError(
                _("Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau %(minutes)s phút."),
                params={"minutes": throttle.settings.LOGIN_LOCKOUT_MINUTES}, code="locked",
            )
        user = authenticate(self.request, username=username, password=password)
        if user is None or not user.is_active:
            throttle.record_failure(username, ip)
            raise forms.ValidationError(_("Tên đăng nhập hoặc mật khẩu không đúng."), code="invalid_login")
        throttle.clear_failures(username)
        self.user = user
        return data


# --- Organisation pages -------------------------------------------------------------------------

DATE_WIDGET_ATTRS = {"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"}


class VNDateField(forms.DateField):
    """A date typed as dd/mm/yyyy; the message says which shape is expected."""

    default_error_messages = {"invalid": _("Nhập ngày theo dạng dd/mm/yyyy, ví dụ 01/07/2025.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.DateInput(format="%d/%m/%Y", attrs=DATE_WIDGET_ATTRS))
        kwargs.setdefault("input_formats", ["%d/%m/%Y", "%Y-%m-%d"])
        super().__init__(**kwargs)


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{'— ' * obj.depth}{obj.name} ({obj.code})"


class UnitMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{'— ' * obj.depth}{obj.name} ({obj.code})"


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.full_name or obj.username} ({obj.username})"


def _clean_text(value: str) -> str:
    try:
        return nfc(value or "")
    except TextError as exc:
        raise forms.ValidationError(str(exc)) from None


class AuditFilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm kiếm"), required=False, max_length=200,
                        widget=forms.SearchInput(attrs={"placeholder": _("tên, mã, hành động… (không cần dấu)")}))
    action = forms.ChoiceField(label=_("Hành động"), required=False)
    object_type = forms.ChoiceField(label=_("Loại đối tượng"), required=False)
    actor = PersonChoiceField(label=_("Người thực hiện"), required=False, queryset=None,
                              empty_label=_("Tất cả"))
    date_from = VNDateField(label=_("Từ ngày"), required=False)
    date_to = VNDateField(label=_("Đến ngày"), required=False)

    def __init__(self, *args, actions: list[str], object_types: list[str], actors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("Tất cả")), *((a, a) for a in actions)]
        self.fields["object_type"].choices = [("", _("Tất cả")), *((t, t) for t in object_types)]
        self.fields["actor"].queryset = actors

    def clean_q(self):
        return _clean_text(self.cleaned_data.get("q", ""))

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("Ngày kết thúc phải sau hoặc bằng ngày bắt đầu."))
        return data


class UnitForm(forms.ModelForm):
    """Create or edit a unit. Validation (code shape, no cycle, unique code) runs on the model;
    the view hands the cleaned values to actions.create_unit / update_unit."""

    parent = UnitChoiceField(label=_("Đơn vị cấp trên"), queryset=None, required=False,
                             empty_label=_("(Không có – đơn vị gốc)"))
    valid_from = VNDateField(label=_("Hiệu lực từ"), required=False)
    valid_to = VNDateField(label=_("Hiệu lực đến"), required=False)

    class Meta:
        model = Unit
        fields = ["parent", "kind", "name", "short_name", "code", "admin_code", "office_hours",
                  "receives_saturday_morning", "is_active", "valid_from", "valid_to"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = Unit.objects.order_by("path")
        self.fields["code"].error_messages["unique"] = _("Mã định danh này đã được dùng cho một đơn vị khác.")

    def clean_name(self):
        return _clean_text(self.cleaned_data.get("name", ""))

    def clean_short_name(self):
        return _clean_text(self.cleaned_data.get("short_name", ""))

    def clean_code(self):
        return _clean_text(self.cleaned_data.get("code", ""))

    def clean(self):
        data = super().clean()
        start, end = data.get("valid_from"), data.get("valid_to")
        if start and end and end < start:
            self.add_error("valid_to", _("Ngày kết thúc phải sau hoặc bằng ngày bắt đầu."))
        return data

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class MergeUnitsForm(forms.Form):
    sources = UnitMultipleChoiceField(label=_("Các đơn vị hợp nhất (chấm dứt hoạt động)"), queryset=None,
                                      widget=forms.SelectMultiple(attrs={"size": 10}))
    successor = UnitChoiceField(label=_("Đơn vị kế thừa"), queryset=None, empty_label=_("– Chọn đơn vị –"))
    effective = VNDateField(label=_("Ngày hợp nhất có hiệu lực"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        active = Unit.objects.filter(is_active=True).order_by("path")
        self.fields["sources"].queryset = active
        self.fields["successor"].queryset = active

    def clean(self):
        data = super().clean()
        sources, successor = data.get("sources"), data.get("successor")
        if sources and successor:
            if successor in sources:
                self.add_error("successor", _("Đơn vị kế thừa không được nằm trong các đơn vị bị hợp nhất."))
            elif any(successor.path.startswith(s.path) for s in sources):
                self.add_error("successor", _("Đơn vị kế thừa không được là đơn vị cấp dưới của đơn vị bị hợp nhất."))
        return data


class AssignRoleForm(forms.Form):
    person = PersonChoiceField(label=_("Người được phân công"), queryset=None, empty_label=_("– Chọn người –"))
    role = forms.ChoiceField(label=_("Vai trò"))
    includes_subunits = forms.BooleanField(label=_("Gồm các đơn vị cấp dưới"), required=False, initial=True)
    valid_from = VNDateField(label=_("Từ ngày"), required=False)
    valid_to = VNDateField(label=_("Đến ngày"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = User.objects.filter(is_active=True).order_by("full_name", "username")
        self.fields["role"].choices = [("", _("– Chọn vai trò –")), *Role.choices]

    def clean(self):
        data = super().clean()
        start, end = data.get("valid_from"), data.get("valid_to")
        if start and end and end < start:
            self.add_error("valid_to", _("Ngày kết thúc phải sau hoặc bằng ngày bắt đầu."))
        return data


class EndAssignmentForm(forms.Form):
    last_day = VNDateField(label=_("Ngày làm việc cuối cùng"))


class DelegationForm(forms.Form):
    """Ủy quyền. For a system administrator `delegator` is chosen; a role holder delegates their own
    role, picked from `grant` (role + unit they hold directly)."""

    delegator = PersonChoiceField(label=_("Người ủy quyền"), queryset=None, empty_label=_("– Chọn người –"))
    grant = forms.ChoiceField(label=_("Vai trò được ủy quyền"))
    role = forms.ChoiceField(label=_("Vai trò được ủy quyền"))
    delegate = PersonChoiceField(label=_("Người được ủy quyền"), queryset=None, empty_label=_("– Chọn người –"))
    starts_on = VNDateField(label=_("Từ ngày"))
    ends_on = VNDateField(label=_("Đến ngày"))
    reason = forms.CharField(label=_("Lý do"), max_length=255, required=False)

    def __init__(self, *args, delegates, delegator_choices=None, grants=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["delegate"].queryset = delegates
        if delegator_choices is None:
            del self.fields["delegator"]
            del self.fields["role"]
            self.grants = {f"{g.role}|{g.unit.pk}": g for g in grants or []}
            self.fields["grant"].choices = [("", _("– Chọn vai trò –")),
                                            *((k, f"{g.role_label} – {g.unit.name}") for k, g in self.grants.items())]
        else:
            del self.fields["grant"]
            self.fields["delegator"].queryset = delegator_choices
            self.fields["role"].choices = [("", _("– Chọn vai trò –")),
                                           *((r.value, r.label) for r in Role if r != Role.CITIZEN)]

    def clean_reason(self):
        return _clean_text(self.cleaned_data.get("reason", ""))

    def clean(self):
        data = super().clean()
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("Ngày kết thúc ủy quyền phải sau hoặc bằng ngày bắt đầu."))
        if "grant" in self.fields and data.get("grant"):
            grant = self.grants[data["grant"]]
            data["role"], data["unit"] = grant.role, grant.unit
        return data
