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


def _zip(entries: dict[str, bytes]) -> bytes:
    import zipfile

    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_a_docx_must_be_a_word_package_not_any_zip_renamed():
    # a Word document whose first parts are long, so content sniffing sees only "a zip": its parts decide
    real = _zip({"[Content_Types].xml": b"<Types/>" * 50, "_rels/.rels": b"<R/>" * 300,
                 "docProps/app.xml": b"<a/>" * 2000, "word/document.xml": b"<w:document/>"})
    checked = check_file("to-khai.docx", real)
    assert checked.content_type == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    with pytest.raises(FileCheckError, match="không đúng định dạng"):
        check_file("to-khai.docx", _zip({"setup.exe": b"MZ" + b"x" * 100}))
    with pytest.raises(FileCheckError, match="không đúng định dạng"):
        check_file("to-khai.zip", real)


def test_default_size_limit_is_20_mb(settings):
    from motcua.dossiers.files import max_bytes

    if hasattr(settings, "DOSSIER_MAX_FILE_MB"):
        del settings.DOSSIER_MAX_FILE_MB
    assert max_bytes() == 20 * 1024 * 1024
    with pytest.raises(FileCheckError, match="tối đa 20 MB"):
        check_file("lon.png", PNG + b"\x00" * (20 * 1024 * 1024))
