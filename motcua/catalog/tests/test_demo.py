import datetime as dt

import pytest

from motcua.catalog import demo
from motcua.catalog.models import ProcedureVersion
from motcua.catalog.selectors import late_process_setups, search_versions, version_in_force

pytestmark = pytest.mark.django_db


def test_demo_catalog_loads_once_with_real_procedures():
    first = demo.load()
    assert first["decisions"] == 4
    assert demo.load() == {"decisions": 0, "versions": 0}
    on = dt.date(2025, 12, 15)
    home_affairs = search_versions(agency="000.00.12.H27", on=on).count()
    assert home_affairs >= 40
    archive = version_in_force("1.013934", on=on)
    assert archive.cases.get().processing_time == 10 and archive.kind == "amended"
    tnxp = version_in_force("2.001683", on=on)
    steps = list(tnxp.cases.get().process.steps.all())
    assert tnxp.inter_agency and sum(s.budget for s in steps if s.counted) == 31.5
    assert any(s.unit.code == "000.00.00.H27" for s in steps)
    assert [v.procedure.code for v in search_versions(q="xac nhan phien hieu thanh nien xung phong", on=on)] == [
        "2.001683"]
    assert "1.013937" in {row.version.procedure.code for row in late_process_setups()}
    assert ProcedureVersion.objects.filter(agency__code="000.00.52.H27").exists()
