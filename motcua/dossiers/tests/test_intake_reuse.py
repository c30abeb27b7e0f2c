"""Reuse at the counter and through the API: a document the applicant already holds in their records
stands in for a component — offered on the checklist, counted as present, attached (Reuse row and a
DossierFile with source=reuse) in the intake's own transaction; an expired or foreign one is refused next
to its component and nothing is saved."""

from __future__ import annotations

import datetime as dt
import hashlib
from io import BytesIO

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.management import call_command
from pypdf import PdfWriter

from motcua.catalog.models import ProcedureVersion
from motcua.dossiers.intake import IntakeError, receive_dossier
from motcua.dossiers.models import Applicant, ChecklistItem, Dossier, DossierEvent, DossierFile
from motcua.org.models import AuditEntry, User
from motcua.records.models import Record, Reuse

from .conftest import at

URL = "/mot-cua/tiep-nhan/"
MORNING = at("17/11/2025 08:20")
HUNG = "042087001234"
STRANGER = "042190005678"
ID_CARD = "CCCD"


def pdf(label: str) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Title": label})
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def version(db):
    return ProcedureVersion.objects.in_force_on(MORNING.date()).get(procedure__code="1.013934")


@pytest.fixture
def id_component(version):
    """The case's last component is the applicant's ID card, a reusable document type."""
    component = list(version.cases.first().components.all())[-1]
    component.document_type = ID_CARD
    component.save(update_fields=["document_type"])
    return component


def make_record(identifier: str, *, valid_until: dt.date | None = dt.date(2031, 9, 2), name="Căn cước công dân",
                document_type=ID_CARD) -> Record:
    applicant, _ = Applicant.objects.get_or_create(kind="citizen", identifier=identifier,
                                                   defaults={"name": "Nguyễn Văn Hùng"})
    content = pdf(f"{identifier}-{name}-{valid_until}")
    record = Record(applicant=applicant, document_type=document_type, name=name, source=Record.Source.COMPONENT,
                    content_type="application/pdf", size=len(content), sha256=hashlib.sha256(content).hexdigest(),
                    valid_until=valid_until)
    record.file.save("cccd.pdf", ContentFile(content), save=False)
    record.save()
    return record


def counts():
    return (Dossier.objects.count(), ChecklistItem.objects.count(), DossierEvent.objects.count(),
            DossierFile.objects.count(), Reuse.objects.count(), AuditEntry.objects.count())


@pytest.fixture
def lan(client, clerk):
    client.force_login(clerk)
    return client


def form_data(version, id_component, **overrides):
    case = version.cases.first()
    data = {
        "procedure": version.pk, "case": case.pk, "intake_key": "reuse-1",
        "desk": User.objects.get(username="lan").role_assignments.get().unit_id,
        "applicant_kind": "citizen", "applicant_identifier": HUNG, "applicant_name": "Nguyễn Văn Hùng",
        "applicant_birth_date": "02/09/1987", "applicant_phone": "0905123456", "applicant_email": "",
        "applicant_address": "Phường Thành Sen, Hà Tĩnh", "channel": "direct", "postal_waybill": "",
        "postal_handed_on": "", "return_channel": "counter", "sets_count": "1", "action": "receive",
    }
    for component in case.components.all():
        if component.pk != id_component.pk:  # the ID card is not brought: the record stands in for it
            data[f"present_{component.pk}"] = "on"
    data.update(overrides)
    return data


# -- the counter screen -------------------------------------------------------------------------------


