"""The KPI page with a year it cannot use: the form keeps what the person typed, with the reason beside the
field; the cards show the current year's numbers and the page says so."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone


@pytest.mark.parametrize(("typed", "reason"), [
    ("abc", "Năm “abc” không hợp lệ."),
    ("1800", "Năm 1800 chưa có số liệu"),
    ("2999", "Năm 2999 chưa có số liệu"),
])
def test_an_unusable_year_stays_in_the_form_with_its_reason(db, client, control_officer, typed, reason):
    client.force_login(control_officer)
    response = client.get(f"/bao-cao/kpi/?nam={typed}")
    assert response.status_code == 200
    html = response.content.decode()
    this_year = timezone.localdate().year
    field = re.search(r'<input id="k-year"[^>]*>(.*?)</div>', html, re.S)
    assert f'value="{typed}"' in field.group(0) and 'aria-invalid="true"' in field.group(0)
    assert 'class="field-error" id="k-year-error"' in field.group(1) and reason in field.group(1)
    # the numbers shown are the current year's, and the page says which year they are
    assert f"Chỉ tiêu kiểm soát TTHC năm {this_year}" in html
    assert f"đang hiển thị số liệu năm {this_year}." in html
    assert f"nam={this_year}&amp;phan=num" in html


def test_a_valid_year_is_shown_as_typed_without_an_error(db, client, control_officer):
    client.force_login(control_officer)
    html = client.get("/bao-cao/kpi/?nam=2025").content.decode()
    assert re.search(r'<input id="k-year" name="nam" value="2025" inputmode="numeric">', html)
    assert "field-error" not in html and "đang hiển thị số liệu năm" not in html
