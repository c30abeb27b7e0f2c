import pytest
import time_machine

from motcua.catalog.selectors import late_process_setups, process_setups, published_without_process
from motcua.catalog.tests.conftest import make_entry
from motcua.catalog.timing import working_days_after

pytestmark = pytest.mark.django_db


def test_working_days_skip_tet_2026():
    import datetime as dt

    # Decision Friday 13/02/2026; Tết off 14/02–22/02; Mon 23, Tue 24, Wed 25 are days 1–3.
    assert working_days_after(dt.date(2026, 2, 13), dt.date(2026, 2, 25)) == 3
    assert working_days_after(dt.date(2026, 2, 13), dt.date(2026, 2, 26)) == 4
    assert working_days_after(dt.date(2026, 2, 13), dt.date(2026, 2, 13)) == 0


def test_processes_configured_later_than_three_working_days_are_listed(publish):
    publish([make_entry(code="1.000001", configured_on="2026-02-25"),
             make_entry(code="1.000002", configured_on="2026-02-26")], number="1/QĐ", signed_on="2026-02-13")
    rows = {row.version.procedure.code: row for row in process_setups()}
    assert rows["1.000001"].on_time and rows["1.000001"].working_days == 3
    assert not rows["1.000002"].on_time and rows["1.000002"].working_days == 4
    assert [row.version.procedure.code for row in late_process_setups()] == ["1.000002"]


def test_a_missing_process_is_late_once_three_working_days_have_passed(publish):
    publish([make_entry(code="1.000003", steps=False)], number="2/QĐ", signed_on="2025-03-03")
    with time_machine.travel("2025-03-06 10:00 +0700", tick=False):
        assert late_process_setups() == []
        assert [c.version.procedure.code for c in published_without_process()] == ["1.000003"]
    with time_machine.travel("2025-03-12 10:00 +0700", tick=False):
        assert [row.version.procedure.code for row in late_process_setups()] == ["1.000003"]
