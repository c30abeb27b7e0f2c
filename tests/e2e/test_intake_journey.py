"""JOURNEYS 1, Chị Lan's morning at the counter: find the procedure without diacritics, find the
man from his earlier dossier, print a supplement request for the missing form (nothing received),
then receive the complete dossier and print the receipt with its code and appointment."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from motcua.dossiers.models import Applicant, Dossier, IntakeNotice
from motcua.org.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def pdf_text(data: bytes) -> str:
    return " ".join("\n".join(p.extract_text() for p in PdfReader(BytesIO(data)).pages).split())


def test_lan_asks_for_the_missing_form_then_receives_the_dossier(desktop):
    Applicant.objects.create(kind="citizen", identifier="042087001234", name="Nguyễn Văn Hùng",
                             phone="0905123456", address="Phường Thành Sen, Hà Tĩnh",
                             search_text="nguyen van hung 042087001234 0905123456")
    page = desktop.page
    desktop.login("lan", DEMO_PASSWORD)
    page.click("nav >> text=Tiếp nhận hồ sơ")

    page.fill("#procedure-q", "luu tru")
    suggestion = page.locator("#procedure-suggestions a", has_text="1.013934")
    suggestion.wait_for()
    suggestion.click()
    page.wait_for_selector("text=Thành phần hồ sơ")

    page.fill("#id_applicant_identifier", "042087001234")
    expect(page.locator("#id_applicant_name")).to_have_value("Nguyễn Văn Hùng")
    assert page.input_value("#id_applicant_phone") == "0905123456"

    boxes = page.locator("input[name^=present_]")
    count = boxes.count()
    for i in range(count - 1):
        boxes.nth(i).check()
    missing = page.locator("table.checklist tbody tr").nth(count - 1).locator("label.plain").inner_text()
    page.click("summary:has-text('Yêu cầu bổ sung')")
    page.click("button[value=supplement]")
    page.wait_for_selector("#notice-number")
    assert Dossier.objects.count() == 0
    notice = IntakeNotice.objects.get()
    link = page.locator("a", has_text="In phiếu yêu cầu bổ sung")
    slip = page.request.get(link.get_attribute("href"))
    assert slip.headers["content-type"] == "application/pdf"
    assert missing in pdf_text(slip.body()) and notice.number in pdf_text(slip.body())

    page.click("text=Tiếp nhận khi đã bổ sung đủ")
    page.wait_for_selector("text=Thành phần hồ sơ")
    assert page.input_value("#id_applicant_name") == "Nguyễn Văn Hùng"
    for i in range(page.locator("input[name^=present_]").count()):
        page.locator("input[name^=present_]").nth(i).check()
    page.click("button[value=receive]")
    page.wait_for_selector("#dossier-code")
    code = page.inner_text("#dossier-code")
    assert re.fullmatch(r"000\.00\.12\.H27-\d{6}-\d{4}", code)
    dossier = Dossier.objects.get(code=code)
    assert page.inner_text("#due-at") == timezone.localtime(dossier.due_at).strftime("%H:%M %d/%m/%Y")
    receipt = page.request.get(page.locator("a", has_text="In giấy tiếp nhận").get_attribute("href"))
    text = pdf_text(receipt.body())
    assert code in text and "Nguyễn Văn Hùng" in text and missing in text
    desktop.traffic.assert_clean()


def open_intake_form(desktop):
    page = desktop.page
    desktop.login("lan", DEMO_PASSWORD)
    page.click("nav >> text=Tiếp nhận hồ sơ")
    page.fill("#procedure-q", "luu tru")
    suggestion = page.locator("#procedure-suggestions a", has_text="1.013934")
    suggestion.wait_for()
    suggestion.click()
    page.wait_for_selector("text=Thành phần hồ sơ")
    return page


def test_typing_fast_after_tab_keeps_every_character(desktop):
    """The ID-number lookup answers while the officer is already typing the name: it must not reload
    the name box (it used to, dropping the first characters)."""
    page = open_intake_form(desktop)
    page.click("#id_applicant_identifier")
    page.keyboard.type("042087005555")
    page.keyboard.press("Tab")
    # 60 ms a key: the lookup (300 ms after the last digit, then the round trip) lands mid-word
    page.keyboard.type("Trần Thị Bích", delay=60)
    expect(page.locator("#applicant-suggestion")).to_contain_text("Chưa có người nộp này")
    page.keyboard.type(" Ngọc", delay=30)
    assert page.input_value("#id_applicant_name") == "Trần Thị Bích Ngọc"
    assert page.evaluate("document.activeElement.id") == "id_applicant_name"
    desktop.traffic.assert_clean()


def test_known_applicant_fills_only_empty_untouched_fields_and_the_button_fills_all(desktop):
    Applicant.objects.create(kind="citizen", identifier="042087001234", name="Nguyễn Văn Hùng",
                             phone="0905123456", address="Phường Thành Sen, Hà Tĩnh",
                             search_text="nguyen van hung 042087001234 0905123456")
    page = open_intake_form(desktop)
    page.click("#id_applicant_identifier")
    page.keyboard.type("042087001234")
    page.keyboard.press("Tab")
    page.keyboard.type("Nguyễn Văn", delay=60)
    suggestion = page.locator("#applicant-suggestion")
    expect(suggestion).to_contain_text("Đã tìm thấy Nguyễn Văn Hùng")
    # the name the officer is typing is left alone; the empty phone and address are filled
    expect(page.locator("#id_applicant_phone")).to_have_value("0905123456")
    assert page.input_value("#id_applicant_name") == "Nguyễn Văn"
    assert page.input_value("#id_applicant_address") == "Phường Thành Sen, Hà Tĩnh"
    # keyboard: focus the button, Enter → every field takes the earlier record's values, no page load
    suggestion.get_by_role("button", name="Dùng thông tin này").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#id_applicant_name")).to_have_value("Nguyễn Văn Hùng")
    assert page.evaluate("document.activeElement.id") == "id_applicant_name"
    assert page.locator("#procedure-q").count() == 0  # still on the form, nothing submitted
    desktop.traffic.assert_clean()
