"""Biểu II.07b (one-stop implementation) over a hand-built catalog in a province of its own ("H99"),
before and after the end of the district level on 01/07/2025: counts by hand, totals, drill-down
lists, XLSX/DOCX read back, the page, the API and its refusals.

The catalog (decisions effective 01/01/2025 unless said):
  P1 province, agency A, process from the centre's counter (configured 10/01/2025)   → one-stop prov, process
  P2 province, agency A's public-service unit, process from a department (not a desk) → neither (its
     process is not one under the one-stop mechanism)
  P3 province, agency A, no process; A has no desk of its own                         → neither
  P4 province, agency B, no process; B has its own one-stop desk                     → one-stop prov
  P5 district, district D, process from D's desk; abolished 01/07/2025               → one-stop dist, process
  P6 district, district D, no process (D's own desk); abolished 01/07/2025           → one-stop dist
  P7 commune, commune X, process from X's desk                                       → one-stop comm, process
  P8 province, agency A, two cases: one from X's desk (process), one without          → one-stop comm, no process
  P9 province, agency A, process from the centre configured 01/09/2025               → both, from 09/2025 only
  P10 central level, agency A                                                         → never counted
  P11 province, agency A, effective 01/08/2025, no process                           → counted from 08/2025
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from io import BytesIO

import pytest
from docx import Document
from openpyxl import load_workbook

from motcua.reports.onestop import COLUMNS, cell_procedures, onestop_table, versions_in_force

BEFORE = dt.date(2025, 6, 30)
AFTER = dt.date(2025, 10, 1)
PROVINCE = "000.00.00.H99"

# Hand count: column → {row unit key: procedure codes}.
EXPECTED_BEFORE = {
    "c3": {"A": {"P1", "P2", "P3", "P8", "P9"}, "B": {"P4"}, "D": {"P5", "P6"}, "X": {"P7"}},
    "c4": {"A": {"P1", "P2", "P3", "P8", "P9"}, "B": {"P4"}},
    "c5": {"D": {"P5", "P6"}},
    "c6": {"X": {"P7"}},
    "c7": {"A": {"P1", "P8"}, "B": {"P4"}, "D": {"P5", "P6"}, "X": {"P7"}},
    "c8": {"A": {"P1"}, "B": {"P4"}},
    "c9": {"D": {"P5", "P6"}},
    "c10": {"A": {"P8"}, "X": {"P7"}},
    "c11": {"A": {"P1"}, "D": {"P5"}, "X": {"P7"}},
    "c12": {"A": {"P1"}},
    "c13": {"D": {"P5"}},
    "c14": {"X": {"P7"}},
}
EXPECTED_AFTER = {
    "c3": {"A": {"P1", "P2", "P3", "P8", "P9", "P11"}, "B": {"P4"}, "X": {"P7"}},
    "c4": {"A": {"P1", "P2", "P3", "P8", "P9", "P11"}, "B": {"P4"}},
    "c5": {},
    "c6": {"X": {"P7"}},
    "c7": {"A": {"P1", "P8", "P9"}, "B": {"P4"}, "X": {"P7"}},
    "c8": {"A": {"P1", "P9"}, "B": {"P4"}},
    "c9": {},
    "c10": {"A": {"P8"}, "X": {"P7"}},
    "c11": {"A": {"P1", "P9"}, "X": {"P7"}},
    "c12": {"A": {"P1", "P9"}},
    "c13": {},
    "c14": {"X": {"P7"}},
}


def _code(name: str) -> str:
    return f"9.99{name[1:]:0>4}"     # P7 → 9.990007


def _name(code: str) -> str:
    return f"P{int(code[4:])}"


@pytest.fixture(scope="module")
def catalog(django_db_setup, django_db_blocker):
    from django.db import transaction

    from motcua.catalog.models import (
        ChangeKind,
        Field,
        InternalProcess,
        Level,
        Procedure,
        ProcedureCase,
        ProcedureVersion,
        PublicationDecision,
        Step,
    )
    from motcua.org.models import Role, Unit

    with django_db_blocker.unblock(), transaction.atomic():
        def unit(code, kind, name, parent=None):
            return Unit.objects.create(code=code, kind=kind, name=name, parent=parent)

        province = unit(PROVINCE, Unit.Kind.PROVINCE, "Ủy ban nhân dân tỉnh Thử Nghiệm")
        a = unit("000.00.01.H99", Unit.Kind.AGENCY, "Sở Thử A", province)
        a_psu = unit("000.01.01.H99", Unit.Kind.PUBLIC_SERVICE_UNIT, "Trung tâm thuộc Sở A", a)
        a_dep = unit("000.02.01.H99", Unit.Kind.DEPARTMENT, "Phòng nghiệp vụ Sở A", a)
        centre = unit("000.00.30.H99", Unit.Kind.SERVICE_CENTRE, "Trung tâm PVHCC tỉnh Thử", province)
        counter = unit("000.01.30.H99", Unit.Kind.ONE_STOP, "Quầy Sở A tại Trung tâm", centre)
        b = unit("000.00.02.H99", Unit.Kind.AGENCY, "Sở Thử B", province)
        unit("000.01.02.H99", Unit.Kind.ONE_STOP, "Bộ phận Một cửa Sở B", b)
        d = unit("000.00.40.H99", Unit.Kind.DISTRICT, "UBND huyện Thử", province)
        d_desk = unit("000.01.40.H99", Unit.Kind.ONE_STOP, "Bộ phận Một cửa huyện Thử", d)
        x = unit("000.00.50.H99", Unit.Kind.COMMUNE, "UBND xã Thử", province)
        x_desk = unit("000.01.50.H99", Unit.Kind.ONE_STOP, "Bộ phận Một cửa xã Thử", x)
        field, _ = Field.objects.get_or_create(code="THU99", defaults={"name": "Lĩnh vực thử 99"})

        def decision(number, day):
            return PublicationDecision.objects.create(number=number, signed_on=day, signer="Chủ tịch",
                                                      effective_from=day)

        jan, jul, aug = (decision("1/QĐ-H99", dt.date(2025, 1, 1)), decision("2/QĐ-H99", dt.date(2025, 7, 1)),
                         decision("3/QĐ-H99", dt.date(2025, 8, 1)))

        def version(name, level, agency, *, cases=((None, None),), when=jan, until=None):
            procedure = Procedure.objects.create(code=_code(name))
            v = ProcedureVersion.objects.create(
                procedure=procedure, decision=when, kind=ChangeKind.NEW, effective_from=when.effective_from,
                effective_to=until, name=f"Thủ tục {name}", field=field, level=level, agency=agency)
            for order, (first_unit, configured) in enumerate(cases, start=1):
                case = ProcedureCase.objects.create(version=v, order=order, name=f"TH{order}" if len(cases) > 1
                                                    else "", processing_time=Decimal(5))
                if first_unit is not None:
                    process = InternalProcess.objects.create(case=case, configured_on=configured)
                    Step.objects.create(process=process, order=1, unit=first_unit, role=Role.ONE_STOP_OFFICER,
                                        budget=Decimal("0.5"), description="Tiếp nhận")
                    Step.objects.create(process=process, order=2, unit=agency, role=Role.SPECIALIST,
                                        budget=Decimal("4.5"), description="Thẩm định")
            if until is not None:
                ProcedureVersion.objects.create(
                    procedure=procedure, decision=jul, kind=ChangeKind.ABOLISHED,
                    effective_from=until + dt.timedelta(days=1), name=v.name, field=field, level=level, agency=agency)
            return v

        early = dt.date(2025, 1, 10)
        end_june = dt.date(2025, 6, 30)
        version("P1", Level.PROVINCE, a, cases=((counter, early),))
        version("P2", Level.PROVINCE, a_psu, cases=((a_dep, early),))
        version("P3", Level.PROVINCE, a)
        version("P4", Level.PROVINCE, b)
        version("P5", Level.DISTRICT, d, cases=((d_desk, early),), until=end_june)
        version("P6", Level.DISTRICT, d, until=end_june)
        version("P7", Level.COMMUNE, x, cases=((x_desk, early),))
        version("P8", Level.PROVINCE, a, cases=((x_desk, early), (None, None)))
        version("P9", Level.PROVINCE, a, cases=((counter, dt.date(2025, 9, 1)),))
        version("P10", Level.CENTRAL, a, cases=((counter, early),))
        version("P11", Level.PROVINCE, a, when=aug)
        keys = {"A": a.pk, "B": b.pk, "D": d.pk, "X": x.pk}
        yield {"keys": keys, "province": province}
        transaction.set_rollback(True)


def _table(catalog, day, group="agency"):
    return onestop_table(versions_in_force(day, unit=catalog["province"]), day, group=group)


@pytest.mark.parametrize("day, expected", [(BEFORE, EXPECTED_BEFORE), (AFTER, EXPECTED_AFTER)])
def test_counts_and_lists_match_the_hand_count(catalog, day, expected):
    table = _table(catalog, day)
    names = {pk: name for name, pk in catalog["keys"].items()}
    present = {k for cells in expected.values() for k in cells}
    assert [names[r.key] for r in table.rows] == [n for n in "ABDX" if n in present]   # organisation order
    for column in COLUMNS:
        for row in table.rows:
            want = expected[column.key].get(names[row.key], set())
            assert row.values[column.key] == len(want), (day, column.key, names[row.key])
            assert {_name(f.code) for f in cell_procedures(table, column.key, row.key)} == want
        everyone = set().union(*expected[column.key].values()) if expected[column.key] else set()
        assert table.total.values[column.key] == len(everyone) == sum(r.values[column.key] for r in table.rows)
        assert {_name(f.code) for f in cell_procedures(table, column.key)} == everyone
    assert table.failures == []
    assert table.warnings == []


def test_district_columns_are_blank_after_the_change_and_numbers_before(catalog):
    before, after = _table(catalog, BEFORE), _table(catalog, AFTER)
    assert not before.district_abolished and after.district_abolished
    assert before.total.shown("c5", before.district_abolished) == 2
    assert [after.total.shown(k, True) for k in ("c5", "c9", "c13")] == [None, None, None]
    assert after.total.named(True)["procedures_district"] is None


def test_a_district_procedure_left_in_force_after_the_change_is_shown_and_flagged(catalog):
    from motcua.catalog.models import (
        ChangeKind,
        Field,
        Level,
        Procedure,
        ProcedureVersion,
        PublicationDecision,
    )
    from motcua.org.models import Unit

    ProcedureVersion.objects.create(
        procedure=Procedure.objects.create(code="9.990099"), decision=PublicationDecision.objects.get(number="3/QĐ-H99"),
        kind=ChangeKind.NEW, effective_from=dt.date(2025, 8, 1), name="Thủ tục cấp huyện sót lại",
        field=Field.objects.get(code="THU99"), level=Level.DISTRICT, agency=Unit.objects.get(code="000.00.40.H99"))
    table = _table(catalog, AFTER)
    assert table.total.shown("c5", True) == 1 and table.total.values["c3"] == 9
    assert table.warnings and "9.990099" in table.warnings[0]


def test_rows_by_field(catalog):
    table = _table(catalog, BEFORE, group="field")
    assert [r.label for r in table.rows] == ["Lĩnh vực thử 99"]
    assert table.rows[0].values == table.total.values and table.total.values["c3"] == 9


def test_page_every_number_links_to_as_many_procedures(catalog, client, sysadmin, django_assert_max_num_queries):
    client.force_login(sysadmin)
    with django_assert_max_num_queries(15):      # the catalog is read in a fixed number of queries
        response = client.get(f"/bao-cao/mot-cua/?tu=01/01/2025&den=30/06/2025&co-quan={PROVINCE}")
    assert response.status_code == 200
    html = response.content.decode()
    links = re.findall(r'<td class="n"><a href="([^"]+)"[^>]*>(\d+)</a></td>', html)
    assert len(links) == 5 * len(COLUMNS)            # four units + the totals row
    assert "UBND huyện Thử" in html and "khớp ở mọi dòng" in html
    for url, value in links:
        listed = client.get(url.replace("&amp;", "&"))
        assert listed.status_code == 200
        assert listed.content.decode().count('class="procedure-row"') == int(value), url


def test_page_after_the_change_leaves_district_cells_blank(catalog, client, sysadmin):
    client.force_login(sysadmin)
    html = client.get(f"/bao-cao/mot-cua/?tu=01/07/2025&den=01/10/2025&co-quan={PROVINCE}").content.decode()
    numbers = re.findall(r'<td class="n">(.*?)</td>', html)
    total = numbers[-len(COLUMNS):]
    assert ">8<" in total[0] and "<a" not in total[2] and "<a" not in total[6] and "<a" not in total[10]
    # The note on which forms of TT 01/2020 exist and why the others do not.
    assert "Biểu II.06c (nguyên nhân hồ sơ quá hạn): chưa lập" in html and 'href="/bao-cao/cong-bo/"' in html


def test_xlsx_reads_back_in_the_form_layout(catalog, client, sysadmin):
    client.force_login(sysadmin)
    response = client.get(f"/bao-cao/mot-cua/xlsx/?tu=01/07/2025&den=01/10/2025&co-quan={PROVINCE}")
    assert response.status_code == 200
    ws = load_workbook(BytesIO(response.content)).active
    assert ws["A1"].value == "Biểu số II.07b/VPCP/KSTT"
    assert "TỈNH THỬ NGHIỆM" in ws["A3"].value and "01/10/2025" in ws["A4"].value
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A6:A7", "B6:B7", "C6:F6", "G6:J6", "K6:N6"} <= merged
    assert ws["C6"].value.startswith("Tổng số TTHC thuộc thẩm quyền") and ws["K6"].value.startswith("Quy trình nội bộ")
    assert [ws.cell(row=7, column=c).value for c in range(3, 9)] == [
        "Tổng số TTHC", "Cấp tỉnh", "Cấp huyện", "Cấp xã", "Tổng số TTHC", "Tại Bộ phận Một cửa cấp tỉnh"]
    assert [ws.cell(row=8, column=c).value for c in range(1, 15)] == [f"({n})" for n in range(1, 15)]
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    rows = [[ws.cell(row=r, column=c).value for c in range(1, 15)] for r in range(9, 13)]
    assert [r[1] for r in rows] == ["Sở Thử A", "Sở Thử B", "UBND xã Thử", "TỔNG CỘNG"]
    assert rows[0][2:] == [6, 6, None, 0, 3, 2, None, 1, 2, 2, None, 0]
    assert rows[3][2:] == [8, 7, None, 1, 5, 3, None, 2, 3, 2, None, 1]
    assert all(rows[3][c] == sum(r[c] or 0 for r in rows[:3]) for c in (2, 3, 5, 6, 7, 9, 10, 11, 13))
    assert ws["B12"].font.bold and ws["B12"].font.name == "Times New Roman"
    notes = " ".join(str(ws.cell(row=r, column=1).value or "") for r in range(14, 22))
    assert "01/07/2025" in notes and "(11) = (12) + (13) + (14)" in notes


def test_docx_reads_back_with_the_figures(catalog, client, sysadmin):
    client.force_login(sysadmin)
    response = client.get(f"/bao-cao/mot-cua/docx/?tu=01/01/2025&den=30/06/2025&co-quan={PROVINCE}")
    assert response.status_code == 200
    doc = Document(BytesIO(response.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "cơ chế một cửa, một cửa liên thông" in text
    assert "Tổng số TTHC thuộc thẩm quyền giải quyết: 9 TTHC, trong đó cấp tỉnh 6, cấp huyện 2, cấp xã 1." in text
    assert "một cửa liên thông: 6 TTHC (đạt 66,7%)" in text
    assert "đã ban hành quy trình nội bộ: 3 TTHC (đạt 50,0%)" in text
    header = doc.tables[0].rows[0].cells
    assert "SỞ" not in header[0].text and "TỈNH THỬ NGHIỆM" in header[0].text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in header[1].text
    annex = doc.tables[-1]
    assert [c.text for c in annex.rows[1].cells] == [f"({n})" for n in range(1, 15)]
    assert [c.text for c in annex.rows[-1].cells] == ["", "Tổng cộng", "9", "6", "2", "1", "6", "2", "2", "2",
                                                      "3", "1", "1", "1"]
    assert doc.sections[-1].orientation == 1        # landscape annex


def test_api_rows_and_totals(catalog, client, sysadmin):
    client.force_login(sysadmin)
    data = client.get(f"/api/v1/reports/one-stop?date=2025-10-01&agency={PROVINCE}").json()
    assert data["district_abolished"] is True and data["checks_ok"] is True
    assert [c["number"] for c in data["columns"]] == list(range(3, 15))
    assert data["total"] == {"procedures_total": 8, "procedures_province": 7, "procedures_district": None,
                             "procedures_commune": 1, "one_stop_total": 5, "one_stop_province": 3,
                             "one_stop_district": None, "one_stop_commune": 2, "internal_process_total": 3,
                             "internal_process_province": 2, "internal_process_district": None,
                             "internal_process_commune": 1}
    assert [r["name"] for r in data["rows"]] == ["Sở Thử A", "Sở Thử B", "UBND xã Thử"]
    before = client.get(f"/api/v1/reports/one-stop?date=2025-06-30&agency={PROVINCE}").json()
    assert before["total"]["procedures_district"] == 2 and before["district_abolished"] is False


@pytest.mark.parametrize("query, status, message", [
    ("date=2099-01-01", 422, "chưa đến"),
    ("date=30/13/2025", 422, "không hợp lệ"),
    ("date=2025-10-01&group=desk", 422, "group"),
    (f"date=2025-10-01&agency={PROVINCE}", 404, "không có cơ quan"),
])
def test_api_refuses_bad_input(catalog, client, control_officer, query, status, message):
    client.force_login(control_officer)
    response = client.get(f"/api/v1/reports/one-stop?{query}")
    assert response.status_code == status
    assert message in response.json()["detail"].lower()


def test_pages_refuse_an_agency_the_person_may_not_see_and_a_reversed_period(catalog, client, control_officer):
    client.force_login(control_officer)
    assert client.get(f"/bao-cao/mot-cua/?co-quan={PROVINCE}").status_code == 404
    assert client.get(f"/bao-cao/mot-cua/thu-tuc/?cot=c3&co-quan={PROVINCE}").status_code == 404
    page = client.get("/bao-cao/mot-cua/?tu=30/06/2025&den=01/01/2025").content.decode()
    assert "phải sau hoặc bằng" in page
    refused = client.get("/bao-cao/mot-cua/xlsx/?tu=30/06/2025&den=01/01/2025")
    assert refused.status_code == 400 and "Không xuất được tệp" in refused.content.decode()
    assert client.get("/bao-cao/mot-cua/thu-tuc/?cot=c99").status_code == 404


def test_the_control_officer_counts_only_her_agencys_procedures(catalog, client, control_officer):
    client.force_login(control_officer)
    data = client.get("/api/v1/reports/one-stop?date=2025-10-01").json()
    assert [r["name"] for r in data["rows"]] == ["Sở Nội vụ tỉnh Hà Tĩnh"]
    assert data["total"]["procedures_total"] > 0 and data["checks_ok"] is True
