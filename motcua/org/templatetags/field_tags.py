"""Form fields that name their hint and their error to assistive technology.

`{{ field|described }}` renders the field's widget with `aria-describedby` listing the ids of the hint
(`<auto_id>_helptext`) and of the error (`<auto_id>_error`, rendered by org/_field_errors.html) that the
page shows, after any id the widget already names, and with `aria-invalid="true"` while the field has
errors — for every widget, including radio and checkbox groups (Django itself skips those)."""

from __future__ import annotations

from django import template
from django.forms import BoundField
from django.forms.boundfield import BoundWidget

register = template.Library()


def aria_attrs(field: BoundField) -> dict[str, str]:
    if not field.auto_id or field.is_hidden:
        return {}
    ids = (field.field.widget.attrs.get("aria-describedby") or "").split()
    if field.help_text:
        ids.append(f"{field.auto_id}_helptext")
    attrs: dict[str, str] = {}
    if field.errors:
        ids.append(f"{field.auto_id}_error")
        attrs["aria-invalid"] = "true"
    if ids:
        attrs["aria-describedby"] = " ".join(dict.fromkeys(ids))
    return attrs


@register.filter
def described(field: BoundField):
    return field.as_widget(attrs=aria_attrs(field))



@register.filter
def described_choices(field: BoundField) -> list[BoundWidget]:
    """The radios (or checkboxes) of a choice field, each naming the field's hint and error, for templates
    that lay the choices out themselves (`{% for r in field|described_choices %}{{ r.tag }}…`)."""
    widget = field.field.widget
    id_ = widget.attrs.get("id") or field.auto_id
    attrs = field.build_widget_attrs({"id": id_} if id_ else {})
    attrs.update(aria_attrs(field))
    return [BoundWidget(widget, option, field.form.renderer)
            for option in widget.subwidgets(field.html_name, field.value(), attrs=attrs)]
