"""Checks on uploaded files: the real type from the content (not the extension), the size limit,
unreadable or encrypted PDFs, and duplicates by SHA-256."""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass
from io import BytesIO

import filetype
from django.conf import settings
from django.utils.translation import gettext as _

ALLOWED_TYPES = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/tiff": "tif",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/zip": "docx",  # DOCX is a zip container; accepted only with a .docx name
}


class FileCheckError(ValueError):
    pass


@dataclass(frozen=True)
class CheckedFile:
    name: str
    content: bytes
    content_type: str
    size: int
    sha256: str


def max_bytes() -> int:
    return int(getattr(settings, "DOSSIER_MAX_FILE_MB", 20)) * 1024 * 1024


def check_file(name: str, content: bytes) -> CheckedFile:
    if not content:
        raise FileCheckError(_("Tệp “%(name)s” rỗng.") % {"name": name})
    if len(content) > max_bytes():
        raise FileCheckError(
            _("Tệp “%(name)s” quá lớn (%(size).1f MB), tối đa %(max)s MB.")
            % {"name": name, "size": len(content) / 1024 / 1024, "max": max_bytes() // 1024 // 1024}
        )
    kind = filetype.guess(content)
    mime = kind.mime if kind else ""
    if mime == "application/zip" and not (name.lower().endswith(".docx") and _is_docx_package(content)):
        mime = ""
    if mime not in ALLOWED_TYPES:
        raise FileCheckError(
            _("Tệp “%(name)s” không đúng định dạng cho phép (PDF, JPG, PNG, TIFF, DOCX) theo nội dung tệp.")
            % {"name": name}
        )
    if mime == "application/pdf":
        _check_pdf(name, content)
    if mime == "application/zip":
        mime = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    return CheckedFile(name=name, content=content, content_type=mime, size=len(content),
                       sha256=hashlib.sha256(content).hexdigest())


def _is_docx_package(content: bytes) -> bool:
    """A zip is a Word document only if it holds the parts every DOCX has (a renamed archive is not)."""
    try:
        with zipfile.ZipFile(BytesIO(content)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return False
    return {"[Content_Types].xml", "word/document.xml"} <= names


def _check_pdf(name: str, content: bytes) -> None:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(BytesIO(content))
        if reader.is_encrypted:
            raise FileCheckError(_("Tệp “%(name)s” là PDF có mật khẩu, không đọc được.") % {"name": name})
        if len(reader.pages) == 0:
            raise FileCheckError(_("Tệp “%(name)s” là PDF không có trang nào.") % {"name": name})
    except FileCheckError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError):
        raise FileCheckError(_("Tệp “%(name)s” là PDF hỏng, không đọc được.") % {"name": name}) from None


def check_files(files: list[tuple[str, bytes]]) -> list[CheckedFile]:
    """Check every file; two files with the same content in one dossier are refused."""
    checked: list[CheckedFile] = []
    seen: dict[str, str] = {}
    for name, content in files:
        item = check_file(name, content)
        if item.sha256 in seen:
            raise FileCheckError(
                _("Tệp “%(name)s” trùng nội dung với tệp “%(other)s”.") % {"name": name, "other": seen[item.sha256]}
            )
        seen[item.sha256] = name
        checked.append(item)
    return checked
