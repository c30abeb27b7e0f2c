"""JOURNEYS 1: after the result is handed back at the counter, the citizen rates the service on the
counter tablet (DOMAIN B.7 scale and criteria, once per dossier), then sees a neutral thank-you."""

from __future__ import annotations

import pytest
from django.utils import timezone

from motcua.dossiers.intake import receive_dossier
from motcua.dossiers.models import Dossier, ReturnChannel, Status
from motcua.org.models import AuditEntry, User
from motcua.portal.models import CRITERIA, Rating


@pytest.fixture
def returned(make_request, clerk):
    dossier = receive_dossier(request=make_request(), acting_user=clerk)
    # The processing steps are not this test's subject: the result was handed back at the counter.
    Dossier.objects.filter(pk=dossier.pk).update(status=Status.RETURNED, return_channel=ReturnChannel.COUNTER,
                                                 returned_at=timezone.now(), returned_to="Nguyễn Văn Hùng")
    return Dossier.objects.get(pk=dossier.pk)


def answers(**overrides):
    data = {"satisfaction": "satisfied", "comment": "Cán bộ hướng dẫn tận tình",
            **{name: "2" for name, _label in CRITERIA}}
    data["attitude"] = "1"
    data.update(overrides)
    return data


def test_officer_opens_the_tablet_page_and_the_rating_is_recorded_once(client, clerk, returned):
    client.force_login(clerk)
    url = f"/mot-cua/ho-so/{returned.code}/danh-gia-tai-quay/"
    detail = client.get(f"/mot-cua/ho-so/{returned.code}/").content.decode()
    assert "Đánh giá tại quầy" in detail and url in detail
    page = client.get(url).content.decode()
    # the B.7 scale and the nine criteria, as big radio buttons; no applicant data, no menu
    assert "Rất hài lòng" in page and "Không hài lòng" in page
    assert all(str(label) in page for _name, label in CRITERIA)
    assert page.count('type="radio"') == 3 + 9 * 3
    assert returned.applicant_name not in page and "042087001234" not in page and 'id="mainnav"' not in page
    # nothing chosen: a Vietnamese message, nothing saved, what was chosen kept
    bad = client.post(url, answers(satisfaction=""))
    assert bad.status_code == 422 and "Vui lòng chọn mức độ hài lòng" in bad.content.decode()
    assert not Rating.objects.exists()
    response = client.post(url, answers())
    assert response.status_code == 302 and response["Location"] == "/mot-cua/danh-gia-tai-quay/cam-on/"
    rating = Rating.objects.get(dossier=returned)
    assert (rating.satisfaction, rating.total, rating.user, rating.comment) == (
        "satisfied", 17, clerk, "Cán bộ hướng dẫn tận tình")
    entry = AuditEntry.objects.filter(action="portal.rate").latest("seq")
    assert entry.after["channel"] == "counter" and entry.after["dossier"] == returned.code
    thanks = client.get(response["Location"]).content.decode()
    assert "Cảm ơn" in thanks and returned.code not in thanks and returned.applicant_name not in thanks
    assert 'id="mainnav"' not in thanks
    # once per dossier: the page no longer opens, a second answer changes nothing
    again = client.post(url, answers(satisfaction="not_satisfied"))
    assert again.status_code == 302 and again["Location"] == f"/mot-cua/ho-so/{returned.code}/"
    assert Rating.objects.get(dossier=returned).satisfaction == "satisfied"
    assert "17/18" in client.get(f"/mot-cua/ho-so/{returned.code}/").content.decode()


def test_only_one_stop_officers_of_the_desk_and_only_after_a_counter_return(client, clerk, returned, leader,
                                                                             make_request):
    url = f"/mot-cua/ho-so/{returned.code}/danh-gia-tai-quay/"
    for person in (User.objects.get(username="motcuaxa"), leader, User.objects.get(username="hung")):
        client.force_login(person)
        assert client.get(url).status_code == 404, person
        assert client.post(url, answers()).status_code == 404, person
    assert client.get("/mot-cua/danh-gia-tai-quay/cam-on/").status_code == 404
    assert not Rating.objects.exists()
    # not yet returned at the counter: nothing to rate
    open_dossier = receive_dossier(request=make_request(), acting_user=clerk)
    client.force_login(clerk)
    response = client.get(f"/mot-cua/ho-so/{open_dossier.code}/danh-gia-tai-quay/")
    assert response.status_code == 302
    assert "Đánh giá tại quầy" not in client.get(f"/mot-cua/ho-so/{open_dossier.code}/").content.decode()
