"""A role holder's own Ủy quyền page."""

import datetime as dt

from django.utils import timezone

from motcua.org.models import AuditEntry, Delegation, Role, User


def fmt(day):
    return day.strftime("%d/%m/%Y")


def head_of_tdkt():
    return User.objects.get(username="truongphong")


def test_role_holder_delegates_own_role_to_a_colleague(client, specialist, unit):
    head = head_of_tdkt()
    client.force_login(head)
    page = client.get("/uy-quyen/").content.decode()
    assert "Lãnh đạo phòng – Phòng Thi đua – Khen thưởng" in page  # the role they can lend
    assert "Lê Văn Minh (minh)" in page  # a colleague in their unit
    assert "Sở Tư pháp" not in page and "Võ Văn Tư" not in page  # nobody outside their units
    start = timezone.localdate() + dt.timedelta(days=10)
    response = client.post("/uy-quyen/", {
        "grant": f"{Role.HEAD_OF_UNIT}|{unit('000.05.12.H27').pk}", "delegate": specialist.pk,
        "starts_on": fmt(start), "ends_on": fmt(start + dt.timedelta(days=3)), "reason": "Nghỉ phép"})
    assert response.status_code == 302
    delegation = Delegation.objects.get(delegate=specialist)
    assert delegation.delegator == head and delegation.role == Role.HEAD_OF_UNIT
    assert AuditEntry.objects.filter(action="delegation.create", object_id=str(delegation.pk), actor=head).exists()


def test_reversed_dates_are_refused_and_input_kept(client, specialist, unit):
    client.force_login(head_of_tdkt())
    response = client.post("/uy-quyen/", {
        "grant": f"{Role.HEAD_OF_UNIT}|{unit('000.05.12.H27').pk}", "delegate": specialist.pk,
        "starts_on": "10/03/2025", "ends_on": "01/03/2025", "reason": "Nghỉ phép"})
    text = response.content.decode()
    assert response.status_code == 400
    assert "Ngày kết thúc ủy quyền phải sau hoặc bằng ngày bắt đầu." in text
    assert 'value="10/03/2025"' in text and 'value="Nghỉ phép"' in text
    assert not Delegation.objects.filter(delegate=specialist).exists()


def test_a_role_not_held_on_the_first_day_is_refused(client, specialist, unit):
    """The choice is offered today, but the role assignment started on 01/01/2024."""
    client.force_login(head_of_tdkt())
    response = client.post("/uy-quyen/", {
        "grant": f"{Role.HEAD_OF_UNIT}|{unit('000.05.12.H27').pk}", "delegate": specialist.pk,
        "starts_on": "01/12/2023", "ends_on": "05/12/2023"})
    assert response.status_code == 400
    assert "Người ủy quyền không giữ vai trò này" in response.content.decode()


def test_a_forged_grant_is_refused(client, specialist, unit):
    client.force_login(head_of_tdkt())
    response = client.post("/uy-quyen/", {
        "grant": f"{Role.AGENCY_LEADER}|{unit('000.00.12.H27').pk}", "delegate": specialist.pk,
        "starts_on": "01/03/2025", "ends_on": "05/03/2025"})
    assert response.status_code == 400
    assert not Delegation.objects.filter(delegate=specialist).exists()


def test_delegator_revokes_and_others_get_404(client, clerk):
    demo = Delegation.objects.get(delegate__username="phophong")
    client.force_login(clerk)
    assert client.post(f"/uy-quyen/{demo.pk}/thu-hoi/").status_code == 404
    client.force_login(head_of_tdkt())
    assert "Thu hồi" in client.get("/uy-quyen/").content.decode()
    assert client.post(f"/uy-quyen/{demo.pk}/thu-hoi/").status_code == 302
    demo.refresh_from_db()
    assert demo.revoked_at is not None


def test_delegate_sees_what_they_received(client, db):
    client.force_login(User.objects.get(username="phophong"))
    text = client.get("/uy-quyen/").content.decode()
    assert "Tôi được ủy quyền" in text and "Hoàng Văn Quang" in text and "Trưởng phòng đi công tác" in text


def test_citizen_cannot_delegate(client, citizen, clerk):
    client.force_login(citizen)
    response = client.post("/uy-quyen/", {"grant": "citizen|1", "delegate": clerk.pk,
                                          "starts_on": "01/03/2025", "ends_on": "02/03/2025"})
    assert response.status_code == 404
