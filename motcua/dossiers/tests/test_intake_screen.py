"""The counter intake screen: procedure search, checklist, the three outcomes, errors kept on the form,
scoped slips and pages, and the one-stop officer's home section."""

from io import BytesIO

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from motcua.catalog.models import ProcedureVersion
from motcua.dossiers.intake import ApplicantData, receive_dossier
from motcua.dossiers.models import Dossier, DossierFile, IntakeNotice
from motcua.org.models import User

from .conftest import at

URL = "/mot-cua/tiep-nhan/"
MORNING = at("17/11/2025 08:20")
AFTERNOON = at("17/11/2025 15:40")


def pdf_text(data: bytes) -> str:
    return " ".join("\n".join(p.extract_text() for p in PdfReader(BytesIO(data)).pages).split())


def tiny_pdf(label: str = "x") -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Title": label})
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture
def lan(client, clerk):
    client.force_login(clerk)
    return client


@pytest.fixture
def version(db):
    return ProcedureVersion.objects.in_force_on(MORNING.date()).get(procedure__code="1.013934")


def form_data(version, **overrides):
    case = version.cases.first()
    data = {
        "procedure": version.pk, "case": case.pk, "intake_key": "k1",
        "desk": User.objects.get(username="lan").role_assignments.get().unit_id,
        "applicant_kind": "citizen", "applicant_identifier": "042087001234", "applicant_name": "Nguyễn Văn Hùng",
        "applicant_birth_date": "02/09/1987", "applicant_phone": "0905123456", "applicant_email": "",
        "applicant_address": "Phường Thành Sen, Hà Tĩnh", "channel": "direct", "postal_waybill": "",
        "postal_handed_on": "", "return_channel": "counter", "sets_count": "1", "action": "receive",
    }
    for component in case.components.all():
        data[f"present_{component.pk}"] = "on"
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_only_one_stop_officers_reach_the_screen(client, specialist, citizen):
    for person in (specialist, citizen):
        client.force_login(person)
        assert client.get(URL).status_code == 404
        assert client.get("/mot-cua/tiep-nhan/thu-tuc/?q=luu", headers={"HX-Request": "true"}).status_code == 404


@time_machine.travel(MORNING, tick=False)
def test_search_ignores_diacritics_with_and_without_htmx(lan, version):
    page = lan.get(URL, {"q": "luu tru"}).content.decode()
    assert "1.013934" in page and f"?thu-tuc={version.pk}" in page
    partial = lan.get("/mot-cua/tiep-nhan/thu-tuc/", {"q": "luu tru"}, headers={"HX-Request": "true"})
    assert "1.013934" in partial.content.decode() and "<html" not in partial.content.decode()
    assert "Không tìm thấy" in lan.get(URL, {"q": "khong co thu tuc nay"}).content.decode()


@time_machine.travel(MORNING, tick=False)
def test_chosen_procedure_shows_its_checklist(lan, version):
    page = lan.get(URL, {"thu-tuc": version.pk}).content.decode()
    for component in version.cases.first().components.all():
        assert component.name in page
        assert f'name="present_{component.pk}"' in page and f'name="file_{component.pk}"' in page
    assert "Tiếp nhận" in page and "Yêu cầu bổ sung" in page and "Từ chối" in page


def test_receive_after_three_pm_gives_code_appointment_and_handover_note(lan, version):
    first = version.cases.first().components.first()
    data = form_data(version)
    data[f"file_{first.pk}"] = SimpleUploadedFile("don.pdf", tiny_pdf(), content_type="application/pdf")
    with time_machine.travel(AFTERNOON, tick=False):
        response = lan.post(URL, data)
    dossier = Dossier.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/mot-cua/ho-so/{dossier.code}/da-tiep-nhan/"
    assert dossier.code == "000.00.12.H27-251117-0001"
    page = lan.get(response["Location"]).content.decode()
    assert dossier.code in page and "Nhận sau 15 giờ" in page
    # the appointment reads like every other instant on the page: time, then date
    assert '<strong id="due-at">15:40 01/12/2025</strong>' in page
    assert f"/mot-cua/ho-so/{dossier.code}/giay-tiep-nhan.pdf" in page
    assert dossier.files.get().checklist_item.component_id == first.pk
    text = pdf_text(lan.get(f"/mot-cua/ho-so/{dossier.code}/giay-tiep-nhan.pdf").content)
    assert dossier.code in text and "Nguyễn Văn Hùng" in text and "15:40 01/12/2025" in text
    # a double-click (same form key) gives the same dossier
    with time_machine.travel(AFTERNOON, tick=False):
        again = lan.post(URL, form_data(version))
    assert again["Location"] == response["Location"] and Dossier.objects.count() == 1


