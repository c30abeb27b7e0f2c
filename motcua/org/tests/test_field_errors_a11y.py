"""Field errors are tied to their inputs: an invalid field carries aria-invalid="true" and aria-describedby
naming its hint (if any) and its error element, so a screen reader reads the error with the field."""

from __future__ import annotations

import lxml.html
import pytest
from django import forms
from django.template.loader import render_to_string
from django.test import Client


class Sample(forms.Form):
    code = forms.CharField(label="Mã hồ sơ", max_length=5, help_text="Ghi trên giấy tiếp nhận")
    phone = forms.CharField(label="Số điện thoại", widget=forms.TextInput(attrs={"aria-describedby": "phone-hint"}))
    channel = forms.ChoiceField(label="Hình thức nhận", widget=forms.RadioSelect,
                                choices=[("counter", "Tại quầy"), ("online", "Trực tuyến")])
    agree = forms.BooleanField(label="Tôi đồng ý")
    note = forms.CharField(label="Ghi chú", required=False)

    def clean_code(self):
        if self.cleaned_data["code"] == "ABC":
            raise forms.ValidationError(["Mã không đúng định dạng.", "Không có hồ sơ này."])
        return self.cleaned_data["code"]


def rendered(template: str, form: forms.Form) -> lxml.html.HtmlElement:
    html = "".join(render_to_string(template, {"field": field}) for field in form)
    return lxml.html.fragment_fromstring(html, create_parent="div")


def described_by(tree, element) -> list[str]:
    """The text of each element the input's aria-describedby names (each id present exactly once)."""
    texts = []
    for ref in element.get("aria-describedby", "").split():
        matches = tree.xpath(f"//*[@id='{ref}']")
        assert len(matches) == 1, f"aria-describedby names {ref!r}, found {len(matches)} elements"
        texts.append(matches[0].text_content().strip())
    return texts


@pytest.mark.parametrize("template", ["org/_field.html", "portal/_field.html"])
def test_invalid_fields_name_their_error_and_keep_their_hint(template):
    form = Sample(data={"code": "ABCDEFG", "phone": "", "channel": "post", "note": "x"})
    assert not form.is_valid()
    tree = rendered(template, form)

    code = tree.get_element_by_id("id_code")
    assert code.get("aria-invalid") == "true"
    assert code.get("aria-describedby") == "id_code_helptext id_code_error"
    hint, error = described_by(tree, code)
    assert hint == "Ghi trên giấy tiếp nhận"
    assert error == "Giá trị này chỉ có tối đa 5 kí tự (hiện có 7)"
    assert tree.xpath("//*[@id='id_code_error']")[0].get("class") == "field-error"

    phone = tree.get_element_by_id("id_phone")
    assert phone.get("aria-invalid") == "true"
    # The hint id the widget already named stays first (that hint lives elsewhere on the page).
    assert phone.get("aria-describedby") == "phone-hint id_phone_error"
    assert "Trường này là bắt buộc." in tree.get_element_by_id("id_phone_error").text_content()

    radios = tree.xpath("//input[@name='channel']")
    assert len(radios) == 2
    for radio in radios:
        assert radio.get("aria-invalid") == "true"
        assert described_by(tree, radio) == [tree.get_element_by_id("id_channel_error").text_content().strip()]
    assert "Hãy chọn một lựa chọn hợp lệ" in tree.get_element_by_id("id_channel_error").text_content()

    agree = tree.get_element_by_id("id_agree")
    assert agree.get("aria-invalid") == "true"
    assert described_by(tree, agree) == ["Trường này là bắt buộc."]

    note = tree.get_element_by_id("id_note")
    assert note.get("aria-invalid") is None and note.get("aria-describedby") is None
    assert not tree.xpath("//*[@id='id_note_error']")


def test_a_field_with_two_errors_has_one_error_element():
    form = Sample(data={"code": "ABC", "phone": "1", "channel": "online", "agree": "on"})
    assert not form.is_valid()
    tree = rendered("org/_field.html", form)
    errors = tree.xpath("//*[@id='id_code_error']")
    assert len(errors) == 1
    assert errors[0].text_content() == "Mã không đúng định dạng. Không có hồ sơ này."


def test_unbound_and_valid_fields_are_not_marked_invalid():
    valid = Sample(data={"code": "A", "phone": "1", "channel": "online", "agree": "on"})
    assert valid.is_valid()
    for form in (Sample(), valid):
        tree = rendered("portal/_field.html", form)
        assert not tree.xpath("//*[@aria-invalid]")
        assert tree.get_element_by_id("id_code").get("aria-describedby") == "id_code_helptext"
        assert tree.get_element_by_id("id_phone").get("aria-describedby") == "phone-hint"


@pytest.mark.django_db
def test_sign_in_page_ties_the_error_to_the_field():
    response = Client().post("/dang-nhap/", {"username": "", "password": ""})
    tree = lxml.html.fromstring(response.content.decode())
    username = tree.get_element_by_id("id_username")
    assert username.get("aria-invalid") == "true"
    assert described_by(tree, username) == ["Trường này là bắt buộc."]
