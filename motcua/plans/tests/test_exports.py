"""The plan with its progress as DOCX and XLSX in the seed's layout; read back, and read again by the importer."""

import datetime as dt
from io import BytesIO

import pytest
from docx import Document
from openpyxl import load_workbook

from motcua.plans import actions
from motcua.plans.exports import HEADINGS, plan_docx, plan_xlsx
from motcua.plans.importer import ERROR, parse_plan
from motcua.plans.tests.conftest import task_of

pytestmark = pytest.mark.django_db
DAY = dt.date(2024, 9, 20)


@pytest.fixture
def progressed(plan, control_officer):
    actions.update_task(task=task_of(plan, "I.1"), status="done", progress=100, acting_user=control_officer)
    actions.update_task(task=task_of(plan, "III.4"), status="in_progress", progress=40, acting_user=control_officer)
    return plan


def test_docx_export_reads_back(progressed):
    doc = Document(BytesIO(plan_docx(progressed, day=DAY)))
    assert doc.paragraphs[0].text == progressed.title.upper()
    assert "20/09/2024" in doc.paragraphs[1].text
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells] == HEADINGS
    rows = {r.cells[0].text + "|" + r.cells[1].text[:30]: [c.text for c in r.cells] for r in table.rows[1:]}
    assert len(table.rows) == 1 + 9 + 40
    i1 = next(v for k, v in rows.items() if k.startswith("1|Ban hành Kế hoạch"))
    assert i1[6:] == ["Hoàn thành", "100"]
    iii4 = next(v for v in rows.values() if v[1].startswith("Tổng hợp kết quả rà soát"))
    assert iii4[5:] == ["Tháng 8, năm 2024", "Đang thực hiện (quá hạn)", "40"]


def test_xlsx_export_reads_back_and_reimports(progressed):
    content = plan_xlsx(progressed, day=DAY)
    ws = load_workbook(BytesIO(content)).active
    assert ws["A1"].value == progressed.title.upper()
    assert [c.value for c in ws[4]] == HEADINGS
    assert ws["A5"].value == "I" and ws["B5"].value == "Công tác chỉ đạo điều hành"
    assert ws.max_row == 4 + 9 + 40
    again = parse_plan(content, filename="x.xlsx", year=2024)
    assert not [p for p in again.problems if p.kind == ERROR]
    assert len(again.tasks) == 40
    assert again.sections[0].tasks[2].content.endswith("giai đoạn 2022-2025")
    assert again.sections[8].tasks[1].timeframe.recurrence == "periodic"


def test_export_pages_are_for_control_officers(client, control_officer, progressed):
    client.force_login(control_officer)
    response = client.get(f"/ke-hoach/{progressed.pk}/xuat.docx")
    assert response["Content-Type"].endswith("wordprocessingml.document")
    assert len(Document(BytesIO(response.content)).tables[0].rows) == 50
    response = client.get(f"/ke-hoach/{progressed.pk}/xuat.xlsx")
    assert load_workbook(BytesIO(response.content)).active.max_row == 53
    assert client.get(f"/ke-hoach/{progressed.pk}/xuat.pdf").status_code == 404
