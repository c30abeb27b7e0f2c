"""The portal's demo data: schemas for every procedure, Ông Hùng's own dossiers, ratings; loaded once."""

import datetime as dt
from zoneinfo import ZoneInfo

from motcua.catalog.models import Procedure
from motcua.dossiers import demo as dossiers_demo
from motcua.dossiers.models import Dossier, Status
from motcua.portal import demo
from motcua.portal.models import DeclarationSchema, Rating


def test_demo_links_hung_rates_returned_dossiers_and_loads_once(citizen, settings):
    settings.EMAIL_ENABLED = settings.SMS_ENABLED = False
    dossiers_demo.load(size=24, now=dt.datetime(2025, 11, 17, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")))
    first = demo.load()
    assert DeclarationSchema.objects.count() == Procedure.objects.count() == first["schemas"]
    mine = Dossier.objects.filter(applicant__user=citizen)
    assert {d.status for d in mine} >= {Status.SUBMITTED, Status.RETURNED}
    returned = mine.get(status=Status.RETURNED)
    assert returned.rating.total == 18 and returned.results.exists()
    assert Rating.objects.count() == first["ratings"] + 1
    assert 0 < first["ratings"] <= Dossier.objects.filter(status=Status.RETURNED).count()
    assert set(Rating.objects.values_list("satisfaction", flat=True)) <= {"very_satisfied", "satisfied",
                                                                         "not_satisfied"}
    again = demo.load()
    assert again == {"schemas": 0, "linked": 0, "dossiers": 0, "ratings": 0}
