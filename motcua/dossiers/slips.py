"""The intake slips as PDF (DOMAIN B.1.4, C.4.3): the receipt with the appointment (Mẫu 01 / BM.01),
the supplement request (Mẫu 02 / BM.02) and the refusal (Mẫu 03 / BM.03), plus the tracking book's
title (Mẫu 06 / BM.06).

Titles, numbering and legal basis of each statutory set live in `FORM_SETS`, one data structure; a
province overrides any label with the setting `SLIP_LABELS` (same shape, merged over the defaults),
e.g. Hà Tĩnh printing the TT 01/2018 numbering after 07/2025 (DOMAIN C.4.3 practice warning).
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.db import connection
from django.db.models import F, Q, Window
from django.db.models.functions import RowNumber
from django.http import HttpRequest
from django.utils import timezone

from motcua.dossiers.fees import with_fee_state
from motcua.dossiers.models import Dossier, FormSet, IntakeNotice
from motcua.lib.formats import money, vn_datetime
from motcua.org.models import Unit
from motcua.paperwork.pdf import render_pdf
from motcua.paperwork.qr import qr_svg_data_uri

DEFAULT_SITE_URL = "http://127.0.0.1:8000"
STATUS_PAGE_PATH = "/tra-cuu/"

_TT01 = "Ban hành kèm theo Thông tư số 01/2018/TT-VPCP ngày 23/11/2018 của Văn phòng Chính phủ"
_TT03 = "Ban hành kèm theo Thông tư số 03/2025/TT-VPCP ngày 15/09/2025 của Văn phòng Chính phủ"

# form set → slip kind → labels. `number` is printed top right, `title` as the heading, `symbol`
# after the slip's number ("Số: 12/TNHS"), `basis` under the number.
FORM_SETS: dict[str, dict[str, dict[str, str]]] = {
    FormSet.TT01_2018: {
        "receipt": {"number": "Mẫu số 01", "title": "Giấy tiếp nhận hồ sơ và hẹn trả kết quả", "symbol": "TNHS",
                    "basis": _TT01},
        "supplement": {"number": "Mẫu số 02", "title": "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ", "symbol": "PBS",
                       "basis": _TT01},
        "refusal": {"number": "Mẫu số 03", "title": "Phiếu từ chối tiếp nhận giải quyết hồ sơ", "symbol": "PTC",
                    "basis": _TT01},
        "book": {"number": "Mẫu số 06", "title": "Sổ theo dõi hồ sơ", "symbol": "STD", "basis": _TT01},
    },
    FormSet.TT03_2025: {
        "receipt": {"number": "BM.01", "title": "Giấy tiếp nhận hồ sơ và hẹn trả kết quả", "symbol": "TNHS",
                    "basis": _TT03},
        "supplement": {"number": "BM.02", "title": "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ", "symbol": "PBS",
                       "basis": _TT03},
        "refusal": {"number": "BM.03", "title": "Phiếu từ chối tiếp nhận giải quyết hồ sơ", "symbol": "PTC",
                    "basis": _TT03},
        "book": {"number": "BM.06", "title": "Sổ theo dõi hồ sơ", "symbol": "STD", "basis": _TT03},
    },
}


def slip_labels(form_set: str, kind: str) -> dict[str, str]:
    """The labels of one slip, with the province's overrides (setting `SLIP_LABELS`) applied."""
    labels = copy.deepcopy(FORM_SETS.get(form_set) or FORM_SETS[FormSet.TT03_2025])[kind]
    override = getattr(settings, "SLIP_LABELS", {}) or {}
    labels.update(override.get(form_set, {}).get(kind, {}))
    return labels


def site_url(request: HttpRequest | None = None) -> str:
    configured = getattr(settings, "SITE_URL", "")
    if configured:
        return configured.rstrip("/")
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    return DEFAULT_SITE_URL


def status_page_url(code: str, request: HttpRequest | None = None) -> str:
    return f"{site_url(request)}{STATUS_PAGE_PATH}?{urlencode({'ma': code})}"


