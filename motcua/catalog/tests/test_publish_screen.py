import io
import json

import pytest
from django.core.files.base import ContentFile
from openpyxl import load_workbook

from motcua.catalog.models import ChangeKind, ProcedureVersion, PublicationDecision
from motcua.catalog.tests.conftest import make_entry
from motcua.catalog.transfer import workbook_bytes

pytestmark = pytest.mark.django_db

URL = "/danh-muc/quyet-dinh/moi/"
HEADER = {"number": "15/QĐ-UBND", "signed_on": "05/01/2026", "signer": "Trần Văn A",
          "effective_from": "05/01/2026", "title": "Công bố TTHC lĩnh vực văn thư, lưu trữ",
          "issuer": "000.00.00.H27"}


def json_file(entries, name="entries.json"):
    return ContentFile(json.dumps(entries, ensure_ascii=False).encode(), name=name)


def test_only_control_officers_enter_decisions(client, clerk, leader, control_officer):
    assert client.get(URL).status_code == 302
    for person in (clerk, leader):
        client.force_login(person)
        assert client.get(URL).status_code == 403
        assert client.post(URL, {**HEADER, "abolished": "1.013934", "action": "confirm"}).status_code == 403
        assert client.get("/danh-muc/quyet-dinh/mau.xlsx").status_code == 403
    client.force_login(control_officer)
    assert client.get(URL).status_code == 200
    assert URL in client.get("/danh-muc/").content.decode()


