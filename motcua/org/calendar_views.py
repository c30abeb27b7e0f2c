"""The working-calendar page (/lich-lam-viec/): a year in twelve month grids with every day off and
make-up day in its own colour and with its legal source, the office hours of a unit, and the
system administrator's form for local closures (typhoon, flood)."""

from __future__ import annotations

import calendar
import datetime as dt
from itertools import groupby

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from motcua.lib.text import TextError, nfc
from motcua.org.calendar import add_local_closure, closures_for_unit, remove_local_closure, schedule_for_unit
from motcua.org.forms import UnitChoiceField, VNDateField
from motcua.org.middleware import client_ip
from motcua.org.models import LocalClosure, Unit
from motcua.org.selectors import is_system_admin, today
from motcua.workdays import DayKind, WorkdaysError, WorkSchedule
from motcua.workdays.days import WEEKDAY_NAMES_VI

FIRST_YEAR, LAST_YEAR = 1976, 2199

# CSS class and legend label of each kind of day (weekend = an ordinary Saturday/Sunday).
KIND_CLASSES = {
    DayKind.HOLIDAY: "day-holiday",
    DayKind.COMPENSATORY: "day-compensatory",
    DayKind.SWAP_OFF: "day-swap-off",
    DayKind.MAKEUP_WORKDAY: "day-makeup",
    DayKind.LOCAL_CLOSURE: "day-closure",
}
LEGEND = [
    ("day-weekend", gettext_lazy("Thứ Bảy, Chủ nhật")),
    ("day-holiday", gettext_lazy("Ngày lễ, tết")),
    ("day-compensatory", gettext_lazy("Nghỉ bù")),
    ("day-swap-off", gettext_lazy("Nghỉ hoán đổi")),
    ("day-makeup", gettext_lazy("Làm bù (ngày làm việc)")),
    ("day-closure", gettext_lazy("Nghỉ theo quyết định của địa phương")),
]
MONTH_NAMES = [gettext_lazy("Tháng %(n)s") % {"n": n} for n in range(1, 13)]
WEEKDAY_SHORT = ["T2", "T3", "T4", "T5", "T6", "T7", "CN"]


