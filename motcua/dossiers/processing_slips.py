"""Paperwork of processing as PDF (DOMAIN B.1.4, B.1.6, B.1.7, C.4.3): the process control slip
(BM.05 of TT 03/2025 / Mẫu 05 of TT 01/2018), the apology with a new appointment (BM.04 / Mẫu 04),
the stop notice (TT 03/2025 only) and the supplement request issued during processing (BM.02 / Mẫu 02).

Titles and numbering per statutory set live in `PROCESSING_FORMS`; a province overrides labels with the
setting `SLIP_LABELS` (same shape as the intake slips: {form_set: {kind: {label: text}}})."""

from __future__ import annotations

import copy

from django.conf import settings
from django.utils import timezone

from motcua.dossiers.models import Apology, Dossier, FormSet, StepRun, SupplementRound
from motcua.dossiers.worklists import late_cause
from motcua.lib.formats import vn_date, vn_datetime
from motcua.org.models import Unit
from motcua.paperwork.pdf import render_pdf

_TT01 = "Ban hành kèm theo Thông tư số 01/2018/TT-VPCP ngày 23/11/2018 của Văn phòng Chính phủ"
_TT03 = "Ban hành kèm theo Thông tư số 03/2025/TT-VPCP ngày 15/09/2025 của Văn phòng Chính phủ"

PROCESSING_FORMS: dict[str, dict[str, dict[str, str]]] = {
    FormSet.TT01_2018: {
        "control": {"number": "Mẫu số 05", "title": "Phiếu kiểm soát quá trình giải quyết hồ sơ", "symbol": "PKS",
                    "basis": _TT01},
        "apology": {"number": "Mẫu số 04", "title": "Phiếu xin lỗi và hẹn lại ngày trả kết quả", "symbol": "PXL",
                    "basis": _TT01},
        "supplement": {"number": "Mẫu số 02", "title": "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ", "symbol": "PBS",
                       "basis": _TT01},
    },
    FormSet.TT03_2025: {
        "control": {"number": "BM.05", "title": "Phiếu kiểm soát quá trình giải quyết hồ sơ", "symbol": "PKS",
                    "basis": _TT03},
        "apology": {"number": "BM.04", "title": "Phiếu xin lỗi và đề nghị gia hạn thời gian giải quyết",
                    "symbol": "PXL", "basis": _TT03},
        "supplement": {"number": "BM.02", "title": "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ", "symbol": "PBS",
                       "basis": _TT03},
        "stop": {"number": "", "title": "Thông báo dừng giải quyết hồ sơ", "symbol": "TBD", "basis": _TT03},
    },
}


class NoSuchForm(LookupError):
    """The dossier's form set has no such form (the stop notice exists only under TT 03/2025)."""


def labels_for(form_set: str, kind: str) -> dict[str, str]:
    forms = PROCESSING_FORMS.get(form_set) or PROCESSING_FORMS[FormSet.TT03_2025]
    if kind not in forms:
        raise NoSuchForm(kind)
    labels = copy.deepcopy(forms[kind])
    override = getattr(settings, "SLIP_LABELS", {}) or {}
    labels.update(override.get(form_set, {}).get(kind, {}))
    return labels


def has_form(dossier: Dossier, kind: str) -> bool:
    return kind in (PROCESSING_FORMS.get(dossier.form_set) or {})


def _place(unit: Unit) -> str:
    configured = getattr(settings, "SLIP_PLACE", "")
    if configured:
        return configured
    for candidate in [unit, *reversed(unit.ancestors())]:
        if candidate.kind == Unit.Kind.PROVINCE:
            for prefix in ("Ủy ban nhân dân tỉnh ", "Ủy ban nhân dân thành phố ", "UBND tỉnh ", "Tỉnh "):
                if candidate.name.startswith(prefix):
                    return candidate.name[len(prefix):]
            return candidate.name
    return ""


def _header(unit: Unit) -> dict:
    return {"parent_agency_name": unit.parent.name if unit.parent_id else "", "agency_name": unit.name,
            "place": _place(unit)}


def hm_date(value) -> str:
    """"09 giờ 10 phút, ngày 17/11/2025" as the slips read."""
    if value is None:
        return "…… giờ …… phút, ngày ……"
    local = timezone.localtime(value)
    return f"{local:%H} giờ {local:%M} phút, ngày {local:%d/%m/%Y}"


def _name(user) -> str:
    return (user.full_name or user.username) if user is not None else ""


def control_rows(dossier: Dossier) -> list[dict]:
    runs = list(dossier.step_runs.select_related("unit", "handed_by", "assignee", "finished_by")
                .order_by("received_at", "id"))
    cause = late_cause(dossier)
    rows = []
    for run in runs:
        receiver = run.finished_by or run.assignee
        rows.append({
            "run": run, "order": run.order, "unit": run.unit.name, "description": run.description,
            "handed_at": hm_date(run.received_at), "received_at": hm_date(run.received_at),
            "finished_at": vn_datetime(run.finished_at), "due_at": vn_datetime(run.due_at),
            "result": run.get_result_display() if run.result else "",
            "note": _row_note(run), "giver": _name(run.handed_by), "receiver": _name(receiver),
            "cause": cause is not None and cause.run.pk == run.pk,
        })
    return rows