@time_machine.travel(MORNING, tick=False)
def test_counter_offers_the_applicants_valid_records_once_found(lan, version, id_component):
    record = make_record(HUNG)
    make_record(HUNG, valid_until=dt.date(2025, 1, 1), name="CCCD cũ đã hết hạn")
    make_record(STRANGER, name="CCCD của người khác")
    label = "Dùng giấy tờ đã có trong kho: Căn cước công dân, hiệu lực đến 02/09/2031"
    # without JavaScript: the lookup button re-renders the whole form with the offer
    data = form_data(version, id_component, action="lookup")
    page = lan.post(URL, data).content.decode()
    assert label in page and f'name="reuse_{id_component.pk}" value="{record.pk}"' in page
    assert "hết hạn" not in page and "người khác" not in page
    # the GET link from an earlier dossier shows it too; no applicant yet → no offer
    assert label in lan.get(URL, {"thu-tuc": version.pk, "nguoi-nop": HUNG}).content.decode()
    assert label not in lan.get(URL, {"thu-tuc": version.pk}).content.decode()
    # htmx: typing the ID number swaps the component's reuse box out of band, the checklist is left alone
    partial = lan.get("/mot-cua/tiep-nhan/nguoi-nop/", {
        "applicant_identifier": HUNG, "applicant_kind": "citizen", "procedure": version.pk,
        "case": version.cases.first().pk}, headers={"HX-Request": "true"}).content.decode()
    assert f'id="reuse-{id_component.pk}" class="reuse-choice" hx-swap-oob="true"' in partial
    assert label in partial and 'id="checklist"' not in partial
    # htmx: another case's checklist comes with the applicant's offers
    checklist = lan.get("/mot-cua/tiep-nhan/thanh-phan/", {
        "procedure": version.pk, "case": version.cases.first().pk, "applicant_identifier": HUNG,
        "applicant_kind": "citizen"}, headers={"HX-Request": "true"}).content.decode()
    assert label in checklist


@time_machine.travel(MORNING, tick=False)
def test_reuse_at_the_counter_counts_as_present_and_is_attached_in_the_intake(lan, version, id_component):
    record = make_record(HUNG)
    response = lan.post(URL, form_data(version, id_component, **{f"reuse_{id_component.pk}": str(record.pk)}))
    assert response.status_code == 302, response.content.decode()[:2000]
    dossier = Dossier.objects.get()
    reuse = Reuse.objects.get(dossier=dossier)
    item = dossier.checklist.get(component=id_component)
    assert reuse.record == record and reuse.checklist_item == item and item.present
    assert reuse.by.username == "lan" and reuse.at == dossier.received_at
    stored = DossierFile.objects.get(dossier=dossier, source=DossierFile.Source.REUSE)
    assert stored.checklist_item == item and stored.sha256 == record.sha256
    assert stored.file.read() == record.file.open("rb").read()
    assert AuditEntry.objects.filter(action="records.reuse", object_id=str(reuse.pk)).exists()


@time_machine.travel(MORNING, tick=False)
@pytest.mark.parametrize(("owner", "valid_until", "message"), [
    (HUNG, dt.date(2025, 11, 16), "Giấy tờ “Căn cước công dân” đã hết hiệu lực ngày 16/11/2025."),
    (STRANGER, None, "Giấy tờ này không thuộc người nộp hồ sơ."),
])
def test_expired_or_foreign_record_is_refused_next_to_the_component(lan, version, id_component, owner,
                                                                     valid_until, message):
    record = make_record(owner, valid_until=valid_until)
    before = counts()
    data = form_data(version, id_component, **{f"reuse_{id_component.pk}": str(record.pk)})
    response = lan.post(URL, data)
    page = response.content.decode()
    assert response.status_code == 422 and counts() == before
    box = page[page.index(f'id="reuse-{id_component.pk}"'):]
    assert message in box[:box.index("</div>")]  # the message sits in the component's own box
    assert 'value="Nguyễn Văn Hùng"' in page  # what was typed is kept


@time_machine.travel(MORNING, tick=False)
def test_a_tampered_record_choice_gets_a_message_not_an_error_page(lan, version, id_component):
    for bad in ("abc", "9" * 30):
        response = lan.post(URL, form_data(version, id_component, **{f"reuse_{id_component.pk}": bad}))
        assert response.status_code == 422 and "Giấy tờ đã chọn trong kho không hợp lệ." in response.content.decode()
    assert Dossier.objects.count() == 0


