"""Declaration forms from JSON Schema.

Each procedure's declaration (tờ khai) is a JSON Schema object stored in `DeclarationSchema`; this
module renders it as a real Django form with server-side validation and Vietnamese messages.

The subset understood: `type` string / integer / number / boolean; for strings `format` date or
email, `minLength`, `maxLength`, `pattern` (with `x-error`, the Vietnamese message when it does not
match), `enum` (with `x-labels`); for numbers `minimum`, `maximum`; `title` (the label),
`description` (help text), `required` (list), and `x-widget: textarea`, `x-not-future: true` (a date
that cannot be after today), `x-prefill` (a profile field: full_name, phone, email), `x-money: true` (an
integer amount in đồng, shown as `1.250.000 đ`).

`rows` turns a saved declaration back into (label, value) pairs for people to read: the citizen's review
page and "my dossier", and the officer's dossier page (`dossier_panel`).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.lib.formats import money
from motcua.lib.text import nfc

PHONE_PATTERN = r"^0\d{9,10}$"

DEFAULT_SCHEMA = {
    "type": "object",
    "title": "Tờ khai",
    "properties": {
        "full_name": {"type": "string", "title": "Họ và tên", "maxLength": 255, "x-prefill": "full_name"},
        "birth_date": {"type": "string", "format": "date", "title": "Ngày sinh", "x-not-future": True,
                       "description": "Định dạng ngày/tháng/năm, ví dụ 12/03/1987."},
        "address": {"type": "string", "title": "Địa chỉ liên hệ", "maxLength": 500},
        "phone": {"type": "string", "title": "Số điện thoại", "pattern": PHONE_PATTERN, "x-prefill": "phone",
                  "x-error": "Số điện thoại gồm 10 hoặc 11 chữ số, bắt đầu bằng 0."},
        "email": {"type": "string", "format": "email", "title": "Thư điện tử", "maxLength": 254,
                  "x-prefill": "email"},
        "purpose": {"type": "string", "title": "Mục đích, nội dung đề nghị", "maxLength": 2000,
                    "x-widget": "textarea"},
    },
    "required": ["full_name", "birth_date", "address", "phone", "purpose"],
}

TYPES = {"string", "integer", "number", "boolean"}
KEYWORDS = {"type", "title", "description", "format", "minLength", "maxLength", "pattern", "enum", "x-labels",
            "minimum", "maximum", "x-widget", "x-not-future", "x-prefill", "x-error", "x-money"}
NAME_RE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")


class SchemaError(ValidationError):
    pass


def check_schema(schema: object) -> None:
    """Refuse a schema this renderer does not understand (a clear message, not a broken form)."""
    problems: list[str] = []
    if not isinstance(schema, dict) or schema.get("type") != "object" or not isinstance(schema.get("properties"), dict):
        raise SchemaError(_("Lược đồ tờ khai phải là một đối tượng JSON Schema có “properties”."))
    if not schema["properties"]:
        problems.append(_("Lược đồ tờ khai chưa có trường nào."))
    for name, spec in schema["properties"].items():
        if not NAME_RE.match(name):
            problems.append(_("Tên trường “%(name)s” không hợp lệ (chữ thường, số, gạch dưới).") % {"name": name})
            continue
        if not isinstance(spec, dict) or spec.get("type") not in TYPES:
            problems.append(_("Trường “%(name)s”: kiểu phải là string, integer, number hoặc boolean.") % {"name": name})
            continue
        unknown = set(spec) - KEYWORDS
        if unknown:
            problems.append(_("Trường “%(name)s”: không hỗ trợ từ khóa %(keys)s.")
                            % {"name": name, "keys": ", ".join(sorted(unknown))})
        if "pattern" in spec:
            try:
                re.compile(spec["pattern"])
            except (re.error, TypeError):
                problems.append(_("Trường “%(name)s”: biểu thức “pattern” không hợp lệ.") % {"name": name})
        if spec.get("x-money") and spec.get("type") != "integer":
            problems.append(_("Trường “%(name)s”: “x-money” chỉ dùng cho kiểu integer (số đồng).") % {"name": name})
        if spec.get("format") not in {None, "date", "email"}:
            problems.append(_("Trường “%(name)s”: chỉ hỗ trợ format date hoặc email.") % {"name": name})
    for name in schema.get("required", []):
        if name not in schema["properties"]:
            problems.append(_("Trường bắt buộc “%(name)s” không có trong “properties”.") % {"name": name})
    if problems:
        raise SchemaError(problems)


def schema_for(procedure_code: str) -> dict:
    from motcua.portal.models import DeclarationSchema

    row = DeclarationSchema.objects.filter(procedure_code=procedure_code).first()
    return row.schema if row is not None else DEFAULT_SCHEMA


def _messages(title: str) -> dict[str, str]:
    return {
        "required": _("Vui lòng nhập “%(field)s”.") % {"field": title},
        "invalid": _("“%(field)s” không hợp lệ.") % {"field": title},
        "max_length": _("“%(field)s” dài quá %%(limit_value)s ký tự.") % {"field": title},
        "min_length": _("“%(field)s” cần ít nhất %%(limit_value)s ký tự.") % {"field": title},
        "max_value": _("“%(field)s” không được lớn hơn %%(limit_value)s.") % {"field": title},
        "min_value": _("“%(field)s” không được nhỏ hơn %%(limit_value)s.") % {"field": title},
        "invalid_choice": _("Lựa chọn cho “%(field)s” không hợp lệ.") % {"field": title},
    }


class NfcCharField(forms.CharField):
    def to_python(self, value):
        value = super().to_python(value)
        return nfc(value) if isinstance(value, str) else value


def _field(name: str, spec: dict, required: bool) -> forms.Field:
    title = str(spec.get("title") or name)
    common = {"label": title, "required": required, "help_text": spec.get("description", ""),
              "error_messages": _messages(title)}
    kind = spec["type"]
    if kind == "boolean":
        return forms.BooleanField(**common)
    if kind in {"integer", "number"}:
        cls = forms.IntegerField if kind == "integer" else forms.DecimalField
        if kind == "integer":
            common["error_messages"]["invalid"] = _("“%(field)s” phải là số nguyên.") % {"field": title}
        else:
            common["error_messages"]["invalid"] = _("“%(field)s” phải là một số.") % {"field": title}
        return cls(min_value=spec.get("minimum"), max_value=spec.get("maximum"), **common)
    if "enum" in spec:
        labels = spec.get("x-labels") or spec["enum"]
        choices = [("", "—")] + [(str(v), str(label)) for v, label in zip(spec["enum"], labels, strict=False)]
        return forms.ChoiceField(choices=choices, **common)
    if spec.get("format") == "date":
        common["error_messages"]["invalid"] = _("“%(field)s”: nhập ngày theo dạng ngày/tháng/năm, ví dụ 12/03/1987.") \
            % {"field": title}
        field = forms.DateField(input_formats=["%d/%m/%Y", "%Y-%m-%d"],
                                widget=forms.DateInput(format="%d/%m/%Y", attrs={"inputmode": "numeric",
                                                                                 "placeholder": "dd/mm/yyyy"}),
                                **common)
        if spec.get("x-not-future"):
            def not_future(value: dt.date, title=title) -> None:
                if value > timezone.localdate():
                    raise ValidationError(_("“%(field)s” không thể sau ngày hôm nay.") % {"field": title})
            field.validators.append(not_future)
        return field
    if spec.get("format") == "email":
        common["error_messages"]["invalid"] = _("“%(field)s” không đúng dạng địa chỉ thư điện tử.") % {"field": title}
        return forms.EmailField(max_length=spec.get("maxLength", 254), **common)
    widget = forms.Textarea(attrs={"rows": 4}) if spec.get("x-widget") == "textarea" else None
    field = NfcCharField(max_length=spec.get("maxLength"), min_length=spec.get("minLength"), widget=widget,
                         **common)
    if "pattern" in spec:
        message = spec.get("x-error") or _("“%(field)s” không đúng định dạng yêu cầu.") % {"field": title}
        field.validators.append(RegexValidator(spec["pattern"], message=message, code="pattern"))
        field.widget.attrs["pattern"] = spec["pattern"].strip("^$")
    if spec.get("x-prefill") == "phone":
        field.widget.input_type = "tel"
        field.widget.attrs["inputmode"] = "tel"
    return field


def declaration_form_class(schema: dict) -> type[forms.Form]:
    check_schema(schema)
    required = set(schema.get("required", []))
    fields = {name: _field(name, spec, name in required) for name, spec in schema["properties"].items()}
    form_class = type("DeclarationForm", (forms.Form,), fields)
    form_class.schema = schema
    return form_class


def prefill(schema: dict, user) -> dict:
    """Initial values from the signed-in person's profile (the e-ID's name, phone, e-mail)."""
    values = {}
    for name, spec in schema["properties"].items():
        source = spec.get("x-prefill")
        if source in {"full_name", "phone", "email"}:
            value = getattr(user, source, "") or ""
            if value:
                values[name] = value
    return values


def as_json(form: forms.Form) -> dict:
    """Cleaned data as JSON values (dates as dd/mm/yyyy, the way they are typed and shown)."""
    data = {}
    for name, value in form.cleaned_data.items():
        if isinstance(value, dt.date):
            data[name] = value.strftime("%d/%m/%Y")
        elif value is None:
            data[name] = ""
        elif isinstance(value, (int, bool, str)):
            data[name] = value
        else:
            data[name] = str(value)
    return data


def _display(spec: dict, value: object) -> str:
    """One saved value as people read it: Có/Không, an enum's label, dd/mm/yyyy, `1.250.000 đ`."""
    if spec.get("type") == "boolean":
        return str(_("Có") if value else _("Không"))
    if value is None or value == "":
        return ""
    if "enum" in spec:
        labels = dict(zip([str(v) for v in spec["enum"]], spec.get("x-labels") or spec["enum"], strict=False))
        return str(labels.get(str(value), value))
    if spec.get("format") == "date" and isinstance(value, str):
        try:  # saved as typed (dd/mm/yyyy); ISO dates from other sources shown the same way
            return dt.date.fromisoformat(value).strftime("%d/%m/%Y")
        except ValueError:
            return value
    if spec.get("type") in {"integer", "number"}:
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            return str(value)
        if spec.get("x-money") and number == number.to_integral_value():
            return money(int(number))
        return str(value).replace(".", ",") if spec.get("type") == "number" else str(value)
    return str(value)


def rows(schema: dict, data: dict) -> list[tuple[str, str]]:
    """(label, value) of a saved declaration, in the schema's order, values formatted for reading.
    A value whose field is no longer in the schema (the schema changed after the submission) is still
    shown, under its field name, at the end: what the citizen declared is never hidden."""
    properties = schema.get("properties", {}) if isinstance(schema, dict) else {}
    result = [(str(spec.get("title") or name), _display(spec, data.get(name, "")))
              for name, spec in properties.items() if isinstance(spec, dict)]
    result += [(name, str(value)) for name, value in data.items() if name not in properties and value not in ("", None)]
    return result
