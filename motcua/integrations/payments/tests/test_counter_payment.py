"""A fee paid at the counter (cash, transfer, card) recorded by a one-stop officer of the dossier's desk."""

from __future__ import annotations

import io
import re

import pytest
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from motcua.integrations.payments import actions
from motcua.integrations.payments.models import Payment, PaymentStatus
from motcua.integrations.payments.selectors import payment_status
from motcua.org.models import AuditEntry


def pdf_text(data: bytes) -> str:
    return " ".join(" ".join((p.extract_text() or "") for p in PdfReader(io.BytesIO(data)).pages).split())


def pay_key(page: str) -> str:
    return re.search(r'name="pay_key" value="([0-9a-f]+)"', page).group(1)


@pytest.mark.django_db
def test_officer_records_cash_at_the_counter_once_and_the_panel_shows_the_receipt(client, clerk, dossier):
    client.force_login(clerk)
    url = f"/mot-cua/ho-so/{dossier.code}/"
    page = client.get(url).content.decode()
    assert "Chưa nộp phí" in page and "Ghi nhận nộp phí tại quầy" in page
    key = pay_key(page)
    form = {"pay_key": key, "method": "cash", "amount": "600.000", "receipt_number": ""}
    first = client.post(f"/thanh-toan/ho-so/{dossier.code}/tai-quay/", form)
    assert first.status_code == 302 and first["Location"] == url
    second = client.post(f"/thanh-toan/ho-so/{dossier.code}/tai-quay/", form)  # double click / resent
    assert second.status_code == 302

    payment = Payment.objects.get(dossier=dossier)
    assert (payment.method, payment.gateway, payment.status, payment.amount) == ("cash", "counter", "paid", 600000)
    assert payment.created_by == clerk and payment.paid_at is not None
    assert re.fullmatch(rf"BL\d{{4}}-{payment.pk:06d}", payment.receipt_number)
    assert AuditEntry.objects.filter(action="payment.counter", object_id=str(payment.pk)).count() == 1
    assert payment_status(dossier) == "paid"

    page = client.get(url).content.decode()
    assert "Đã nộp phí" in page and "Chưa nộp phí" not in page and "Ghi nhận nộp phí tại quầy" not in page
    assert f"/thanh-toan/{payment.pk}/bien-lai.pdf" in page and payment.receipt_number in page
    pdf = client.get(f"/thanh-toan/{payment.pk}/bien-lai.pdf")
    text = pdf_text(pdf.content)
    assert payment.receipt_number in text and "600.000 đ" in text
    assert "Nộp tại Bộ phận Một cửa – tiền mặt" in text and "Trực tuyến qua cổng" not in text
    assert str(clerk) in text
    fees_page = client.get(f"/thanh-toan/ho-so/{dossier.code}/").content.decode()
    assert '<td data-method="cash">Tiền mặt</td>' in fees_page and "Thanh toán trực tuyến</button>" not in fees_page
    # The online payment page refuses to start a gateway payment for a dossier paid at the counter.
    with pytest.raises(ValidationError):
        actions.start_payment(dossier=dossier, acting_user=clerk)


@pytest.mark.django_db
def test_wrong_amount_or_method_is_a_vietnamese_message_and_nothing_is_saved(client, clerk, dossier):
    client.force_login(clerk)
    key = pay_key(client.get(f"/mot-cua/ho-so/{dossier.code}/").content.decode())
    answer = client.post(f"/thanh-toan/ho-so/{dossier.code}/tai-quay/",
                         {"pay_key": key, "method": "transfer", "amount": "500.000", "receipt_number": "0001234"})
    page = answer.content.decode()
    assert answer.status_code == 400
    assert "Số tiền 500.000 đ không khớp phí, lệ phí 600.000 đ của hồ sơ." in page
    assert 'value="0001234"' in page and 'value="500.000"' in page  # what was typed is kept
    bad = client.post(f"/thanh-toan/ho-so/{dossier.code}/tai-quay/",
                      {"pay_key": key, "method": "cash", "amount": "sáu trăm", "receipt_number": ""})
    assert bad.status_code == 400 and "Số tiền phải là số đồng" in bad.content.decode()
    assert not Payment.objects.filter(dossier=dossier).exists()
    assert not AuditEntry.objects.filter(action="payment.counter").exists()


