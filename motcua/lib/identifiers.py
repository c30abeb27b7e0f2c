"""Identifier formats from DOMAIN.md B.10 and A.2."""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone
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


# Province codes of the personal ID (Phụ lục 1 of TT 07/2016/TT-BCA; DOMAIN C.7): 63 codes from 001 to 096
# with gaps, not re-issued after the 2025 mergers.
PERSONAL_ID_PROVINCES = frozenset({
    "001", "002", "004", "006", "008", "010", "011", "012", "014", "015", "017", "019", "020", "022", "024", "025",
    "026", "027", "030", "031", "033", "034", "035", "036", "037", "038", "040", "042", "044", "045", "046", "048",
    "049", "051", "052", "054", "056", "058", "060", "062", "064", "066", "067", "068", "070", "072", "074", "075",
    "077", "079", "080", "082", "083", "084", "086", "087", "089", "091", "092", "093", "094", "095", "096",
})


def personal_id_birth_year(value: str) -> int:
    """The birth year a 12-digit personal ID encodes: digit 4 gives the century (0/1 → 1900s, 2/3 → 2000s,
    4/5 → 2100s, …; even male, odd female), digits 5–6 the last two digits of the year."""
    return 1900 + 100 * (int(value[3]) // 2) + int(value[4:6])


def personal_id_problem(value: str, birth_date: dt.date | None = None, today: dt.date | None = None) -> str | None:
    """Why a personal ID number (số định danh cá nhân, DOMAIN B.10, C.7) is not valid, or None.

    12 digits; digits 1–3 a province code of the 63 in use; digit 4 century + sex and digits 5–6 the birth
    year, which may not lie in the future and must match the date of birth when one is given."""
    if not PERSONAL_ID_RE.match(value):
        return gettext("Số định danh cá nhân phải gồm đúng 12 chữ số.")
    if value[:3] not in PERSONAL_ID_PROVINCES:
        return gettext("Số định danh cá nhân có mã tỉnh nơi đăng ký khai sinh “%(code)s” không hợp lệ.") % {
            "code": value[:3]}
    year = personal_id_birth_year(value)
    today = today or timezone.localdate()
    if year > today.year:
        return gettext("Số định danh cá nhân không hợp lệ: chữ số thứ 4–6 cho năm sinh %(year)s, là năm chưa tới.") % {
            "year": year}
    if birth_date is not None and birth_date.year != year:
        return gettext("Số định danh cá nhân ứng với năm sinh %(year)s, không khớp ngày sinh %(birth)s.") % {
            "year": year, "birth": birth_date.strftime("%d/%m/%Y")}
    return None


def is_enterprise_code(value: str) -> bool:
    return bool(ENTERPRISE_CODE_RE.match(value))
