"""The tracking book (sổ theo dõi hồ sơ, Mẫu 06 of TT 01/2018 / BM.06 of TT 03/2025; DOMAIN C.4.3):
dossiers received in a period, scoped to the person's units, optionally one unit (with its sub-units)
or one field. On screen, as XLSX and as PDF, with the same columns."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from motcua.dossiers.intake import form_set_for
from motcua.dossiers.models import Dossier, ReturnChannel, Status
from motcua.dossiers.selectors import dossiers_visible_to
from motcua.dossiers.slips import book_positions, place_of, slip_labels
from motcua.lib.formats import vn_date, vn_datetime
from motcua.org.models import Unit, User
from motcua.paperwork import xlsx
from motcua.paperwork.tablepdf import Heading, TablePdf

COLUMNS = ["STT", "Mã hồ sơ", "Tên thủ tục hành chính", "Tên người nộp hồ sơ", "Địa chỉ, số điện thoại",
           "Cơ quan chủ trì giải quyết", "Ngày, giờ nhận hồ sơ", "Ngày, giờ hẹn trả kết quả",
           "Ngày, giờ trả kết quả", "Phương thức nhận kết quả", "Ký nhận / ghi chú"]
WIDTHS = [6, 26, 40, 22, 28, 22, 15, 15, 15, 16, 18]
# PDF column widths in mm across the 270 mm of a landscape A4 page: the dossier code
# (000.00.12.H27-251117-00001) stays on one line at 9 pt, a date takes two ("08:15" / "17/11/2025").
PDF_WIDTHS = [9, 40, 44, 27, 29, 25, 17, 17, 17, 18, 27]
PDF_MAX_ROWS = 50_000
RETURN_LABELS = dict(ReturnChannel.choices)
STATUS_LABELS = dict(Status.choices)


@dataclass(frozen=True)
class BookFilter:
    date_from: dt.date
    date_to: dt.date
    unit: Unit | None = None
    field_code: str = ""

    @property
    def period_label(self) -> str:
        if self.date_from == self.date_to:
            return f"Ngày {vn_date(self.date_from)}"
        return f"Từ ngày {vn_date(self.date_from)} đến ngày {vn_date(self.date_to)}"


@dataclass(frozen=True)
class BookRow:
    number: int
    code: str
    procedure: str
    applicant: str
    address_phone: str
    lead_agency: str
    received: str
    appointment: str
    returned: str
    delivery: str
    notes: str

    def values(self) -> list:
        return [self.number, self.code, self.procedure, self.applicant, self.address_phone, self.lead_agency,
                self.received, self.appointment, self.returned, self.delivery, self.notes]


def book_dossiers(user: User, book: BookFilter) -> QuerySet[Dossier]:
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(book.date_from, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(book.date_to + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    qs = dossiers_visible_to(user).filter(received_at__gte=start, received_at__lt=end)
    if book.unit is not None:
        path = book.unit.path
        qs = qs.filter(Q(desk__path__startswith=path) | Q(handling_unit__path__startswith=path)
                       | Q(agency__path__startswith=path))
    if book.field_code:
        qs = qs.filter(version__field__code=book.field_code)
    return (qs.select_related("version__procedure", "handling_unit")
            .only("code", "desk_id", "book_serial", "version__name", "version__procedure__code", "applicant_name", "applicant_address",
                  "applicant_phone", "handling_unit__name", "received_at", "due_at", "returned_at",
                  "return_channel", "status", "postal_waybill", "return_waybill", "return_handed_on")
            .order_by("received_at", "id"))


def book_row(number: int, dossier: Dossier) -> BookRow:
    address_phone = ", ".join(p for p in (dossier.applicant_address, dossier.applicant_phone) if p)
    notes = str(STATUS_LABELS.get(dossier.status, dossier.status))
    if dossier.postal_waybill:
        notes = f"{notes}; vận đơn {dossier.postal_waybill}"
    return BookRow(number=number, code=dossier.code, procedure=dossier.version.name,
                   applicant=dossier.applicant_name, address_phone=address_phone,
                   lead_agency=dossier.handling_unit.name, received=vn_datetime(dossier.received_at),
                   appointment=vn_datetime(dossier.due_at), returned=vn_datetime(dossier.returned_at),
                   delivery=_delivery(dossier), notes=notes)


def _delivery(dossier: Dossier) -> str:
    """The "Phương thức nhận kết quả" cell; a result returned by post also gives its waybill and the day it
    was handed to the post."""
    text = str(RETURN_LABELS.get(dossier.return_channel, ""))
    if dossier.return_waybill:
        text = f"{text}; vận đơn {dossier.return_waybill}"
    if dossier.return_handed_on:
        text = f"{text}; giao bưu điện {vn_date(dossier.return_handed_on)}"
    return text


def book_rows(dossiers, anchors: dict | None = None) -> list[BookRow]:
    """The rows of `dossiers`, each numbered with its serial in its desk's book (the receipt's "Số thứ
    tự", `slips.book_positions`), not with its place in this listing."""
    dossiers = list(dossiers)
    positions = book_positions(dossiers, anchors)
    return [book_row(positions[d.pk].serial, d) for d in dossiers]


