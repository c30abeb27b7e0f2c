"""`{% load payments %}{% payment_badge dossier %}`: paid / unpaid on any dossier page."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from motcua.integrations.payments.selectors import payment_status
from motcua.lib import formats

register = template.Library()

LABELS = {
    "paid": ("badge status-ok", _("Đã nộp phí")),
    "pending": ("badge status-warn", _("Đang chờ thanh toán")),
    "unpaid": ("badge status-late", _("Chưa nộp phí")),
    "not_required": ("badge", _("Không thu phí")),
}


@register.simple_tag
def payment_badge(dossier) -> str:
    css, label = LABELS[payment_status(dossier)]
    return format_html('<span class="{}">{}</span>', css, label)


@register.filter(name="money")
def money_filter(value) -> str:
    return formats.money(value)


@register.filter(name="vn_date")
def vn_date_filter(value) -> str:
    return formats.vn_date(value)


@register.filter(name="vn_datetime")
def vn_datetime_filter(value) -> str:
    return formats.vn_datetime(value)
