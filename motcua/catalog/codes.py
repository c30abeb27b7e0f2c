"""Procedure codes (mã TTHC): `d.dddddd` on the national database (DOMAIN.md A.2, B.10)."""

from __future__ import annotations

import re

CODE_RE = re.compile(r"^\d\.\d{6}$")


def normalize_procedure_code(value: str) -> str | None:
    """`1.014.111`, ` 1.014111 `, `1014111` → `1.014111`; None when it cannot be a TTHC code."""
    digits = re.sub(r"[\s.]", "", str(value or ""))
    if not digits.isdigit() or len(digits) != 7:
        return None
    return f"{digits[0]}.{digits[1:]}"
