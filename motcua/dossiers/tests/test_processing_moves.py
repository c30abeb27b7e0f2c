"""Anh Minh's week (JOURNEYS 2): one dossier of 1.013934 through its internal process."""

import datetime as dt

import pytest

from motcua.dossiers import transitions as t
from motcua.dossiers.intake import receive_dossier
from motcua.dossiers.models import DossierEvent, Outcome, Status, StepResult
from motcua.org.audit import verify_chain
from motcua.org.models import Unit, User

from .conftest import at


@pytest.fixture
def received(make_request, clerk):
    return receive_dossier(request=make_request(received_at=at("17/11/2025 09:10")), acting_user=clerk)


def people(*names):
    return [User.objects.get(username=n) for n in names]


def walk_to(dossier, order, actor, start="17/11/2025 10:00", step_hours=1):
    instant = at(start)
    while dossier.current_step is None or dossier.current_step.order < order:
        dossier = t.hand_on(dossier=dossier, acting_user=actor, at=instant)
        instant += dt.timedelta(hours=step_hours)
    return dossier, instant


def test_hand_on_closes_reception_and_opens_the_next_step(received, clerk):
    dossier = t.hand_on(dossier=received, acting_user=clerk, at=at("17/11/2025 10:00"))
    assert dossier.status == Status.IN_PROGRESS
    runs = list(dossier.step_runs.order_by("id"))
    assert [r.order for r in runs] == [1, 2]
    assert runs[0].finished_at == at("17/11/2025 10:00") and runs[0].result == StepResult.ON_TIME
    assert runs[1].received_at == at("17/11/2025 10:00") and runs[1].finished_at is None
    assert runs[1].due_at == at("17/11/2025 16:00")  # 0.5 day = 4 h: 10:00–11:30, 13:30–16:00 (winter hours)
    assert DossierEvent.objects.filter(dossier=dossier, action="hand_on").count() == 1


def test_supplement_pauses_the_clock_and_resume_adds_the_waiting_time(received, clerk):
    dossier, _ = walk_to(received, 3, clerk)
    due_before = dossier.due_at
    t.request_supplement(dossier=dossier, items=[{"name": "Bản sao giấy phép kinh doanh", "reason": "không đọc được"}],
                         reason="Bản sao mờ", acting_user=clerk, at=at("19/11/2025 10:00"))
    dossier.refresh_from_db()
    assert dossier.status == Status.SUPPLEMENT_REQUESTED and dossier.paused_since == at("19/11/2025 10:00")
    with pytest.raises(t.IllegalMove):
        t.hand_on(dossier=dossier, acting_user=clerk, at=at("20/11/2025 10:00"))
    dossier = t.receive_supplement(dossier=dossier, acting_user=clerk, at=at("21/11/2025 10:00"))
    assert dossier.status == Status.IN_PROGRESS and dossier.paused_since is None
    # Two working days waited (Wed 10:00 → Fri 10:00): the appointment moves by exactly that.
    schedule = t.schedule_of(dossier)
    assert schedule.working_between(due_before, dossier.due_at) == dt.timedelta(hours=16)


def test_second_supplement_request_is_recorded_as_repeated(received, clerk):
    dossier, _ = walk_to(received, 3, clerk)
    t.request_supplement(dossier=dossier, items=[{"name": "A"}], reason="x", acting_user=clerk,
                         at=at("18/11/2025 08:00"))
    t.receive_supplement(dossier=dossier, acting_user=clerk, at=at("18/11/2025 09:00"))
    second = t.request_supplement(dossier=dossier, items=[{"name": "B"}], reason="y", acting_user=clerk,
                                  at=at("18/11/2025 10:00"))
    assert second.repeated