def place_of(unit: Unit) -> str:
    """The place in the "…, ngày … tháng … năm …" line: the province's name (setting `SLIP_PLACE` wins)."""
    configured = getattr(settings, "SLIP_PLACE", "")
    if configured:
        return configured
    for candidate in [unit, *reversed(unit.ancestors())]:
        if candidate.kind == Unit.Kind.PROVINCE:
            name = candidate.name
            for prefix in ("Ủy ban nhân dân tỉnh ", "Ủy ban nhân dân thành phố ", "UBND tỉnh ", "UBND thành phố ",
                           "Tỉnh ", "Thành phố "):
                if name.startswith(prefix):
                    return name[len(prefix):]
            return name
    return ""


def _header(desk: Unit) -> dict:
    parent = desk.parent
    return {"parent_agency_name": parent.name if parent is not None else "", "agency_name": desk.short_name or desk.name,
            "place": place_of(desk)}


@dataclass(frozen=True)
class BookPosition:
    volume: str
    serial: int


def book_position(dossier: Dossier) -> BookPosition:
    """Volume (the year received) and serial of the dossier in its desk's tracking book (`book_positions`)."""
    return book_positions([dossier])[dossier.pk]


def book_positions(dossiers, anchors: dict | None = None) -> dict[int, BookPosition]:
    """Volume (the year received) and serial of each dossier in its desk's tracking book, by dossier id:
    the serial stored at intake (`Dossier.book_serial`, taken from the book's counter with the code), so
    a reprint and the book show the same number. A dossier received before serials were stored gets its
    rank among the desk's receptions of that year (ordered by reception time, then id): one query per
    desk and year among such dossiers, none when every serial is stored.

    The dossiers need `pk`, `desk_id`, `received_at` and `book_serial`.

    `anchors` (a dict kept by the caller across calls) serves a long listing read in book order, chunk
    by chunk (`book.iter_book_rows`): it keeps, per desk and year, the last ranked dossier and its rank,
    so the next chunk ranks only the receptions after it instead of the desk's whole year again (which
    made a 50,000-row book quadratic). An anchor is used only when the chunk's dossiers all come after
    it."""
    positions: dict[int, BookPosition] = {}
    legacy: dict[tuple[int, int], list[Dossier]] = {}
    for dossier in dossiers:
        received = timezone.localtime(dossier.received_at)
        if dossier.book_serial is not None:
            positions[dossier.pk] = BookPosition(volume=str(received.year), serial=dossier.book_serial)
        else:
            legacy.setdefault((dossier.desk_id, received.year), []).append(dossier)
    for (desk_id, year), group in legacy.items():
        start = dt.datetime(year, 1, 1, tzinfo=timezone.get_current_timezone())
        last = max(d.received_at for d in group)
        first = min((d.received_at, d.pk) for d in group)
        anchor = anchors.get((desk_id, year)) if anchors is not None else None
        ranked = Dossier.objects.filter(desk_id=desk_id, received_at__lte=last)
        offset = 0
        if anchor is not None and anchor[:2] < first:
            anchor_at, anchor_pk, offset = anchor
            ranked = ranked.filter(Q(received_at__gt=anchor_at) | Q(received_at=anchor_at, pk__gt=anchor_pk))
        else:
            ranked = ranked.filter(received_at__gte=start)
        ranked = (ranked.annotate(rank=Window(RowNumber(), order_by=[F("received_at").asc(), F("pk").asc()]))
                  .order_by().values("pk", "rank"))
        # Rank the desk's whole year up to the last one, then keep ours (a WHERE on the id inside would
        # rank only these).
        sql, params = ranked.query.sql_with_params()
        pks = [d.pk for d in group]
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT ranked.pk, ranked.rank FROM ({sql}) ranked WHERE ranked.pk IN "
                           f"({', '.join(['%s'] * len(pks))})", [*params, *pks])
            ranks = cursor.fetchall()
        for pk, rank in ranks:
            positions[pk] = BookPosition(volume=str(year), serial=offset + rank)
        if anchors is not None and ranks:
            final = max(group, key=lambda d: (d.received_at, d.pk))
            anchors[(desk_id, year)] = (final.received_at, final.pk, positions[final.pk].serial)
    return positions


