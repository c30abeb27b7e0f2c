import datetime as dt

import pytest
import time_machine

from motcua.catalog.models import InternalProcess, ProcedureCase, PublicationDecision
from motcua.catalog.tests.conftest import ARCHIVE_STEPS, make_entry
from motcua.org.models import AuditEntry

pytestmark = pytest.mark.django_db

URL = "/danh-muc/quy-trinh/{}/"


@pytest.fixture
def case(publish):
    publish([make_entry(steps=False)], number="1/QĐ-UBND", signed_on="2026-03-02")
    return ProcedureCase.objects.get()


def post_data(steps, action="save"):
    data = {"steps-TOTAL_FORMS": str(len(steps)), "steps-INITIAL_FORMS": str(len(steps)),
            "steps-MIN_NUM_FORMS": "0", "steps-MAX_NUM_FORMS": "100", "action": action}
    for i, step in enumerate(steps):
        data[f"steps-{i}-unit"] = step["unit"]
        data[f"steps-{i}-role"] = step["role"]
        data[f"steps-{i}-budget"] = step["budget"]
        data[f"steps-{i}-description"] = step["description"]
        if step.get("counted", True):
            data[f"steps-{i}-counted"] = "on"
    return data


def test_only_control_officers_edit_processes(client, case, clerk, specialist, control_officer):
    assert client.get(URL.format(case.pk)).status_code == 302  # sign in first
    for person in (clerk, specialist):
        client.force_login(person)
        assert client.get(URL.format(case.pk)).status_code == 403
        assert client.post(URL.format(case.pk), post_data(ARCHIVE_STEPS)).status_code == 403
    assert not InternalProcess.objects.exists()
    client.force_login(control_officer)
    assert client.get(URL.format(case.pk)).status_code == 200
    assert client.get(URL.format(999999)).status_code == 404


def test_budgets_that_do_not_add_up_save_nothing_and_keep_what_was_typed(client, case, control_officer):
    client.force_login(control_officer)
    steps = [dict(s) for s in ARCHIVE_STEPS]
    steps[2]["budget"] = "6,5"
    steps[2]["description"] = "Thẩm định hồ sơ, kiểm tra thực tế"
    response = client.post(URL.format(case.pk), post_data(steps))
    assert response.status_code == 400
    html = response.content.decode()
    assert ("Tổng thời gian các bước được tính (9,5 ngày làm việc) khác thời hạn giải quyết "
            "(10 ngày làm việc)") in html
    assert 'value="6,5"' in html and "Thẩm định hồ sơ, kiểm tra thực tế" in html
    assert not InternalProcess.objects.exists()


def test_bad_rows_are_marked_on_their_step(client, case, control_officer):
    client.force_login(control_officer)
    steps = [dict(s) for s in ARCHIVE_STEPS]
    steps[1]["budget"] = "nửa ngày"
    steps[3]["description"] = ""
    response = client.post(URL.format(case.pk), post_data(steps))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Nhập nội dung công việc của bước." in html
    # The budget is read by the action once the form itself is complete.
    steps[3]["description"] = "Xem xét"
    html = client.post(URL.format(case.pk), post_data(steps)).content.decode()
    assert "«nửa ngày» không phải số." in html and 'value="nửa ngày"' in html
    assert not InternalProcess.objects.exists()


@time_machine.travel("2026-03-04 10:00 +0700", tick=False)
def test_a_valid_process_is_configured_today_and_shows_on_time(client, case, control_officer):
    client.force_login(control_officer)
    response = client.post(URL.format(case.pk), post_data(ARCHIVE_STEPS))
    decision = PublicationDecision.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/danh-muc/quyet-dinh/{decision.pk}/"
    process = InternalProcess.objects.get(case=case)
    assert process.configured_on == dt.date(2026, 3, 4) and process.configured_by == control_officer
    assert [s.description for s in process.steps.all()] == [s["description"] for s in ARCHIVE_STEPS]
    assert not process.steps.get(order=7).counted and process.counted_total() == 10
    assert AuditEntry.objects.filter(action="catalog.configure_process").exists()
    html = client.get(f"/danh-muc/quyet-dinh/{decision.pk}/").content.decode()
    assert "Đúng hạn" in html and f"/danh-muc/quy-trinh/{case.pk}/" in html
    html = client.get(URL.format(case.pk)).content.decode()
    assert "04/03/2026" in html and 'value="0,5"' in html


def test_add_remove_and_move_steps_before_saving(client, case, control_officer):
    client.force_login(control_officer)
    steps = [dict(s) for s in ARCHIVE_STEPS[:3]]
    html = client.post(URL.format(case.pk), post_data(steps, action="add")).content.decode()
    assert 'name="steps-TOTAL_FORMS" value="4"' in html
    html = client.post(URL.format(case.pk), post_data(steps, action="remove-0")).content.decode()
    assert 'name="steps-TOTAL_FORMS" value="2"' in html and "Tiếp nhận, chuyển hồ sơ" not in html
    html = client.post(URL.format(case.pk), post_data(steps, action="down-0")).content.decode()
    assert html.index("Phân công xử lý") < html.index("Tiếp nhận, chuyển hồ sơ")
    assert not InternalProcess.objects.exists()
    moved = [steps[1], steps[0], {**steps[2], "budget": "9"}]
    assert client.post(URL.format(case.pk), post_data(moved)).status_code == 302
    assert [s.description for s in InternalProcess.objects.get().steps.all()] == [
        "Phân công xử lý", "Tiếp nhận, chuyển hồ sơ", "Thẩm định hồ sơ"]


def test_removing_every_step_is_refused(client, case, control_officer):
    client.force_login(control_officer)
    response = client.post(URL.format(case.pk), post_data([]))
    assert response.status_code == 400
    assert "Quy trình nội bộ phải có ít nhất một bước." in response.content.decode()


def test_an_amended_version_starts_from_the_previous_process(client, publish, control_officer):
    publish([make_entry()], number="1/QĐ-UBND", signed_on="2025-11-28")
    publish([make_entry(kind="amended", steps=False)], number="2/QĐ-UBND", signed_on="2026-01-05")
    case = ProcedureCase.objects.get(version__decision__number="2/QĐ-UBND")
    client.force_login(control_officer)
    html = client.get(URL.format(case.pk)).content.decode()
    assert "lấy từ quy trình của phiên bản trước (Quyết định 1/QĐ-UBND)" in html
    assert "Thẩm định hồ sơ" in html and 'name="steps-TOTAL_FORMS" value="7"' in html
    assert not InternalProcess.objects.filter(case=case).exists()


def test_control_page_links_missing_processes_to_the_editor(client, case, control_officer):
    client.force_login(control_officer)
    with time_machine.travel("2026-03-12 10:00 +0700", tick=False):
        html = client.get("/danh-muc/").content.decode()
    assert html.count(f"/danh-muc/quy-trinh/{case.pk}/") == 2  # late and without a process
