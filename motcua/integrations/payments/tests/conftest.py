import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from motcua.catalog.models import ProcedureVersion
from motcua.dossiers.intake import ApplicantData, IntakeRequest, receive_dossier
from motcua.org.models import Unit

VN = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def make_dossier(db, clerk):
    """Dossiers of 1.014199 (work permit for a foreign worker: 600.000 đ) received at the Sở Nội vụ desk."""
    version = ProcedureVersion.objects.in_force_on(dt.date(2025, 11, 17)).get(procedure__code="1.014199")
    case = version.cases.first()
    desk = Unit.objects.get(code="000.01.30.H27")

    def make(received: str = "17/11/2025 09:10", enterprise: str = "3000123456"):
        request = IntakeRequest(
            version=version, case=case, channel="direct", desk=desk,
            applicant=ApplicantData(kind="organisation", identifier=enterprise, name="Công ty TNHH Hồng Lĩnh",
                                    phone="0912345000", address="Thạch Hà, Hà Tĩnh"),
            present_components={c.pk for c in case.components.all()},
            received_at=dt.datetime.strptime(received, "%d/%m/%Y %H:%M").replace(tzinfo=VN))
        return receive_dossier(request=request, acting_user=clerk)

    return make


@pytest.fixture
def dossier(make_dossier):
    return make_dossier()
