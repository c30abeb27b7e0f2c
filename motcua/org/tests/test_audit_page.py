"""The audit log page: control officer and system administrator only, searchable without diacritics."""

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from motcua.org import actions
from motcua.org.models import AuditEntry, Unit


@pytest.fixture
def renamed_commune(sysadmin, unit):
    """A recent change about "Thạch Hà" made by the administrator from a known address."""
    return actions.update_unit(unit=unit("000.00.52.H27"), acting_user=sysadmin, ip="10.1.2.3",
                               short_name="UBND xã Thạch Hà (mới)")


def test_search_ignores_diacritics(client, control_officer, renamed_commune):
    client.force_login(control_officer)
    text = client.get("/nhat-ky/", {"q": "thach ha"}).content.decode()
    assert "Ủy ban nhân dân xã Thạch Hà" in text
    assert "Sở Tư pháp tỉnh Hà Tĩnh" not in text
    # Upper case and full diacritics find the same entries.
    assert "UBND xã Thạch Hà (mới)" in client.get("/nhat-ky/", {"q": "THẠCH HÀ"}).content.decode()


def test_row_shows_time_actor_address_action_object_and_diff(client, control_officer, renamed_commune):
    client.force_login(control_officer)
    entry = AuditEntry.objects.get(action="unit.update", object_id=str(renamed_commune.pk))
    text = client.get("/nhat-ky/", {"q": "thach ha", "action": "unit.update"}).content.decode()
    local = timezone.localtime(entry.at)
    assert local.strftime("%d/%m/%Y %H:%M") in text
    assert "Nguyễn Quản Trị" in text and "10.1.2.3" in text and "unit.update" in text
    assert "short_name" in text and "UBND xã Thạch Hà" in text and "UBND xã Thạch Hà (mới)" in text
    assert "kind</th>" not in text  # unchanged fields are left out of the diff


def test_filters_by_action_object_type_actor_and_dates(client, control_officer, sysadmin, renamed_commune):
    client.force_login(control_officer)
    page = client.get("/nhat-ky/", {"action": "unit.update", "actor": sysadmin.pk, "object_type": "org.unit"})
    assert [e.action for e in page.context["page"]] == ["unit.update"]
    today = timezone.localdate()
    tomorrow = (today + dt.timedelta(days=1)).strftime("%d/%m/%Y")
    assert client.get("/nhat-ky/", {"action": "unit.update", "date_from": tomorrow}).context["page"].paginator.count == 0
    same_day = {"action": "unit.update", "date_from": today.strftime("%d/%m/%Y"), "date_to": today.strftime("%d/%m/%Y")}
    assert client.get("/nhat-ky/", same_day).context["page"].paginator.count == 1


def test_bad_date_gets_a_vietnamese_message_and_keeps_the_input(client, control_officer):
    client.force_login(control_officer)
    text = client.get("/nhat-ky/", {"q": "thach ha", "date_from": "31/02/2025"}).content.decode()
    assert "Nhập ngày theo dạng dd/mm/yyyy" in text
    assert 'value="31/02/2025"' in text and 'value="thach ha"' in text


def test_newest_first_and_paginated(client, control_officer, sysadmin):
    with transaction.atomic():
        for i in range(60):
            actions.update_unit(unit=Unit.objects.get(code="000.00.51.H27"), acting_user=sysadmin,
                                short_name=f"Thành Sen {i}")
    client.force_login(control_officer)
    first = client.get("/nhat-ky/", {"action": "unit.update"}).context["page"]
    seqs = [e.seq for e in first]
    assert len(seqs) == 50 and seqs == sorted(seqs, reverse=True)
    second = client.get("/nhat-ky/", {"action": "unit.update", "trang": 2})
    assert len(second.context["page"].object_list) == 10
    assert "Thành Sen 0" in second.content.decode()


def test_htmx_filter_returns_only_the_results_partial(client, control_officer, renamed_commune):
    client.force_login(control_officer)
    response = client.get("/nhat-ky/", {"q": "thach ha"}, headers={"HX-Request": "true"})
    text = response.content.decode()
    assert text.lstrip().startswith('<div id="audit-results">')
    assert "<html" not in text and "Thạch Hà" in text


def test_verify_chain_shows_the_report(client, control_officer):
    client.force_login(control_officer)
    text = client.get("/nhat-ky/kiem-tra/").content.decode()
    assert "Chuỗi nhật ký toàn vẹn" in text
    partial = client.get("/nhat-ky/kiem-tra/", headers={"HX-Request": "true"}).content.decode()
    assert partial.lstrip().startswith('<div id="chain-status"') and "Chuỗi nhật ký toàn vẹn" in partial


@pytest.mark.parametrize("persona", ["clerk", "specialist", "leader", "citizen", "outsider"])
def test_others_get_404(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get("/nhat-ky/").status_code == 404
    assert client.get("/nhat-ky/kiem-tra/").status_code == 404


def test_system_admin_reads_the_log(client, sysadmin):
    client.force_login(sysadmin)
    assert client.get("/nhat-ky/").status_code == 200


def test_query_count_is_bounded(client, control_officer, renamed_commune, django_assert_max_num_queries):
    client.force_login(control_officer)
    with django_assert_max_num_queries(11):
        response = client.get("/nhat-ky/", {"q": "thach ha", "action": "unit.update"})
    assert response.status_code == 200
