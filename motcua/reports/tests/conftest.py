"""Dossiers for the report tests, received and moved through the real actions at explicit instants.

1.013934 (10 working days, Sở Nội vụ) through its internal process: 1 desk → 2 Văn phòng → 3 Phòng
CCHC&VTLT → 4 Văn phòng → 5 Sở (decides) → 6 văn thư (result attached) → 7 desk (resolved)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from motcua.catalog.models import ProcedureVersion
from motcua.dossiers import online
from motcua.dossiers import transitions as t
from motcua.dossiers.intake import ApplicantData, IntakeRequest, receive_dossier
from motcua.dossiers.models import Dossier
from motcua.org.models import Unit, User

VN = ZoneInfo("Asia/Ho_Chi_Minh")
HOUR = dt.timedelta(hours=1)


def at(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%d/%m/%Y %H:%M").replace(tzinfo=VN)


class Desk:
    """Receives and moves 1.013934 dossiers at the Sở Nội vụ counter."""

    def __init__(self):
        self.clerk = User.objects.get(username="lan")
        self.leader = User.objects.get(username="giamdoc")
        self.desk = Unit.objects.get(code="000.01.30.H27")
        self.count = 0

    def version(self, when: dt.datetime) -> ProcedureVersion:
        return ProcedureVersion.objects.in_force_on(when.date()).get(procedure__code="1.013934")

    def applicant(self) -> ApplicantData:
        self.count += 1
        return ApplicantData(kind="citizen", identifier=f"042087{self.count:06d}", name=f"Người nộp {self.count}",
                             phone="0905123456", address="Hà Tĩnh")

    def receive(self, when: str, channel: str = "direct") -> Dossier:
        instant = at(when)
        version = self.version(instant)
        case = version.cases.first()
        present = {c.pk for c in case.components.all()}
        if channel == "online":
            dossier = online.submit_online(version=version, case=case, applicant=self.applicant(), desk=self.desk,
                                           present_components=present, submitted_at=instant)
            return online.accept_online_dossier(dossier=dossier, present_components=present, acting_user=self.clerk,
                                                received_at=instant)
        return receive_dossier(request=IntakeRequest(version=version, case=case, channel=channel,
                                                     applicant=self.applicant(), desk=self.desk,
                                                     present_components=present, received_at=instant,
                                                     postal_waybill="EB123" if channel == "postal" else ""),
                               acting_user=self.clerk)

    def move(self, dossier: Dossier, when: str) -> Dossier:
        """Hand on once (into processing)."""
        return t.hand_on(dossier=dossier, acting_user=self.clerk, at=at(when))

    def resolve(self, dossier: Dossier, when: str) -> Dossier:
        """Walk to the end: the result is ready at `when` (moves in the hours before it)."""
        end = at(when)
        dossier.refresh_from_db()
        order = dossier.current_step.order if dossier.current_step else 1
        moves = range(5 - order)
        instant = end - (len(moves) + 2) * HOUR
        for _ in moves:
            dossier = t.hand_on(dossier=dossier, acting_user=self.clerk, at=instant)
            instant += HOUR
        dossier = t.decide(dossier=dossier, approve=True, acting_user=self.leader, at=instant)
        dossier = t.hand_on(dossier=dossier, acting_user=self.leader, at=instant)
        t.attach_result(dossier=dossier, name="Giấy chứng nhận", content=b"%PDF-1.4 signed", filename="gcn.pdf",
                        content_type="application/pdf", number="1/GCN", acting_user=self.clerk, at=instant)
        return t.hand_on(dossier=dossier, acting_user=self.clerk, at=end)

    def give_back(self, dossier: Dossier, when: str) -> Dossier:
        return t.return_result(dossier=dossier, channel="counter", returned_to="Người nộp", acting_user=self.clerk,
                               at=at(when))

    def supplement(self, dossier: Dossier, when: str) -> Dossier:
        if dossier.status == "received":
            dossier = self.move(dossier, when)
        t.request_supplement(dossier=dossier, items=[{"name": "Bản sao", "reason": "mờ"}], reason="Bản sao mờ",
                             acting_user=self.clerk, at=at(when))
        dossier.refresh_from_db()
        return dossier

    def supplied(self, dossier: Dossier, when: str) -> Dossier:
        return t.receive_supplement(dossier=dossier, acting_user=self.clerk, at=at(when))

    def stop(self, dossier: Dossier, when: str) -> Dossier:
        if dossier.status == "received":
            dossier = self.move(dossier, when)
        return t.stop(dossier=dossier, reason="Công dân xin dừng", acting_user=self.clerk, at=at(when))

    def apologise(self, dossier: Dossier, when: str, new_due: str):
        if dossier.status == "received":
            dossier = self.move(dossier, when)
        return t.issue_apology(dossier=dossier, new_due_at=at(new_due), reason="Chờ ý kiến", acting_user=self.clerk,
                               at=at(when))


@pytest.fixture
def desk(db):
    return Desk()
