from django import template

from motcua.lib.formats import vn_datetime

register = template.Library()


@register.filter(name="vn_datetime")
def vn_datetime_filter(value):
    """`HH:MM dd/mm/yyyy` in Vietnam's time."""
    return vn_datetime(value)


@register.filter(name="percent")
def percent(value):
    """`87,5%`, or an en dash when there is nothing to count."""
    if value is None:
        return "–"
    return f"{value:.1f}%".replace(".", ",")
