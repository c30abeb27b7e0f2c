"""Publication of TTHC in the period (content of Biểu II.02a) over hand-built decisions in a province of
its own ("H98"), period 01/01/2025–30/06/2025:

  Q0 signed 01/12/2024 (outside): R7 new (A)
  Q1 signed 10/02/2025: R1, R2 new (A, province); R3 new (commune X); R4 new (district D); R5 new central (A)
  Q2 signed 05/05/2025: R1 amended; R6 replaces R2 (and the catalog's own abolition of R2 in Q2);
                        R3 abolished (X)
  Q4 signed 20/06/2025, effective 01/07/2025: R4 abolished (D)
"""

from __future__ import annotations

import datetime as dt
import re
from io import BytesIO

import pytest
from docx import Document
from openpyxl import load_workbook

from motcua.reports.periods import Period
from motcua.reports.publication import (
    COLUMNS,
    cell_decisions,
    cell_items,
    publication_table,
    published_versions,
)

PERIOD = Period(dt.date(2025, 1, 1), dt.date(2025, 6, 30))
PROVINCE = "000.00.00.H98"
Q = "tu=01/01/2025&den=30/06/2025"
EXPECTED = {   # row → column → procedure codes (c3: decision numbers)
    "A": {"c3": {"Q1", "Q2"}, "c4": {"R1 new", "R2 new", "R1 amended", "R6 replaced"},
          "c5": {"R1 new", "R2 new"}, "c6": {"R1 amended"}, "c7": {"R6 replaced"}, "c8": set(),
          "c9": {"R1 new", "R2 new", "R1 amended", "R6 replaced"}, "c10": set(), "c11": set()},
    "D": {"c3": {"Q1", "Q4"}, "c4": {"R4 new", "R4 abolished"}, "c5": {"R4 new"}, "c6": set(), "c7": set(),
          "c8": {"R4 abolished"}, "c9": set(), "c10": {"R4 new", "R4 abolished"}, "c11": set()},
    "X": {"c3": {"Q1", "Q2"}, "c4": {"R3 new", "R3 abolished"}, "c5": {"R3 new"}, "c6": set(), "c7": set(),
          "c8": {"R3 abolished"}, "c9": set(), "c10": set(), "c11": {"R3 new", "R3 abolished"}},
}


@pytest.fixture(scope="module")
def decisions(django_db_setup, django_db_blocker):
    from django.db import transaction

    from motcua.catalog.models import (
        ChangeKind,
        Field,
        Level,
        Procedure,
        ProcedureVersion,
        PublicationDecision,
    )
    from motcua.org.models import Unit

    with django_db_blocker.unblock(), transaction.atomic():
        province = Unit.objects.create(code=PROVINCE, kind=Unit.Kind.PROVINCE, name="Ủy ban nhân dân tỉnh Công Bố")
        a = Unit.objects.create(code="000.00.01.H98", kind=Unit.Kind.AGENCY, name="Sở Công Bố A", parent=province)
        d = Unit.objects.create(code="000.00.40.H98", kind=Unit.Kind.DISTRICT, name="UBND huyện Công Bố",
                                parent=province)
        x = Unit.objects.create(code="000.00.50.H98", kind=Unit.Kind.COMMUNE, name="UBND xã Công Bố", parent=province)
        field, _ = Field.objects.get_or_create(code="CB98", defaults={"name": "Lĩnh vực công bố 98"})
        made = {}

        def decision(name, signed, effective=None):
            made[name] = PublicationDecision.objects.create(
                number=f"{name}/QĐ-H98", signed_on=signed, signer="Chủ tịch", effective_from=effective or signed)
            return made[name]

        procedures = {}

        def version(code, dec, kind, level, agency, replaces=None):
            if code not in procedures:
                procedures[code] = Procedure.objects.create(code=f"9.98{code[1:]:0>4}")
            procedure = procedures[code]
            return ProcedureVersion.objects.create(
                procedure=procedure, decision=dec, kind=kind, effective_from=dec.effective_from, name=f"Thủ tục {code}",
                field=field, level=level, agency=agency, replaces=procedures[replaces] if replaces else None)

        q0 = decision("Q0", dt.date(2024, 12, 1))
        version("R7", q0, ChangeKind.NEW, Level.PROVINCE, a)
        q1 = decision("Q1", dt.date(2025, 2, 10), dt.date(2025, 3, 1))
        for code, level, agency in [("R1", Level.PROVINCE, a), ("R2", Level.PROVINCE, a), ("R3", Level.COMMUNE, x),
                                    ("R4", Level.DISTRICT, d), ("R5", Level.CENTRAL, a)]:
            version(code, q1, ChangeKind.NEW, level, agency)
        q2 = decision("Q2", dt.date(2025, 5, 5))
        version("R1", q2, ChangeKind.AMENDED, Level.PROVINCE, a)
        version("R6", q2, ChangeKind.REPLACED, Level.PROVINCE, a, replaces="R2")
        version("R2", q2, ChangeKind.ABOLISHED, Level.PROVINCE, a)        # the catalog's own, part of R6
        version("R3", q2, ChangeKind.ABOLISHED, Level.COMMUNE, x)
        q4 = decision("Q4", dt.date(2025, 6, 20), dt.date(2025, 7, 1))
        version("R4", q4, ChangeKind.ABOLISHED, Level.DISTRICT, d)
        yield {"keys": {"A": a.pk, "D": d.pk, "X": x.pk}, "province": province}
        transaction.set_rollback(True)