def iter_book_rows(dossiers, *, chunk: int = 2000) -> Iterator[BookRow]:
    """`book_rows` over a long iterable in book order, `chunk` dossiers at a time (dossiers without a
    stored serial are ranked from where the previous chunk stopped: `book_positions`' anchors)."""
    anchors: dict = {}
    batch: list[Dossier] = []
    for dossier in dossiers:
        batch.append(dossier)
        if len(batch) == chunk:
            yield from book_rows(batch, anchors)
            batch = []
    if batch:
        yield from book_rows(batch, anchors)


def book_header(user: User, book: BookFilter) -> dict:
    labels = slip_labels(form_set_for(book.date_to), "book")
    unit = book.unit
    if unit is None:
        from motcua.org.selectors import visible_units

        unit = visible_units(user).order_by("depth", "path").first()
    return {"labels": labels, "title": labels["title"], "unit_name": unit.name if unit else "",
            "period": book.period_label, "place": place_of(unit) if unit else "",
            "issued_on": timezone.localdate()}


def book_xlsx(user: User, book: BookFilter) -> bytes:
    header = book_header(user, book)
    wb = xlsx.new_workbook()
    ws = wb.active
    ws.title = "So theo doi"
    xlsx.setup_sheet(ws, landscape=True)
    xlsx.set_widths(ws, WIDTHS)
    columns = len(COLUMNS)
    xlsx.write_title(ws, 1, header["unit_name"].upper(), columns=columns, size=12)
    xlsx.write_title(ws, 2, f"{header['title'].upper()} ({header['labels']['number']})", columns=columns)
    xlsx.write_title(ws, 3, header["period"], columns=columns, size=12, bold=False)
    xlsx.write_row(ws, 5, COLUMNS, bold=True, size=11)
    ws.print_title_rows = "5:5"
    row = 6
    for item in iter_book_rows(book_dossiers(user, book).iterator(chunk_size=500)):
        xlsx.write_row(ws, row, item.values(), size=11)
        row += 1
    xlsx.write_row(ws, row + 1, [f"Tổng số: {row - 6} hồ sơ"], border=False, bold=True, size=11)
    return xlsx.to_bytes(wb)


def _count(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def pdf_limit_notice(total: int) -> str:
    """What the PDF leaves out when the period holds more than `PDF_MAX_ROWS` dossiers ("" otherwise).
    The PDF is written by `paperwork.tablepdf` (fpdf2), rows streamed from the database: on the
    1,000,000-dossier dataset (2 cores, load 2-3) 10,000 rows took 2.2 s and 156 MB of peak memory, 50,000
    rows 11.9 s and 245 MB (bench/book_bench.py); WeasyPrint, used before, took 29.5 s and 667 MB for
    2,000 rows and 162 s and 2.6 GB for 10,000. The cap keeps the longest print within 15 s and 400 MB;
    the XLSX (no limit) has every row."""
    if total <= PDF_MAX_ROWS:
        return ""
    return (f"Bản in PDF chỉ gồm {_count(PDF_MAX_ROWS)} hồ sơ tiếp nhận đầu tiên trong tổng số {_count(total)} "
            f"hồ sơ của kỳ này. Tải tệp XLSX để có đủ danh sách (tệp XLSX không giới hạn số dòng).")


def book_pdf_from_rows(header: dict, rows, total: int) -> bytes:
    """The book's PDF (landscape A4, Nghị định 30/2020 heading, the form's columns, the column header
    again on every page, the total line) from `rows` (`BookRow`s, read once, at most `PDF_MAX_ROWS`)."""
    notice = pdf_limit_notice(total)
    doc = TablePdf(COLUMNS, PDF_WIDTHS, landscape=True, size=9.0)
    doc.heading(Heading(agency_name=header["unit_name"], place=header["place"], issued_on=header["issued_on"],
                        title=header["title"], form_number=header["labels"]["number"],
                        form_basis=header["labels"]["basis"], period=header["period"], notice=notice))
    for item in rows:
        doc.row(item.values())
    if not doc.rows:
        doc.full_width_row("Không có hồ sơ nào được tiếp nhận trong thời gian này.")
    doc.y += 2
    doc.paragraph(f"Tổng số: {_count(total)} hồ sơ." + (f" {notice}" if notice else ""), size=11)
    return doc.output()


def book_pdf(user: User, book: BookFilter) -> bytes:
    dossiers = book_dossiers(user, book)
    total = dossiers.count()
    rows = iter_book_rows(dossiers[:PDF_MAX_ROWS].iterator(chunk_size=500))
    return book_pdf_from_rows(book_header(user, book), rows, total)
