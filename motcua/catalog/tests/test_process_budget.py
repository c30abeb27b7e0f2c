import datetime as dt

import pytest

from motcua.catalog.actions import configure_process
from motcua.catalog.interchange import CatalogError
from motcua.catalog.models import InternalProcess, ProcedureVersion
from motcua.catalog.tests.conftest import ARCHIVE_STEPS, make_entry

pytestmark = pytest.mark.django_db


def test_budgets_that_do_not_add_up_are_refused_with_the_totals(publish):
    with pytest.raises(CatalogError) as err:
        publish([make_entry(days="9")], number="1/QĐ")
    message = str(err.value)
    assert "Tổng thời gian các bước được tính (10 ngày làm việc) khác thời hạn giải quyết (9 ngày làm việc)" in message
    assert not ProcedureVersion.objects.exists()


def test_the_return_step_is_not_counted(publish):
    publish([make_entry(days="10")], number="1/QĐ")
    process = InternalProcess.objects.get()
    assert process.steps.count() == 7
    assert process.counted_total() == 10
    assert not process.steps.get(order=7).counted


def test_configure_process_replaces_steps_and_checks_the_sum(publish, control_officer):
    publish([make_entry(steps=False)], number="1/QĐ")
    case = ProcedureVersion.objects.get().cases.get()
    with pytest.raises(CatalogError, match="khác thời hạn giải quyết"):
        configure_process(case=case, steps=ARCHIVE_STEPS[:3], configured_on=dt.date(2025, 12, 1),
                          acting_user=control_officer)
    assert not InternalProcess.objects.exists()
    steps = [dict(s) for s in ARCHIVE_STEPS]
    steps[2]["budget"] = "7,0"  # a comma decimal is read as a decimal
    process = configure_process(case=case, steps=steps, configured_on=dt.date(2025, 12, 1),
                                acting_user=control_officer)
    assert [s.order for s in process.steps.all()] == list(range(1, 8))
    assert process.steps.get(order=1).unit.code == "000.01.30.H27"
    again = configure_process(case=case, steps=[*steps[:1], {**steps[2], "budget": "9.5"}],
                              configured_on=dt.date(2025, 12, 2), acting_user=control_officer)
    assert again.pk == process.pk and again.steps.count() == 2 and again.configured_on == dt.date(2025, 12, 2)


def test_a_step_in_an_unknown_unit_is_reported(publish):
    entry = make_entry()
    entry["cases"][0]["steps"][2]["unit"] = "999.99.99.H99"
    with pytest.raises(CatalogError, match=r"Không có đơn vị mang mã định danh «999\.99\.99\.H99»"):
        publish([entry], number="1/QĐ")
