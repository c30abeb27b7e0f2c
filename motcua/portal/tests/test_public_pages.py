"""Public pages: search without diacritics, the appointment if submitted now, the board, feedback."""

import datetime as dt

from django.utils import timezone

from motcua.dossiers.models import Dossier
from motcua.lib.formats import vn_datetime
from motcua.portal import actions, selectors
from motcua.portal.board import board
from motcua.portal.models import Feedback, Rating


def test_home_search_ignores_diacritics(client, db):
    body = client.get("/cong/", {"q": "xac nhan phien hieu thanh nien xung phong"}).content.decode()
    assert "Xác nhận phiên hiệu thanh niên xung phong cấp tỉnh" in body
    assert 'href="/cong/thu-tuc/2.001683/"' in body
    home = client.get("/cong/").content.decode()
    assert 'lang="vi"' in home and 'class="skip-link"' in home and "css/portal.css" in home
    assert '<label for="portal-q">' in home


def test_procedure_page_shows_the_appointment_if_submitted_now(client, work_permit):
    case = work_permit.cases.first()
    expected = selectors.appointment_if_now(work_permit, case).due_at
    body = client.get("/cong/thu-tuc/1.014199/").content.decode()
    assert "Nếu nộp ngay bây giờ, ngày hẹn trả dự kiến:" in body
    assert vn_datetime(expected) in body or vn_datetime(expected + dt.timedelta(minutes=1)) in body
    assert expected > timezone.now() + dt.timedelta(days=5)  # five working days, weekends skipped
    assert "600.000 đ" in body and "Đăng nhập bằng VNeID để nộp trực tuyến" in body
    assert client.get("/cong/thu-tuc/9.999999/").status_code == 404


def test_public_board_counts_on_time_online_and_satisfaction(client, citizen, clerk, ready_draft):
    dossier = actions.submit_draft(draft=ready_draft, acting_user=citizen)
    Dossier.objects.filter(pk=dossier.pk).update(status="returned", resolved_at=timezone.now(),
                                                 due_at=timezone.now() + dt.timedelta(days=1),
                                                 received_at=timezone.now())
    Rating.objects.create(dossier=dossier, satisfaction="satisfied")
    rows = {r.agency.code: r for r in board(year=timezone.localdate().year)}
    row = rows["000.00.12.H27"]
    assert (row.online.numerator, row.online.denominator, row.on_time.numerator, row.on_time.denominator,
            row.satisfaction.numerator, row.satisfaction.denominator) == (1, 1, 1, 1, 1, 1)
    body = client.get("/cong/bang-cong-khai/").content.decode()
    assert "Sở Nội vụ tỉnh Hà Tĩnh" in body and "100,0%" in body
    assert f"Kỳ số liệu: từ 01/01/{timezone.localdate().year} đến 31/12/{timezone.localdate().year}" in body


def test_feedback_is_recorded_and_listed_for_control_officers(client, control_officer, clerk):
    missing = client.post("/cong/phan-anh/", {"subject": "procedure", "content": "Thủ tục yêu cầu quá nhiều bản sao",
                                              "name": "Nguyễn Văn Hùng", "procedure_code": "1.014199"})
    assert missing.status_code == 400
    assert "Vui lòng để lại số điện thoại hoặc thư điện tử" in missing.content.decode()
    sent = client.post("/cong/phan-anh/", {"subject": "procedure", "content": "Thủ tục yêu cầu quá nhiều bản sao",
                                           "name": "Nguyễn Văn Hùng", "phone": "0905123456",
                                           "procedure_code": "1.014199"})
    assert sent.status_code == 302
    feedback = Feedback.objects.get()
    assert feedback.agency.code == "000.00.12.H27" and feedback.phone == "0905123456"
    client.force_login(clerk)
    assert client.get("/phan-anh/").status_code == 403
    client.force_login(control_officer)
    body = client.get("/phan-anh/").content.decode()
    assert "Thủ tục yêu cầu quá nhiều bản sao" in body and "0905123456" in body