def test_preview_then_confirm_publishes_the_json_entries(client, control_officer):
    client.force_login(control_officer)
    entries = [make_entry(fee=1250000, steps=False)]
    response = client.post(URL, {**HEADER, "entries_file": json_file(entries), "action": "check"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Xem trước" in html and "1.013934" in html and "1.250.000 đ" in html and "Xác nhận công bố" in html
    assert "chưa có quy trình nội bộ" in html
    assert not PublicationDecision.objects.exists() and not ProcedureVersion.objects.exists()
    # The file travels in the page: confirming needs no new upload.
    kept = response.context["form"]["entries_data"].value()
    assert kept and response.context["form"]["entries_name"].value() == "entries.json"
    response = client.post(URL, {**HEADER, "entries_data": kept, "entries_name": "entries.json",
                                 "action": "confirm"})
    decision = PublicationDecision.objects.get(number="15/QĐ-UBND")
    assert response.status_code == 302 and response["Location"] == f"/danh-muc/quyet-dinh/{decision.pk}/"
    assert decision.signer == "Trần Văn A" and decision.issuer.code == "000.00.00.H27"
    assert decision.created_by == control_officer
    version = ProcedureVersion.objects.get(decision=decision)
    assert version.procedure.code == "1.013934" and version.cases.get().fees.get().amount == 1250000
    html = client.get(response["Location"]).content.decode()
    assert f"/danh-muc/quy-trinh/{version.cases.get().pk}/" in html


def test_problems_are_listed_with_sheet_row_column_and_nothing_is_saved(client, control_officer):
    client.force_login(control_officer)
    bad_fee = make_entry(code="1.000002", fee="1.250.000,5", steps=False)
    amends_unknown = make_entry(code="1.000003", kind="amended", steps=False)
    entries = [make_entry(code="1.000001", steps=False), bad_fee, amends_unknown]
    response = client.post(URL, {**HEADER, "signed_on": "31/02/2026", "entries_file": json_file(entries),
                                 "action": "confirm"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Ngày không hợp lệ; nhập theo dạng dd/mm/yyyy" in html
    assert 'value="31/02/2026"' in html and 'value="Trần Văn A"' in html  # what was typed stays
    response = client.post(URL, {**HEADER, "entries_data": response.context["form"]["entries_data"].value(),
                                 "entries_name": "entries.json", "action": "confirm"})
    assert response.status_code == 400
    problems = {(p.sheet, p.row, p.column): p.message for p, _ in response.context["problems"]}
    fee = problems[("procedures[2].cases[1].fees", 1, "amount")]
    assert "Mức thu phí, lệ phí (đồng) phải là số nguyên không âm, nhận được «1.250.000,5»" in fee
    html = response.content.decode()
    assert "procedures[2].cases[1].fees" in html and "Mức thu (đồng)" in html
    assert not PublicationDecision.objects.exists() and not ProcedureVersion.objects.exists()
    # Fixing the fee, the dry run finds what only publishing can: amending an unknown procedure.
    bad_fee["cases"][0]["fees"][0]["amount"] = 1250000
    response = client.post(URL, {**HEADER, "entries_file": json_file(entries), "action": "confirm"})
    assert response.status_code == 400
    assert "1.000003" in response.content.decode() and "chưa có trong danh mục" in response.content.decode()
    assert not PublicationDecision.objects.exists() and not ProcedureVersion.objects.exists()


def test_duplicate_number_and_early_effect_go_next_to_their_fields(client, publish, control_officer):
    publish([make_entry()], number="15/QĐ-UBND", signed_on="2025-11-28")
    client.force_login(control_officer)
    response = client.post(URL, {**HEADER, "effective_from": "04/01/2026", "abolished": "1.013934",
                                 "action": "check"})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["number"] == ["Quyết định số 15/QĐ-UBND đã có trong danh mục."]
    assert errors["effective_from"] == ["Ngày có hiệu lực không được trước ngày ký."]
    assert PublicationDecision.objects.count() == 1


def test_a_decision_without_entries_is_refused(client, control_officer):
    client.force_login(control_officer)
    response = client.post(URL, {**HEADER, "action": "confirm"})
    assert response.status_code == 400
    assert "Quyết định chưa có thủ tục nào" in response.content.decode()
    assert not PublicationDecision.objects.exists()


def test_abolition_by_code_and_amendment_from_the_downloaded_workbook(client, publish, control_officer):
    publish([make_entry(fee=1250000), make_entry(code="1.005384", name="Thủ tục cũ", steps=False)],
            number="2028/QĐ-UBND", signed_on="2025-11-28")
    client.force_login(control_officer)
    response = client.get("/danh-muc/quyet-dinh/mau.xlsx", {"code": "1.013934"})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert "decisions" not in book.sheetnames
    procedures = book["procedures"]
    header = [c.value for c in procedures[1]]
    assert procedures.cell(2, header.index("Mã TTHC") + 1).value == "1.013934"
    assert procedures.cell(2, header.index("Loại") + 1).value == ChangeKind.AMENDED
    cases = book["cases"]
    case_header = [c.value for c in cases[1]]
    cases.cell(2, case_header.index("Thời hạn giải quyết") + 1).value = 8
    out = io.BytesIO()
    book.save(out)
    response = client.post(URL, {**HEADER, "abolished": "1.005384",
                                 "entries_file": ContentFile(out.getvalue(), name="sua-doi.xlsx"),
                                 "action": "confirm"})
    assert response.status_code == 302, response.context["problems"]
    decision = PublicationDecision.objects.get(number="15/QĐ-UBND")
    kinds = dict(decision.versions.values_list("procedure__code", "kind"))
    assert kinds == {"1.013934": ChangeKind.AMENDED, "1.005384": ChangeKind.ABOLISHED}
    amended = decision.versions.get(procedure__code="1.013934")
    assert amended.cases.get().processing_time == 8 and amended.cases.get().fees.get().amount == 1250000
    assert client.get("/danh-muc/quyet-dinh/mau.xlsx", {"code": "1.999999"}).status_code == 404


def test_an_unreadable_workbook_is_reported(client, control_officer):
    client.force_login(control_officer)
    response = client.post(URL, {**HEADER, "entries_file": ContentFile(b"PK not really", name="x.xlsx"),
                                 "action": "check"})
    assert response.status_code == 400
    assert "Không đọc được tệp" in response.content.decode()
    empty = workbook_bytes(None, [])
    response = client.post(URL, {**HEADER, "entries_file": ContentFile(empty, name="trong.xlsx"), "action": "check"})
    assert response.status_code == 400 and "Quyết định chưa có thủ tục nào" in response.content.decode()
