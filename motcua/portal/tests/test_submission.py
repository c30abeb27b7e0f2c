"""Online submission: the declaration form from the schema, drafts that survive, one dossier per draft."""

import pytest

from motcua.dossiers.models import Dossier, DossierFile, Status
from motcua.portal import actions, schemas
from motcua.portal.models import DeclarationSchema, Draft
from motcua.records.models import Reuse

from .conftest import DECLARATION, tiny_pdf


def test_double_submit_creates_one_dossier(client, citizen, ready_draft):
    client.force_login(citizen)
    url = f"/cong/ho-so-nhap/{ready_draft.pk}/xem-lai/"
    first = client.post(url)
    second = client.post(url)
    dossier = Dossier.objects.get(idempotency_key=ready_draft.idempotency_key)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == f"/cong/ho-so-cua-toi/{dossier.code}/"
    assert Dossier.objects.filter(applicant_identifier="042087001234", version=ready_draft.version).count() == 1
    # Straight to the action again (a retry that skipped the draft check): still the same dossier.
    assert actions.submit_draft(draft=ready_draft, acting_user=citizen) == dossier
    assert dossier.status == Status.SUBMITTED and dossier.channel == "online"
    sources = sorted(DossierFile.objects.filter(dossier=dossier).values_list("source", flat=True))
    assert sources == ["reuse", "upload", "upload"]
    assert Reuse.objects.filter(dossier=dossier).count() == 1
    assert set(dossier.checklist.values_list("present", flat=True)) == {True}
    assert dossier.applicant.user == citizen


def test_draft_survives_a_closed_browser(client, citizen, work_permit):
    client.force_login(citizen)
    case = work_permit.cases.first()
    response = client.post(f"/cong/nop/{work_permit.procedure.code}/", {"case": case.pk})
    draft = Draft.objects.get(user=citizen, version=work_permit)
    assert response["Location"] == f"/cong/ho-so-nhap/{draft.pk}/to-khai/"
    # Half-typed, with a mistake: kept as typed.
    client.post(response["Location"], {**DECLARATION, "phone": "12345", "then": "stay"})
    component = case.components.first()
    client.post(f"/cong/ho-so-nhap/{draft.pk}/giay-to/", {"component": component.pk, "action": "upload",
                                                         f"file_{component.pk}": _upload("don.pdf")})
    client.logout()  # the browser is closed; a new session later
    client.force_login(citizen)
    page = client.get(f"/cong/ho-so-nhap/{draft.pk}/to-khai/")
    body = page.content.decode()
    assert 'value="12345"' in body and "Phường Thành Sen, Hà Tĩnh" in body
    assert "Số điện thoại gồm 10 hoặc 11 chữ số" in body  # what is still wrong is shown again
    documents = client.get(f"/cong/ho-so-nhap/{draft.pk}/giay-to/").content.decode()
    assert "Đã tải lên: don.pdf" in documents
    # The same procedure again resumes the same draft.
    again = client.post(f"/cong/nop/{work_permit.procedure.code}/", {"case": case.pk})
    assert again["Location"] == f"/cong/ho-so-nhap/{draft.pk}/to-khai/"
    assert Draft.objects.filter(user=citizen).count() == 1


def _upload(name):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, tiny_pdf(name), content_type="application/pdf")


