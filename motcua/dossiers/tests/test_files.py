from io import BytesIO

import pytest
from pypdf import PdfWriter

from motcua.dossiers.files import FileCheckError, check_file, check_files


def pdf_bytes(password: str | None = None) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    if password:
        writer.encrypt(password)
    buffer = BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000") + b"\x00" * 40


def test_real_pdf_is_accepted_and_hashed():
    checked = check_file("don.pdf", pdf_bytes())
    assert checked.content_type == "application/pdf" and len(checked.sha256) == 64


def test_type_comes_from_content_not_extension():
    with pytest.raises(FileCheckError, match="không đúng định dạng"):
        check_file("giay-to.pdf", b"MZ\x90\x00 this is an executable")
    assert check_file("anh.pdf", PNG).content_type == "image/png"


def test_encrypted_and_broken_pdfs_are_refused():
    with pytest.raises(FileCheckError, match="mật khẩu"):
        check_file("khoa.pdf", pdf_bytes(password="x"))
    with pytest.raises(FileCheckError, match="hỏng"):
        check_file("hong.pdf", b"%PDF-1.7\n garbage without xref")


def test_size_limit_is_configurable(settings):
    settings.DOSSIER_MAX_FILE_MB = 1
    with pytest.raises(FileCheckError, match="quá lớn"):
        check_file("lon.png", PNG + b"\x00" * (1024 * 1024))


def test_duplicate_content_in_one_dossier_is_refused():
    with pytest.raises(FileCheckError, match="trùng nội dung"):
        check_files([("a.pdf", pdf_bytes()), ("b.pdf", pdf_bytes())])