def fee_line(dossier: Dossier) -> str:
    """The receipt's fee status (DOMAIN B.1.4): the fees and charges of the dossier's case and whether a
    payment of the dossier is paid (online or at the counter, `fees.with_fee_state`); a reprint after
    payment says so."""
    total = sum(fee.amount for fee in dossier.case.fees.all() if fee.amount > 0)
    if total <= 0:
        return "Không thu phí, lệ phí"
    paid = with_fee_state(Dossier.objects.filter(pk=dossier.pk)).values_list("fee_paid", flat=True).first()
    return f"{money(total)} ({'đã nộp' if paid else 'chưa nộp'})"


def receipt_context(dossier: Dossier, request: HttpRequest | None = None) -> dict:
    labels = slip_labels(dossier.form_set, "receipt")
    position = book_position(dossier)
    checklist = list(dossier.checklist.all())
    receive_event = dossier.events.filter(action="receive").first()
    notes = (receive_event.data or {}).get("notes", []) if receive_event else []
    return {
        **_header(dossier.desk),
        "labels": labels,
        "title": labels["title"],
        "document_number": f"{position.serial}/{labels['symbol']}",
        "issued_on": timezone.localtime(dossier.received_at).date(),
        "qr_uri": qr_svg_data_uri(status_page_url(dossier.code, request)),
        "qr_caption": "Tra cứu hồ sơ",
        "dossier": dossier,
        "checklist": [item for item in checklist if item.present] or checklist,
        "received_at": vn_datetime(dossier.received_at),
        "due_at": vn_datetime(dossier.due_at),
        "handover_at": vn_datetime(dossier.handover_at),
        "time_label": dossier.case.time_label,
        "position": position,
        "notes": notes,
        "return_place": return_place(dossier),
        "receiver": dossier.received_by,
        "submitter_name": dossier.authorised_name or dossier.applicant_name,
        "fee_line": fee_line(dossier),
    }


def return_place(dossier: Dossier) -> str:
    if dossier.return_channel == "postal":
        return f"Qua bưu chính công ích, đến địa chỉ: {dossier.applicant_address}".rstrip(": ")
    if dossier.return_channel == "online":
        return "Trực tuyến, trên Cổng Dịch vụ công"
    return dossier.desk.name


def notice_context(notice: IntakeNotice, request: HttpRequest | None = None) -> dict:
    labels = slip_labels(notice.form_set, notice.kind)
    code = notice.dossier.code if notice.dossier_id else ""
    context = {
        **_header(notice.desk),
        "labels": labels,
        "title": labels["title"],
        "document_number": notice.number,
        "issued_on": timezone.localtime(notice.issued_at).date(),
        "issued_at": vn_datetime(notice.issued_at),
        "notice": notice,
        "code": code,
        "officer": notice.issued_by,
    }
    if code:
        context.update(qr_uri=qr_svg_data_uri(status_page_url(code, request)), qr_caption="Tra cứu hồ sơ")
    return context


def receipt_pdf(dossier: Dossier, request: HttpRequest | None = None) -> bytes:
    return render_pdf("dossiers/slips/receipt.html", receipt_context(dossier, request))


def notice_pdf(notice: IntakeNotice, request: HttpRequest | None = None) -> bytes:
    template = "dossiers/slips/supplement.html" if notice.kind == IntakeNotice.Kind.SUPPLEMENT \
        else "dossiers/slips/refusal.html"
    return render_pdf(template, notice_context(notice, request))


def receipt_filename(dossier: Dossier) -> str:
    return f"giay-tiep-nhan-{dossier.code}.pdf"


def notice_filename(notice: IntakeNotice) -> str:
    stem = "phieu-yeu-cau-bo-sung" if notice.kind == IntakeNotice.Kind.SUPPLEMENT else "phieu-tu-choi"
    return f"{stem}-{notice.number.replace('/', '-')}.pdf"

