"""The KPI dashboard counts every dossier measure of the year in one pass over the dossiers (issue 8 §
speed), with the same monthly numbers as one GROUP BY query per measure."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.dossiers.models import Dossier
from motcua.reports.measures import MEASURES, month_buckets, months_of
from motcua.reports.periods import report_period

from .conftest import Desk, at


@pytest.fixture(scope="module")
def dossiers(django_db_setup, django_db_blocker):
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        desk = Desk()
        made = [desk.receive("10/11/2025 09:00"), desk.receive("18/11/2025 09:00", channel="online"),
                desk.receive("30/12/2025 16:00"), desk.receive("31/12/2025 23:30", channel="online"),
                desk.receive("02/01/2026 08:00")]
        desk.resolve(made[0], "20/11/2025 10:00")      # on time (10 working days), resolved in November
        desk.resolve(made[2], "05/01/2026 10:00")      # received in 2025, resolved in January 2026
        desk.move(made[3], "01/01/2026 08:30")
        from motcua.portal.models import Rating

        Rating.objects.create(dossier=made[0], satisfaction="satisfied", created_at=at("28/11/2025 10:00"))
        yield made
        transaction.set_rollback(True)


def per_measure(measures, start, end):
    return {m.key: m.by_month(Dossier.objects.all(), start, end) for m in measures}


@pytest.mark.parametrize(("start", "end"), [
    (report_period("year", 2025, cutoff_day=None).start, report_period("year", 2025, cutoff_day=None).end),
    (report_period("year", 2026, cutoff_day=None).start, report_period("year", 2026, cutoff_day=None).end),
    (at("15/11/2025 00:00"), at("02/01/2026 00:00")),      # statutory-style window, mid-month bounds
])
def test_one_pass_gives_the_numbers_of_one_query_per_measure(db, dossiers, start, end):
    measures = [m for m in MEASURES.values() if m.available]
    with CaptureQueriesContext(connection) as queries:
        together = months_of(measures, Dossier.objects.all(), start, end)
    dossier_queries = [q["sql"] for q in queries.captured_queries
                       if "dossiers_dossier" in q["sql"] and "portal_rating" not in q["sql"]]
    assert len(dossier_queries) == 1 and "CASE WHEN" in dossier_queries[0]
    # the "has a row in relation R" numerators (steps, result, files, reuse, record, archived, paid) are counted in
    # the same pass, each as `id IN (SELECT …)` (a hashed set on PostgreSQL)
    assert dossier_queries[0].count(" IN (SELECT ") == len([m for m in measures if m.relation]) == 7
    assert together == per_measure(measures, start, end)


def test_the_pass_counts_each_dossier_in_the_month_of_its_own_instant(db, dossiers):
    year = report_period("year", 2025, cutoff_day=None)
    counts = months_of([MEASURES["online"], MEASURES["on_time"], MEASURES["satisfaction"]],
                       Dossier.objects.all(), year.start, year.end)
    assert counts["online"] == {(2025, 11): (1, 2), (2025, 12): (1, 2)}
    assert counts["on_time"] == {(2025, 11): (1, 1)}
    assert counts["satisfaction"] == {(2025, 11): (1, 1)}
    january = report_period("year", 2026, cutoff_day=None)
    counts = months_of([MEASURES["online"], MEASURES["results_digitized"]], Dossier.objects.all(),
                       january.start, january.end)
    assert counts["online"] == {(2026, 1): (0, 1)}
    assert counts["results_digitized"] == {(2026, 1): (1, 1)}


def test_month_buckets_follow_local_months_and_clip_the_window():
    buckets = month_buckets(at("15/11/2025 00:00"), at("02/01/2026 00:00"))
    assert [key for key, _upper in buckets] == [(2025, 11), (2025, 12), (2026, 1)]
    assert buckets[0][1] == at("01/12/2025 00:00") and buckets[-1][1] == at("02/01/2026 00:00")