@time_machine.travel(MORNING, tick=False)
def test_supplement_request_lists_unticked_components_and_receives_nothing(lan, version):
    components = list(version.cases.first().components.all())
    data = form_data(version, action="supplement", extra_name_1="Giấy ủy quyền", extra_reason_1="Người nộp thay")
    del data[f"present_{components[0].pk}"]
    data[f"reason_{components[0].pk}"] = "Đơn chưa ký"
    response = lan.post(URL, data)
    notice = IntakeNotice.objects.get()
    assert response.status_code == 302 and Dossier.objects.count() == 0
    assert notice.kind == "supplement" and "PBS" in notice.number
    assert notice.items == [{"name": components[0].name, "reason": "Đơn chưa ký"},
                            {"name": "Giấy ủy quyền", "reason": "Người nộp thay"}]
    page = lan.get(response["Location"]).content.decode()
    assert notice.number in page and "Hồ sơ chưa được tiếp nhận" in page
    text = pdf_text(lan.get(f"/mot-cua/phieu/{notice.number}/phieu.pdf").content)
    assert components[0].name in text and "Đơn chưa ký" in text and "Giấy ủy quyền" in text


@time_machine.travel(MORNING, tick=False)
def test_refusal_needs_a_reason_and_keeps_what_was_typed(lan, version):
    response = lan.post(URL, form_data(version, action="refuse", refusal_reason=""))
    page = response.content.decode()
    assert response.status_code == 422 and "Phiếu từ chối cần nêu rõ lý do" in page
    assert 'value="Nguyễn Văn Hùng"' in page and 'value="02/09/1987"' in page
    response = lan.post(URL, form_data(version, action="refuse", refusal_reason="Không thuộc thẩm quyền"))
    notice = IntakeNotice.objects.get(kind="refusal")
    text = pdf_text(lan.get(f"/mot-cua/phieu/{notice.number}/phieu.pdf").content)
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" in text and "Không thuộc thẩm quyền" in text


@time_machine.travel(MORNING, tick=False)
def test_errors_show_next_to_fields_and_everything_typed_is_kept(lan, version):
    first = version.cases.first().components.first()
    data = form_data(version, applicant_identifier="099087001234", applicant_birth_date="31/02/1987")
    data[f"file_{first.pk}"] = SimpleUploadedFile("scan.pdf", b"not a pdf at all", content_type="application/pdf")
    response = lan.post(URL, data)
    page = response.content.decode()
    assert response.status_code == 422 and Dossier.objects.count() == 0
    assert "Ngày phải theo dạng dd/mm/yyyy" in page
    assert 'value="099087001234"' in page and 'value="Phường Thành Sen, Hà Tĩnh"' in page
    assert "chọn lại tệp" in page
    # the business check (province code of the ID number) comes from the intake action
    response = lan.post(URL, form_data(version, applicant_identifier="099087001234"))
    page = response.content.decode()
    assert "mã tỉnh" in page and 'id="id_applicant_identifier_error"' in page
    # a file that is not what its name says is refused next to its component
    data = form_data(version)
    data[f"file_{first.pk}"] = SimpleUploadedFile("scan.pdf", b"plain text", content_type="application/pdf")
    page = lan.post(URL, data).content.decode()
    assert "không đúng định dạng" in page and Dossier.objects.count() == 0


