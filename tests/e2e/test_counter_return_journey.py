"""JOURNEYS 1, the afternoon: a woman picks up her result. Chị Lan scans the QR on the receipt into the
header's "Tìm hồ sơ theo mã" box (the scanner types the status URL), lands on the dossier, then hands
the counter tablet over: the woman rates the service with big buttons and sees a neutral thank-you."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from motcua.catalog.models import ProcedureVersion
from motcua.dossiers.intake import ApplicantData, IntakeRequest, receive_dossier
from motcua.dossiers.models import Dossier, ReturnChannel, Status
from motcua.dossiers.slips import status_page_url
from motcua.org.demo import DEMO_PASSWORD
from motcua.org.models import Unit, User
from motcua.portal.models import Rating

pytestmark = pytest.mark.browser


def returned_dossier() -> Dossier:
    version = ProcedureVersion.objects.in_force_on(timezone.localdate()).get(procedure__code="1.013934")
    case = version.cases.first()
    dossier = receive_dossier(request=IntakeRequest(
        version=version, case=case, channel="direct", desk=Unit.objects.get(code="000.01.30.H27"),
        applicant=ApplicantData(kind="citizen", identifier="042087001234", name="Trần Thị Mai", phone="0905123456"),
        present_components={c.pk for c in case.components.all()},
        received_at=timezone.now() - dt.timedelta(days=14)), acting_user=User.objects.get(username="lan"))
    # Processing is not this test's subject: the result was handed back at the counter a moment ago.
    Dossier.objects.filter(pk=dossier.pk).update(status=Status.RETURNED, return_channel=ReturnChannel.COUNTER,
                                                 returned_at=timezone.now(), returned_to="Trần Thị Mai")
    return dossier


def test_scan_the_receipt_qr_then_rate_on_the_counter_tablet(desktop, live_server):
    dossier = returned_dossier()
    page = desktop.page
    desktop.login("lan", DEMO_PASSWORD)
    box = page.locator("#find-dossier-header")
    box.click()
    page.keyboard.type(" " + status_page_url(dossier.code) + " ")
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/mot-cua/ho-so/{dossier.code}/")

    page.click("text=Đánh giá tại quầy")
    page.wait_for_selector("text=Ông/bà đánh giá việc giải quyết hồ sơ")
    assert page.locator("#mainnav").count() == 0 and "Trần Thị Mai" not in page.content()
    target = page.locator("label.big-choice", has_text="Hài lòng").first.bounding_box()
    assert target["height"] >= 48  # a finger, not a mouse pointer
    page.locator("label.big-choice").filter(has=page.get_by_role("radio", name="Rất hài lòng", exact=True)).click()
    attitude = page.locator("fieldset.criterion").nth(6)
    expect(attitude).to_contain_text("Thái độ của cán bộ")
    attitude.locator("label.big-choice").filter(has=page.get_by_role("radio", name="1", exact=True)).click()
    page.click("button:has-text('Gửi đánh giá')")
    expect(page.locator("h1")).to_have_text("Cảm ơn ông/bà!")
    assert dossier.code not in page.content() and "Trần Thị Mai" not in page.content()
    rating = Rating.objects.get(dossier=dossier)
    assert (rating.satisfaction, rating.attitude, rating.total) == ("very_satisfied", 1, 17)
    desktop.traffic.assert_clean()
