from django import template

from motcua.lib.formats import money, vn_date

register = template.Library()


@register.filter(name="money")
def money_filter(value):
    return money(value)


@register.filter(name="vn_date")
def vn_date_filter(value):
    return vn_date(value)
