"""JOURNEYS 3, Ông Hùng on his phone (360 px): finds the procedure typing without diacritics, signs in
through the local OpenID Connect provider, fills the declaration, uploads two scans and reuses his
passport from "my documents", pays in the sandbox gateway; in browsers of their own the officers accept the
dossier (Chị Lan), work it through its internal process (the labour and employment department's head Chị Hằng
and specialist Anh Toản, the deputy director, the office's clerk who uploads the signed result's scan) and return
the result online; he downloads it and rates the service."""

from __future__ import annotations

import datetime as dt
import hashlib
from io import BytesIO

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader, PdfWriter

from motcua.dossiers.models import Applicant, Dossier, DossierFile, Status
from motcua.integrations.payments.models import Payment
from motcua.org.demo import DEMO_PASSWORD
from motcua.portal.models import Rating
from motcua.records.models import Record, Reuse

pytestmark = pytest.mark.browser

NARROW_PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}


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


def signed_in(browse, username: str):
    officer = browse(viewport=DESKTOP)
    officer.login(username, DEMO_PASSWORD)
    expect(officer.page.locator(".who-name")).to_be_visible()
    return officer


def open_from_worklist(page, code: str) -> None:
    """The officer's work list ("Xử lý hồ sơ") shows the dossier at their step; its code opens the panel."""
    with page.expect_navigation():
        page.click("nav >> text=Xử lý hồ sơ")
    with page.expect_navigation():
        page.click(f"table a:text-is('{code}')")
    expect(page.locator("h1")).to_contain_text(code)


def make_move(page, label: str, fill=None) -> None:
    """Open the move's panel, fill it, submit; the page comes back with the move confirmed."""
    move = page.locator("details.move").filter(has=page.locator(f"summary:text-is('{label}')"))
    move.locator("summary").click()
    if fill is not None:
        fill(move)
    with page.expect_navigation():
        move.locator("button[type=submit]").click()
    expect(page.locator("ul.messages")).to_contain_text(f"Đã thực hiện: {label}.")


def at_step(page, order: int, unit: str) -> None:
    expect(page.locator(".processing-panel")).to_contain_text(f"Bước hiện tại: {order}.")
    expect(page.locator(".processing-panel")).to_contain_text(unit)


def officers_process(browse, code: str, tmp_path) -> None:
    """Chị Lan accepts the online dossier and hands it on; the labour department's own demo staff (its head
    Chị Hằng `hangvt`, its specialist Anh Toản `toantq`) appraise it, the deputy director approves, the office registers the signed result and uploads its scan, Chị Lan returns it online.
    Each in their own browser context, through the dossier and processing pages only."""
    labour = "Phòng Lao động – Việc làm"
    lan = signed_in(browse, "lan")
    page = lan.page
    page.goto(f"/mot-cua/ho-so/{code}/")
    check = page.locator(".dossier-online-check")
    expect(check).to_contain_text("Kiểm tra hồ sơ nộp trực tuyến")
    boxes = check.locator("input[name^=present_]")
    assert boxes.count() == 3
    for i in range(3):
        boxes.nth(i).check()
    with page.expect_navigation():
        check.locator("button[value=accept]").click()
    assert page.url.endswith(f"/mot-cua/ho-so/{code}/da-tiep-nhan/")
    expect(page.locator("ul.messages")).to_contain_text(f"Đã tiếp nhận hồ sơ trực tuyến {code}.")
    page.goto(f"/mot-cua/ho-so/{code}/xu-ly/")
    make_move(page, "Chuyển bước tiếp theo")
    at_step(page, 2, labour)

    head = signed_in(browse, "hangvt")
    open_from_worklist(head.page, code)
    at_step(head.page, 2, labour)
    make_move(head.page, "Chuyển bước tiếp theo",
              lambda form: form.locator("select[name='hand_on-assignee']").select_option(label="Trần Quốc Toản"))
    at_step(head.page, 3, "Trần Quốc Toản")

    specialist = signed_in(browse, "toantq")
    open_from_worklist(specialist.page, code)
    make_move(specialist.page, "Chuyển bước tiếp theo",
              lambda form: form.locator("textarea[name='hand_on-note']").fill("Đủ điều kiện, đã dự thảo giấy phép"))
    at_step(specialist.page, 4, labour)

    head.page.reload()
    make_move(head.page, "Chuyển bước tiếp theo")
    at_step(head.page, 5, "Sở Nội vụ tỉnh Hà Tĩnh")

    leader = signed_in(browse, "giamdoc")
    open_from_worklist(leader.page, code)
    make_move(leader.page, "Quyết định giải quyết",
              lambda form: form.get_by_label("Phê duyệt (giải quyết)").check())
    make_move(leader.page, "Chuyển bước tiếp theo")
    at_step(leader.page, 6, "Văn phòng Sở Nội vụ")

    # The office's clerk registers and seals the licence, then uploads its scan where the panel asks for it.
    clerk = signed_in(browse, "hoa")
    page = clerk.page
    open_from_worklist(page, code)
    scan = tmp_path / "giay-phep-lao-dong.pdf"
    scan.write_bytes(pdf("giay phep lao dong so 12"))

    def the_result(form):
        assert form.locator("input[name='attach_result-name']").input_value() == "Giấy phép lao động"
        form.locator("input[name='attach_result-file']").set_input_files(str(scan))
        form.locator("input[name='attach_result-number']").fill("12/GPLĐ-SNV")
        form.locator("input[name='attach_result-signer']").fill("Bùi Quang Dương")
        form.locator("input[name='attach_result-signed_on']").fill(timezone.localdate().strftime("%d/%m/%Y"))

    make_move(page, "Đính kèm kết quả đã ký", the_result)
    expect(page.locator(".processing-panel")).to_contain_text("Giấy phép lao động – 12/GPLĐ-SNV – Bùi Quang Dương")
    make_move(page, "Chuyển bước tiếp theo")
    at_step(page, 7, "Quầy Sở Nội vụ")

    page = lan.page
    page.reload()
    make_move(page, "Trả kết quả", lambda form: form.locator("select[name='return_result-channel']").select_option(
        label="Trực tuyến"))
    expect(page.locator(".facts")).to_contain_text("Đã trả kết quả")
    for officer in (lan, head, specialist, leader, clerk):
        officer.traffic.assert_clean()


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

    # The officers do their part, each signed in in a browser of their own.
    officers_process(browse, dossier.code, tmp_path)
    dossier.refresh_from_db()
    assert (dossier.status, dossier.return_channel) == (Status.RETURNED, "online")
    runs = [(run.order, run.finished_by.username) for run in dossier.step_runs.order_by("id")]
    assert runs == [(1, "lan"), (2, "hangvt"), (3, "toantq"), (4, "hangvt"), (5, "giamdoc"), (6, "hoa"), (7, "lan")]

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
