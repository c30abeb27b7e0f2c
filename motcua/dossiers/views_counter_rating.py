"""Rating at the counter (JOURNEYS 1: "the woman rates the service on the counter tablet").

After the result was handed back at the counter, a one-stop officer of the dossier's desk opens a page
meant to be handed to the citizen on the counter tablet: the DOMAIN B.7 scale and nine criteria with
big touch targets, recorded once per dossier through the portal's own `rate_dossier` (the audit entry
says channel "counter"; the rating's `user` is the officer who held the tablet). Then a neutral
"Cảm ơn" page with no personal data, ready for the next person."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from motcua.dossiers.models import Dossier, ReturnChannel, Status
from motcua.dossiers.selectors import dossier_for
from motcua.dossiers.views_intake import client_ip, officer_desks
from motcua.portal import actions as portal_actions
from motcua.portal.forms import RatingForm
from motcua.portal.models import CRITERIA, Rating


class CounterRatingForm(RatingForm):
    """The portal's rating form with every criterion as a row of big radio buttons (touch screen)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, _label in CRITERIA:
            self.fields[name].widget = forms.RadioSelect(choices=self.fields[name].choices)


def _desk_dossier(request: HttpRequest, code: str) -> Dossier:
    """The dossier, if the person is a one-stop officer of the desk that received it."""
    dossier = dossier_for(request.user, code)
    if dossier is None or not officer_desks(request.user).filter(pk=dossier.desk_id).exists():
        raise Http404(_("Không có hồ sơ này, hoặc bạn không phải cán bộ một cửa của bộ phận tiếp nhận hồ sơ."))
    return dossier


def counter_rating_state(dossier: Dossier) -> str:
    """"rated", "open" (returned at the counter, not rated yet) or "" (nothing to rate)."""
    if Rating.objects.filter(dossier_id=dossier.pk).exists():
        return "rated"
    if dossier.status == Status.RETURNED and dossier.return_channel == ReturnChannel.COUNTER:
        return "open"
    return ""


@require_http_methods(["GET", "POST"])
def counter_rating(request: HttpRequest, code: str) -> HttpResponse:
    dossier = _desk_dossier(request, code)
    state = counter_rating_state(dossier)
    if state != "open":
        messages.error(request, _("Hồ sơ %(code)s đã được đánh giá; mỗi hồ sơ chỉ đánh giá một lần.") % {
            "code": dossier.code} if state == "rated" else _("Chỉ đánh giá tại quầy sau khi đã trả kết quả tại quầy."))
        return redirect("dossiers_detail", code=dossier.code)
    form = CounterRatingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            portal_actions.rate_dossier(dossier=dossier, satisfaction=form.cleaned_data["satisfaction"],
                                        scores=form.scores(), comment=form.cleaned_data["comment"],
                                        acting_user=request.user, ip=client_ip(request), channel="counter")
        except portal_actions.PortalError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("dossiers_counter_thanks")
    return render(request, "dossiers/counter/rating.html", {"dossier": dossier, "form": form},
                  status=422 if form.errors else 200)


def counter_thanks(request: HttpRequest) -> HttpResponse:
    """Neutral: no code, no name — the tablet may stay in the citizen's hands."""
    if not officer_desks(request.user).exists():
        raise Http404(_("Trang này dành cho cán bộ một cửa."))
    return render(request, "dossiers/counter/thanks.html")


def detail_panel(request: HttpRequest, dossier: Dossier) -> dict:
    state = counter_rating_state(dossier)
    can_open = state == "open" and officer_desks(request.user).filter(pk=dossier.desk_id).exists()
    rating = Rating.objects.filter(dossier_id=dossier.pk).first() if state == "rated" else None
    return {"can_open": can_open, "rating": rating}


def register() -> None:
    from motcua.dossiers.views_dossier import register_detail_panel

    register_detail_panel("dossiers/counter/_panel.html", context=detail_panel, order=60)
