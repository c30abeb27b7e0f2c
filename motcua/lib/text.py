"""Text helpers: NFC normalisation on the way in, diacritic-insensitive search keys."""

from __future__ import annotations

import unicodedata

_NUL = "\x00"


class TextError(ValueError):
    pass


def nfc(value: str) -> str:
    """NFC-normalise and strip; reject NUL bytes (PostgreSQL refuses them in text)."""
    if _NUL in value:
        raise TextError("Văn bản chứa ký tự NUL không hợp lệ.")
    return unicodedata.normalize("NFC", value).strip()


def fold(value: str) -> str:
    """Search key: lower-case, diacritics stripped, đ → d, whitespace collapsed.

    `fold("Thi đua – Khen thưởng") == "thi dua – khen thuong"`, so "thi dua" finds "thi đua"
    on SQLite and PostgreSQL alike.
    """
    value = unicodedata.normalize("NFC", value).lower().replace("đ", "d")
    decomposed = unicodedata.normalize("NFD", value)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.split())
