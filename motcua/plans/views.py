"""Plan pages (/ke-hoach/): control officers see and change everything; a lead unit's officers see and update
their own tasks; anyone else gets 404. Views are thin: a scoped getter, a form, an action, a redirect."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.org.selectors import today
from motcua.plans import actions, exports, forms, selectors
from motcua.plans.models import (
    Evidence,
    Inspection,
    Plan,
    Recommendation,
    Reminder,
    SelfInspectionReport,
    TaskInstance,
)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR")


def _plan(request: HttpRequest, pk: int) -> Plan:
    return get_object_or_404(selectors.visible_plans(request.user), pk=pk)


def _task(request: HttpRequest, pk: int):
    return get_object_or_404(selectors.visible_tasks(request.user), pk=pk)


def _controlled_plan(request: HttpRequest, pk: int) -> Plan:
    if not selectors.is_controller(request.user):
        raise Http404
    return get_object_or_404(Plan, pk=pk)


def index(request: HttpRequest) -> HttpResponse:
    plans = list(selectors.visible_plans(request.user))
    reminders = Reminder.objects.filter(user=request.user, read_at__isnull=True).select_related("task__section")
    return render(request, "plans/index.html", {
        "plans": plans, "reminders": reminders[:50], "is_controller": selectors.is_controller(request.user),
    })


def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    view = request.GET.get("xem", "muc")
    rows = selectors.plan_rows(plan, request.user)
    context = {"plan": plan, "view": view, "summary": selectors.summary(rows),
               "is_controller": selectors.is_controller(request.user), "today": today()}
    if view == "don-vi":
        context["units"] = selectors.by_unit(rows)
    elif view == "qua-han":
        context["rows"] = [r for r in rows if r.overdue or r.overdue_instances]
    else:
        context["sections"] = selectors.by_section(rows)
    if context["is_controller"]:
        context["targets"] = plan.targets.all()
    return render(request, "plans/plan.html", context)


def plan_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    plan = _controlled_plan(request, pk)
    if fmt == "docx":
        body, mime = exports.plan_docx(plan, day=today()), DOCX
    elif fmt == "xlsx":
        body, mime = exports.plan_xlsx(plan, day=today()), XLSX
    else:
        raise Http404
    response = HttpResponse(body, content_type=mime)
    response["Content-Disposition"] = f'attachment; filename="ke-hoach-{plan.year}-tien-do.{fmt}"'
    return response


# --- Tasks ----------------------------------------------------------------------------------------

def task_detail(request: HttpRequest, pk: int, *, forms_override: dict | None = None, status: int = 200):
    task = _task(request, pk)
    initial = {"status": task.status, "progress": task.progress, "start_on": task.start_on, "due_on": task.due_on}
    context = {
        "task": task, "plan": task.plan, "today": today(),
        "leads": task.units.filter(role="lead").select_related("unit"),
        "coordinating": task.units.filter(role="coordinating").select_related("unit"),
        "instances": task.instances.all(),
        "evidence": [(e, selectors.evidence_url(e)) for e in task.evidence.select_related("linked_type", "instance",
                                                                                           "added_by")],
        "comments": task.comments.select_related("author"),
        "events": task.events.select_related("actor", "instance")[:100],
        "update_form": forms.TaskUpdateForm(initial=initial),
        "file_form": forms.EvidenceFileForm(task=task),
        "link_form": forms.EvidenceLinkForm(task=task),
        "comment_form": forms.CommentForm(),
        "instance_statuses": forms.InstanceUpdateForm.base_fields["status"].choices,
    }
    context.update(forms_override or {})
    return render(request, "plans/task.html", context, status=status)


def _back(task) -> HttpResponse:
    return redirect(reverse("plans_task", args=[task.pk]))


@require_POST
def task_update(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task(request, pk)
    form = forms.TaskUpdateForm(request.POST)
    if form.is_valid():
        try:
            actions.update_task(task=task, acting_user=request.user, ip=_ip(request), **form.cleaned_data)
        except actions.PlanError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Đã cập nhật nhiệm vụ %(ref)s.") % {"ref": task.ref})
            return _back(task)
    return task_detail(request, pk, forms_override={"update_form": form}, status=400)


@require_POST
def instance_update(request: HttpRequest, pk: int) -> HttpResponse:
    instance = get_object_or_404(TaskInstance.objects.filter(task__in=selectors.visible_tasks(request.user)), pk=pk)
    form = forms.InstanceUpdateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Trạng thái của kỳ không hợp lệ."))
        return _back(instance.task)
    actions.update_instance(instance=instance, acting_user=request.user, ip=_ip(request), **form.cleaned_data)
    messages.success(request, _("Đã cập nhật kỳ %(label)s.") % {"label": instance.label})
    return _back(instance.task)


def _instance_of(task, pk):
    return task.instances.filter(pk=pk).first() if pk else None


@require_POST
def evidence_upload(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task(request, pk)
    form = forms.EvidenceFileForm(request.POST, request.FILES, task=task)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            actions.add_evidence_file(task=task, name=upload.name, content=upload.read(),
                                      label=form.cleaned_data["label"], acting_user=request.user,
                                      instance=_instance_of(task, form.cleaned_data["instance"]), ip=_ip(request))
        except actions.PlanError as exc:
            form.add_error("file", str(exc))
        else:
            messages.success(request, _("Đã đính kèm minh chứng."))
            return _back(task)
    return task_detail(request, pk, forms_override={"file_form": form}, status=400)


@require_POST
def evidence_link(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task(request, pk)
    form = forms.EvidenceLinkForm(request.POST, task=task)
    if form.is_valid():
        label, _sep, obj_pk = form.cleaned_data["target"].partition(":")
        linkable = selectors.LINKABLES[label]
        obj = linkable.choices().filter(pk=obj_pk).first()
        if obj is None:
            form.add_error("target", _("Đối tượng không còn trong hệ thống."))
        else:
            try:
                actions.add_evidence_link(task=task, obj=obj, label=form.cleaned_data["label"],
                                          acting_user=request.user, ip=_ip(request),
                                          instance=_instance_of(task, form.cleaned_data["instance"]))
            except actions.PlanError as exc:
                form.add_error("target", str(exc))
            else:
                messages.success(request, _("Đã liên kết minh chứng."))
                return _back(task)
    return task_detail(request, pk, forms_override={"link_form": form}, status=400)


def evidence_download(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = get_object_or_404(Evidence.objects.filter(task__in=selectors.visible_tasks(request.user),
                                                         kind=Evidence.Kind.FILE), pk=pk)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("Tệp không còn trên máy chủ.")) from None
    return FileResponse(handle, as_attachment=True, filename=evidence.name,
                        content_type=evidence.content_type_name or None)


@require_POST
def comment_add(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task(request, pk)
    form = forms.CommentForm(request.POST)
    if form.is_valid():
        try:
            actions.add_comment(task=task, text=form.cleaned_data["text"], acting_user=request.user, ip=_ip(request))
        except actions.PlanError as exc:
            form.add_error("text", str(exc))
        else:
            return _back(task)
    return task_detail(request, pk, forms_override={"comment_form": form}, status=400)


@require_POST
def reminder_read(request: HttpRequest, pk: int) -> HttpResponse:
    reminder = get_object_or_404(Reminder, pk=pk, user=request.user)
    actions.mark_reminder_read(reminder=reminder, acting_user=request.user)
    return redirect(request.POST.get("next") if request.POST.get("next", "").startswith("/") else "plans_index")


# --- Inspections ----------------------------------------------------------------------------------

def inspections(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    controller = selectors.is_controller(request.user)
    form = forms.InspectionForm(plan=plan) if controller else None
    if request.method == "POST":
        if not controller:
            raise Http404
        form = forms.InspectionForm(request.POST, plan=plan)
        if form.is_valid():
            data = form.cleaned_data
            task = plan.tasks.filter(section__number="V", number="2").first()
            try:
                inspection = actions.create_inspection(
                    plan=plan, title=data["title"], scope=data["scope"], starts_on=data["starts_on"],
                    ends_on=data["ends_on"], leader=data["leader"], members=list(data["members"]),
                    units=list(data["units"]), acting_user=request.user, task=task, ip=_ip(request))
            except actions.PlanError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Đã lập đợt kiểm tra."))
                return redirect("plans_inspection", pk=inspection.pk)
    items = selectors.visible_inspections(request.user).filter(plan=plan).prefetch_related("units")
    return render(request, "plans/inspections.html", {
        "plan": plan, "inspections": items, "form": form, "is_controller": controller,
    }, status=400 if form is not None and form.is_bound else 200)


def _inspection(request: HttpRequest, pk: int) -> Inspection:
    return get_object_or_404(selectors.visible_inspections(request.user), pk=pk)


def inspection_detail(request: HttpRequest, pk: int, *, overrides: dict | None = None, status: int = 200):
    inspection = _inspection(request, pk)
    controller = selectors.is_controller(request.user)
    own, _anc = selectors.unit_ids(request.user)
    context = {
        "inspection": inspection, "plan": inspection.plan, "is_controller": controller, "today": today(),
        "units": inspection.units.order_by("path"), "members": inspection.members.order_by("full_name"),
        "findings": inspection.findings.select_related("unit"),
        "recommendations": [(r, controller or r.unit_id in own) for r in
                            inspection.recommendations.select_related("unit")],
        "checklist": forms.CHECKLIST, "follow_statuses": Recommendation.Status.choices,
    }
    if controller:
        context.update({
            "finding_form": forms.FindingForm(inspection=inspection),
            "recommendation_form": forms.RecommendationForm(inspection=inspection),
            "conclude_form": forms.ConcludeForm(initial={"conclusion": inspection.conclusion}),
        })
    context.update(overrides or {})
    return render(request, "plans/inspection.html", context, status=status)


def _controlled_inspection(request: HttpRequest, pk: int) -> Inspection:
    if not selectors.is_controller(request.user):
        raise Http404
    return get_object_or_404(Inspection, pk=pk)


@require_POST
def finding_add(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _controlled_inspection(request, pk)
    form = forms.FindingForm(request.POST, inspection=inspection)
    if form.is_valid():
        actions.record_finding(inspection=inspection, acting_user=request.user, ip=_ip(request), **form.cleaned_data)
        return redirect("plans_inspection", pk=pk)
    return inspection_detail(request, pk, overrides={"finding_form": form}, status=400)


@require_POST
def recommendation_add(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _controlled_inspection(request, pk)
    form = forms.RecommendationForm(request.POST, inspection=inspection)
    if form.is_valid():
        try:
            actions.add_recommendation(inspection=inspection, acting_user=request.user, ip=_ip(request),
                                       **form.cleaned_data)
        except actions.PlanError as exc:
            form.add_error("deadline", str(exc))
        else:
            return redirect("plans_inspection", pk=pk)
    return inspection_detail(request, pk, overrides={"recommendation_form": form}, status=400)


@require_POST
def recommendation_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = get_object_or_404(Recommendation, pk=pk)
    inspection = _inspection(request, recommendation.inspection_id)
    own, _anc = selectors.unit_ids(request.user)
    if not (selectors.is_controller(request.user) or recommendation.unit_id in own):
        raise Http404
    form = forms.FollowUpForm(request.POST)
    if form.is_valid():
        actions.follow_up_recommendation(recommendation=recommendation, acting_user=request.user, ip=_ip(request),
                                         **form.cleaned_data)
        messages.success(request, _("Đã cập nhật kết quả khắc phục."))
    else:
        messages.error(request, _("Tình trạng khắc phục không hợp lệ."))
    return redirect("plans_inspection", pk=inspection.pk)


@require_POST
def inspection_conclude(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _controlled_inspection(request, pk)
    form = forms.ConcludeForm(request.POST)
    if form.is_valid():
        actions.conclude_inspection(inspection=inspection, acting_user=request.user, ip=_ip(request),
                                    **form.cleaned_data)
        return redirect("plans_inspection", pk=pk)
    return inspection_detail(request, pk, overrides={"conclude_form": form}, status=400)


def inspection_report(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _inspection(request, pk)
    response = HttpResponse(exports.inspection_docx(inspection, day=today()), content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="bao-cao-kiem-tra-{inspection.pk}.docx"'
    return response


def self_inspections(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    controller = selectors.is_controller(request.user)
    units = selectors.my_units(request.user).filter(path__startswith=plan.issuing_unit.path)
    form = forms.SelfInspectionForm(units=units) if units.exists() else None
    if request.method == "POST":
        if form is None:
            raise Http404
        form = forms.SelfInspectionForm(request.POST, request.FILES, units=units)
        if form.is_valid():
            data = form.cleaned_data
            upload = data.get("file")
            try:
                actions.submit_self_inspection(
                    plan=plan, unit=data["unit"], period_label=data["period_label"], summary=data["summary"],
                    issues=data["issues"], acting_user=request.user, ip=_ip(request),
                    file_name=upload.name if upload else "", file_content=upload.read() if upload else b"")
            except actions.PlanError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Đã nộp báo cáo tự kiểm tra."))
                return redirect("plans_self_inspections", pk=plan.pk)
    reports = SelfInspectionReport.objects.filter(plan=plan).select_related("unit", "submitted_by")
    if not controller:
        reports = reports.filter(unit__in=units)
    return render(request, "plans/self_inspections.html", {
        "plan": plan, "reports": reports, "form": form, "is_controller": controller,
    }, status=400 if form is not None and form.is_bound else 200)


def self_inspection_file(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(SelfInspectionReport.objects.exclude(file=""), pk=pk)
    if not selectors.is_controller(request.user) and \
            not selectors.my_units(request.user).filter(pk=report.unit_id).exists():
        raise Http404
    return FileResponse(report.file.open("rb"), as_attachment=True, filename=report.file_name)
