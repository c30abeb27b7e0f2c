"""JOURNEYS 3, Ông Hùng on his phone (360 px): finds the procedure typing without diacritics, signs in
through the local OpenID Connect provider, fills the declaration, uploads two scans and reuses his
passport from "my documents", pays in the sandbox gateway; an officer accepts and processes the dossier;
he downloads the result and rates the service."""

from __future__ import annotations

import datetime as dt
import hashlib
from io import BytesIO

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from pypdf import PdfReader, PdfWriter

from motcua.dossiers import transitions as t
from motcua.dossiers.models import Applicant, Dossier, DossierFile, Status
from motcua.dossiers.online import accept_online_dossier
from motcua.integrations.payments.models import Payment
from motcua.org.models import User
from motcua.portal.models import Rating
from motcua.records.models import Record, Reuse

pytestmark = pytest.mark.browser

NARROW_PHONE = {"width": 360, "height": 740}


def pdf(label: str) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=300, height=300)
    writer.add_metadata({"/Title": label})
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture
def live_settings(live_server, settings):
    settings.OIDC_DEV_PROVIDER_ENABLED = True
    settings.OIDC_ISSUER = f"{live_server.url}/oidc-dev"
    settings.OIDC_REDIRECT_URI = f"{live_server.url}/dang-nhap/vneid/callback/"
    settings.PAYMENT_SANDBOX_ENABLED = True
    settings.PAYMENT_GATEWAY_URL = f"{live_server.url}/sandbox-thanh-toan/"
    settings.PAYMENT_QUERY_URL = f"{live_server.url}/sandbox-thanh-toan/truy-van/"
    settings.EMAIL_ENABLED = settings.SMS_ENABLED = False
    return settings


@pytest.fixture
def passport_record(db):
    """Ông Hùng's passport, digitized with an earlier dossier: sits in his store of documents."""
    applicant = Applicant.objects.create(kind="citizen", identifier="042087001234", name="Nguyễn Văn Hùng",
                                         phone="0905123456", search_text="nguyen van hung 042087001234")
    content = pdf("ho chieu")
    record = Record(applicant=applicant, document_type="HO_CHIEU", name="Hộ chiếu C1234567",
                    source=Record.Source.COMPONENT, content_type="application/pdf", size=len(content),
                    sha256=hashlib.sha256(content).hexdigest(), number="C1234567",
                    valid_until=timezone.localdate() + dt.timedelta(days=900))
    record.file.save("ho-chieu.pdf", ContentFile(content), save=False)
    record.save()
    return record


