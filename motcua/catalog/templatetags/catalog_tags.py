from django import template

from motcua.lib.formats import money, vn_date

register = template.Library()


@register.filter(name="money")
def money_filter(value):
    return money(value)


@register.filter(name="vn_date")
def vn_date_filter(value):
    return vn_date(value)


@register.simple_tag
def fee_heading(case) -> str:
    """"Phí", "Lệ phí" or "Phí, lệ phí", from the kinds of the case's fees in the catalog (not a fixed label)."""
    from django.utils.translation import gettext

    from motcua.catalog.models import FeeKind

    kinds = {fee.kind for fee in case.fees.all()} if case is not None else set()
    if kinds == {FeeKind.FEE}:
        return gettext("Phí")
    if kinds == {FeeKind.CHARGE}:
        return gettext("Lệ phí")
    return gettext("Phí, lệ phí")
