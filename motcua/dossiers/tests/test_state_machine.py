"""Random walks through the dossier state machine (issue 6): legal and illegal moves on several
dossiers at increasing instants, with the invariants checked after every step.

A small reference model says which moves are legal; the real code must agree (an illegal move raises
`IllegalMove` and changes nothing, a legal one writes exactly one history row). The clock checks are
stated with `workdays` directly: step dues from the clock start plus the budget plus the resumed
pauses, results from `step_result`, nothing moving while a supplement is awaited.
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.db import transaction
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from motcua.catalog.models import ProcedureVersion
from motcua.dossiers import transitions as t
from motcua.dossiers.intake import receive_dossier
from motcua.dossiers.models import (
    Consultation,
    Dossier,
    DossierEvent,
    Outcome,
    Status,
    StepRun,
    SupplementRound,
)
from motcua.org.models import Role, Unit, User

from .conftest import at

PROCEDURES = ["1.013934", "1.003999"]  # the archive licence; a procedure with a step at the provincial People's Committee
START = at("17/11/2025 07:45")
# Wall-clock advances between moves, in minutes: nothing, minutes, hours, a night, days, a week.
ADVANCE = st.sampled_from([0, 5, 45, 90, 240, 600, 1440, 2 * 1440, 4 * 1440, 7 * 1440])
PICK = st.integers(min_value=0, max_value=3)
TEXT = st.sampled_from(["", "Bổ sung bản sao chứng thực", "  "])
MAX_DOSSIERS = 2


class Model:
    """What the test expects of one dossier."""

    def __init__(self, dossier: Dossier):
        self.code = dossier.code
        self.pk = dossier.pk
        self.status = Status.RECEIVED
        self.steps = t.process_steps(dossier)
        self.order: int | None = None  # current step order
        self.outcome = ""
        self.has_result = False
        self.apologies = 0
        self.events = 1
        self.due_at = dossier.due_at
        self.warn_at = dossier.warn_at


def snapshot(pk: int) -> tuple:
    dossier = Dossier.objects.get(pk=pk)
    return (
        dossier.status, dossier.due_at, dossier.warn_at, dossier.current_step_id, dossier.outcome,
        dossier.paused_since, DossierEvent.objects.filter(dossier_id=pk).count(),
        list(StepRun.objects.filter(dossier_id=pk).order_by("id").values_list("id", "finished_at", "due_at", "result")),
        list(SupplementRound.objects.filter(dossier_id=pk).values_list("id", "received_at")),
        list(Consultation.objects.filter(dossier_id=pk).values_list("id", "answered_at")),
        dossier.apologies.count(), dossier.results.count(),
    )


class DossierMachine(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        self.now = START
        self.models: list[Model] = []
        self.baseline = Dossier.objects.count()
        self.clerk = User.objects.get(username="lan")
        self.justice = Unit.objects.get(code="000.01.15.H27")
        self.make_request = MAKE_REQUEST["make"]

    def teardown(self):
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    # -- helpers ------------------------------------------------------------------------------

    def advance(self, minutes: int) -> dt.datetime:
        self.now += dt.timedelta(minutes=minutes)
        return self.now

    def pick(self, index: int) -> tuple[Model, Dossier]:
        model = self.models[index % len(self.models)]
        return model, Dossier.objects.get(pk=model.pk)

    def attempt(self, model: Model, legal: bool, move, **kwargs):
        """Run one move; check it was accepted exactly when the model says it is legal."""
        before = snapshot(model.pk)
        try:
            result = move(acting_user=self.clerk, at=self.now, **kwargs)
        except t.IllegalMove as exc:
            assert not legal, f"{move.__name__} refused though legal: {exc.message}"
            assert snapshot(model.pk) == before, f"illegal {move.__name__} changed the dossier"
            return None
        assert legal, f"{move.__name__} accepted though illegal in {model.status}"
        model.events += 1
        assert DossierEvent.objects.filter(dossier_id=model.pk).count() == model.events
        return result

    def step_by_order(self, model: Model, order: int | None):
        return next((s for s in model.steps if s.order == order), None)

    # -- rules --------------------------------------------------------------------------------

    @precondition(lambda self: len(self.models) < MAX_DOSSIERS)
    @rule(which=st.sampled_from(PROCEDURES), minutes=ADVANCE)
    def receive(self, which, minutes):
        instant = self.advance(minutes)
        version = ProcedureVersion.objects.in_force_on(instant.date()).get(procedure__code=which)
        case = version.cases.first()
        request = self.make_request(version=version, case=case, received_at=instant,
                                    present_components={c.pk for c in case.components.all()})
        dossier = receive_dossier(request=request, acting_user=self.clerk)
        self.models.append(Model(dossier))

    @precondition(lambda self: self.models)
    @rule(i=PICK, minutes=ADVANCE, times=st.integers(min_value=1, max_value=6))
    def hand_on(self, i, minutes, times):
        for n in range(times):  # several handoffs in a row, so walks reach the decision and the return
            self.hand_on_once(i, minutes)
            model = self.models[i % len(self.models)]
            if n and model.order == t.deciding_step(model.steps).order and not model.outcome:
                break  # a run of handoffs stops at the deciding step, which needs a decision first

    @precondition(lambda self: self.models)
    @rule(i=PICK, minutes=ADVANCE)
    def work_to_result(self, i, minutes):
        """The diligent officer: legal moves only, decision and signed result included, up to the desk."""
        model = self.models[i % len(self.models)]
        for _ in range(12):
            if model.status not in {Status.RECEIVED, Status.IN_PROGRESS}:
                return
            if model.order == t.deciding_step(model.steps).order and not model.outcome:
                self.decide(i, minutes, approve=True, reason="")
            elif model.outcome and not model.has_result and model.outcome == Outcome.APPROVED:
                self.attach_result(i, minutes, empty=False)
            else:
                self.hand_on_once(i, minutes)

    def hand_on_once(self, i, minutes):
        model, dossier = self.pick(i)
        self.advance(minutes)
        orders = [s.order for s in model.steps]
        nxt = orders[0] if model.order is None else next((o for o in orders if o > model.order), None)
        if model.order is None and nxt is not None:  # the reception step closes at once
            nxt = next((o for o in orders if o > nxt), None)
        into_return = nxt is not None and nxt == orders[-1] and model.steps[-1].role == Role.ONE_STOP_OFFICER
        at_deciding = model.order is not None and model.order == t.deciding_step(model.steps).order
        legal = (model.status in {Status.RECEIVED, Status.IN_PROGRESS} and nxt is not None
                 and (not at_deciding or bool(model.outcome))
                 and (not into_return or (bool(model.outcome)
                                          and (model.outcome == Outcome.REFUSED or model.has_result))))
        if self.attempt(model, legal, t.hand_on, dossier=dossier) is not None:
            model.order = nxt
            model.status = Status.RESOLVED if into_return else Status.IN_PROGRESS

    @precondition(lambda self: self.models)
    @rule(i=PICK, minutes=ADVANCE, to_order=st.integers(min_value=0, max_value=9), reason=TEXT)
    def return_to_step(self, i, minutes, to_order, reason):
        model, dossier = self.pick(i)
        self.advance(minutes)
        legal = (model.status == Status.IN_PROGRESS and bool(reason.strip()) and model.order is not None
                 and to_order < model.order and self.step_by_order(model, to_order) is not None)
        if self.attempt(model, legal, t.return_to_step, dossier=dossier, to_order=to_order, reason=reason):
            model.order = to_order

    @precondition(lambda self: self.models)
    @rule(i=PICK, minutes=ADVANCE, with_items=st.booleans())
    def request_supplement(self, i, minutes, with_items):
        model, dossier = self.pick(i)
        self.advance(minutes)
        items = [{"name": "Bản sao giấy phép", "reason": "mờ"}] if with_items else [{"name": " "}]
        legal = model.status == Status.IN_PROGRESS and not model.outcome and with_items
        if self.attempt(model, legal, t.request_supplement, dossier=dossier, items=items, reason="Thiếu giấy tờ"):
            model.status = Status.SUPPLEMENT_REQUESTED

    @precondition(lambda self: self.models)
    @rule(i=PICK, minutes=ADVANCE, wait=ADVANCE)
    def supplement_round(self, i, minutes, wait):
        """Ask for a supplement and get it back after `wait`: the pause the clock must skip."""
        self.request_supplement(i, minutes, with_items=True)
        self.receive_supplement(i, wait)

    @precondition(lambda self: self.models)
    @rule(i=PICK, minutes=ADVANCE)
    def receive_supplement(self, i, minutes):
        model, dossier = self.pick(i)
        self.advance(minutes)
        legal = model.status == Status.SUPPLEMENT_REQUESTED
        round_ = dossier.supplements.filter(received_at__isnull=True).first()
        due_before, run_due_before = dossier.due_at, dossier.current_step.due_at if dossier.current_step else None
        if self.attempt(model, legal, t.receive_supplement, dossier=dossier) is None:
            return
        model.status = Status.IN_PROGRESS
        dossier.refresh_from_db()
        schedule = t.schedule_of(dossier)
        paused = schedule.working_between(round_.requested_at, self.now)
        # The clock resumes with the time that was left: the due moves by exactly the working time waited.
        if due_before > round_.requested_at:
            assert schedule.working_between(due_before, dossier.due_at) == paused
        else:
            assert dossier.due_at == due_before
        run = dossier.current_step
        if run_due_before is not None and run_due_before > round_.requested_at:
            assert schedule.working_between(run_due_before, run.due_at) == paused
        model.due_at = dossier.due_at

    @precondition(lambda self: self.models)
    @rule(i=PICK, minutes=ADVANCE, question=TEXT)
    def consult(self, i, minutes, question):
        model, dossier = self.pick(i)
        self.advance(minutes)
        legal = model.status == Status.IN_PROGRESS and bool(question.strip())
        self.attempt(model, legal, t.consult, dossier=dossier, unit=self.justice, question=question)

    @precondition(lambda self: self.models)
    @rule(i=PICK, minutes=ADVANCE, j=PICK, answer=TEXT)
    def answer_consultation(self, i, minutes, j, answer):
        model, dossier = self.pick(i)
        consultations = list(dossier.consultations.order_by("id"))
        if not consultations:
            return
        self.advance(minutes)
        consultation = consultations[j % len(consultations)]
        legal = consultation.answered_at is None and bool(answer.strip())
        self.attempt(model, legal, lambda **kw: t.answer_consultation(consultation=consultation, **kw),
                     answer=answer)

    @precondition(lambda self: self.models)
    @rule(i=PICK, minutes=ADVANCE, approve=st.booleans(), reason=TEXT)
    def decide(self, i, minutes, approve, reason):
        model, dossier = self.pick(i)
        self.advance(minutes)
        deciding = t.deciding_step(model.steps)
        legal = (model.status == Status.IN_PROGRESS and not model.outcome and model.order == deciding.order
                 and (approve or bool(reason.strip())))
        if self.attempt(model, legal, t.decide, dossier=dossier, approve=approve, reason=reason):
            model.outcome = Outcome.APPROVED if approve else Outcome.REFUSED

    @precondition(lambda self: self.models)
    @rule(i=PICK, minutes=ADVANCE, empty=st.booleans())
    def attach_result(self, i, minutes, empty):
        model, dossier = self.pick(i)
        self.advance(minutes)
        legal = model.status == Status.IN_PROGRESS and bool(model.outcome) and not empty
        if self.attempt(model, legal, t.attach_result, dossier=dossier, name="Giấy chứng nhận",
                        content=b"" if empty else b"%PDF-1.4 signed", filename="kq.pdf",
                        content_type="application/pdf"):
            model.has_result = True

    @precondition(lambda self: self.models)
    @rule(i=PICK, minutes=ADVANCE, withdrawal=st.booleans(),
          reason=st.sampled_from(["", "", "", " ", " ", "Công dân xin rút hồ sơ"]))  # mostly refused: walks go on
    def stop(self, i, minutes, reason, withdrawal):
        model, dossier = self.pick(i)
        self.advance(minutes)
        legal = model.status in t.OPEN and not model.outcome and bool(reason.strip())
        if self.attempt(model, legal, t.stop, dossier=dossier, reason=reason, withdrawal=withdrawal):
            model.status = Status.STOPPED

    @precondition(lambda self: self.models)
    @rule(i=PICK, minutes=ADVANCE, channel=st.sampled_from(["counter", "postal", "online", "pigeon"]),
          returned_to=TEXT, waybill=st.sampled_from(["", "EMS123456VN"]))
    def return_result(self, i, minutes, channel, returned_to, waybill):
        model, dossier = self.pick(i)
        self.advance(minutes)
        legal = (model.status == Status.RESOLVED and channel != "pigeon"
                 and (channel != "counter" or bool(returned_to.strip()))
                 and (channel != "postal" or bool(waybill)))
        if self.attempt(model, legal, t.return_result, dossier=dossier, channel=channel, returned_to=returned_to,
                        waybill=waybill):
            model.status = Status.RETURNED

    @precondition(lambda self: self.models)
    @rule(i=PICK, minutes=ADVANCE, extra_days=st.integers(min_value=-1, max_value=5), reason=TEXT)
    def issue_apology(self, i, minutes, extra_days, reason):
        model, dossier = self.pick(i)
        self.advance(minutes)
        schedule = t.schedule_of(dossier)
        new_due = schedule.add_working(dossier.due_at, extra_days) if extra_days >= 0 else \
            dossier.due_at - dt.timedelta(days=1)
        legal = (model.status in t.OPEN and bool(reason.strip()) and model.apologies < t.max_apologies()
                 and schedule.working_between(self.now, dossier.due_at) >= dt.timedelta(hours=8)
                 and new_due > dossier.due_at)
        if self.attempt(model, legal, t.issue_apology, dossier=dossier, new_due_at=new_due, reason=reason):
            model.apologies += 1
            model.due_at = new_due

    # -- invariants ---------------------------------------------------------------------------

    @invariant()
    def no_dossier_lost_or_duplicated(self):
        codes = [m.code for m in self.models]
        assert len(set(codes)) == len(codes)
        assert Dossier.objects.count() == self.baseline + len(codes)
        assert sorted(Dossier.objects.filter(code__in=codes).values_list("code", flat=True)) == sorted(codes)

    @invariant()
    def states_and_history(self):
        for model in self.models:
            dossier = Dossier.objects.select_related("current_step").get(pk=model.pk)
            assert dossier.status == model.status
            assert dossier.due_at == model.due_at  # only an apology or a resumed pause moves it
            events = list(DossierEvent.objects.filter(dossier_id=model.pk).order_by("at", "id"))
            assert len(events) == model.events
            assert events[0].action == "receive" and events[0].from_status == ""
            for earlier, later in itertools.pairwise(events):
                assert earlier.at <= later.at
                assert later.from_status == earlier.to_status
            assert events[-1].to_status == dossier.status
            # Paused exactly while a supplement is awaited, and then with one open round.
            open_rounds = list(dossier.supplements.filter(received_at__isnull=True))
            if dossier.status == Status.SUPPLEMENT_REQUESTED:
                assert len(open_rounds) == 1 and dossier.paused_since == open_rounds[0].requested_at
            else:
                assert not open_rounds and dossier.paused_since is None
            # At most one step open, and it is the current one while the dossier is being handled.
            open_runs = list(dossier.step_runs.filter(finished_at__isnull=True))
            assert len(open_runs) <= 1
            if open_runs:
                assert dossier.current_step_id == open_runs[0].pk
            if dossier.status in {Status.STOPPED, Status.RETURNED}:
                assert not open_runs
            if model.order is not None:
                assert dossier.current_step.order == model.order

    @invariant()
    def step_clocks_agree_with_workdays(self):
        for model in self.models:
            dossier = Dossier.objects.get(pk=model.pk)
            schedule = t.schedule_of(dossier)
            resumed = []
            for event in DossierEvent.objects.filter(dossier_id=model.pk, action="receive_supplement"):
                round_ = SupplementRound.objects.get(number=event.data["number"])
                resumed.append((round_.requested_at, round_.received_at))
            for run in StepRun.objects.filter(dossier_id=model.pk):
                expected = None
                if run.budget_minutes and run.counted:
                    expected = schedule.add_working(schedule.clock_start(run.received_at), run.budget_minutes,
                                                    unit="minutes")
                    for requested_at, received_at in sorted(resumed):
                        # A supplement received at the very instant the step is handed on still extended it.
                        still_open = run.finished_at is None or received_at <= run.finished_at
                        if requested_at >= run.received_at and still_open and expected > requested_at:
                            paused = schedule.working_between(requested_at, received_at)
                            if paused:
                                expected = schedule.add_working(expected, paused)
                assert run.due_at == expected, f"step {run.order} due {run.due_at} != {expected}"
                if run.finished_at is not None:
                    assert run.result == t.step_result(run.finished_at, run.due_at)
                else:
                    assert run.result == ""


def test_first_handoff_locks_a_dossier_without_a_current_step(make_request, clerk):
    """Regression: the move's row lock joined the nullable current step, which PostgreSQL refuses
    ("FOR UPDATE cannot be applied to the nullable side of an outer join"): no move worked there."""
    dossier = receive_dossier(request=make_request(), acting_user=clerk)
    assert dossier.current_step is None
    dossier = t.hand_on(dossier=dossier, acting_user=clerk, at=at("17/11/2025 10:00"))
    assert dossier.status == Status.IN_PROGRESS and dossier.current_step.order == 2


MAKE_REQUEST: dict = {}
MACHINE_SETTINGS = hypothesis_settings(max_examples=12, stateful_step_count=20, deadline=None,
                                       suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.django_db
def test_random_walks_keep_the_invariants(make_request, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    MAKE_REQUEST["make"] = make_request
    run_state_machine_as_test(DossierMachine, settings=MACHINE_SETTINGS)
