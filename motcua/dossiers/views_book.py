"""The tracking book page `/mot-cua/so-theo-doi/?tu=dd/mm/yyyy&den=dd/mm/yyyy&don-vi=&linh-vuc=` and
its XLSX and PDF exports (same filters, same columns)."""

from __future__ import annotations

import datetime as dt

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog.models import Field
from motcua.dossiers.book import (
    COLUMNS,
    PDF_MAX_ROWS,
    BookFilter,
    book_dossiers,
    book_header,
    book_pdf,
    book_rows,
    book_xlsx,
)
from motcua.org.selectors import is_officer, visible_units

PAGE_SIZE = 50
MAX_DAYS = 366


def _parse(value: str) -> dt.date | None:
    try:
        return dt.datetime.strptime(value.strip(), "%d/%m/%Y").date()  # noqa: DTZ007 - a date, no time
    except ValueError:
        return None


def _filter(request: HttpRequest) -> tuple[BookFilter, dict[str, str]]:
    """The period and filters from the query string; bad values give a message and today's book."""
    if not is_officer(request.user):
        raise Http404(_("Trang này dành cho cán bộ, công chức."))
    errors: dict[str, str] = {}
    today = timezone.localdate()
    raw_from, raw_to = request.GET.get("tu", "").strip(), request.GET.get("den", "").strip()
    date_from = _parse(raw_from) if raw_from else today
    date_to = _parse(raw_to) if raw_to else (date_from or today)
    if date_from is None:
        errors["tu"] = _("Ngày phải theo dạng dd/mm/yyyy, ví dụ 17/11/2025.")
        date_from = today
    if date_to is None:
        errors["den"] = _("Ngày phải theo dạng dd/mm/yyyy, ví dụ 17/11/2025.")
        date_to = date_from
    if date_to < date_from:
        errors["den"] = _("“Đến ngày” phải sau hoặc bằng “Từ ngày”.")
        date_to = date_from
    if (date_to - date_from).days > MAX_DAYS:
        errors["den"] = _("Mỗi lần xem tối đa %(days)s ngày.") % {"days": MAX_DAYS}
        date_to = date_from + dt.timedelta(days=MAX_DAYS)
    unit = None
    unit_code = request.GET.get("don-vi", "").strip()
    if unit_code:
        unit = visible_units(request.user).filter(code=unit_code).first()
        if unit is None:
            errors["don_vi"] = _("Không có đơn vị này trong phạm vi bạn được xem.")
    field_code = request.GET.get("linh-vuc", "").strip()
    return BookFilter(date_from=date_from, date_to=date_to, unit=unit, field_code=field_code), errors


def tracking_book(request: HttpRequest) -> HttpResponse:
    book, errors = _filter(request)
    page = Paginator(book_dossiers(request.user, book), PAGE_SIZE).get_page(request.GET.get("trang"))
    query = request.GET.copy()
    query.pop("trang", None)
    pdf_notice = ""
    if page.paginator.count > PDF_MAX_ROWS:
        pdf_notice = _("Bản in PDF chỉ gồm %(max)s hồ sơ tiếp nhận đầu tiên trong tổng số %(total)s hồ sơ của kỳ "
                       "này; tải tệp XLSX để có đủ danh sách (tệp XLSX không giới hạn số dòng).") % {
            "max": f"{PDF_MAX_ROWS:,}".replace(",", "."), "total": f"{page.paginator.count:,}".replace(",", ".")}
    return render(request, "dossiers/book/page.html", {
        "book": book, "errors": errors, "page": page, "columns": COLUMNS,
        "rows": book_rows(page.object_list),
        "header": book_header(request.user, book), "query": query.urlencode(), "pdf_notice": pdf_notice,
        "units": visible_units(request.user).order_by("path").only("code", "name", "depth"),
        "fields": Field.objects.order_by("name"),
        "params": {"tu": book.date_from.strftime("%d/%m/%Y"), "den": book.date_to.strftime("%d/%m/%Y"),
                   "don_vi": book.unit.code if book.unit else "", "linh_vuc": book.field_code},
    })


def _stem(book: BookFilter) -> str:
    return f"so-theo-doi-ho-so-{book.date_from:%Y%m%d}-{book.date_to:%Y%m%d}"


def tracking_book_xlsx(request: HttpRequest) -> HttpResponse:
    book, _errors = _filter(request)
    response = HttpResponse(book_xlsx(request.user, book),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{_stem(book)}.xlsx"'
    return response


def tracking_book_pdf(request: HttpRequest) -> HttpResponse:
    book, _errors = _filter(request)
    response = HttpResponse(book_pdf(request.user, book), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{_stem(book)}.pdf"'
    return response
