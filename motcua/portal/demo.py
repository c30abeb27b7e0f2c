"""Portal demo data: the default declaration for every procedure of the demo catalog, Ông Hùng's account
linked to his applicant identity with dossiers of his own (two waiting for acceptance, whose declarations
officers read on the dossier page, one returned and rated), his citizen ID card in "my documents" (offered for
reuse when a procedure asks for it, journey 3), ratings on part of the returned demo dossiers, and a few
feedback messages (PAKN) about procedures and disliked dossiers. Idempotent and deterministic."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from motcua.catalog.models import Procedure
from motcua.catalog.selectors import version_in_force
from motcua.dossiers import transitions
from motcua.dossiers.models import Applicant, Dossier, Status
from motcua.dossiers.online import accept_online_dossier
from motcua.org.audit import record_audit
from motcua.org.models import User
from motcua.portal import actions, schemas
from motcua.portal.models import CRITERIA, DeclarationSchema, Rating, Satisfaction
from motcua.records.models import Record

HUNG_ID = "042087001234"
DECLARATION = {"full_name": "Nguyễn Văn Hùng", "birth_date": "12/03/1987",
               "address": "Số 12 đường Phan Đình Phùng, phường Thành Sen, Hà Tĩnh", "phone": "0905123456",
               "email": "hung@example.vn", "purpose": "Đề nghị giải quyết theo quy định"}
_PERSON = {name: spec for name, spec in schemas.DEFAULT_SCHEMA["properties"].items() if name != "purpose"}

# Two procedures whose declarations ask for more than the default: dates, an amount, choices, a yes/no.
SCHEMAS = {
    "1.900101": {
        "type": "object", "title": "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp (Mẫu số 03/2013/TT-LLTP)",
        "properties": {
            **_PERSON,
            "birth_place": {"type": "string", "title": "Nơi sinh", "maxLength": 255},
            "card_kind": {"type": "string", "title": "Loại Phiếu yêu cầu cấp", "enum": ["1", "2"],
                          "x-labels": ["Phiếu lý lịch tư pháp số 1", "Phiếu lý lịch tư pháp số 2"]},
            "copies": {"type": "integer", "title": "Số lượng Phiếu yêu cầu cấp", "minimum": 1, "maximum": 10},
            "cleared_record": {"type": "boolean", "title": "Yêu cầu xác nhận nội dung về việc xóa án tích"},
            "purpose": {"type": "string", "title": "Mục đích yêu cầu cấp Phiếu", "maxLength": 2000,
                        "x-widget": "textarea"},
        },
        "required": ["full_name", "birth_date", "address", "phone", "card_kind", "copies", "purpose"],
    },
    "1.001978": {
        "type": "object", "title": "Đề nghị hưởng trợ cấp thất nghiệp (Mẫu số 03)",
        "properties": {
            **_PERSON,
            "contract_end": {"type": "string", "format": "date", "title": "Ngày chấm dứt hợp đồng lao động",
                             "x-not-future": True},
            "insured_months": {"type": "integer", "title": "Số tháng đã đóng bảo hiểm thất nghiệp", "minimum": 12},
            "average_salary": {"type": "integer", "title": "Tiền lương bình quân 6 tháng liền kề đóng bảo hiểm",
                               "minimum": 0, "x-money": True},
            "payment_method": {"type": "string", "title": "Hình thức nhận trợ cấp", "enum": ["bank", "cash"],
                               "x-labels": ["Chuyển khoản qua tài khoản ngân hàng", "Nhận tiền mặt tại bưu điện"]},
            "job_counselling": {"type": "boolean", "title": "Có nhu cầu tư vấn, giới thiệu việc làm"},
            "purpose": {"type": "string", "title": "Ghi chú", "maxLength": 2000, "x-widget": "textarea"},
        },
        "required": ["full_name", "birth_date", "address", "phone", "contract_end", "insured_months",
                     "average_salary", "payment_method"],
    },
}
# What Ông Hùng declares on each (on top of DECLARATION).
DECLARED = {
    "1.900101": {"birth_place": "Thạch Hà, Hà Tĩnh", "card_kind": "1", "copies": 2, "cleared_record": False},
    "1.001978": {"contract_end": "30/09/2025", "insured_months": 86, "average_salary": 12_450_000,
                 "payment_method": "bank", "job_counselling": True},
}


def _pdf(label: str) -> bytes:
    from io import BytesIO

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": label})
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def _schemas() -> int:
    known = set(DeclarationSchema.objects.values_list("procedure_code", flat=True))
    rows = [DeclarationSchema(procedure_code=code, schema=SCHEMAS.get(code, schemas.DEFAULT_SCHEMA))
            for code in Procedure.objects.values_list("code", flat=True) if code not in known]
    DeclarationSchema.objects.bulk_create(rows)
    return len(rows)


def _submit(hung: User, code: str, purpose: str) -> Dossier | None:
    version = version_in_force(code)
    if version is None:
        return None
    case = version.cases.first()
    draft = actions.start_draft(version=version, case=case, acting_user=hung)
    schema = schemas.schema_for(code)
    values = {**DECLARATION, **DECLARED.get(code, {}), "purpose": purpose}
    form = schemas.declaration_form_class(schema)(data={k: v for k, v in values.items() if k in schema["properties"]
                                                        and v is not False})
    if not form.is_valid():  # the demo goes through the same checks as the portal's form
        raise ValueError(f"demo declaration for {code}: {form.errors.as_json()}")
    actions.save_declaration(draft=draft, values=schemas.as_json(form), valid=True, acting_user=hung)
    for component in case.components.all():
        actions.attach_upload(draft=draft, component_id=component.pk, name=f"{component.pk}-giay-to.pdf",
                              content=_pdf(f"{code} {component.name}"), acting_user=hung)
    return actions.submit_draft(draft=draft, acting_user=hung)


def _walk_to_return(dossier: Dossier) -> Dossier:
    dossier = accept_online_dossier(dossier=dossier, acting_user=None, present_components=set(
        dossier.checklist.values_list("component_id", flat=True)))
    deciding = transitions.deciding_step(transitions.process_steps(dossier))
    while dossier.current_step is None or dossier.current_step.order < deciding.order:
        dossier = transitions.hand_on(dossier=dossier, acting_user=None)
    transitions.decide(dossier=dossier, approve=True, acting_user=None)
    transitions.attach_result(dossier=dossier, name=dossier.version.result_name or dossier.version.name,
                              content=_pdf(f"Kết quả {dossier.code}"), filename="ket-qua.pdf",
                              content_type="application/pdf", number=f"{dossier.pk}/KQ", signer="Bùi Quang Dương",
                              signed_on=timezone.localdate(), acting_user=None)
    while dossier.status != Status.RESOLVED:
        dossier = transitions.hand_on(dossier=dossier, acting_user=None)
    return transitions.return_result(dossier=dossier, channel="online", acting_user=None)


def _hung() -> dict[str, int]:
    hung = User.objects.filter(personal_id=HUNG_ID).order_by("pk").first()
    if hung is None:
        return {"linked": 0, "dossiers": 0}
    linked = 0
    for applicant in Applicant.objects.filter(kind="citizen", identifier=HUNG_ID, user__isnull=True):
        actions.link_applicant(applicant=applicant, user=hung)
        linked += 1
    made = 0
    if not Dossier.objects.filter(applicant__user=hung, version__procedure__code="1.001978").exists():
        # Waiting for acceptance, with a declaration an officer reads on the dossier page.
        made += _submit(hung, "1.001978", "Đề nghị chuyển trợ cấp vào tài khoản 0451000123456 Vietcombank "
                                          "Hà Tĩnh") is not None
    if Dossier.objects.filter(applicant__user=hung).exclude(version__procedure__code="1.001978").exists():
        return {"linked": linked, "dossiers": made}
    waiting = _submit(hung, "1.900101", "Xin cấp Phiếu lý lịch tư pháp để bổ sung hồ sơ xin việc")
    made += waiting is not None
    done = _submit(hung, "2.001683", "Xác nhận phiên hiệu đơn vị thanh niên xung phong đã tham gia 1972–1975")
    if done is not None:
        done = _walk_to_return(done)
        actions.rate_dossier(dossier=done, satisfaction=Satisfaction.VERY_SATISFIED,
                             scores={name: 2 for name, _label in CRITERIA}, comment="Nhanh, không phải đi lại.",
                             acting_user=hung)
        made += 1
    return {"linked": linked, "dossiers": made}


def _hung_id_card() -> int:
    """His citizen ID card (CCCD), digitized at an earlier counter visit: the portal offers it instead of a new
    scan wherever a component asks for the CCCD document type (1.900101)."""
    applicant = Applicant.objects.filter(kind="citizen", identifier=HUNG_ID).order_by("pk").first()
    if applicant is None or Record.objects.filter(applicant=applicant, document_type="CCCD").exists():
        return 0
    content = _pdf(f"Căn cước công dân {HUNG_ID}")
    record = Record(applicant=applicant, document_type="CCCD", name="Căn cước công dân",
                    source=Record.Source.COMPONENT, content_type="application/pdf", size=len(content),
                    sha256=hashlib.sha256(content).hexdigest(), number=HUNG_ID, issued_on=dt.date(2021, 4, 10),
                    valid_until=dt.date(2047, 3, 12))
    record.file.save("can-cuoc-cong-dan.pdf", ContentFile(content), save=False)
    record.save()
    record_audit(action="records.demo_id_card", obj=record, actor=None,
                 after={"applicant": HUNG_ID, "document_type": "CCCD", "sha256": record.sha256})
    return 1


def _ratings() -> int:
    """About half of the returned dossiers rated, mostly satisfied; late ones score lower on time."""
    rows = []
    returned = Dossier.objects.filter(status=Status.RETURNED, rating__isnull=True).order_by("code").values(
        "pk", "code", "resolved_at", "due_at", "applicant__user")
    for row in returned:
        digest = hashlib.sha256(row["code"].encode()).digest()
        if digest[0] % 2:
            continue
        late = row["resolved_at"] and row["due_at"] and row["resolved_at"] > row["due_at"]
        level = digest[1] % 20
        satisfaction = (Satisfaction.NOT_SATISFIED if (late and level < 10) or level == 0 else
                        Satisfaction.SATISFIED if level < 8 else Satisfaction.VERY_SATISFIED)
        scores = {name: 2 if digest[2 + i] % 6 else 1 for i, (name, _label) in enumerate(CRITERIA)}
        if late:
            scores["time_total"] = 0
            scores["time_units"] = min(scores["time_units"], 1)
        rows.append(Rating(dossier_id=row["pk"], user_id=row["applicant__user"], satisfaction=satisfaction,
                           total=sum(scores.values()), created_at=(row["resolved_at"] or timezone.now())
                           + dt.timedelta(hours=2), **scores))
    Rating.objects.bulk_create(rows)
    return len(rows)


# Feedback (PAKN) sent through the portal's form: (days ago, subject, procedure, content, sender, phone). The
# ones about a dossier go to the first dossiers rated "Không hài lòng", two hours after the rating.
FEEDBACK = [
    (75, "procedure", "1.013934", "Thủ tục yêu cầu nộp bản sao có chứng thực trong khi đã có bản điện tử.",
     "Trần Thị Mai", "0912345001"),
    (40, "procedure", "1.900101", "Đề nghị cho phép nhận Phiếu lý lịch tư pháp qua bưu điện.", "Lê Văn Bình",
     "0912345002"),
    (18, "procedure", "1.001978", "Tờ khai yêu cầu ghi lại thông tin đã có trong căn cước.", "Phạm Thu Hà",
     "0912345003"),
    (6, "procedure", "1.013934", "Trang hướng dẫn chưa nói rõ phải mang bản gốc khi nhận kết quả.", "Võ Minh Tuấn",
     "0912345004"),
]
FEEDBACK_ON_DOSSIERS = 3


def _feedback() -> int:
    """A few PAKN about procedures and about the handling of disliked dossiers (QĐ 766 5.1, 5.4)."""
    from motcua.catalog.models import ProcedureVersion
    from motcua.portal.models import Feedback

    made = 0
    # dated like the demo's dossiers (their newest reception), not by the clock of this run
    now = Dossier.objects.aggregate(newest=Max("received_at"))["newest"] or timezone.now()
    for days, subject, code, content, name, phone in FEEDBACK:
        if Feedback.objects.filter(content=content).exists():
            continue
        version = (ProcedureVersion.objects.filter(procedure__code=code).select_related("agency")
                   .order_by("-effective_from").first())
        if version is None:
            continue
        feedback = Feedback.objects.create(subject=subject, procedure_code=code, agency=version.agency,
                                           content=content, name=name, phone=phone,
                                           created_at=now - dt.timedelta(days=days))
        record_audit(action="portal.feedback", obj=feedback, actor=None, after={"subject": subject, "procedure": code})
        made += 1
    disliked = (Rating.objects.filter(satisfaction=Satisfaction.NOT_SATISFIED).select_related("dossier__agency")
                .order_by("dossier__code")[:FEEDBACK_ON_DOSSIERS])
    for rating in disliked:
        dossier = rating.dossier
        if Feedback.objects.filter(dossier=dossier).exists():
            continue
        feedback = Feedback.objects.create(
            subject=Feedback.Subject.DOSSIER, dossier=dossier, dossier_code=dossier.code, agency=dossier.agency,
            content="Hồ sơ trả chậm, tôi phải liên hệ nhiều lần mới biết tình trạng.", name=dossier.applicant_name,
            phone="0912345099",
            created_at=rating.created_at + dt.timedelta(hours=2))
        record_audit(action="portal.feedback", obj=feedback, actor=None,
                     after={"subject": "dossier", "dossier": dossier.code})
        made += 1
    return made


@transaction.atomic
def load(stdout=None) -> dict[str, int]:
    summary = {"schemas": _schemas(), **_hung(), "id_cards": _hung_id_card(), "ratings": _ratings()}
    feedback = _feedback()
    if stdout is not None:
        stdout.write(f"  Cổng dịch vụ công: +{summary['schemas']} tờ khai mặc định, ông Hùng +{summary['dossiers']} "
                     f"hồ sơ ({summary['linked']} danh tính được liên kết), +{summary['id_cards']} căn cước trong "
                     f"“Giấy tờ của tôi”, +{summary['ratings']} đánh giá "
                     f"(tổng {Rating.objects.count()}), +{feedback} phản ánh, kiến nghị.")
    return summary
