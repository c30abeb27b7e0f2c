"""The portal's demo data: schemas for every procedure, Ông Hùng's own dossiers, ratings; loaded once."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from motcua.catalog.models import Procedure
from motcua.dossiers import demo as dossiers_demo
from motcua.dossiers.models import Dossier, Status
from motcua.portal import demo
from motcua.portal.models import DeclarationSchema, Rating
from motcua.records.models import Record

# Room for a dozen year-long dossiers beyond the curated open ones near today (≈ 23), so some are returned
# and rated whatever the curated set holds.
SIZE = 36


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_demo_links_hung_rates_returned_dossiers_and_loads_once(citizen, settings):
    settings.EMAIL_ENABLED = settings.SMS_ENABLED = False
    dossiers_demo.load(size=SIZE, now=dt.datetime(2025, 11, 17, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")))
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
    assert first["id_cards"] == 1
    again = demo.load()
    assert again == {"schemas": 0, "linked": 0, "dossiers": 0, "id_cards": 0, "ratings": 0}


def test_demo_puts_hungs_id_card_in_my_documents_and_the_portal_offers_it(citizen, settings):
    """Journey 3: he picks his ID card from "my documents" instead of scanning it again."""
    from motcua.catalog.selectors import version_in_force
    from motcua.records.selectors import offer_for

    settings.EMAIL_ENABLED = settings.SMS_ENABLED = False
    dossiers_demo.load(size=SIZE, now=dt.datetime(2025, 11, 17, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")))
    demo.load()
    card = Record.objects.get(applicant__identifier=demo.HUNG_ID, document_type="CCCD")
    assert card.file.read().startswith(b"%PDF") and card.size == card.file.size
    wanted = {c.document_type for c in version_in_force("1.900101").cases.first().components.all()} - {""}
    assert wanted == {"CCCD"}
    assert offer_for(card.applicant, wanted) == [card]
