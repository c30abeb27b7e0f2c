"""JOURNEYS 1: the officer finds a dossier by its code, or by scanning the QR of the receipt (the scanner
types the public status URL), from the header box; part of a code lists the visible matches only."""

from __future__ import annotations

import time_machine
from django.urls import reverse

from motcua.dossiers.find import find_dossiers, normalize_code
from motcua.dossiers.intake import receive_dossier
from motcua.dossiers.slips import status_page_url
from motcua.org.models import User

from .conftest import at

FIND = "/mot-cua/tim-ho-so/"


def test_normalize_takes_the_code_out_of_a_scanned_status_url():
    code = "000.00.12.H27-251117-0042"
    assert normalize_code(f"  {code.lower()} ") == code
    assert normalize_code(f"http://motcua.example.vn/tra-cuu/?ma={code}") == code
    assert normalize_code(f"https://x.vn/tra-cuu/?lang=vi&ma={code.replace('-', '%2D')}\n") == code
    assert normalize_code("251117 - 0042") == "251117-0042"


@time_machine.travel(at("17/11/2025 10:00"), tick=False)
def test_exact_code_or_scanned_url_opens_the_dossier_page_scoped(client, clerk, make_request):
    dossier = receive_dossier(request=make_request(), acting_user=clerk)
    client.force_login(clerk)
    detail = reverse("dossiers_detail", args=[dossier.code])
    # the header box is on every officer page
    home = client.get("/").content.decode()
    assert 'id="find-dossier-header"' in home and 'action="/mot-cua/tim-ho-so/"' in home
    for typed in (dossier.code, f"  {dossier.code.lower()}  ", status_page_url(dossier.code)):
        response = client.get(FIND, {"ma": typed})
        assert response.status_code == 302 and response["Location"] == detail, typed
    # another desk's officer: the same "not found" as for a code that does not exist, nothing named
    client.force_login(User.objects.get(username="motcuaxa"))
    for typed in (dossier.code, "251117-00", dossier.code[:20]):
        page = client.get(FIND, {"ma": typed})
        assert page.status_code == 404
        text = page.content.decode()
        assert "không có quyền xem" in text and dossier.applicant_name not in text
        assert reverse("dossiers_detail", args=[dossier.code]) not in text


@time_machine.travel(at("17/11/2025 10:00"), tick=False)
def test_part_of_a_code_lists_the_visible_matches(client, clerk, make_request):
    first = receive_dossier(request=make_request(), acting_user=clerk)
    second = receive_dossier(request=make_request(received_at=at("17/11/2025 09:20")), acting_user=clerk)
    older = receive_dossier(request=make_request(received_at=at("14/11/2025 09:20")), acting_user=clerk)
    assert first.code.endswith("-251117-0001") and second.code.endswith("-251117-0002")
    # a bare sequence number is today's; "YYMMDD-NNNN" after any agency; a code's start as typed
    assert [d.code for d in find_dossiers(clerk, "0002").matches] == [second.code]
    assert [d.code for d in find_dossiers(clerk, "251117-000").matches] == [second.code, first.code]
    assert [d.code for d in find_dossiers(clerk, "251114").matches] == [older.code]
    assert {d.code for d in find_dossiers(clerk, first.code.split("-")[0]).matches} == {
        first.code, second.code, older.code}
    client.force_login(clerk)
    page = client.get(FIND, {"ma": " 251117-000 "})
    text = page.content.decode()
    assert page.status_code == 200 and first.code in text and second.code in text and older.code not in text
    assert "Nhập ít nhất 2 ký tự" in client.get(FIND, {"ma": "7"}).content.decode()
    assert find_dossiers(User.objects.get(username="motcuaxa"), "251117-000").matches == []
