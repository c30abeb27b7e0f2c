import pytest

from motcua.integrations.payments import demo
from motcua.integrations.payments.models import Payment, PaymentStatus
from motcua.integrations.payments.selectors import payment_status


@pytest.mark.django_db
def test_demo_payments_are_made_once(make_dossier):
    dossiers = [make_dossier(enterprise=f"300055500{i}") for i in range(4)]
    assert demo.load() == {"paid": 1, "pending": 1, "counter": 1}
    assert demo.load() == {"paid": 0, "pending": 0, "counter": 0}
    # The most recent dossiers first, so the reconciliation page of this month shows them.
    assert [payment_status(d) for d in dossiers] == ["paid", "unpaid", "pending", "paid"]
    paid = Payment.objects.filter(status=PaymentStatus.PAID)
    assert all(p.receipt_number for p in paid)
    assert all(p.paid_at > p.created_at for p in paid.filter(method="online"))
    assert all(p.paid_at == p.created_at for p in paid.filter(method="cash"))
    counter = Payment.objects.get(method="cash")
    assert counter.dossier == dossiers[0] and counter.created_by.username == "lan"