def _row_note(run: StepRun) -> str:
    parts = []
    if run.kind == StepRun.Kind.RETURNED:
        parts.append("Trả lại bước trước")
    if run.finished_at is None:
        parts.append("Đang xử lý")
    if run.note:
        parts.append(run.note)
    return "; ".join(parts)


def coordinating_units(dossier: Dossier) -> list[str]:
    """Other agencies and units the dossier went through or was asked about, besides the lead agency."""
    names: list[str] = []
    for unit in [c.unit for c in dossier.consultations.select_related("unit")]:
        if unit.name not in names:
            names.append(unit.name)
    lead = dossier.handling_unit
    for run in dossier.step_runs.select_related("unit"):
        agency = run.unit.agency()
        if agency.pk != lead.pk and agency.kind != Unit.Kind.SERVICE_CENTRE and run.unit.kind != Unit.Kind.ONE_STOP \
                and agency.name not in names:
            names.append(agency.name)
    return names


def control_context(dossier: Dossier) -> dict:
    labels = labels_for(dossier.form_set, "control")
    cause = late_cause(dossier)
    return {
        **_header(dossier.desk), "labels": labels, "title": labels["title"],
        "document_number": f"{labels['symbol']}-{dossier.code}",
        "issued_on": timezone.localdate(), "dossier": dossier,
        "lead_agency": dossier.handling_unit.name, "coordinating": coordinating_units(dossier),
        "received_at": hm_date(dossier.received_at), "due_at": hm_date(dossier.due_at),
        "original_due_at": hm_date(dossier.original_due_at) if dossier.original_due_at else "",
        "rows": control_rows(dossier),
        "cause": cause, "cause_overrun": _duration(cause.overrun) if cause else "",
    }


def _duration(delta) -> str:
    minutes = int(delta.total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours} giờ {minutes} phút làm việc" if hours else f"{minutes} phút làm việc"


def apology_context(apology: Apology) -> dict:
    dossier = apology.dossier
    labels = labels_for(dossier.form_set, "apology")
    issued = timezone.localtime(apology.issued_at)
    return {
        **_header(dossier.agency), "labels": labels, "title": labels["title"],
        "document_number": apology.number, "issued_on": issued.date(), "dossier": dossier, "apology": apology,
        "received_at": hm_date(dossier.received_at), "previous_due_at": hm_date(apology.previous_due_at),
        "new_due_at": hm_date(apology.new_due_at), "caused_by": apology.caused_by.name if apology.caused_by_id else "",
        "signer": _name(apology.issued_by),
    }


def stop_context(dossier: Dossier) -> dict:
    labels = labels_for(dossier.form_set, "stop")
    event = dossier.events.filter(action__in=["stop", "withdraw"]).order_by("-at").first()
    if event is None:
        raise NoSuchForm("stop")
    stage = (dossier.step_runs.filter(finished_at__lte=event.at).select_related("unit").order_by("-finished_at", "-id")
             .first())
    return {
        **_header(dossier.desk), "labels": labels, "title": labels["title"],
        "document_number": f"{labels['symbol']}-{dossier.code}",
        "issued_on": timezone.localtime(event.at).date(), "dossier": dossier, "event": event,
        "withdrawal": event.action == "withdraw", "stopped_at": hm_date(event.at),
        "received_at": hm_date(dossier.received_at),
        "stage": f"{stage.description} ({stage.unit.name})" if stage else "Tiếp nhận hồ sơ",
        "officer": _name(event.actor),
    }


def supplement_context(round_: SupplementRound) -> dict:
    dossier = round_.dossier
    labels = labels_for(dossier.form_set, "supplement")
    return {
        **_header(dossier.handling_unit), "labels": labels, "title": labels["title"],
        "document_number": round_.number, "issued_on": timezone.localtime(round_.requested_at).date(),
        "dossier": dossier, "round": round_, "requested_at": hm_date(round_.requested_at),
        "received_at": hm_date(dossier.received_at), "officer": round_.requested_by,
        "due_at": vn_datetime(dossier.due_at), "received_on": vn_date(round_.received_at),
    }


def control_slip_pdf(dossier: Dossier) -> bytes:
    return render_pdf("dossiers/processing/slips/control.html", control_context(dossier))


def apology_pdf(apology: Apology) -> bytes:
    return render_pdf("dossiers/processing/slips/apology.html", apology_context(apology))


def stop_notice_pdf(dossier: Dossier) -> bytes:
    return render_pdf("dossiers/processing/slips/stop.html", stop_context(dossier))


def supplement_pdf(round_: SupplementRound) -> bytes:
    return render_pdf("dossiers/processing/slips/supplement.html", supplement_context(round_))
