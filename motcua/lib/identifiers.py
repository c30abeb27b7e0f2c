"""Identifier formats from DOMAIN.md B.10 and A.2."""

from __future__ import annotations

import re

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
