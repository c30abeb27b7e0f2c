"""Small acceptance defects: the sandbox payment page fits a 360 px phone (no sideways scrolling) and pages ask
the server for a favicon that exists (no 404 in the log)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest

from motcua.catalog.models import ProcedureVersion
from motcua.dossiers.intake import ApplicantData, IntakeRequest, receive_dossier
from motcua.integrations.payments import actions
from motcua.org.models import Unit, User

pytestmark = pytest.mark.browser

NARROW_PHONE = {"width": 360, "height": 740}
# Elements reaching past the screen's edge, or whose content (an unbreakable text) overflows them.
WIDER_THAN_SCREEN = """() => Array.from(document.querySelectorAll('body *'))
  .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1
                || (el.getBoundingClientRect().left + el.scrollWidth > window.innerWidth + 1
                    && getComputedStyle(el).overflowX === 'visible'))
  .map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className ? '.' + el.className : '')
       + ' right=' + Math.round(el.getBoundingClientRect().right))"""


@pytest.fixture
def payment_path(db, live_server, settings):
    settings.PAYMENT_SANDBOX_ENABLED = True
    clerk = User.objects.get(username="lan")
    version = ProcedureVersion.objects.in_force_on(dt.date(2025, 11, 17)).get(procedure__code="1.014199")
    case = version.cases.first()
    dossier = receive_dossier(request=IntakeRequest(
        version=version, case=case, channel="direct", desk=Unit.objects.get(code="000.01.30.H27"),
        applicant=ApplicantData(kind="organisation", identifier="3000123456", name="Công ty TNHH Hồng Lĩnh",
                                phone="0912345000", address="Thạch Hà, Hà Tĩnh"),
        present_components={c.pk for c in case.components.all()},
        received_at=dt.datetime(2025, 11, 17, 9, 10, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))), acting_user=clerk)
    payment = actions.start_payment(dossier=dossier, acting_user=clerk)
    url = urlsplit(actions.payment_url(payment=payment, return_url=f"{live_server.url}/thanh-toan/ket-qua/", ip=None))
    return f"{url.path}?{url.query}"


def test_sandbox_payment_page_fits_a_360px_phone(browse, payment_path):
    phone = browse(viewport=NARROW_PHONE, is_mobile=True, has_touch=True)
    page = phone.page
    response = page.goto(payment_path)
    assert response.status == 200 and page.locator("button[value=pay]").count() == 1
    too_wide = page.evaluate(WIDER_THAN_SCREEN)
    assert page.evaluate("document.documentElement.scrollWidth") <= 361, too_wide
    assert too_wide == []


def test_pages_link_a_favicon_that_exists(browse):
    session = browse(viewport=NARROW_PHONE)
    page = session.page
    missing = []
    page.on("response", lambda r: missing.append(r.url) if r.status >= 400 else None)
    for path in ["/cong/", "/dang-nhap/"]:
        page.goto(path)
        page.wait_for_load_state("networkidle")
        href = page.get_attribute("link[rel=icon]", "href")
        assert href, f"{path}: no <link rel=icon>"
        assert page.request.get(href).status == 200
    icon = page.request.get("/favicon.ico", max_redirects=2)
    assert icon.status == 200 and "svg" in icon.headers["content-type"]
    assert missing == []
