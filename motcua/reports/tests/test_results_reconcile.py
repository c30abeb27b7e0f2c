"""The results table (Biểu II.06a) against a direct count over dossiers and against the tracking book,
with dossiers that cross period boundaries, carry over, wait for a supplement, are stopped, are
resolved late, get an apology, or were submitted online and never accepted."""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.dossiers.book import BookFilter, book_dossiers
from motcua.dossiers.models import Channel, Dossier, Status
from motcua.lib.formats import VN_TZ
from motcua.reports.periods import Period
from motcua.reports.results import COLUMNS, Rules, cell_dossiers, results_table
from motcua.reports.scope import Scope, report_dossiers, resolve_scope

from .conftest import at

P1 = Period(dt.date(2025, 11, 17), dt.date(2025, 11, 28), "P1")
P2 = Period(dt.date(2025, 12, 1), dt.date(2025, 12, 12), "P2")


@pytest.fixture(scope="module")
def scenario(django_db_setup, django_db_blocker):
    """Built once for the module inside a transaction that is rolled back at its end; each test runs
    in a savepoint inside it."""
    from django.db import transaction

    from .conftest import Desk

    with django_db_blocker.unblock(), transaction.atomic():
        yield _build(Desk())
        transaction.set_rollback(True)


def _build(desk):
    d = {}
    d["a"] = desk.receive("10/11/2025 09:00")
    desk.resolve(d["a"], "14/11/2025 10:00")                       # resolved before P1: not in P1
    d["b"] = desk.receive("10/11/2025 09:30")
    desk.resolve(d["b"], "19/11/2025 10:00")                       # carried over into P1, early
    d["c"] = desk.receive("17/11/2025 09:10")
    desk.give_back(desk.resolve(d["c"], "20/11/2025 10:00"), "21/11/2025 08:00")
    d["d"] = desk.receive("17/11/2025 10:00", channel="online")    # due 01/12 10:00
    desk.resolve(d["d"], "01/12/2025 15:00")                       # same day as due: on time by date, late by instant
    d["e"] = desk.receive("18/11/2025 09:00", channel="postal")
    desk.supplement(d["e"], "19/11/2025 09:00")                    # never supplied: waiting
    d["f"] = desk.receive("19/11/2025 09:00")
    desk.stop(d["f"], "20/11/2025 09:00")                          # stopped
    d["g"] = desk.receive("20/11/2025 09:00")                      # due 04/12
    desk.give_back(desk.resolve(d["g"], "10/12/2025 10:00"), "11/12/2025 09:00")   # late, in P2
    d["h"] = desk.receive("21/11/2025 09:00")                      # due 05/12, never resolved: overdue in P2
    desk.move(d["h"], "21/11/2025 10:00")
    d["i"] = desk.receive("24/11/2025 09:00")                      # due 08/12
    desk.apologise(d["i"], "04/12/2025 09:00", "10/12/2025 09:00")
    desk.resolve(d["i"], "09/12/2025 10:00")                       # early against the new date, late against the first
    d["j"] = desk.receive("13/11/2025 09:00")
    desk.supplement(d["j"], "14/11/2025 09:00")
    desk.supplied(d["j"], "18/11/2025 09:00")                      # pause crosses into P1
    desk.resolve(d["j"], "28/11/2025 10:00")
    d["k"] = desk.receive("12/12/2025 09:00")
    d["l"] = desk.receive("28/11/2025 14:00")
    desk.supplement(d["l"], "05/12/2025 09:00")
    desk.supplied(d["l"], "16/12/2025 09:00")                      # waiting at the end of P2
    from motcua.dossiers import online
    from motcua.dossiers.models import Dossier as D

    version = desk.version(at("25/11/2025 09:00"))
    online.submit_online(version=version, case=version.cases.first(), applicant=desk.applicant(), desk=desk.desk,
                         submitted_at=at("25/11/2025 20:00"))            # never accepted: not counted
    return {key: D.objects.get(pk=value.pk) for key, value in d.items()}


def local_day(instant):
    return instant.astimezone(VN_TZ).date()