def _table(decisions, group="agency"):
    return publication_table(published_versions(PERIOD, unit=decisions["province"]), PERIOD, group=group)


def _names(items) -> set[str]:
    return {f"R{int(i.code[4:])} {i.kind}" for i in items}


def test_counts_and_lists_match_the_hand_count(decisions):
    table = _table(decisions)
    names = {pk: name for name, pk in decisions["keys"].items()}
    assert [names[r.key] for r in table.rows] == ["A", "D", "X"]
    for row in table.rows:
        for column in COLUMNS:
            want = EXPECTED[names[row.key]][column.key]
            assert row.values[column.key] == len(want), (names[row.key], column.key)
            items = cell_items(table, column.key, row.key)
            if column.key == "c3":
                assert {d["number"].split("/")[0] for d in cell_decisions(items)} == want
            else:
                assert _names(items) == want
    assert table.total.values == {"c3": 3, "c4": 8, "c5": 4, "c6": 1, "c7": 1, "c8": 2, "c9": 4, "c10": 2, "c11": 2}
    for column in COLUMNS[1:]:
        assert table.total.values[column.key] == sum(r.values[column.key] for r in table.rows)
    assert table.failures == []


def test_rows_by_field_and_the_decision_counted_once_in_the_total(decisions):
    table = _table(decisions, group="field")
    assert [r.label for r in table.rows] == ["Lĩnh vực công bố 98"] and table.rows[0].values["c3"] == 3
    by_unit = _table(decisions)
    assert sum(r.values["c3"] for r in by_unit.rows) == 6 and by_unit.total.values["c3"] == 3


def test_page_every_number_links_to_as_many_procedures_or_decisions(decisions, client, sysadmin):
    client.force_login(sysadmin)
    html = client.get(f"/bao-cao/cong-bo/?{Q}&co-quan={PROVINCE}").content.decode()
    links = re.findall(r'<td class="n"><a href="([^"]+)"[^>]*>(\d+)</a></td>', html)
    assert len(links) == 4 * len(COLUMNS) and "khớp ở mọi dòng" in html
    for url, value in links:
        listed = client.get(url.replace("&amp;", "&")).content.decode()
        kind = "decision-row" if "cot=c3" in url else "procedure-row"
        assert listed.count(f'class="{kind}"') == int(value), url


def test_an_empty_period_offers_the_latest_year_with_decisions(decisions, client, sysadmin):
    client.force_login(sysadmin)
    html = client.get(f"/bao-cao/cong-bo/?tu=01/07/2025&den=31/07/2025&co-quan={PROVINCE}").content.decode()
    assert "Kỳ này không có quyết định công bố nào." in html and "ky=year&amp;nam=" in html


