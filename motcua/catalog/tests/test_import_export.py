import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook, load_workbook

from motcua.catalog import transfer
from motcua.catalog.interchange import CatalogError
from motcua.catalog.models import Field, Procedure, ProcedureVersion, PublicationDecision
from motcua.catalog.tests.conftest import make_decision, make_entry

pytestmark = pytest.mark.django_db


def wipe():
    ProcedureVersion.objects.all().delete()
    Procedure.objects.all().delete()
    PublicationDecision.objects.all().delete()
    Field.objects.all().delete()


@pytest.fixture
def catalog(publish):
    two_cases = make_entry(code="1.013932", name="Sử dụng tài liệu lưu trữ tại lưu trữ lịch sử", steps=False)
    two_cases["cases"] = [
        {"name": "Đọc tài liệu", "processing_time": "1", "time_unit": "days", "process_configured_on": "2025-12-01",
         "components": [{"name": "Phiếu yêu cầu đọc", "originals": 1}],
         "steps": [{"unit": "000.01.30.H27", "role": "one_stop_officer", "budget": "0.25", "description": "Tiếp nhận"},
                   {"unit": "000.09.12.H27", "role": "specialist", "budget": "0.75", "description": "Phục vụ đọc"},
                   {"unit": "000.01.30.H27", "role": "one_stop_officer", "budget": "0", "counted": False,
                    "description": "Trả kết quả"}]},
        {"name": "Sao, chứng thực tài liệu", "processing_time": "2", "time_unit": "days", "time_note": "kể từ khi đủ",
         "fees": [{"kind": "charge", "name": "Lệ phí sao chụp", "amount": 15000, "legal_basis": "TT 275/2016/TT-BTC"}]},
    ]
    publish([make_entry(fee=1250000), two_cases], number="2028/QĐ-UBND", signed_on="2025-11-28")
    publish([make_entry(kind="amended", days="8", steps=False, legal_basis="Luật Lưu trữ 2024; NĐ 113/2025"),
             {"code": "1.013932", "kind": "abolished"}], number="15/QĐ-UBND", signed_on="2026-01-05",
            effective_from="2026-01-15")


def test_json_round_trip_is_lossless(catalog):
    first = transfer.export_document()
    assert len(first["decisions"]) == 2 and len(first["procedures"]) == 4
    data = transfer.export_json()
    wipe()
    summary = transfer.import_bytes(data, filename="danh-muc.json", acting_user=None)
    assert summary == {"decisions": 2, "versions": 4}
    assert transfer.export_document() == first


def test_xlsx_round_trip_is_lossless_and_readable(catalog):
    first = transfer.export_document()
    data = transfer.export_xlsx()
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["decisions", "procedures", "cases", "components", "fees", "steps"]
    assert book["procedures"]["A1"].value == "Mã TTHC" and book["procedures"]["A2"].value == "1.013932"
    assert book["fees"].max_row == 3 and book["steps"].max_row == 1 + 7 + 3
    assert book["decisions"]["A2"].font.name == "Times New Roman"
    wipe()
    transfer.import_bytes(data, filename="danh-muc.xlsx", acting_user=None)
    assert transfer.export_document() == first


def _xlsx(sheets: dict[str, list[list]]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_bad_rows_are_all_reported_and_nothing_is_saved():
    data = _xlsx({
        "decisions": [["number", "signed_on", "signer", "effective_from"], ["1/QĐ", "01/12/2025", "A", "01/12/2025"]],
        "procedures": [["code", "decision", "kind", "name", "field_code", "field_name", "agency"],
                       ["1.000001", "1/QĐ", "new", "Thủ tục A", "F", "Lĩnh vực", "000.00.12.H27"],
                       ["1.000.001", "1/QĐ", "new", "Thủ tục A lặp", "F", "Lĩnh vực", "000.00.12.H27"],
                       ["1.000002", "1/QĐ", "new", "Thủ tục B", "F", "Lĩnh vực", "000.00.12.H27"]],
        "cases": [["code", "decision", "case", "processing_time"], ["1.000001", "1/QĐ", None, 5],
                  ["1.000001", "1/QĐ", "x", 5], ["1.000002", "1/QĐ", None, 5]],
        "fees": [["code", "decision", "case", "kind", "name", "amount"],
                 ["1.000002", "1/QĐ", None, "fee", "Phí", 12.5],
                 ["1.000002", "1/QĐ", None, "fee", "Phí", "mười nghìn"]],
    })
    with pytest.raises(CatalogError) as err:
        transfer.import_bytes(data, filename="x.xlsx", acting_user=None)
    messages = err.value.messages
    assert "«procedures», dòng 3, cột «Mã TTHC»: Mã TTHC 1.000001 bị trùng trong quyết định 1/QĐ." in messages
    assert any(m.startswith("«fees», dòng 2, cột «Mức thu (đồng)»: Mức thu phí, lệ phí (đồng) phải là số nguyên")
               for m in messages)
    assert any(m.startswith("«fees», dòng 3, cột «Mức thu (đồng)»") and "mười nghìn" in m for m in messages)
    assert not PublicationDecision.objects.exists() and not Procedure.objects.exists()


def test_state_errors_found_while_applying_roll_everything_back(catalog):
    before = transfer.export_document()
    doc = {"format": "motcua.catalog", "version": 1,
           "decisions": [make_decision("20/QĐ", "2026-03-02"), make_decision("21/QĐ", "2026-03-03")],
           "procedures": [{**make_entry(code="1.000009", steps=False), "decision": "20/QĐ"},
                          {**make_entry(code="1.777777", kind="amended", steps=False), "decision": "21/QĐ"}]}
    with pytest.raises(CatalogError) as err:
        transfer.import_bytes(json.dumps(doc).encode(), filename="x.json", acting_user=None)
    assert err.value.messages == [
        "«procedures», dòng 2, cột «Mã TTHC»: Không thể sửa đổi, bổ sung thủ tục 1.777777: thủ tục chưa có trong "
        "danh mục hoặc không còn hiệu lực vào ngày 03/03/2026."]
    assert transfer.export_document() == before


@pytest.mark.parametrize("payload", [b"PK\x03\x04 not really a zip", b"\x00\x01garbage", b'{"format": "other"}'])
def test_unreadable_files_are_refused(payload):
    with pytest.raises(CatalogError) as err:
        transfer.import_bytes(payload, filename="tep.xlsx" if payload.startswith(b"PK") else "tep.json",
                              acting_user=None)
    assert err.value.messages[0].startswith("«tep.")
    assert "Không đọc được" in err.value.messages[0] or "không phải danh mục" in err.value.messages[0]
    assert not PublicationDecision.objects.exists()


def test_management_command_exports_and_imports(catalog, tmp_path):
    first = transfer.export_document()
    path = tmp_path / "danh-muc.xlsx"
    call_command("catalog", "export", "--format", "xlsx", str(path), stdout=io.StringIO())
    wipe()
    out = io.StringIO()
    call_command("catalog", "import", str(path), stdout=out)
    assert "Đã nhập 2 quyết định, 4 phiên bản thủ tục." in out.getvalue()
    assert transfer.export_document() == first
    with pytest.raises(CommandError, match="chưa có gì được lưu"):
        call_command("catalog", "import", str(path), stdout=io.StringIO(), stderr=io.StringIO())