def direct_count(dossiers, period: Period, rules: Rules) -> dict[str, int]:
    """The columns counted one dossier at a time in Python, from the counting rules (the oracle)."""
    counts = {c.key: 0 for c in COLUMNS}
    s, e = period.start, period.end
    for d in dossiers:
        if d.received_at is None or d.received_at >= e:
            continue
        if d.received_at < s and d.resolved_at is not None and d.resolved_at < s:
            continue
        counts["c3"] += 1
        if d.received_at >= s:
            counts["c4" if d.channel == Channel.ONLINE else "c5"] += 1
        else:
            counts["c6"] += 1
        due = d.due_at if rules.appointment == "current" else (d.original_due_at or d.due_at)
        if d.resolved_at is not None and d.resolved_at < e:
            counts["c7"] += 1
            if due is None:
                counts["c9"] += 1
                continue
            a, b = (local_day(d.resolved_at), local_day(due)) if rules.granularity == "date" else (d.resolved_at, due)
            counts["c8" if a < b else "c9" if a == b else "c10"] += 1
        else:
            counts["c11"] += 1
            waiting = any(r.requested_at < e and (r.received_at is None or r.received_at >= e)
                          for r in d.supplements.all())
            within = due is None or due >= e or d.status == Status.STOPPED or waiting
            counts["c12" if within else "c13"] += 1
    return counts


def test_hand_counted_periods(scenario, control_officer):
    base = report_dossiers(control_officer)
    p1 = results_table(base, P1).total.values
    assert [p1[c.key] for c in COLUMNS] == [10, 1, 7, 2, 3, 3, 0, 0, 7, 7, 0]
    p2 = results_table(base, P2).total.values
    assert [p2[c.key] for c in COLUMNS] == [8, 0, 1, 7, 3, 1, 1, 1, 5, 4, 1]


@pytest.mark.parametrize("rules", [Rules(), Rules(granularity="instant"), Rules(appointment="original"),
                                   Rules(granularity="instant", appointment="original")])
@pytest.mark.parametrize("period", [P1, P2, Period(dt.date(2025, 11, 1), dt.date(2025, 12, 31))])
def test_table_equals_a_direct_count_and_every_cell_lists_its_dossiers(scenario, control_officer, period, rules):
    base = report_dossiers(control_officer)
    dossiers = list(base.prefetch_related("supplements"))
    table = results_table(base, period, rules=rules)
    assert table.total.values == direct_count(dossiers, period, rules)
    assert table.failures == []
    for row in [*table.rows, table.total]:
        for column in COLUMNS:
            listed = list(cell_dossiers(base, period, column.key, group_value=row.key, rules=rules))
            assert len(listed) == row.values[column.key], (row.label, column.number)
            assert len({d.pk for d in listed}) == len(listed)


def test_granularity_and_appointment_rules_move_the_right_dossiers(scenario, control_officer):
    base = report_dossiers(control_officer)

    def resolved(rules):
        return {c.key: {d.pk for d in cell_dossiers(base, P2, c.key, rules=rules)} for c in COLUMNS[5:8]}

    by_date, by_instant = resolved(Rules()), resolved(Rules(granularity="instant"))
    assert scenario["d"].pk in by_date["c9"] and scenario["d"].pk in by_instant["c10"]
    assert scenario["i"].pk in by_date["c8"] and scenario["i"].pk in resolved(Rules(appointment="original"))["c10"]


@pytest.mark.parametrize("period", [P1, P2])
@pytest.mark.parametrize("group", ["field", "agency", "unit"])
def test_received_in_period_equals_the_tracking_book(scenario, control_officer, period, group):
    table = results_table(report_dossiers(control_officer), period, group=group)
    book = book_dossiers(control_officer, BookFilter(date_from=period.date_from, date_to=period.date_to))
    assert table.total.values["c4"] + table.total.values["c5"] == book.count()
    assert sum(r.values["c3"] for r in table.rows) == table.total.values["c3"]


def test_unit_and_field_scope_match_the_book(scenario, control_officer, unit):
    office = unit("000.04.12.H27")      # Phòng CCHC&VTLT (a unit of Sở Nội vụ): none received there
    scope = resolve_scope(control_officer, unit_code="000.00.12.H27")
    table = results_table(report_dossiers(control_officer, scope), P1)
    book = book_dossiers(control_officer, BookFilter(P1.date_from, P1.date_to, unit=scope.unit))
    assert table.total.values["c4"] + table.total.values["c5"] == book.count() == 8
    field = scenario["c"].version.field
    scoped = results_table(report_dossiers(control_officer, Scope(field=field)), P1)
    assert [r.label for r in scoped.rows] == [field.name]
    empty = results_table(report_dossiers(control_officer, Scope(unit=office)), P1)
    assert empty.total.values["c3"] == 0


def test_another_agencys_officer_sees_none_of_it(scenario, specialist):
    justice = Dossier.objects.none()
    from motcua.org.models import User

    tuphap = User.objects.get(username="tuphap")
    assert results_table(report_dossiers(tuphap), P1).total.values["c3"] == justice.count() == 0