@time_machine.travel(MORNING, tick=False)
def test_id_number_not_matching_the_birth_date_and_future_dates_are_refused_next_to_the_fields(lan, version):
    page = lan.post(URL, form_data(version, applicant_birth_date="02/09/1990")).content.decode()
    assert "không khớp ngày sinh 02/09/1990" in page and 'id="id_applicant_identifier_error"' in page
    assert 'value="042087001234"' in page and 'value="02/09/1990"' in page
    page = lan.post(URL, form_data(version, applicant_identifier="042225001234", applicant_birth_date="20/11/2025",
                                   channel="postal", postal_waybill="EB123456789VN",
                                   postal_handed_on="18/11/2025")).content.decode()
    assert page.count("không thể sau ngày tiếp nhận") == 2
    assert 'id="id_applicant_birth_date_error"' in page and 'id="id_postal_handed_on_error"' in page
    assert 'value="EB123456789VN"' in page and 'value="18/11/2025"' in page
    assert Dossier.objects.count() == 0


@time_machine.travel(MORNING, tick=False)
def test_missing_required_component_on_receive_says_to_ask_for_a_supplement(lan, version):
    data = form_data(version)
    del data[f"present_{version.cases.first().components.first().pk}"]
    page = lan.post(URL, data).content.decode()
    assert "chưa đủ thành phần bắt buộc" in page and Dossier.objects.count() == 0


@time_machine.travel(MORNING, tick=False)
def test_earlier_applicant_is_found_by_id_number(lan, version, make_request, clerk):
    receive_dossier(request=make_request(received_at=at("10/11/2025 09:00")), acting_user=clerk)
    partial = lan.get("/mot-cua/tiep-nhan/nguoi-nop/", {"applicant_identifier": "042087001234",
                                                       "applicant_kind": "citizen"},
                      headers={"HX-Request": "true"}).content.decode()
    # the lookup swaps a suggestion only, never the fields the officer may be typing in
    assert 'id="applicant-suggestion"' in partial and "Dùng thông tin này" in partial
    assert 'data-applicant_name="Nguyễn Văn Hùng"' in partial and 'data-applicant_phone="0905123456"' in partial
    assert 'name="applicant_name"' not in partial and 'id="applicant-details"' not in partial
    unknown = lan.get("/mot-cua/tiep-nhan/nguoi-nop/", {"applicant_identifier": "042087009999"},
                      headers={"HX-Request": "true"}).content.decode()
    assert "Chưa có người nộp này" in unknown and "data-applicant-fill" not in unknown
    # without JavaScript: the "Tìm trong hồ sơ trước" button re-renders the form, filled
    data = form_data(version, action="lookup", applicant_name="", applicant_phone="")
    page = lan.post(URL, data).content.decode()
    assert 'value="Nguyễn Văn Hùng"' in page and "Đã điền thông tin" in page


@time_machine.travel(MORNING, tick=False)
def test_postal_dossier_keeps_waybill_and_handover_date(lan, version):
    response = lan.post(URL, form_data(version, channel="postal", postal_waybill="",))
    assert "mã vận đơn" in response.content.decode()
    lan.post(URL, form_data(version, channel="postal", postal_waybill="EB123456789VN",
                            postal_handed_on="14/11/2025", return_channel="postal"))
    dossier = Dossier.objects.get()
    assert (dossier.channel, dossier.postal_waybill, dossier.postal_handed_on.strftime("%d/%m/%Y"),
            dossier.return_channel) == ("postal", "EB123456789VN", "14/11/2025", "postal")


def test_dossier_page_slips_and_files_are_scoped(client, clerk, make_request):
    from motcua.dossiers.files import check_file

    case = make_request().case
    first = case.components.first()
    request = make_request(received_at=MORNING, files=[(first.pk, check_file("don.pdf", tiny_pdf("don")))])
    dossier = receive_dossier(request=request, acting_user=clerk)
    stored = DossierFile.objects.get(dossier=dossier)
    client.force_login(clerk)
    page = client.get(f"/mot-cua/ho-so/{dossier.code}/").content.decode()
    assert dossier.code in page and "Tiếp nhận hồ sơ" in page and first.name in page
    assert f"/mot-cua/ho-so/{dossier.code}/tep/{stored.pk}/" in page
    assert client.get(f"/mot-cua/ho-so/{dossier.code}/tep/{stored.pk}/").status_code == 200
    other = User.objects.get(username="motcuaxa")  # one-stop officer of another commune
    client.force_login(other)
    for url in (f"/mot-cua/ho-so/{dossier.code}/", f"/mot-cua/ho-so/{dossier.code}/giay-tiep-nhan.pdf",
                f"/mot-cua/ho-so/{dossier.code}/tep/{stored.pk}/"):
        assert client.get(url).status_code == 404, url


