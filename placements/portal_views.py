"""Pages of the participant portal: the officer's own placement, checklist, report, notices and data;
and the coordinators' checklist and report pages of their batches. Thin views: scoping by selector
(a forbidden object is not found: 404), form, service, redirect."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from participants.selectors import officer_for_user

from .models import Batch, ChecklistItem, Notice, Placement
from .portal_forms import ChecklistItemForm, ChecklistTickForm, ExchangeReportForm
from .selectors import (
    batch_get,
    checklist_completions_for_batch,
    checklist_for_placement,
    checklist_items_for_batch,
    checklist_progress_for_batch,
    notice_get_own,
    notice_list_for_officer,
    officer_data_export,
    placement_batchmates,
    placement_current,
    placement_get,
    placement_get_own,
    placement_list_for_user,
    report_readable,
    report_status_for_batch,
)
from .services import (
    checklist_item_delete,
    checklist_item_save,
    checklist_item_set_done,
    notice_mark_read,
    report_save,
)


def _get_or_404(getter, **kwargs):
    try:
        return getter(**kwargs)
    except (Placement.DoesNotExist, Batch.DoesNotExist, Notice.DoesNotExist, ChecklistItem.DoesNotExist):
        raise Http404 from None


def _checklist_summary(items, today):
    done = [item for item in items if item.done_at]
    pending = [item for item in items if not item.done_at]
    return {
        "items": items,
        "done_count": len(done),
        "total": len(items),
        "overdue": [item for item in pending if item.due_date and item.due_date < today],
        "next_items": pending[:3],
    }


def _placement_context(request, placement):
    """What a placement page shows, in a fixed number of queries whatever the batch's size."""
    today = timezone.localdate()
    items = list(checklist_for_placement(placement=placement))
    return {
        "placement": placement,
        "is_own": placement.officer.user_id == request.user.pk,
        "batchmates": list(placement_batchmates(placement=placement)),
        "checklist": _checklist_summary(items, today),
        "report": report_readable(user=request.user, placement=placement),
        "report_status": getattr(getattr(placement, "report", None), "status", None),
        "today": today,
    }


@login_required
def my_placement(request):
    """/my/: the officer's current (or next, or latest) placement, new notices, and all their placements."""
    officer = get_object_or_404(officer_for_user(user=request.user))
    placements = list(placement_list_for_user(user=request.user))
    primary = placement_current(placements=placements)
    context = _placement_context(request, primary) if primary else {}
    context.update(
        officer=officer,
        primary=primary,
        placements=placements,
        notices=list(notice_list_for_officer(officer=officer, unread_only=True)[:20]),
    )
    return render(request, "placements/my_placement.html", context)


@login_required
def placement_detail(request, pk):
    placement = _get_or_404(placement_get, user=request.user, pk=pk)
    return render(request, "placements/placement_detail.html", _placement_context(request, placement))


@login_required
def placement_checklist(request, pk):
    """The checklist of one placement; only its officer may tick (a POST by anyone else finds nothing)."""
    if request.method == "POST":
        placement = _get_or_404(placement_get_own, user=request.user, pk=pk)
        form = ChecklistTickForm(request.POST, placement=placement)
        if not form.is_valid():
            raise Http404(_("No such item on your checklist."))
        item, done = form.cleaned_data["item"], form.cleaned_data["done"]
        checklist_item_set_done(placement=placement, item=item, done=done, actor=request.user)
        if done:
            messages.success(request, _("Ticked off: %(item)s.") % {"item": item.title})
        else:
            messages.info(request, _("Marked as not done: %(item)s.") % {"item": item.title})
        return redirect(f"{request.path}#item-{item.pk}")
    placement = _get_or_404(placement_get, user=request.user, pk=pk, for_page=False)
    today = timezone.localdate()
    items = list(checklist_for_placement(placement=placement))
    phases = [
        (label, [item for item in items if item.phase == value])
        for value, label in ChecklistItem.Phase.choices
    ]
    context = {
        "placement": placement,
        "is_own": placement.officer.user_id == request.user.pk,
        "phases": [(label, group) for label, group in phases if group],
        "checklist": _checklist_summary(items, today),
        "today": today,
    }
    return render(request, "placements/checklist_detail.html", context)


