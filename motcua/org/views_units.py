"""Organisation pages: the unit tree, a unit's people and roles, and the administrator's forms.

Thin views: a scoped getter (404 outside the person's units) → a form → an action → redirect.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.org import actions
from motcua.org.forms import AssignRoleForm, DelegationForm, EndAssignmentForm, MergeUnitsForm, UnitForm
from motcua.org.middleware import client_ip
from motcua.org.models import OFFICER_ROLES, Delegation, RoleAssignment, Unit, User
from motcua.org.selectors import (
    colleagues_of,
    delegations_of,
    delegations_of_unit,
    grants_of,
    is_system_admin,
    people_of_unit,
    today,
    visible_units,
)


def _require_admin(request: HttpRequest) -> None:
    if not is_system_admin(request.user):
        raise Http404


def _visible_unit(request: HttpRequest, pk: int) -> Unit:
    return get_object_or_404(visible_units(request.user).select_related("parent", "successor"), pk=pk)


def _apply_errors(form, exc: ValidationError) -> None:
    """Put an action's ValidationError next to the fields it names (or on top of the form)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _current_assignment(day) -> Q:
    return (Q(role_assignments__valid_from__isnull=True) | Q(role_assignments__valid_from__lte=day)) & (
        Q(role_assignments__valid_to__isnull=True) | Q(role_assignments__valid_to__gte=day))


def unit_tree(request: HttpRequest) -> HttpResponse:
    units = list(
        visible_units(request.user).select_related("successor").order_by("path")
        .annotate(people=Count("role_assignments", filter=_current_assignment(today())))
    )
    if not units:
        raise Http404
    return render(request, "org/unit_tree.html", {"units": units, "is_admin": is_system_admin(request.user)})


def _unit_context(request: HttpRequest, unit: Unit, **forms) -> dict:
    is_admin = is_system_admin(request.user)
    context = {
        "unit": unit,
        "ancestors": unit.ancestors(),
        "children": list(unit.children.order_by("path")),
        "predecessors": list(unit.predecessors.order_by("path")),
        "assignments": people_of_unit(unit),
        "delegations": list(delegations_of_unit(unit)),
        "today": today(),
        "is_admin": is_admin,
    }
    if is_admin:
        context["assign_form"] = AssignRoleForm(prefix="assign")
        context["delegation_form"] = DelegationForm(prefix="delegation", delegates=_active_people(),
                                                    delegator_choices=_active_people())
    context.update(forms)
    return context


def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _visible_unit(request, pk)
    return render(request, "org/unit_detail.html", _unit_context(request, unit))


def _active_people():
    return User.objects.filter(is_active=True).order_by("full_name", "username")