def test_notice_slips_are_scoped_to_the_desk(client, clerk, make_request):
    from motcua.dossiers.intake import give_intake_notice

    r = make_request()
    notice = give_intake_notice(kind="refusal", version=r.version, case=r.case, channel="direct",
                                applicant=ApplicantData(kind="citizen", identifier="", name="Bà Tư"),
                                desk=r.desk, items=[], reason="Không đủ điều kiện", acting_user=clerk)
    client.force_login(User.objects.get(username="motcuaxa"))
    assert client.get(f"/mot-cua/phieu/{notice.number}/phieu.pdf").status_code == 404
    assert client.get(f"/mot-cua/phieu/{notice.number}/").status_code == 404
    client.force_login(clerk)
    assert client.get(f"/mot-cua/phieu/{notice.number}/phieu.pdf")["Content-Type"] == "application/pdf"


def test_home_shows_the_desk_today_and_the_nav_entries(lan, clerk, make_request):
    with time_machine.travel(MORNING, tick=False):
        dossier = receive_dossier(request=make_request(received_at=MORNING), acting_user=clerk)
        page = lan.get("/").content.decode()
    assert "Bộ phận Một cửa hôm nay" in page and dossier.code in page
    assert 'href="/mot-cua/tiep-nhan/"' in page and 'href="/mot-cua/so-theo-doi/"' in page


def test_home_lists_postal_dossiers_that_arrived_with_waybill_and_handover_date(lan, clerk, make_request):
    import datetime as dt

    with time_machine.travel(MORNING, tick=False):
        postal = receive_dossier(request=make_request(received_at=at("17/11/2025 08:05"), channel="postal",
                                                      postal_waybill="EB123456789VN",
                                                      postal_handed_on=dt.date(2025, 11, 14)), acting_user=clerk)
        old = receive_dossier(request=make_request(received_at=at("03/11/2025 08:05"), channel="postal",
                                                   postal_waybill="EB000000001VN",
                                                   postal_handed_on=dt.date(2025, 10, 31)), acting_user=clerk)
        direct = receive_dossier(request=make_request(received_at=at("17/11/2025 08:10")), acting_user=clerk)
        page = lan.get("/").content.decode()
    section = page[page.index("Hồ sơ qua bưu chính (1)"):page.index("Tôi đã tiếp nhận hôm nay")]
    assert postal.code in section and "EB123456789VN" in section and "14/11/2025" in section
    assert "08:05 17/11/2025" in section
    assert old.code not in section and direct.code not in section
    # another desk's officer does not see it
    lan.force_login(User.objects.get(username="motcuaxa"))
    with time_machine.travel(MORNING, tick=False):
        assert "EB123456789VN" not in lan.get("/").content.decode()


def test_without_javascript_the_case_can_be_changed_keeping_the_applicant(lan, version):
    with time_machine.travel(MORNING, tick=False):
        page = lan.post(URL, form_data(version, action="case")).content.decode()
    assert 'value="Nguyễn Văn Hùng"' in page and Dossier.objects.count() == 0


def test_the_counter_takes_an_optional_authorised_person(lan, version):
    page = lan.get(f"{URL}?procedure={version.pk}").content.decode()
    assert "Người được ủy quyền nộp hồ sơ (nếu có)" in page and 'name="authorised_identifier"' in page
    page = lan.post(URL, form_data(version, authorised_name="Trần Văn An")).content.decode()
    assert "Cần nhập số định danh cá nhân của người được ủy quyền." in page
    assert 'id="id_authorised_identifier_error"' in page and 'value="Trần Văn An"' in page
    assert Dossier.objects.count() == 0
    with time_machine.travel(MORNING, tick=False):
        response = lan.post(URL, form_data(version, authorised_name="Trần Văn An",
                                           authorised_identifier="042090001111"))
    dossier = Dossier.objects.get()
    assert response.status_code == 302
    assert (dossier.authorised_name, dossier.authorised_identifier) == ("Trần Văn An", "042090001111")
    text = pdf_text(lan.get(f"/mot-cua/ho-so/{dossier.code}/giay-tiep-nhan.pdf").content)
    assert "Người được ủy quyền: Trần Văn An, Số định danh cá nhân: 042090001111" in text
