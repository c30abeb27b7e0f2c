"""Demo plans: the seed plan of 2024 as it ended (most tasks done, a few left overdue, an inspection with
findings), and a copy carried over to 2026 — the seed with "năm 2024" read as "năm 2026", labelled as a demo copy —
so today's dashboard has live work: periods done, one overdue, the next due, reminders, IV.3 linked to the
latest publication decision. Idempotent: a plan already there for its year is left as it is."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from motcua.org.models import Unit, User
from motcua.plans import actions
from motcua.plans.importer import parse_plan
from motcua.plans.models import Inspection, Plan, SelfInspectionReport, Task, TaskStatus

# A copy of the shared seed (/work/shared/seed/), shipped with the app so the demo loads anywhere.
SEED = Path(__file__).parent / "data" / "ke-hoach-kiem-soat-tthc-2024.md"
AGENCY = "000.00.12.H27"


def _seed_text() -> str | None:
    return SEED.read_text(encoding="utf-8") if SEED.is_file() else None


def _task(plan: Plan, ref: str) -> Task:
    section, number = ref.split(".")
    return plan.tasks.get(section__number=section, number=number)


def _evidence_docx(title: str) -> bytes:
    from motcua.paperwork import docx as pdocx

    doc = pdocx.new_document()
    doc.add_paragraph(title)
    return pdocx.to_bytes(doc)


def _finish(plan: Plan, *, day: dt.date, hoa: User, open_refs: dict[str, int], skip_instances: set[str]) -> None:
    """Mark tasks due before `day` done (their periods too), except `open_refs` (ref → progress) left open."""
    for task in plan.tasks.select_related("section").prefetch_related("instances"):
        if task.ref in open_refs:
            progress = open_refs[task.ref]
            actions.update_task(task=task, status=TaskStatus.IN_PROGRESS if progress else TaskStatus.NOT_STARTED,
                                progress=progress, acting_user=hoa, note="Đang triển khai.")
            continue
        instances = list(task.instances.all())
        if instances:
            for instance in instances:
                if instance.due_on < day and f"{task.ref} {instance.label}" not in skip_instances:
                    actions.update_instance(instance=instance, status=TaskStatus.DONE, acting_user=hoa,
                                            note="Đã thực hiện, có báo cáo kết quả.")
        elif task.due_on and task.due_on < day:
            actions.update_task(task=task, status=TaskStatus.DONE, progress=100, acting_user=hoa,
                                note="Hoàn thành theo kế hoạch.")


def _load_year(text: str, year: int, *, source: str, agency: Unit) -> Plan | None:
    if Plan.objects.filter(issuing_unit=agency, year=year).exists():
        return None
    parsed = parse_plan(text, filename="ke-hoach.md", year=year)
    return actions.import_plan(parsed=parsed, source_name=source, acting_user=None, issuing_unit=agency,
                               confirm_units=True)


@transaction.atomic
def load(stdout=None) -> dict[str, int]:
    created = {"plans": 0, "inspections": 0}
    text = _seed_text()
    agency = Unit.objects.filter(code=AGENCY).first()
    hoa = User.objects.filter(username="hoa").first()
    if text is None or agency is None or hoa is None:
        if stdout is not None:
            stdout.write("  Kế hoạch: bỏ qua (thiếu tệp kế hoạch mẫu hoặc tổ chức minh họa).")
        return created
    plan_2024 = _load_year(text, 2024, source="ke-hoach-kiem-soat-tthc-2024.md", agency=agency)
    if plan_2024 is not None:
        created["plans"] += 1
        _finish(plan_2024, day=dt.date(2025, 1, 1), hoa=hoa, open_refs={"III.4": 60, "II.3": 0},
                skip_instances={"IX.1 Cả năm"})
        first = _task(plan_2024, "I.1")
        actions.add_evidence_file(task=first, name="QD-ban-hanh-ke-hoach-2024.docx",
                                  content=_evidence_docx("Quyết định ban hành Kế hoạch kiểm soát TTHC năm 2024"),
                                  label="Quyết định ban hành kế hoạch (bản chụp)", acting_user=hoa)
        _inspection(plan_2024, hoa)
        created["inspections"] += 1
    year = timezone.localdate().year
    if year != 2024:
        carried = text.replace("năm 2024", f"năm {year}").replace("NĂM 2024", f"NĂM {year}")
        plan_now = _load_year(carried, year, agency=agency,
                              source=f"ke-hoach-kiem-soat-tthc-2024.md (bản minh họa chép sang năm {year})")
        if plan_now is not None:
            created["plans"] += 1
            _finish(plan_now, day=timezone.localdate(), hoa=hoa, open_refs={"III.4": 70},
                    skip_instances={"V.3 Quý III", "VII.2 Quý III"})
            _link_iv3(plan_now, hoa)
            from motcua.plans.reminders import send_reminders

            send_reminders(day=timezone.localdate())
    if stdout is not None:
        stdout.write(f"  Kế hoạch: +{created['plans']} kế hoạch, +{created['inspections']} đợt kiểm tra "
                     f"(tổng {Plan.objects.count()} kế hoạch, {Task.objects.count()} nhiệm vụ).")
    return created


def _link_iv3(plan: Plan, hoa: User) -> None:
    from motcua.catalog.models import PublicationDecision

    decision = PublicationDecision.objects.order_by("-signed_on").first()
    if decision is None:
        return
    task = _task(plan, "IV.3")
    actions.add_evidence_link(task=task, obj=decision, acting_user=hoa,
                              label=f"Quyết định công bố {decision.number} đã cập nhật lên CSDL quốc gia về TTHC")


def _inspection(plan: Plan, hoa: User) -> None:
    if Inspection.objects.filter(plan=plan).exists():
        return
    by_code = {u.code: u for u in Unit.objects.filter(code__in=["000.05.12.H27", "000.03.12.H27"])}
    tdkt, ccvc = by_code["000.05.12.H27"], by_code["000.03.12.H27"]
    units = [tdkt, ccvc]
    members = list(User.objects.filter(username__in=["giamdoc"]))
    inspection = actions.create_inspection(
        plan=plan, title="Kiểm tra công tác kiểm soát TTHC, thực hiện cơ chế một cửa năm 2024",
        scope="Niêm yết, công khai TTHC; tiếp nhận, giải quyết hồ sơ; số hóa hồ sơ, kết quả; báo cáo định kỳ.",
        starts_on=dt.date(2024, 9, 10), ends_on=dt.date(2024, 9, 12), leader=hoa, members=members, units=units,
        acting_user=hoa, task=_task(plan, "V.2"))
    for unit, item, ok, note in [
        (tdkt, "Niêm yết, công khai TTHC tại trụ sở và trên Cổng thông tin điện tử", True, "Đầy đủ 12 TTHC."),
        (tdkt, "Tiếp nhận, giải quyết hồ sơ đúng hạn; sổ theo dõi hồ sơ", False,
         "2 hồ sơ khen thưởng quá hạn, chưa có văn bản xin lỗi."),
        (ccvc, "Số hóa hồ sơ, kết quả giải quyết TTHC", False, "Tỷ lệ số hóa kết quả 72%, chưa đạt 90%."),
        (ccvc, "Chế độ thông tin, báo cáo định kỳ", True, "Báo cáo quý đúng hạn."),
    ]:
        actions.record_finding(inspection=inspection, unit=unit, item=item, compliant=ok, observation=note,
                               acting_user=hoa)
    done = actions.add_recommendation(inspection=inspection, unit=tdkt, deadline=dt.date(2024, 10, 15),
                                      text="Gửi văn bản xin lỗi tổ chức, cá nhân có hồ sơ quá hạn.", acting_user=hoa)
    actions.follow_up_recommendation(recommendation=done, status="done", acting_user=hoa,
                                     follow_up="Đã gửi 2 văn bản xin lỗi ngày 02/10/2024.")
    actions.add_recommendation(inspection=inspection, unit=ccvc, deadline=dt.date(2024, 12, 31),
                               text="Số hóa kết quả giải quyết TTHC đạt tối thiểu 90%.", acting_user=hoa)
    actions.conclude_inspection(inspection=inspection, acting_user=hoa, close=False,
                                conclusion="Các đơn vị cơ bản thực hiện đúng quy định; còn hồ sơ quá hạn và tỷ lệ "
                                           "số hóa kết quả chưa đạt chỉ tiêu.")
    truongphong = User.objects.filter(username="truongphong").first()
    if truongphong and not SelfInspectionReport.objects.filter(plan=plan).exists():
        actions.submit_self_inspection(
            plan=plan, unit=tdkt, period_label="6 tháng đầu năm 2024", acting_user=truongphong,
            summary="Phòng đã niêm yết đủ TTHC, tiếp nhận 46 hồ sơ, giải quyết đúng hạn 44 hồ sơ.",
            issues="2 hồ sơ quá hạn do chờ ý kiến cơ quan phối hợp.")
