import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from motcua.catalog.models import ProcedureVersion
from motcua.dossiers.intake import ApplicantData, IntakeRequest
from motcua.org.models import Unit

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%d/%m/%Y %H:%M").replace(tzinfo=VN)


@pytest.fixture
def archive_licence(db):
    """1.013934 Cấp, cấp lại Giấy chứng nhận đủ điều kiện kinh doanh dịch vụ lưu trữ — 10 working days."""
    return ProcedureVersion.objects.in_force_on(dt.date(2025, 11, 17)).get(procedure__code="1.013934")


@pytest.fixture
def desk(db):
    return Unit.objects.get(code="000.01.30.H27")


@pytest.fixture
def citizen_data():
    return ApplicantData(kind="citizen", identifier="042087001234", name="Nguyễn Văn Hùng",
                         phone="0905123456", address="Phường Thành Sen, Hà Tĩnh")


@pytest.fixture
def make_request(archive_licence, desk, citizen_data):
    def make(**overrides):
        case = archive_licence.cases.first()
        values = {
            "version": archive_licence, "case": case, "channel": "direct", "applicant": citizen_data, "desk": desk,
            "present_components": {c.pk for c in case.components.all()},
            "received_at": at("17/11/2025 09:10"),
        }
        values.update(overrides)
        return IntakeRequest(**values)

    return make
