"""The QĐ 766 page with a month it cannot use: the form keeps what the person typed, with the reason beside
the field; the tables show the current month's numbers and the page says so."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone


@pytest.mark.parametrize(("typed", "reason"), [
    ("abc", "Tháng “abc” không hợp lệ: dùng dạng yyyy-mm, ví dụ 2026-10."),
    ("2025-13", "Tháng “2025-13” không hợp lệ"),
    ("2999-01", "Tháng “2999-01” không hợp lệ"),
    ("next", "chưa đến: chưa có số liệu."),
])
def test_an_unusable_month_stays_in_the_form_with_its_reason(db, client, control_officer, typed, reason):
    client.force_login(control_officer)
    today = timezone.localdate()
    if typed == "next":     # a month that has not come yet
        typed = f"{today.year + (today.month == 12)}-{today.month % 12 + 1:02d}"
        year, month = typed.split("-")
        reason = f"Tháng {month}/{year} {reason}"
    response = client.get("/bao-cao/chi-so-766/", {"thang": typed})
    assert response.status_code == 200
    html = response.content.decode()
    field = re.search(r'<input id="i-month"[^>]*>(.*?)</div>', html, re.S)
    assert f'value="{typed}"' in field.group(0) and 'aria-invalid="true"' in field.group(0)
    assert 'class="field-error" id="i-month-error"' in field.group(1) and reason in field.group(1)
    # the numbers shown are the current month's, and the page says which month they are
    shown = f"{today.month:02d}/{today.year}"
    assert f"QĐ 766/QĐ-TTg) – tháng {shown}" in html
    assert f"đang hiển thị số liệu tháng {shown}." in html


def test_a_valid_month_is_shown_as_typed_without_an_error(db, client, control_officer):
    client.force_login(control_officer)
    html = client.get("/bao-cao/chi-so-766/?thang=2025-03").content.decode()
    assert re.search(r'<input id="i-month" name="thang" value="2025-03">', html)
    assert "field-error" not in html and "đang hiển thị số liệu tháng" not in html
    assert "tháng 03/2025" in html