def test_decision_only_at_the_deciding_step_and_result_required(received, clerk):
    minh, giamdoc = people("minh", "giamdoc")
    dossier, instant = walk_to(received, 3, clerk)
    with pytest.raises(t.IllegalMove, match="bước phê duyệt"):
        t.decide(dossier=dossier, approve=True, acting_user=minh, at=instant)
    dossier, instant = walk_to(dossier, 5, clerk, start="20/11/2025 08:00")
    dossier = t.decide(dossier=dossier, approve=True, acting_user=giamdoc, at=instant)
    assert dossier.outcome == Outcome.APPROVED
    dossier = t.hand_on(dossier=dossier, acting_user=giamdoc, at=instant + dt.timedelta(hours=1))  # to văn thư
    with pytest.raises(t.IllegalMove, match="kết quả giải quyết đã ký"):
        t.hand_on(dossier=dossier, acting_user=clerk, at=instant + dt.timedelta(hours=2))
    t.attach_result(dossier=dossier, name="Giấy chứng nhận đủ điều kiện kinh doanh dịch vụ lưu trữ",
                    content=b"%PDF-1.4 signed", filename="gcn.pdf", content_type="application/pdf",
                    number="15/GCN-SNV", acting_user=clerk, at=instant + dt.timedelta(hours=2))
    dossier = t.hand_on(dossier=dossier, acting_user=clerk, at=instant + dt.timedelta(hours=3))
    assert dossier.status == Status.RESOLVED and dossier.resolved_at is not None
    dossier = t.return_result(dossier=dossier, channel="counter", returned_to="Nguyễn Văn Hùng", acting_user=clerk,
                              at=instant + dt.timedelta(hours=4))
    assert dossier.status == Status.RETURNED
    assert dossier.step_runs.filter(finished_at__isnull=True).count() == 0
    assert verify_chain().intact


def test_refusal_needs_a_reason(received, clerk):
    dossier, instant = walk_to(received, 5, clerk)
    with pytest.raises(t.IllegalMove, match="lý do"):
        t.decide(dossier=dossier, approve=False, acting_user=clerk, at=instant)


def test_illegal_move_changes_nothing(received, clerk):
    before = (received.status, DossierEvent.objects.count())
    with pytest.raises(t.IllegalMove):
        t.return_result(dossier=received, channel="counter", returned_to="X", acting_user=clerk)
    received.refresh_from_db()
    assert (received.status, DossierEvent.objects.count()) == before


def test_apology_at_least_one_working_day_before_and_only_once(received, clerk):
    dossier, _ = walk_to(received, 3, clerk)
    due = dossier.due_at  # 01/12/2025 09:10
    with pytest.raises(t.IllegalMove, match="ít nhất 1 ngày làm việc"):
        t.issue_apology(dossier=dossier, new_due_at=due + dt.timedelta(days=3), reason="Chờ ý kiến Sở Tư pháp",
                        acting_user=clerk, at=at("28/11/2025 10:00"))
    apology = t.issue_apology(dossier=dossier, new_due_at=due + dt.timedelta(days=3), reason="Chờ ý kiến Sở Tư pháp",
                              acting_user=clerk, at=at("27/11/2025 09:00"))
    dossier.refresh_from_db()
    assert dossier.original_due_at == due and dossier.due_at == apology.new_due_at
    with pytest.raises(t.IllegalMove, match="hẹn lại"):
        t.issue_apology(dossier=dossier, new_due_at=due + dt.timedelta(days=5), reason="lần hai", acting_user=clerk,
                        at=at("27/11/2025 10:00"))


def test_consultation_with_another_agency_and_its_answer(received, clerk):
    dossier, instant = walk_to(received, 3, clerk)
    justice = Unit.objects.get(code="000.01.15.H27")
    consultation = t.consult(dossier=dossier, unit=justice, question="Đề nghị cho ý kiến về hồ sơ pháp lý",
                             acting_user=clerk, at=instant)
    (tuphap,) = people("tuphap")
    t.answer_consultation(consultation=consultation, answer="Đủ điều kiện", acting_user=tuphap,
                          at=instant + dt.timedelta(hours=2))
    consultation.refresh_from_db()
    assert consultation.answered_by == tuphap
    with pytest.raises(t.IllegalMove):
        t.answer_consultation(consultation=consultation, answer="lần nữa", acting_user=tuphap)


def test_stop_at_the_applicants_request_before_any_decision(received, clerk):
    dossier, instant = walk_to(received, 3, clerk)
    dossier = t.stop(dossier=dossier, reason="Công dân xin rút hồ sơ", withdrawal=True, acting_user=clerk, at=instant)
    assert dossier.status == Status.STOPPED
    with pytest.raises(t.IllegalMove):
        t.hand_on(dossier=dossier, acting_user=clerk)


def test_late_step_is_marked_late(received, clerk):
    dossier = t.hand_on(dossier=received, acting_user=clerk, at=at("17/11/2025 10:00"))
    dossier = t.hand_on(dossier=dossier, acting_user=clerk, at=at("19/11/2025 10:00"))  # 0.5 day budget
    run = dossier.step_runs.get(order=2)
    assert run.result == StepResult.LATE
