"""Officers read what the citizen declared online on the dossier page: the schema's labels, values as
people read them (dd/mm/yyyy, `1.250.000 đ`, Có/Không, an enum's label), only for those who may see it."""

import pytest

from motcua.dossiers.models import Status
from motcua.portal import demo, schemas
from motcua.portal.models import Draft


@pytest.fixture
def unemployment_dossier(db, citizen):
    demo._schemas()
    return demo._submit(citizen, "1.001978", "Chuyển khoản giúp tôi")


def test_rows_format_each_kind_of_value():
    schema = demo.SCHEMAS["1.001978"]
    data = {"full_name": "Nguyễn Văn Hùng", "birth_date": "1987-03-12", "contract_end": "30/09/2025",
            "insured_months": 86, "average_salary": 12450000, "payment_method": "cash", "job_counselling": False,
            "retired_field": "giữ lại"}
    shown = dict(schemas.rows(schema, data))
    assert shown["Ngày sinh"] == "12/03/1987"
    assert shown["Ngày chấm dứt hợp đồng lao động"] == "30/09/2025"
    assert shown["Tiền lương bình quân 6 tháng liền kề đóng bảo hiểm"] == "12.450.000 đ"
    assert shown["Số tháng đã đóng bảo hiểm thất nghiệp"] == "86"
    assert shown["Hình thức nhận trợ cấp"] == "Nhận tiền mặt tại bưu điện"
    assert shown["Có nhu cầu tư vấn, giới thiệu việc làm"] == "Không"
    assert shown["Địa chỉ liên hệ"] == ""  # not typed: the page shows "—"
    assert shown["retired_field"] == "giữ lại"  # a field dropped from the schema later is not hidden
    assert [label for label, _ in schemas.rows(schema, data)][:2] == ["Họ và tên", "Ngày sinh"]  # schema order


def test_money_only_on_integers():
    bad = {"type": "object", "properties": {"fee": {"type": "string", "title": "Phí", "x-money": True}}}
    with pytest.raises(schemas.SchemaError):
        schemas.check_schema(bad)


def test_officer_sees_the_declaration_on_the_dossier_page(client, clerk, unemployment_dossier):
    assert unemployment_dossier.status == Status.SUBMITTED
    client.force_login(clerk)
    page = client.get(f"/mot-cua/ho-so/{unemployment_dossier.code}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Tờ khai người nộp khai trực tuyến" in body
    for label, value in [("Tiền lương bình quân 6 tháng liền kề đóng bảo hiểm", "12.450.000 đ"),
                         ("Ngày chấm dứt hợp đồng lao động", "30/09/2025"), ("Ngày sinh", "12/03/1987"),
                         ("Hình thức nhận trợ cấp", "Chuyển khoản qua tài khoản ngân hàng"),
                         ("Có nhu cầu tư vấn, giới thiệu việc làm", "Có")]:
        assert f"<dt>{label}</dt><dd>{value}</dd>" in body
    assert "average_salary" not in body and "payment_method" not in body  # labels, never raw keys


def test_no_declaration_for_whoever_may_not_see_the_dossier(client, outsider, citizen, unemployment_dossier):
    client.force_login(outsider)
    assert client.get(f"/mot-cua/ho-so/{unemployment_dossier.code}/").status_code == 404
    client.force_login(citizen)  # the citizen reads it on "my dossiers", not on the officers' page
    assert client.get(f"/mot-cua/ho-so/{unemployment_dossier.code}/").status_code in {302, 403, 404}


def test_counter_dossier_has_no_declaration_panel(client, clerk, unemployment_dossier):
    Draft.objects.filter(dossier=unemployment_dossier).update(dossier=None)
    client.force_login(clerk)
    body = client.get(f"/mot-cua/ho-so/{unemployment_dossier.code}/").content.decode()
    assert "Tờ khai người nộp khai trực tuyến" not in body