@login_required
def placement_report(request, pk):
    """The exchange report: its officer drafts and submits it; coordinators and CSB staff read it once
    submitted. A POST by anyone but the officer finds nothing."""
    if request.method == "POST":
        placement = _get_or_404(placement_get_own, user=request.user, pk=pk)
        report = getattr(placement, "report", None)
        form = ExchangeReportForm(request.POST, instance=report)
        submit = request.POST.get("action") == ExchangeReportForm.SUBMIT
        if form.is_valid():
            try:
                report_save(placement=placement, data=form.cleaned_data, actor=request.user, submit=submit)
            except ValidationError as error:
                if report is not None and report.is_submitted:
                    messages.error(request, " ".join(error.messages))
                    return redirect("placements:placement_report", pk=placement.pk)
                form.add_error(None, error)
            else:
                if submit:
                    messages.success(request, _("Your report is submitted. Thank you."))
                else:
                    messages.success(request, _("Your draft is saved."))
                return redirect("placements:placement_report", pk=placement.pk)
        placement = _get_or_404(placement_get, user=request.user, pk=pk, for_page=False)
    else:
        placement = _get_or_404(placement_get, user=request.user, pk=pk, for_page=False)
        form = None
    is_own = placement.officer.user_id == request.user.pk
    report = report_readable(user=request.user, placement=placement)
    if is_own and form is None and not (report and report.is_submitted):
        form = ExchangeReportForm(instance=report)
    context = {"placement": placement, "is_own": is_own, "report": report, "form": form}
    return render(request, "placements/exchangereport_form.html", context)


@login_required
@require_POST
def notice_read(request, pk):
    notice = _get_or_404(notice_get_own, user=request.user, pk=pk)
    notice_mark_read(notice=notice)
    return redirect("placements:my_placement")


@login_required
def my_data(request):
    """Download everything the portal holds about the signed-in officer, as JSON."""
    officer = get_object_or_404(officer_for_user(user=request.user).select_related("home_department", "rank"))
    data = officer_data_export(officer=officer)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    filename = f"my-exchange-data-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- Coordinators: their batches' checklists and reports ------------------------------------------------


def _require(request, permission):
    if not request.user.has_perm(permission):
        raise PermissionDenied


@login_required
def batch_checklist(request, pk):
    """A batch's checklist: add items, and see who has ticked what and who is behind."""
    batch = _get_or_404(batch_get, user=request.user, pk=pk)
    _require(request, "placements.view_checklistitem")
    form = ChecklistItemForm(request.POST or None, batch=batch)
    if request.method == "POST":
        _require(request, "placements.add_checklistitem")
        if form.is_valid():
            try:
                item = checklist_item_save(item=form.instance)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Added to the checklist: %(item)s.") % {"item": item.title})
                return redirect("placements:batch_checklist", pk=batch.pk)
    today = timezone.localdate()
    items = list(checklist_items_for_batch(batch=batch))
    done = checklist_completions_for_batch(batch=batch)
    rows = [
        (placement, [((placement.pk, item.pk) in done) for item in items])
        for placement in checklist_progress_for_batch(batch=batch, today=today)
    ]
    context = {"batch": batch, "items": items, "rows": rows, "form": form, "today": today}
    return render(request, "placements/batch_checklist.html", context)


@login_required
def checklist_item_edit(request, pk, item_pk):
    batch = _get_or_404(batch_get, user=request.user, pk=pk)
    item = _get_or_404(checklist_items_for_batch(batch=batch).get, pk=item_pk)
    _require(request, "placements.change_checklistitem")
    form = ChecklistItemForm(request.POST or None, instance=item, batch=batch)
    if request.method == "POST" and form.is_valid():
        try:
            checklist_item_save(item=form.instance)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Checklist item saved: %(item)s.") % {"item": item.title})
            return redirect("placements:batch_checklist", pk=batch.pk)
    return render(request, "placements/checklistitem_form.html", {"batch": batch, "item": item, "form": form})


@login_required
def checklist_item_delete_view(request, pk, item_pk):
    batch = _get_or_404(batch_get, user=request.user, pk=pk)
    item = _get_or_404(checklist_items_for_batch(batch=batch).get, pk=item_pk)
    _require(request, "placements.delete_checklistitem")
    if request.method == "POST":
        checklist_item_delete(item=item)
        messages.success(request, _("Removed from the checklist: %(item)s.") % {"item": item.title})
        return redirect("placements:batch_checklist", pk=batch.pk)
    done_count = item.completions.count()
    context = {"batch": batch, "item": item, "done_count": done_count}
    return render(request, "placements/checklistitem_confirm_delete.html", context)


@login_required
def batch_reports(request, pk):
    """The exchange reports of a batch: who has submitted, who is drafting, who has not started."""
    batch = _get_or_404(batch_get, user=request.user, pk=pk)
    _require(request, "placements.view_exchangereport")
    placements = list(report_status_for_batch(batch=batch))
    submitted = sum(1 for p in placements if p.report_status == "submitted")
    context = {"batch": batch, "placements": placements, "submitted": submitted}
    return render(request, "placements/batch_reports.html", context)
