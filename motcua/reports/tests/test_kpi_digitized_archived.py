"""Plan VIII.7's "100% hồ sơ TTHC đã giải quyết thành công được số hóa, lưu trữ và có giá trị tái sử dụng" as a
KPI: over the dossiers resolved with an approval in the year, those with component files and an electronic
result kept in the applicant's data store. Value, target, monthly trend, drill-down lists, page and API."""

from __future__ import annotations

import re

import pytest

from motcua.dossiers import transitions as t
from motcua.dossiers.files import check_file
from motcua.dossiers.intake import IntakeRequest, receive_dossier
from motcua.dossiers.models import Dossier
from motcua.reports.kpi import kpi_dashboard
from motcua.reports.measures import MEASURES
from motcua.reports.periods import report_period

from .conftest import HOUR, Desk, at


def one_page_pdf() -> bytes:
    from io import BytesIO

    from pypdf import PdfWriter

    writer, out = PdfWriter(), BytesIO()
    writer.add_blank_page(width=595, height=842)
    writer.write(out)
    return out.getvalue()


class ScanningDesk(Desk):
    def receive_scanned(self, when: str) -> Dossier:
        """Received at the counter with the first component scanned (a DossierFile, source scan)."""
        instant = at(when)
        version = self.version(instant)
        case = version.cases.first()
        components = list(case.components.all())
        return receive_dossier(request=IntakeRequest(
            version=version, case=case, channel="direct", applicant=self.applicant(), desk=self.desk,
            present_components={c.pk for c in components}, received_at=instant,
            files=[(components[0].pk, check_file("don.pdf", one_page_pdf()))]), acting_user=self.clerk)

    def refuse(self, dossier: Dossier, when: str) -> Dossier:
        end = at(when)
        dossier.refresh_from_db()
        moves = range(5 - (dossier.current_step.order if dossier.current_step else 1))
        instant = end - (len(moves) + 2) * HOUR
        for _ in moves:
            dossier = t.hand_on(dossier=dossier, acting_user=self.clerk, at=instant)
            instant += HOUR
        dossier = t.decide(dossier=dossier, approve=False, reason="Không đủ điều kiện", acting_user=self.leader,
                           at=instant)
        dossier = t.hand_on(dossier=dossier, acting_user=self.leader, at=instant)
        return t.hand_on(dossier=dossier, acting_user=self.clerk, at=end)


def store(dossier: Dossier) -> None:
    """What the records listener does once the result reaches the desk (after commit, which the module's
    rolled-back transaction never reaches): the approved result lands in the applicant's store."""
    from motcua.records.actions import store_result

    for result in dossier.results.all():
        assert store_result(result=result) is not None


@pytest.fixture(scope="module")
def dossiers(django_db_setup, django_db_blocker):
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        desk = ScanningDesk()
        archived = desk.resolve(desk.receive_scanned("03/11/2025 09:00"), "10/11/2025 10:00")
        store(archived)                                                   # files + result in the store: counted
        no_files = desk.resolve(desk.receive("04/11/2025 09:00"), "12/11/2025 10:00")
        store(no_files)                                                   # result stored, nothing digitised
        not_stored = desk.resolve(desk.receive_scanned("05/11/2025 09:00"), "13/11/2025 10:00")
        refused = desk.refuse(desk.receive_scanned("06/11/2025 09:00"), "14/11/2025 10:00")  # not "thành công"
        december = desk.resolve(desk.receive_scanned("01/12/2025 09:00"), "09/12/2025 10:00")
        store(december)
        open_ = desk.receive_scanned("10/12/2025 09:00")                  # not resolved
        yield {"archived": archived, "no_files": no_files, "not_stored": not_stored, "refused": refused,
               "december": december, "open": open_}
        transaction.set_rollback(True)


def test_the_measure_counts_approved_resolved_dossiers_with_files_and_a_stored_result(dossiers):
    year = report_period("year", 2025, cutoff_day=None)
    measure = MEASURES["digitized_archived"]
    assert measure.by_month(Dossier.objects.all(), year.start, year.end) == {(2025, 11): (1, 3), (2025, 12): (1, 1)}
    num = set(measure.dossiers(Dossier.objects.all(), year.start, year.end, "num"))
    den = set(measure.dossiers(Dossier.objects.all(), year.start, year.end, "den"))
    assert num == {dossiers["archived"], dossiers["december"]}
    assert den == {dossiers["archived"], dossiers["no_files"], dossiers["not_stored"], dossiers["december"]}


def test_the_dashboard_shows_value_target_and_trend(dossiers):
    import datetime as dt

    values, _targets = kpi_dashboard(Dossier.objects.all(), 2025, today=dt.date(2025, 12, 31))
    item = next(v for v in values if v.definition.key == "digitized_archived")
    assert (item.numerator, item.denominator, item.value, item.target, item.met) == (2, 4, 50.0, 100.0, False)
    assert [(m["month"], m["num"], m["den"]) for m in item.months if m["den"]] == [(11, 1, 3), (12, 1, 1)]
    assert "VIII.7" in item.definition.definition and "chấp thuận" in item.definition.definition


def test_page_shows_the_definition_and_drills_down(dossiers, client, control_officer):
    client.force_login(control_officer)
    html = client.get("/bao-cao/kpi/?nam=2025").content.decode()
    card = re.search(r"<h2>Hồ sơ giải quyết thành công được số hóa, lưu trữ và có giá trị tái sử dụng</h2>(.*?)"
                     r"</section>", html, re.S).group(1)
    assert "50,0%" in card and "≥ 100%" in card
    assert "Cách tính" in card and "bị từ chối không tính" in card
    num_url = re.search(r'href="([^"]*chi-tieu=digitized_archived[^"]*phan=num)">2</a>', card).group(1)
    den_url = re.search(r'href="([^"]*chi-tieu=digitized_archived[^"]*phan=den)">4</a>', card).group(1)
    num_page = client.get(num_url.replace("&amp;", "&")).content.decode()
    den_page = client.get(den_url.replace("&amp;", "&")).content.decode()
    for key in ("archived", "december"):
        assert dossiers[key].code in num_page
    for key in ("no_files", "not_stored", "refused", "open"):
        assert dossiers[key].code not in num_page
    for key in ("archived", "december", "no_files", "not_stored"):
        assert dossiers[key].code in den_page
    assert dossiers["refused"].code not in den_page and dossiers["open"].code not in den_page
    month = client.get("/bao-cao/kpi/ho-so/?chi-tieu=digitized_archived&nam=2025&thang=11&phan=num").content.decode()
    assert dossiers["archived"].code in month and dossiers["december"].code not in month


def test_api_gives_the_definition_value_and_target(dossiers, client, control_officer):
    client.force_login(control_officer)
    kpis = {k["key"]: k for k in client.get("/api/v1/kpi?year=2025").json()["kpis"]}
    item = kpis["digitized_archived"]
    assert (item["numerator"], item["denominator"], item["value"], item["target"]) == (2, 4, 50.0, 100.0)
    assert "VIII.7" in item["definition"] and "kho dữ liệu" in item["definition"]
    assert "giải quyết thành công" in item["formula"]
    assert kpis["online_rate"]["definition"] is None
