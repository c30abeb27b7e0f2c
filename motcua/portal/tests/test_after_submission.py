"""After submission: supplement online (the clock resumes, or back to the check), result download by
the owner only, rating once with the B.7 scale and criteria, my documents."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from motcua.dossiers import transitions as t
from motcua.dossiers.models import DossierEvent, Status
from motcua.dossiers.online import accept_online_dossier, request_online_supplement
from motcua.org.models import User
from motcua.portal import actions
from motcua.portal.models import Rating

from .conftest import tiny_pdf


@pytest.fixture
def submitted(ready_draft, citizen):
    return actions.submit_draft(draft=ready_draft, acting_user=citizen)


def _accept(dossier, clerk, at=None):
    return accept_online_dossier(dossier=dossier, present_components=set(
        dossier.checklist.values_list("component_id", flat=True)), acting_user=clerk, received_at=at)


def _upload(name):
    return SimpleUploadedFile(name, tiny_pdf(name), content_type="application/pdf")


def test_supplement_online_resumes_the_clock(client, citizen, clerk, submitted):
    start = timezone.now() - dt.timedelta(days=6)
    submitted.submitted_at = start - dt.timedelta(hours=1)
    submitted.save(update_fields=["submitted_at"])
    dossier = _accept(submitted, clerk, at=start)
    dossier = t.hand_on(dossier=dossier, acting_user=clerk, at=start + dt.timedelta(hours=1))
    t.request_supplement(dossier=dossier, items=[{"name": "Giấy chứng nhận sức khỏe", "reason": "Hết hạn"}],
                         reason="Bổ sung giấy khám sức khỏe còn hạn", acting_user=clerk,
                         at=start + dt.timedelta(hours=2))
    dossier.refresh_from_db()
    due_before = dossier.due_at
    client.force_login(citizen)
    page = client.get(f"/cong/ho-so-cua-toi/{dossier.code}/").content.decode()
    assert "Bổ sung hồ sơ trực tuyến" in page and "Giấy chứng nhận sức khỏe" in page
    response = client.post(f"/cong/ho-so-cua-toi/{dossier.code}/bo-sung/", {"files": [_upload("suc-khoe-moi.pdf")]})
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Status.IN_PROGRESS and dossier.paused_since is None
    assert dossier.due_at > due_before  # the working time spent waiting was added back
    event = dossier.events.get(action="receive_supplement")
    assert event.actor == citizen and event.data["paused_minutes"] > 0
    assert dossier.files.filter(original_name="suc-khoe-moi.pdf", uploaded_by=citizen).exists()
    assert dossier.supplements.get().received_at is not None


def test_supplement_at_the_check_puts_the_dossier_back_to_waiting(client, citizen, clerk, submitted):
    request_online_supplement(dossier=submitted, items=[{"name": "Hộ chiếu", "reason": "Ảnh mờ"}],
                              reason="Hộ chiếu chụp không rõ", acting_user=clerk)
    client.force_login(citizen)
    assert "Ảnh mờ" in client.get(f"/cong/ho-so-cua-toi/{submitted.code}/").content.decode()
    empty = client.post(f"/cong/ho-so-cua-toi/{submitted.code}/bo-sung/", {}, follow=True)
    assert "Vui lòng chọn ít nhất một tệp" in empty.content.decode()
    client.post(f"/cong/ho-so-cua-toi/{submitted.code}/bo-sung/", {"files": [_upload("ho-chieu-ro.pdf")]})
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED
    event = DossierEvent.objects.filter(dossier=submitted).last()
    assert (event.action, event.from_status, event.to_status) == ("supplement_online", "supplement_requested",
                                                                  "submitted")
    assert _accept(submitted, clerk).status == Status.RECEIVED


def _returned(dossier, clerk):
    dossier = _accept(dossier, clerk)
    steps = t.process_steps(dossier)
    deciding = t.deciding_step(steps)
    instant = timezone.now()
    while dossier.current_step is None or dossier.current_step.order < deciding.order:
        dossier = t.hand_on(dossier=dossier, acting_user=clerk, at=instant)
    t.decide(dossier=dossier, approve=True, acting_user=clerk, at=instant)
    t.attach_result(dossier=dossier, name="Giấy phép lao động", content=tiny_pdf("giay phep"), filename="gpld.pdf",
                    content_type="application/pdf", number="12/GPLĐ", acting_user=clerk, at=instant)
    while dossier.status != Status.RESOLVED:
        dossier = t.hand_on(dossier=dossier, acting_user=clerk, at=instant)
    return t.return_result(dossier=dossier, channel="online", acting_user=clerk, at=instant)


def test_result_download_is_for_the_owner_only(client, citizen, clerk, submitted):
    dossier = _returned(submitted, clerk)
    result = dossier.results.get()
    url = f"/cong/ho-so-cua-toi/{dossier.code}/ket-qua/{result.pk}/"
    client.force_login(citizen)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    other = User.objects.create_user(username="binh", password="x-Binh-2025", full_name="Trần Thị Bình",
                                     personal_id="042190005678")
    client.force_login(other)
    assert client.get(url).status_code == 404
    assert client.get(f"/cong/ho-so-cua-toi/{dossier.code}/").status_code == 404


def test_rating_once_after_return(client, citizen, clerk, submitted):
    client.force_login(citizen)
    scores = {"time_total": 2, "time_units": 2, "contacts": 2, "agencies_contacted": 2, "one_stop": 1,
              "publicity": 2, "attitude": 2, "feedback_response": 1, "online_service": 2}
    early = client.post(f"/cong/ho-so-cua-toi/{submitted.code}/danh-gia/", {"satisfaction": "satisfied", **scores},
                        follow=True)
    assert "Chỉ đánh giá được sau khi đã nhận kết quả." in early.content.decode()
    dossier = _returned(submitted, clerk)
    page = client.get(f"/cong/ho-so-cua-toi/{dossier.code}/").content.decode()
    assert "Rất hài lòng" in page and "Thái độ của cán bộ, công chức, viên chức" in page
    client.post(f"/cong/ho-so-cua-toi/{dossier.code}/danh-gia/", {"satisfaction": "very_satisfied",
                                                                 "comment": "Nhanh, gọn", **scores})
    rating = Rating.objects.get(dossier=dossier)
    assert (rating.satisfaction, rating.total, rating.classification, rating.user) == (
        "very_satisfied", 16, "Xuất sắc", citizen)
    again = client.post(f"/cong/ho-so-cua-toi/{dossier.code}/danh-gia/", {"satisfaction": "not_satisfied",
                                                                         **scores}, follow=True)
    assert "mỗi hồ sơ chỉ đánh giá một lần" in again.content.decode()
    assert Rating.objects.filter(dossier=dossier).count() == 1
    bad = dict(scores, attitude=3)
    with pytest.raises(actions.PortalError):
        actions.rate_dossier(dossier=dossier, satisfaction="satisfied", scores=bad, acting_user=citizen)


def test_my_documents_lists_records_with_validity(client, citizen, passport):
    client.force_login(citizen)
    body = client.get("/cong/giay-to-cua-toi/").content.decode()
    assert "Hộ chiếu C1234567" in body and passport.valid_until.strftime("%d/%m/%Y") in body
    download = client.get(f"/cong/giay-to-cua-toi/{passport.pk}/")
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    other = User.objects.create_user(username="binh", password="x-Binh-2025", full_name="Trần Thị Bình")
    client.force_login(other)
    assert client.get(f"/cong/giay-to-cua-toi/{passport.pk}/").status_code == 404