def test_schema_validation_messages_are_vietnamese(client, citizen, work_permit):
    DeclarationSchema.objects.create(procedure_code=work_permit.procedure.code, schema={
        "type": "object",
        "properties": {
            "full_name": {"type": "string", "title": "Họ và tên", "maxLength": 20},
            "birth_date": {"type": "string", "format": "date", "title": "Ngày sinh", "x-not-future": True},
            "workers": {"type": "integer", "title": "Số người lao động", "minimum": 1, "maximum": 500},
            "email": {"type": "string", "format": "email", "title": "Thư điện tử"},
            "position": {"type": "string", "title": "Vị trí công việc", "enum": ["expert", "manager"],
                         "x-labels": ["Chuyên gia", "Nhà quản lý"]},
        },
        "required": ["full_name", "birth_date", "workers", "position"],
    })
    client.force_login(citizen)
    draft = actions.start_draft(version=work_permit, case=work_permit.cases.first(), acting_user=citizen)
    response = client.post(f"/cong/ho-so-nhap/{draft.pk}/to-khai/", {
        "full_name": "", "birth_date": "31/02/2020", "workers": "0", "email": "khong-phai-email",
        "position": "boss"})
    assert response.status_code == 400
    body = response.content.decode()
    for message in ["Vui lòng nhập “Họ và tên”.",
                    "“Ngày sinh”: nhập ngày theo dạng ngày/tháng/năm, ví dụ 12/03/1987.",
                    "“Số người lao động” không được nhỏ hơn 1.",
                    "“Thư điện tử” không đúng dạng địa chỉ thư điện tử.",
                    "Lựa chọn cho “Vị trí công việc” không hợp lệ."]:
        assert message in body, message
    draft.refresh_from_db()
    assert not draft.declaration_valid and draft.declaration["workers"] == "0"
    future = client.post(f"/cong/ho-so-nhap/{draft.pk}/to-khai/", {
        "full_name": "Nguyễn Văn Hùng Rất Dài Tên Quá", "birth_date": "01/01/2999", "workers": "3",
        "position": "expert"}).content.decode()
    assert "“Ngày sinh” không thể sau ngày hôm nay." in future
    assert "“Họ và tên” dài quá 20 ký tự." in future
    ok = client.post(f"/cong/ho-so-nhap/{draft.pk}/to-khai/", {
        "full_name": "Nguyễn Văn Hùng", "birth_date": "12/03/1987", "workers": "3", "position": "manager"})
    assert ok.status_code == 302
    draft.refresh_from_db()
    assert draft.declaration_valid and draft.declaration["birth_date"] == "12/03/1987"
    assert ("Vị trí công việc", "Nhà quản lý") in schemas.rows(schemas.schema_for("1.014199"), draft.declaration)


def test_a_schema_the_renderer_cannot_read_is_refused():
    with pytest.raises(schemas.SchemaError) as info:
        schemas.check_schema({"type": "object", "properties": {"Tên": {"type": "string"},
                                                               "n": {"type": "array"},
                                                               "d": {"type": "string", "format": "uri"}},
                              "required": ["x"]})
    text = " ".join(info.value.messages)
    assert "Tên trường “Tên” không hợp lệ" in text and "kiểu phải là string" in text
    assert "chỉ hỗ trợ format date hoặc email" in text and "Trường bắt buộc “x”" in text


def test_submission_needs_every_required_component(client, citizen, work_permit):
    client.force_login(citizen)
    draft = actions.start_draft(version=work_permit, case=work_permit.cases.first(), acting_user=citizen)
    actions.save_declaration(draft=draft, values=DECLARATION, valid=True, acting_user=citizen)
    response = client.post(f"/cong/ho-so-nhap/{draft.pk}/xem-lai/", follow=True)
    assert "Còn thiếu giấy tờ bắt buộc" in response.content.decode()
    assert not Dossier.objects.filter(idempotency_key=draft.idempotency_key).exists()


def test_a_fake_pdf_is_refused_by_its_content(client, citizen, work_permit):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(citizen)
    draft = actions.start_draft(version=work_permit, case=work_permit.cases.first(), acting_user=citizen)
    component = work_permit.cases.first().components.first()
    response = client.post(f"/cong/ho-so-nhap/{draft.pk}/giay-to/", {
        "component": component.pk, "action": "upload",
        f"file_{component.pk}": SimpleUploadedFile("gia.pdf", b"MZ not a pdf at all")}, follow=True)
    assert "không đúng định dạng cho phép" in response.content.decode()
    assert not draft.files.exists()