def unit_create(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    initial = {}
    if parent_id := request.GET.get("cap_tren"):
        initial["parent"] = Unit.objects.filter(pk=parent_id).first() if parent_id.isdigit() else None
    form = UnitForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            unit = actions.create_unit(acting_user=request.user, ip=client_ip(request), **form.changes())
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Đã tạo đơn vị %(name)s.") % {"name": unit.name})
            return redirect("unit_detail", pk=unit.pk)
    return render(request, "org/unit_form.html", {"form": form, "unit": None}, status=400 if form.errors else 200)


def unit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_admin(request)
    unit = get_object_or_404(Unit, pk=pk)
    form = UnitForm(request.POST or None, instance=Unit.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_unit(unit=unit, acting_user=request.user, ip=client_ip(request), **form.changes())
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu đơn vị %(name)s.") % {"name": form.cleaned_data["name"]})
            return redirect("unit_detail", pk=unit.pk)
    return render(request, "org/unit_form.html", {"form": form, "unit": unit}, status=400 if form.errors else 200)


def unit_merge(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    form = MergeUnitsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.merge_units(sources=list(data["sources"]), successor=data["successor"],
                                effective=data["effective"], acting_user=request.user, ip=client_ip(request))
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Đã hợp nhất %(count)s đơn vị vào %(name)s.")
                             % {"count": len(data["sources"]), "name": data["successor"].name})
            return redirect("unit_detail", pk=data["successor"].pk)
    return render(request, "org/unit_merge.html", {"form": form}, status=400 if form.errors else 200)


def _detail_with_errors(request: HttpRequest, unit: Unit, **forms) -> HttpResponse:
    """Re-render the unit page with the failing form filled in as typed."""
    return render(request, "org/unit_detail.html", _unit_context(request, unit, **forms), status=400)


@require_POST
def unit_assign_role(request: HttpRequest, pk: int) -> HttpResponse:
    _require_admin(request)
    unit = get_object_or_404(Unit, pk=pk)
    form = AssignRoleForm(request.POST, prefix="assign")
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.assign_role(person=data["person"], unit=unit, role=data["role"], acting_user=request.user,
                                ip=client_ip(request), includes_subunits=data["includes_subunits"],
                                valid_from=data["valid_from"], valid_to=data["valid_to"])
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Đã phân công vai trò cho %(name)s.") % {"name": data["person"]})
            return redirect("unit_detail", pk=unit.pk)
    return _detail_with_errors(request, unit, assign_form=form)


@require_POST
def assignment_end(request: HttpRequest, pk: int) -> HttpResponse:
    _require_admin(request)
    assignment = get_object_or_404(RoleAssignment.objects.select_related("unit", "user"), pk=pk)
    form = EndAssignmentForm(request.POST, prefix=f"end{assignment.pk}")
    if form.is_valid():
        last_day = form.cleaned_data["last_day"]
        if assignment.valid_from and last_day < assignment.valid_from:
            form.add_error("last_day", _("Ngày cuối không được trước ngày bắt đầu phân công."))
        else:
            actions.end_role_assignment(assignment=assignment, last_day=last_day, acting_user=request.user,
                                        ip=client_ip(request))
            messages.success(request, _("Đã kết thúc phân công của %(name)s.") % {"name": assignment.user})
            return redirect("unit_detail", pk=assignment.unit.pk)
    errors = "; ".join(str(e) for e in form.errors.get("last_day", []))
    messages.error(request, _("Chưa kết thúc được phân công: %(errors)s") % {"errors": errors})
    return redirect("unit_detail", pk=assignment.unit.pk)


@require_POST
def unit_delegate(request: HttpRequest, pk: int) -> HttpResponse:
    _require_admin(request)
    unit = get_object_or_404(Unit, pk=pk)
    form = DelegationForm(request.POST, prefix="delegation", delegates=_active_people(),
                          delegator_choices=_active_people())
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.delegate_role(delegator=data["delegator"], delegate=data["delegate"], unit=unit,
                                  role=data["role"], starts_on=data["starts_on"], ends_on=data["ends_on"],
                                  reason=data["reason"], acting_user=request.user, ip=client_ip(request))
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Đã ghi nhận ủy quyền."))
            return redirect("unit_detail", pk=unit.pk)
    return _detail_with_errors(request, unit, delegation_form=form)


@require_POST
def delegation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """The delegator or a system administrator ends a delegation early."""
    delegation = get_object_or_404(Delegation.objects.select_related("unit"), pk=pk)
    if delegation.delegator_id != request.user.pk and not is_system_admin(request.user):
        raise Http404
    if delegation.revoked_at is None:
        actions.revoke_delegation(delegation=delegation, acting_user=request.user, ip=client_ip(request))
        messages.success(request, _("Đã thu hồi ủy quyền."))
    target = request.POST.get("next", "")
    return redirect("unit_detail", pk=delegation.unit.pk) if target == "unit" else redirect("my_delegations")


def my_delegations(request: HttpRequest) -> HttpResponse:
    """A role holder lends one of their own roles for a date range, and sees what they gave and got."""
    own_grants = [g for g in grants_of(request.user) if g.delegated_by is None and g.role in OFFICER_ROLES]
    form = DelegationForm(request.POST or None, delegates=colleagues_of(request.user), grants=own_grants)
    if request.method == "POST":
        if not own_grants:
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            try:
                actions.delegate_role(delegator=request.user, delegate=data["delegate"], unit=data["unit"],
                                      role=data["role"], starts_on=data["starts_on"], ends_on=data["ends_on"],
                                      reason=data["reason"], acting_user=request.user, ip=client_ip(request))
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("Đã ủy quyền cho %(name)s.") % {"name": data["delegate"]})
                return redirect("my_delegations")
    delegations = list(delegations_of(request.user))
    context = {
        "form": form, "can_delegate": bool(own_grants), "today": today(),
        "given": [d for d in delegations if d.delegator_id == request.user.pk],
        "received": [d for d in delegations if d.delegate_id == request.user.pk],
    }
    return render(request, "org/my_delegations.html", context, status=400 if form.errors else 200)