@pytest.mark.django_db
def test_typed_paper_receipt_number_is_kept_and_may_not_be_reused(clerk, dossier, make_dossier):
    payment = actions.record_counter_payment(dossier=dossier, method="card", amount=600000,
                                             receipt_number=" 0000457 ", acting_user=clerk)
    assert payment.receipt_number == "0000457" and payment.get_method_display() == "Thẻ"
    other = make_dossier(enterprise="3000999888")
    with pytest.raises(ValidationError) as exc:
        actions.record_counter_payment(dossier=other, method="cash", amount=600000, receipt_number="0000457",
                                       acting_user=clerk)
    assert "Số biên lai 0000457 đã được dùng" in " ".join(exc.value.messages)
    with pytest.raises(ValidationError) as exc:
        actions.record_counter_payment(dossier=dossier, method="cash", amount=600000, acting_user=clerk)
    assert "đã được thanh toán" in " ".join(exc.value.messages)
    assert Payment.objects.filter(status=PaymentStatus.PAID).count() == 1


@pytest.mark.django_db
def test_only_a_one_stop_officer_of_the_desk_sees_the_form_and_may_post(client, specialist, dossier):
    client.force_login(specialist)
    page = client.get(f"/mot-cua/ho-so/{dossier.code}/")
    if page.status_code == 200:
        assert "Ghi nhận nộp phí tại quầy" not in page.content.decode()
    answer = client.post(f"/thanh-toan/ho-so/{dossier.code}/tai-quay/",
                         {"pay_key": "abc", "method": "cash", "amount": "600000"})
    assert answer.status_code == 404
    assert not Payment.objects.exists()


@pytest.mark.django_db
def test_counter_payments_are_not_online_in_the_kpis(clerk, make_dossier):
    """"Online share of payments" counts dossiers paid ONLINE: one paid through the gateway, one paid at the
    counter, one unpaid → 1 of 3 fee-bearing dossiers; the procedure KPI and index 3.5 see the online one only."""
    import datetime as dt

    from motcua.dossiers.models import Dossier
    from motcua.integrations.payments.gateway import signed
    from motcua.reports.index766 import _catalog
    from motcua.reports.kpi import _paid_procedures, fee_procedures, year_period
    from motcua.reports.measures import MEASURES, months_of

    online, counter, _unpaid = (make_dossier(enterprise=e) for e in ("3000000001", "3000000002", "3000000003"))
    payment = actions.start_payment(dossier=online, acting_user=clerk)
    params = signed({"vnp_Amount": str(payment.amount * 100), "vnp_BankCode": "NCB", "vnp_OrderInfo": "x",
                     "vnp_PayDate": "20251117101500", "vnp_ResponseCode": "00", "vnp_TmnCode": "MOTCUA01",
                     "vnp_TransactionNo": "1", "vnp_TransactionStatus": "00", "vnp_TxnRef": payment.txn_ref},
                    "dev-payment-secret-change-me-000001")
    assert actions.apply_gateway_message(params=params, source="ipn").code == "00"
    base = Dossier.objects.all()
    period = year_period(2025)
    measure = MEASURES["paid_online"]
    assert measure.counts(base, period.start, period.end) == (1, 3)  # before the counter payment
    actions.record_counter_payment(dossier=counter, method="cash", amount=600000, acting_user=clerk)

    assert measure.counts(base, period.start, period.end) == (1, 3)
    assert months_of([measure], base, period.start, period.end)["paid_online"] == {(2025, 11): (1, 3)}
    assert set(measure.dossiers(base, period.start, period.end, "num")) == {online}
    procedures = fee_procedures(None, dt.date(2025, 12, 31))
    assert {procedure for _month, procedure in _paid_procedures(base, procedures, period)} == {
        online.version.procedure_id}

    # The online payment refunded: only the counter payment is left paid, and no KPI sees an online one.
    Payment.objects.filter(dossier=online).update(status=PaymentStatus.REFUNDED)
    assert measure.counts(base, period.start, period.end) == (0, 3)
    assert _paid_procedures(base, procedures, period) == set()
    assert all(num == 0 for num, _den in _catalog("catalog_paid", base, period).values())
