"""QĐ 766 satisfaction group from the portal's data: 5.4 from the ratings (three-level scale of DOMAIN B.7),
late dossiers and feedback about a dossier; 5.1 from the feedback received; 5.2 and 5.3 still without data
(no PAKN handling workflow yet), saying so truthfully."""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.org.models import Unit
from motcua.portal.models import Feedback, Rating
from motcua.reports.index766 import index_766, indicator_dossiers
from motcua.reports.scope import report_dossiers

from .conftest import VN, Desk, at

SO_NOI_VU = "000.00.12.H27"


@pytest.fixture
def january(db):
    desk = Desk()
    made = {}
    for name, day in [("fine", "05/01/2026 08:00"), ("disliked", "05/01/2026 09:00"), ("pakn", "06/01/2026 08:00"),
                      ("late", "06/01/2026 09:00"), ("happy_late", "07/01/2026 08:00")]:
        made[name] = desk.receive(day)
    for name in ("fine", "disliked", "pakn"):
        desk.resolve(made[name], "09/01/2026 10:00")
    for name in ("late", "happy_late"):
        made[name].refresh_from_db()
        desk.resolve(made[name], (made[name].due_at + dt.timedelta(days=3)).astimezone(VN).strftime("%d/%m/%Y %H:%M"))
    desk.receive("08/01/2026 08:00")                     # still in progress: not in 5.4
    Rating.objects.create(dossier=made["fine"], satisfaction="very_satisfied", created_at=at("12/01/2026 10:00"))
    Rating.objects.create(dossier=made["disliked"], satisfaction="not_satisfied", created_at=at("12/01/2026 10:00"))
    Rating.objects.create(dossier=made["happy_late"], satisfaction="satisfied", created_at=at("03/02/2026 10:00"))
    snv = Unit.objects.get(code=SO_NOI_VU)
    Feedback.objects.create(subject="dossier", dossier=made["pakn"], dossier_code=made["pakn"].code, agency=snv,
                            content="Phải đến ba lần mới nộp được", name="Người nộp", phone="0905123456",
                            created_at=at("15/01/2026 10:00"))
    Feedback.objects.create(subject="procedure", procedure_code="1.013934", agency=snv, content="Nhiều bản sao",
                            name="Người khác", phone="0905000000", created_at=at("20/01/2026 10:00"))
    Feedback.objects.create(subject="procedure", procedure_code="1.013934", agency=snv, content="Tháng sau",
                            name="Người khác", phone="0905000000", created_at=at("02/02/2026 10:00"))
    return made


def scores(sysadmin, month: int = 1) -> dict:
    snv = Unit.objects.get(code=SO_NOI_VU)
    _groups, ranked = index_766(report_dossiers(sysadmin), [snv], 2026, month)
    return {s.indicator.id: s for s in ranked[0].scores}


def test_satisfaction_with_handling_from_ratings_late_dossiers_and_feedback(january, sysadmin):
    s = scores(sysadmin)
    # resolved in January: 5; subtracted once each: disliked, pakn, late, happy_late (late although satisfied)
    assert (s["5.4"].numerator, s["5.4"].denominator, s["5.4"].rate) == (1, 5, 20.0)
    assert s["5.4"].points == round(20.0 / 90 * 6, 2) and s["5.4"].state == "scored"
    assert "giả định" in s["5.4"].indicator.formula and "Không hài lòng" in s["5.4"].indicator.formula
    num = indicator_dossiers(report_dossiers(sysadmin), "5.4", 2026, 1, "num")
    assert list(num.values_list("pk", flat=True)) == [january["fine"].pk]
    assert indicator_dossiers(report_dossiers(sysadmin), "5.4", 2026, 1, "den").count() == 5


def test_feedback_received_and_classified(january, sysadmin):
    s = scores(sysadmin)
    assert (s["5.1"].numerator, s["5.1"].denominator, s["5.1"].points) == (2, 2, 5.0)
    assert "giả định" in s["5.1"].indicator.formula
    for pending in ("5.2", "5.3"):
        assert s[pending].state == "no_data" and "Đã tiếp nhận PAKN" in s[pending].no_data
    february = scores(sysadmin, 2)
    assert (february["5.1"].numerator, february["5.1"].denominator) == (1, 1)
    assert (february["5.4"].numerator, february["5.4"].denominator) == (0, 0) and february["5.4"].state == "none"


def test_index_page_shows_the_satisfaction_group_with_formulas(january, client, control_officer):
    client.force_login(control_officer)
    html = client.get("/bao-cao/chi-so-766/", {"thang": "2026-01", "co-quan": SO_NOI_VU}).content.decode()
    assert "Chưa có chức năng tiếp nhận phản ánh" not in html
    assert "Chưa thu thập đánh giá mức độ hài lòng" not in html
    assert "Hài lòng về giải quyết TTHC" in html and "20,0%" in html
    assert "chi-so=5.4&amp;co-quan=000.00.12.H27&amp;phan=num" in html
    # counted over feedback, not dossiers: its numbers open the feedback list (test_index766_drilldown.py)
    assert "chi-so=5.1&amp;co-quan=000.00.12.H27&amp;phan=num" in html
    listed = client.get("/bao-cao/chi-so-766/ho-so/", {"thang": "2026-01", "chi-so": "5.4", "co-quan": SO_NOI_VU,
                                                        "phan": "num"})
    assert listed.status_code == 200 and listed.content.decode().count('href="/mot-cua/ho-so/') == 1


def test_demo_feedback_feeds_the_satisfaction_group(db, settings, tmp_path, sysadmin):
    from zoneinfo import ZoneInfo

    from motcua.dossiers import demo as dossiers_demo
    from motcua.portal import demo

    settings.MEDIA_ROOT = tmp_path
    settings.EMAIL_ENABLED = settings.SMS_ENABLED = False
    now = dt.datetime(2025, 11, 17, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    dossiers_demo.load(size=24, now=now)
    demo.load()
    assert Feedback.objects.filter(subject="procedure").count() == len(demo.FEEDBACK)
    disliked = Rating.objects.exclude(satisfaction="not_satisfied").order_by("dossier__code").first()
    Rating.objects.filter(pk=disliked.pk).update(satisfaction="not_satisfied")
    demo._feedback()
    about = Feedback.objects.get(dossier=disliked.dossier)
    assert about.subject == "dossier" and about.agency_id == disliked.dossier.agency_id
    assert about.created_at > disliked.created_at
    count = Feedback.objects.count()
    demo._feedback()
    assert Feedback.objects.count() == count                                  # idempotent
    local = Feedback.objects.order_by("created_at").first().created_at.astimezone(VN)
    snv = Unit.objects.get(code=SO_NOI_VU)
    _groups, ranked = index_766(report_dossiers(sysadmin), list(Unit.objects.filter(kind="agency")),
                                local.year, local.month)
    received = sum(s.denominator for r in ranked for s in r.scores if s.indicator.id == "5.1")
    assert received >= 1 and snv.pk in {r.agency.pk for r in ranked}