def test_xlsx_reads_back(decisions, client, sysadmin):
    client.force_login(sysadmin)
    response = client.get(f"/bao-cao/cong-bo/xlsx/?{Q}&co-quan={PROVINCE}")
    ws = load_workbook(BytesIO(response.content)).active
    assert ws["A1"].value == "Biểu số II.02a/VPCP/KSTT" and "CÔNG BỐ" in ws["A3"].value
    assert {"A6:A7", "C6:C7", "D6:H6", "I6:K6"} <= {str(r) for r in ws.merged_cells.ranges}
    assert [ws.cell(row=8, column=c).value for c in range(1, 12)] == [f"({n})" for n in range(1, 12)]
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert [ws.cell(row=r, column=2).value for r in range(9, 13)] == [
        "Sở Công Bố A", "UBND huyện Công Bố", "UBND xã Công Bố", "TỔNG CỘNG"]
    assert [ws.cell(row=12, column=c).value for c in range(3, 12)] == [3, 8, 4, 1, 1, 2, 4, 2, 2]
    assert ws["B12"].font.bold
    notes = " ".join(str(ws.cell(row=r, column=1).value or "") for r in range(14, 20))
    assert "chưa đối chiếu được với Phụ lục II" in notes


def test_api(decisions, client, sysadmin, control_officer):
    client.force_login(sysadmin)
    data = client.get(f"/api/v1/reports/publication?from=2025-01-01&to=2025-06-30&agency={PROVINCE}").json()
    assert data["total"] == {"decisions": 3, "procedures_total": 8, "procedures_new": 4, "procedures_amended": 1,
                             "procedures_replaced": 1, "procedures_abolished": 2, "procedures_province": 4,
                             "procedures_district": 2, "procedures_commune": 2}
    assert [r["name"] for r in data["rows"]] == ["Sở Công Bố A", "UBND huyện Công Bố", "UBND xã Công Bố"]
    assert data["checks_ok"] is True
    for query, status in [("from=2025-06-30&to=2025-01-01", 422), ("from=2099-01-01&to=2099-02-01", 422),
                          ("to=2025-06-30", 422), ("from=2025-01-01&to=2025-06-30&group=x", 422)]:
        assert client.get(f"/api/v1/reports/publication?{query}").status_code == status, query
    client.force_login(control_officer)
    response = client.get(f"/api/v1/reports/publication?from=2025-01-01&to=2025-06-30&agency={PROVINCE}")
    assert response.status_code == 404 and "không có cơ quan" in response.json()["detail"].lower()
    assert client.get(f"/bao-cao/cong-bo/?{Q}&co-quan={PROVINCE}").status_code == 404


def test_docx_reads_back_with_the_figures(decisions, client, sysadmin):
    client.force_login(sysadmin)
    response = client.get(f"/bao-cao/cong-bo/docx/?{Q}&co-quan={PROVINCE}")
    assert response.status_code == 200
    doc = Document(BytesIO(response.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "1. Số quyết định công bố thủ tục hành chính: 3 quyết định." in text
    assert ("2. Số TTHC được công bố: 8 TTHC, trong đó: ban hành mới 4; sửa đổi, bổ sung 1; thay thế 1; bãi bỏ 2. "
            "Theo cấp thực hiện: cấp tỉnh 4, cấp huyện 2, cấp xã 2.") in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in doc.tables[0].rows[0].cells[1].text
    annex = doc.tables[-1]
    assert [c.text for c in annex.rows[1].cells] == [f"({n})" for n in range(1, 12)]
    assert [c.text for c in annex.rows[-1].cells] == ["", "Tổng cộng", "3", "8", "4", "1", "1", "2", "4", "2", "2"]
    refused = client.get("/bao-cao/cong-bo/docx/?tu=30/06/2025&den=01/01/2025")
    assert refused.status_code == 400 and "Không xuất được tệp" in refused.content.decode()
