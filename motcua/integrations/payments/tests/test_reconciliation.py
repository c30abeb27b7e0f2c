"""The officers' reconciliation page: totals by status for a period, mismatches, refused notifications."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from motcua.integrations.payments import actions
from motcua.integrations.payments.gateway import signed
from motcua.integrations.payments.models import Payment, PaymentStatus
from motcua.integrations.payments.selectors import reconcile

VN = ZoneInfo("Asia/Ho_Chi_Minh")
SECRET = "dev-payment-secret-change-me-000001"


def notify(payment, **overrides):
    params = {"vnp_Amount": str(payment.amount * 100), "vnp_ResponseCode": "00", "vnp_TransactionStatus": "00",
              "vnp_TxnRef": payment.txn_ref, "vnp_TransactionNo": f"9{payment.pk:07d}", "vnp_TmnCode": "MOTCUA01",
              "vnp_PayDate": "20251118090000"}
    params.update(overrides)
    return actions.apply_gateway_message(params=signed(params, SECRET), source="ipn")


@pytest.fixture
def november(make_dossier, clerk):
    """Three paid, one pending, one failed on 18/11/2025; one paid on 02/12/2025 (outside the period)."""
    made = []
    with time_machine.travel(dt.datetime(2025, 11, 18, 9, 0, tzinfo=VN), tick=False):
        for i in range(5):
            dossier = make_dossier(received="17/11/2025 09:10", enterprise=f"300012345{i}")
            made.append(actions.start_payment(dossier=dossier, acting_user=clerk))
        for payment in made[:3]:
            assert notify(payment).code == "00"
        notify(made[4], vnp_ResponseCode="24", vnp_TransactionStatus="02")
        notify(made[3], vnp_Amount="100")  # wrong amount: refused, logged
    with time_machine.travel(dt.datetime(2025, 12, 2, 9, 0, tzinfo=VN), tick=False):
        later = actions.start_payment(dossier=make_dossier(received="17/11/2025 10:00", enterprise="3000999999"),
                                      acting_user=clerk)
        notify(later)
    return made


@pytest.mark.django_db
def test_totals_mismatches_and_refused_notifications(november, control_officer, client):
    # A paid payment whose amount no longer matches the catalog fee is a mismatch.
    Payment.objects.filter(pk=november[2].pk).update(amount=500_000)
    report = reconcile(control_officer, start=dt.date(2025, 11, 1), end=dt.date(2025, 11, 30))
    assert report.totals["paid"]["count"] == 3 and report.totals["paid"]["amount"] == 1_700_000
    assert report.totals["pending"] == {"count": 1, "amount": 600_000, "label": "Chờ thanh toán"}
    assert report.totals["failed"]["count"] == 1
    assert [row["payment"].pk for row in report.mismatches] == [november[2].pk]
    assert [n.response_code for n in report.rejected] == ["04"]

    client.force_login(control_officer)
    page = client.get("/thanh-toan/doi-soat/", {"tu_ngay": "01/11/2025", "den_ngay": "30/11/2025"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "1.700.000 đ" in html and "khác phí, lệ phí hiện hành 600.000 đ" in html
    assert "Số tiền 1 đ không khớp phí, lệ phí 600.000 đ" in html
    assert november[0].txn_ref in html
    bad = client.get("/thanh-toan/doi-soat/", {"tu_ngay": "31/02/2025"})
    assert bad.status_code == 400 and "dd/mm/yyyy" in bad.content.decode()


@pytest.mark.django_db
def test_one_stop_officer_sees_the_desk_and_a_commune_officer_sees_nothing(november, clerk, client):
    from motcua.org.models import User

    report = reconcile(clerk, start=dt.date(2025, 11, 1), end=dt.date(2025, 12, 31))
    assert len(report.rows) == 6
    commune = User.objects.get(username="motcuaxa")
    assert reconcile(commune, start=dt.date(2025, 11, 1), end=dt.date(2025, 12, 31)).rows == []
    client.force_login(clerk)
    assert "Đối soát thanh toán" in client.get("/").content.decode()
    assert Payment.objects.filter(status=PaymentStatus.PAID).count() == 4


@pytest.mark.django_db
def test_counter_payments_are_reconciled_as_not_online(november, make_dossier, clerk, control_officer, client):
    """A fee recorded at the counter has no gateway message: not a mismatch; the paid totals split online
    against counter methods."""
    with time_machine.travel(dt.datetime(2025, 11, 19, 10, 0, tzinfo=VN), tick=False):
        cash = actions.record_counter_payment(dossier=make_dossier(enterprise="3000777001"), method="cash",
                                              amount=600_000, acting_user=clerk)
        card = actions.record_counter_payment(dossier=make_dossier(enterprise="3000777002"), method="card",
                                              amount=600_000, acting_user=clerk)
    report = reconcile(control_officer, start=dt.date(2025, 11, 1), end=dt.date(2025, 11, 30))
    assert report.totals["paid"]["count"] == 5 and report.totals["paid"]["amount"] == 3_000_000
    assert report.mismatches == []
    assert {k: (v["count"], v["amount"]) for k, v in report.paid_by_method.items()} == {
        "online": (3, 1_800_000), "cash": (1, 600_000), "transfer": (0, 0), "card": (1, 600_000)}

    client.force_login(control_officer)
    html = client.get("/thanh-toan/doi-soat/", {"tu_ngay": "01/11/2025", "den_ngay": "30/11/2025"}).content.decode()
    assert "Không có chênh lệch." in html and cash.txn_ref in html and card.txn_ref in html
    assert '<tr data-method="online"><td>Trực tuyến</td><td>3</td><td class="nowrap">1.800.000 đ</td>' in html
    assert '<tr data-method="cash"><td>Tại quầy – tiền mặt</td><td>1</td>' in html
    assert '<td data-method="card">Thẻ</td>' in html