def officer_processes(dossier: Dossier) -> Dossier:
    """Chị Lan accepts, the department works it through its internal process, the result goes back online."""
    clerk = User.objects.get(username="lan")
    dossier = accept_online_dossier(dossier=dossier, acting_user=clerk, present_components=set(
        dossier.checklist.values_list("component_id", flat=True)))
    deciding = t.deciding_step(t.process_steps(dossier))
    while dossier.current_step is None or dossier.current_step.order < deciding.order:
        dossier = t.hand_on(dossier=dossier, acting_user=clerk)
    t.decide(dossier=dossier, approve=True, acting_user=clerk)
    t.attach_result(dossier=dossier, name="Giấy phép lao động", content=pdf("giay phep lao dong so 12"),
                    filename="giay-phep-lao-dong.pdf", content_type="application/pdf", number="12/GPLĐ-SNV",
                    signer="Bùi Quang Dương", signed_on=timezone.localdate(), acting_user=clerk)
    while dossier.status != Status.RESOLVED:
        dossier = t.hand_on(dossier=dossier, acting_user=clerk)
    return t.return_result(dossier=dossier, channel="online", acting_user=clerk)


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_hung_submits_pays_and_rates_from_his_phone(browse, live_settings, passport_record, tmp_path):
    phone = browse(viewport=NARROW_PHONE, is_mobile=True, has_touch=True)
    page = phone.page

    # The portal without signing in: one search box, typed without diacritics.
    page.goto("/cong/")
    assert page.get_attribute("html", "lang") == "vi"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.fill("#portal-q", "giay phep lao dong nuoc ngoai")
    with page.expect_navigation():
        page.press("#portal-q", "Enter")
    with page.expect_navigation():
        page.click("a[href='/cong/thu-tuc/1.014199/']")
    assert "Nếu nộp ngay bây giờ, ngày hẹn trả dự kiến:" in page.inner_text(".estimate")
    assert fits_the_screen(page)

    # Sign in with the (local) national e-ID and come back to the procedure.
    with page.expect_navigation():
        page.click("text=Đăng nhập bằng VNeID để nộp trực tuyến")
    assert "/oidc-dev/authorize/" in page.url
    with page.expect_navigation():
        page.click("button[name=demo][value='042087001234']")
    assert page.url.endswith("/cong/thu-tuc/1.014199/")
    with page.expect_navigation():
        page.click("button:has-text('Nộp hồ sơ trực tuyến')")

    # The declaration: name, phone and e-mail come from the e-ID; the rest is typed.
    assert page.input_value("#id_full_name") == "Nguyễn Văn Hùng"
    assert page.input_value("#id_phone") == "0905123456"
    page.fill("#id_birth_date", "12/03/1987")
    page.fill("#id_address", "Số 12 Phan Đình Phùng, phường Thành Sen, Hà Tĩnh")
    page.fill("#id_purpose", "Cấp giấy phép lao động cho chuyên gia của công ty")
    with page.expect_navigation():
        page.click("button[value=next]")
    assert fits_the_screen(page)

    # Two scans uploaded, the passport taken from "my documents".
    sections = page.locator("section.component")
    assert sections.count() == 3
    for index, name in [(0, "van-ban-de-nghi.pdf"), (1, "giay-kham-suc-khoe.pdf")]:
        path = tmp_path / name
        path.write_bytes(pdf(name))
        sections.nth(index).locator("input[type=file]").set_input_files(str(path))
        with page.expect_navigation():
            sections.nth(index).locator("button[value=upload]").click()
        assert f"Đã tải lên: {name}" in page.locator("section.component").nth(index).inner_text()
    passport = page.locator("section.component").nth(2)
    assert "Hộ chiếu C1234567" in passport.inner_text()
    with page.expect_navigation():
        passport.locator("button[value=reuse]").click()
    with page.expect_navigation():
        page.click("text=Xem lại hồ sơ ›")
    assert "không cần nộp giấy tờ bản giấy" in page.content()
    with page.expect_navigation():
        page.click("form button.primary:has-text('Nộp hồ sơ')")

    dossier = Dossier.objects.get(applicant_identifier="042087001234", version__procedure__code="1.014199")
    assert dossier.code in page.inner_text("h1") and dossier.status == Status.SUBMITTED
    assert sorted(DossierFile.objects.filter(dossier=dossier).values_list("source", flat=True)) == [
        "reuse", "upload", "upload"]
    assert Reuse.objects.filter(record=passport_record, dossier=dossier).exists()

    # Pay the 600.000 đ fee in the sandbox gateway.
    assert "600.000 đ" in page.inner_text("#pay-title + p")
    with page.expect_navigation():
        page.click("button:has-text('Thanh toán trực tuyến')")
    assert "/sandbox-thanh-toan/" in page.url
    with page.expect_navigation():
        page.click("button[value=pay]")
    assert "Thanh toán thành công." in page.content()
    payment = Payment.objects.get(dossier=dossier)
    assert (payment.status, payment.amount) == ("paid", 600000)

    # The officers do their part.
    dossier = officer_processes(dossier)

    # He downloads the result and rates the service.
    page.goto(f"/cong/ho-so-cua-toi/{dossier.code}/")
    assert "Đã trả kết quả" in page.content()
    with page.expect_download() as info:
        page.click("text=Tải kết quả")
    data = (tmp_path / "result.pdf")
    info.value.save_as(data)
    assert PdfReader(BytesIO(data.read_bytes())).metadata.title == "giay phep lao dong so 12"
    page.check("input[name=satisfaction][value=very_satisfied]")
    page.select_option("#id_attitude", "2")
    page.select_option("#id_contacts", "1")
    page.fill("#id_comment", "Không phải đi lại lần nào.")
    with page.expect_navigation():
        page.click("button:has-text('Gửi đánh giá')")
    assert "Cảm ơn bạn đã đánh giá" in page.content()
    rating = Rating.objects.get(dossier=dossier)
    assert (rating.satisfaction, rating.total, rating.user.username) == ("very_satisfied", 17, "hung")
    assert fits_the_screen(page)
    phone.traffic.assert_clean()