@time_machine.travel(MORNING, tick=False)
def test_a_reuse_that_fails_while_attaching_undoes_the_whole_intake(version, id_component, make_request, clerk,
                                                                    monkeypatch):
    """The check passed but attaching fails inside the transaction: no dossier, no code, no audit."""
    from motcua.records import actions

    record = make_record(HUNG)

    def broken(**kwargs):
        raise actions.RecordError("Không sao chép được tệp.")

    monkeypatch.setattr("motcua.records.intake.reuse_record", broken)
    before = counts()
    present = {c.pk for c in version.cases.first().components.all()} - {id_component.pk}
    with pytest.raises(IntakeError) as exc:
        receive_dossier(request=make_request(present_components=present, reused=[(id_component.pk, record.pk)],
                                             received_at=MORNING), acting_user=clerk)
    assert exc.value.errors == {f"reuse_{id_component.pk}": ["Không sao chép được tệp."]}
    assert counts() == before
    dossier = receive_dossier(request=make_request(present_components=present | {id_component.pk},
                                                   received_at=MORNING), acting_user=clerk)
    assert dossier.code.endswith("-251117-0001")  # the number was not used up by the failed intake


def test_a_record_of_another_type_is_refused(version, id_component, make_request, clerk):
    record = make_record(HUNG, document_type="GPLX", name="Giấy phép lái xe")
    with pytest.raises(IntakeError) as exc:
        receive_dossier(request=make_request(reused=[(id_component.pk, record.pk)]), acting_user=clerk)
    assert exc.value.errors[f"reuse_{id_component.pk}"] == [
        f"Giấy tờ “Giấy phép lái xe” không phải loại giấy tờ mà thành phần “{id_component.name}” cần."]


# -- the API ---------------------------------------------------------------------------------------------


@pytest.fixture
def token(db, capsys):
    call_command("create_api_token", "lan")
    return capsys.readouterr().out.strip()


def api_post(client, token, body):
    return client.post("/api/v1/dossiers", body, content_type="application/json",
                       HTTP_AUTHORIZATION=f"Bearer {token}")


def api_body(version, id_component, reused):
    components = [c.pk for c in version.cases.first().components.all() if c.pk != id_component.pk]
    return {"procedure": "1.013934", "channel": "direct",
            "applicant": {"kind": "citizen", "identifier": HUNG, "name": "Nguyễn Văn Hùng"},
            "components": components, "reused": reused}


@time_machine.travel(MORNING, tick=False)
def test_api_reuse_is_attached_and_the_component_present(client, token, version, id_component):
    record = make_record(HUNG)
    response = api_post(client, token, api_body(version, id_component,
                                                [{"component": id_component.name, "record": record.pk}]))
    assert response.status_code == 201, response.json()
    data = response.json()
    row = next(r for r in data["checklist"] if r["component"] == id_component.pk)
    assert row["present"] and row["files"] == [{"name": record.name, "content_type": "application/pdf",
                                                "size": record.size, "sha256": record.sha256}]
    dossier = Dossier.objects.get(code=data["code"])
    assert Reuse.objects.get(dossier=dossier).record == record
    assert dossier.files.get().source == DossierFile.Source.REUSE


@time_machine.travel(MORNING, tick=False)
def test_api_refuses_expired_foreign_and_unknown_reuses_with_nothing_saved(client, token, version, id_component):
    expired = make_record(HUNG, valid_until=dt.date(2025, 11, 1))
    foreign = make_record(STRANGER, name="CCCD người khác")
    before = counts()
    response = api_post(client, token, api_body(version, id_component,
                                                [{"component": id_component.pk, "record": expired.pk}]))
    assert response.status_code == 422
    assert response.json()["errors"] == {"reused": [
        f"Thành phần “{id_component.name}”: Giấy tờ “Căn cước công dân” đã hết hiệu lực ngày 01/11/2025."]}
    response = api_post(client, token, api_body(version, id_component,
                                                [{"component": id_component.pk, "record": foreign.pk}]))
    assert response.json()["errors"] == {"reused": [
        f"Thành phần “{id_component.name}”: Giấy tờ này không thuộc người nộp hồ sơ."]}
    response = api_post(client, token, api_body(version, id_component,
                                                [{"component": "Sổ hộ khẩu", "record": foreign.pk}]))
    assert response.status_code == 422 and "reused" in response.json()["errors"]
    for bad in ("abc", 10**30, -1):
        response = api_post(client, token, api_body(version, id_component, [{"component": id_component.pk,
                                                                              "record": bad}]))
        assert response.status_code == 422 and response.json()["errors"]["reused"]
    assert counts() == before
