"""Identifier formats from DOMAIN.md B.10 and A.2."""

from __future__ import annotations

import re

from django.utils.translation import gettext

# QĐ 20/2020/QĐ-TTg style `000.00.06.H56` and the older `H15.50.05.13` style (C.4.1).
AGENCY_CODE_RE = re.compile(r"^(\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}|[A-Z]\d{2}(\.\d{2}){1,3}(\.\d{1,3})?)$")
PERSONAL_ID_RE = re.compile(r"^\d{12}$")
MOBILE_RE = re.compile(r"^0[35789]\d{8}$")


def is_agency_code(value: str) -> bool:
    return bool(AGENCY_CODE_RE.match(value))


def is_personal_id(value: str) -> bool:
    return bool(PERSONAL_ID_RE.match(value))


def is_mobile(value: str) -> bool:
    return bool(MOBILE_RE.match(value))


ENTERPRISE_CODE_RE = re.compile(r"^\d{10}(-\d{3})?$")


def personal_id_problem(value: str) -> str | None:
    """Why a personal ID number (số định danh cá nhân, DOMAIN C.7) is not valid, or None.

    12 digits; digits 1–3 a province code 001–096; digit 4 century + sex; digits 5–6 the birth year."""
    if not PERSONAL_ID_RE.match(value):
        return gettext("Số định danh cá nhân phải gồm đúng 12 chữ số.")
    province = int(value[:3])
    if not 1 <= province <= 96:
        return gettext("Số định danh cá nhân có mã tỉnh nơi đăng ký khai sinh “%(code)s” không hợp lệ (001–096).") % {
            "code": value[:3]}
    return None


def is_enterprise_code(value: str) -> bool:
    return bool(ENTERPRISE_CODE_RE.match(value))