class LocalClosureForm(forms.Form):
    unit = UnitChoiceField(label=gettext_lazy("Đơn vị nghỉ"), queryset=None,
                           empty_label=gettext_lazy("– Chọn đơn vị –"),
                           error_messages={"required": gettext_lazy("Chọn đơn vị nghỉ."),
                                           "invalid_choice": gettext_lazy("Đơn vị không còn tồn tại.")})
    date = VNDateField(label=gettext_lazy("Ngày nghỉ"),
                       error_messages={"required": gettext_lazy("Nhập ngày nghỉ theo dạng dd/mm/yyyy.")})
    reason = forms.CharField(label=gettext_lazy("Lý do"), max_length=255,
                             error_messages={"required": gettext_lazy("Cần ghi lý do nghỉ.")},
                             widget=forms.TextInput(attrs={"placeholder": gettext_lazy("Bão số 10 – UBND tỉnh cho nghỉ")}))
    legal_basis = forms.CharField(label=gettext_lazy("Văn bản cho nghỉ"), max_length=255, required=False,
                                  widget=forms.TextInput(attrs={"placeholder": gettext_lazy("Công điện số …")}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(is_active=True).order_by("path")

    def _text(self, name: str) -> str:
        try:
            return nfc(self.cleaned_data.get(name) or "").strip()
        except TextError as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean_reason(self):
        return self._text("reason")

    def clean_legal_basis(self):
        return self._text("legal_basis")

    def clean_date(self):
        value = self.cleaned_data["date"]
        if not FIRST_YEAR <= value.year <= LAST_YEAR:
            raise forms.ValidationError(_("Năm phải trong khoảng %(a)s–%(b)s.") % {"a": FIRST_YEAR, "b": LAST_YEAR})
        return value


def _require_admin(request: HttpRequest) -> None:
    if not is_system_admin(request.user):
        raise Http404


def _year(request: HttpRequest) -> tuple[int, str | None]:
    raw = (request.GET.get("nam") or "").strip()
    if not raw:
        return today().year, None
    if raw.isdigit() and FIRST_YEAR <= int(raw) <= LAST_YEAR:
        return int(raw), None
    return today().year, _("Năm '%(raw)s' không hợp lệ: nhập năm từ %(a)s đến %(b)s. Đang hiển thị năm %(y)s.") % {
        "raw": raw, "a": FIRST_YEAR, "b": LAST_YEAR, "y": today().year}


def _unit(request: HttpRequest) -> Unit | None:
    raw = (request.GET.get("don-vi") or "").strip()
    if not raw:
        return None
    if not raw.isdigit():
        raise Http404
    return get_object_or_404(Unit, pk=int(raw))


def _title(row) -> str:
    return f"{row.name_vi} — {row.legal_basis}" if row.legal_basis else row.name_vi


def month_grids(schedule: WorkSchedule, year: int) -> list[dict]:
    cal = schedule.calendar
    months = []
    for month in range(1, 13):
        weeks = []
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
            cells = []
            for day in week:
                if day.month != month:
                    cells.append({"day": None})
                    continue
                row = cal.day(day)
                if row is not None:
                    css, title = KIND_CLASSES[row.kind], f"{row.kind.label_vi}: {_title(row)}"
                elif day.weekday() >= 5:
                    css, title = "day-weekend", WEEKDAY_NAMES_VI[day.weekday()]
                else:
                    css, title = "", ""
                cells.append({"day": day, "css": css, "title": f"{day:%d/%m/%Y}" + (f" – {title}" if title else "")})
            weeks.append(cells)
        months.append({"number": month, "name": MONTH_NAMES[month - 1], "weeks": weeks})
    return months


def off_periods(schedule: WorkSchedule, year: int) -> list[dict]:
    """Runs of three or more consecutive days off that hold a holiday, swap or closure (Tết 14–22/02)."""
    cal = schedule.calendar
    day, stop = dt.date(year, 1, 1), dt.date(year, 12, 31)
    runs, current = [], []
    while day <= stop:
        if cal.is_working_day(day):
            if current:
                runs.append(current)
            current = []
        else:
            current.append(day)
        day += dt.timedelta(days=1)
    if current:
        runs.append(current)
    periods = []
    for run in runs:
        rows = [cal.day(d) for d in run if cal.day(d) is not None]
        if len(run) >= 3 and rows:
            names = [name for name, _group in groupby(r.name_vi for r in rows)]
            periods.append({"first": run[0], "last": run[-1], "days": len(run), "names": names})
    return periods


def office_hours_view(schedule: WorkSchedule, year: int) -> list[dict]:
    hours = schedule.hours
    seasons = []
    for season in hours.seasons:
        switch = hours.switch_dates.get(year, {}).get(season.code) or dt.date(year, *season.starts)
        seasons.append({"name": season.name_vi, "starts": switch if len(hours.seasons) > 1 else None,
                        "sessions": [str(s) for s in season.sessions]})
    seasons.sort(key=lambda s: s["starts"] or dt.date(year, 1, 1))
    return seasons


def _context(request: HttpRequest, *, year: int, unit: Unit | None, form: LocalClosureForm | None = None,
             year_error: str | None = None) -> dict:
    is_admin = is_system_admin(request.user)
    try:
        schedule = schedule_for_unit(unit)
        schedule_error = None
    except WorkdaysError as exc:  # a unit whose office-hours profile is not declared
        schedule, schedule_error = schedule_for_unit(None), str(exc)
    rows = schedule.calendar.days_of_year(year)
    if unit is not None:
        closures = [c for c in closures_for_unit(unit) if c.date.year == year]
    else:
        closures = list(LocalClosure.objects.filter(date__year=year).select_related("unit"))
    if is_admin and form is None:
        form = LocalClosureForm(initial={"unit": unit})
    return {
        "year": year,
        "years": range(max(FIRST_YEAR, today().year - 3), min(LAST_YEAR, today().year + 3) + 1),
        "unit": unit,
        "units": [(u.pk, f"{'— ' * u.depth}{u.name} ({u.code})")
                  for u in Unit.objects.filter(is_active=True).order_by("path")],
        "months": month_grids(schedule, year),
        "weekdays": WEEKDAY_SHORT,
        "legend": LEGEND,
        "rows": [{"row": r, "css": KIND_CLASSES[r.kind], "weekday": WEEKDAY_NAMES_VI[r.date.weekday()]}
                 for r in rows],
        "periods": off_periods(schedule, year),
        "notice": schedule.calendar.schedule_notice(year),
        "hours": schedule.hours,
        "seasons": office_hours_view(schedule, year),
        "closures": closures,
        "is_admin": is_admin,
        "form": form if is_admin else None,
        "year_error": year_error,
        "schedule_error": schedule_error,
    }


def work_calendar(request: HttpRequest) -> HttpResponse:
    year, year_error = _year(request)
    unit = _unit(request)
    return render(request, "org/calendar/year.html", _context(request, year=year, unit=unit, year_error=year_error))


def _back(year: int, unit: Unit | None) -> str:
    url = f"{reverse('work_calendar')}?nam={year}"
    return f"{url}&don-vi={unit.pk}" if unit is not None else url


@require_POST
def closure_add(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    form = LocalClosureForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            closure = add_local_closure(unit=data["unit"], date=data["date"], reason=data["reason"],
                                        legal_basis=data["legal_basis"], acting_user=request.user,
                                        ip=client_ip(request))
        except ValidationError as exc:
            for field, errors in exc.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Đã ghi ngày nghỉ %(date)s cho %(unit)s.")
                             % {"date": f"{closure.date:%d/%m/%Y}", "unit": closure.unit.name})
            return redirect(_back(closure.date.year, closure.unit))
    unit = form.cleaned_data.get("unit") if hasattr(form, "cleaned_data") else None
    day = form.cleaned_data.get("date") if hasattr(form, "cleaned_data") else None
    year = day.year if day else today().year
    return render(request, "org/calendar/year.html", _context(request, year=year, unit=unit, form=form), status=400)


@require_POST
def closure_remove(request: HttpRequest, pk: int) -> HttpResponse:
    _require_admin(request)
    closure = get_object_or_404(LocalClosure.objects.select_related("unit"), pk=pk)
    year, unit, day = closure.date.year, closure.unit, closure.date
    remove_local_closure(closure=closure, acting_user=request.user, ip=client_ip(request))
    messages.success(request, _("Đã bỏ ngày nghỉ %(date)s của %(unit)s.") % {"date": f"{day:%d/%m/%Y}",
                                                                          "unit": unit.name})
    back = request.POST.get("don-vi", "")
    return redirect(_back(year, Unit.objects.filter(pk=back).first() if back.isdigit() else None))
