"""The participant's pages: their own placement, checklist, report, notices, details and data download.
Coordinators and CSB staff may read a placement page of their batches too. Thin views: scoping by
selector (a forbidden object is not found: 404), form, service, redirect."""

import orjson
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.names import local_field, local_name
from participants.selectors import officer_recent_changes
from participants.services import OFFICER_DETAILS_FIELDS
from placements.documents import download_filename, file_response
from placements.figures import figures_cached
from placements.models import (
    Batch,
    ChecklistItem,
    Document,
    DocumentAccess,
    DocumentRequirement,
    ExchangeReport,
    Notice,
    Placement,
)
from placements.selectors import (
    checklist_for_placement,
    document_get,
    document_requirement_for_placement,
    document_requirements_for_placement,
    notice_get_own,
    notice_list_for_officer,
    officer_data_export,
    placement_batchmates,
    placement_current,
    placement_get,
    placement_get_own,
    placement_list_own,
    placement_page_prefetch,
    report_readable,
)
from placements.services import (
    checklist_item_set_done,
    document_access_record,
    document_upload,
    notice_mark_read,
    officer_details_save,
    report_save,
)
from selection.models import Nomination
from selection.selectors.nominating import nomination_get_for_officer, nomination_list_for_officer
from selection.services.nominations import CONSENT_OPEN, nomination_consent

from .forms import ChecklistTickForm, ConsentForm, DocumentUploadForm, ExchangeReportForm, MyDetailsForm

NOTICES_PER_PAGE = 25


def _get_or_404(getter, **kwargs):
    try:
        return getter(**kwargs)
    except (
        Placement.DoesNotExist,
        Batch.DoesNotExist,
        Notice.DoesNotExist,
        ChecklistItem.DoesNotExist,
        Document.DoesNotExist,
        DocumentRequirement.DoesNotExist,
    ):
        raise Http404 from None


def _own_officer(request):
    """The officer linked to the signed-in user, as the authentication backend read it with the user
    (participants.backends: in the same query); 404 for anyone without one."""
    officer = getattr(request.user, "officer", None) if request.user.is_authenticated else None
    if officer is None:
        raise Http404
    return officer


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


def _placement_block(request, placement, *, loaded=True):
    """The placement's summary, progress and sidebar (includes/placement_block.html), as /my/ and the
    placement page show them, rendered once per reader, placement, language and day under the figures
    version (placements.figures), which every write to what the block shows bumps: the placement, its
    batch and coordinators, officers, departments, hosts, focus areas, checklist items and ticks,
    reports, and the users named (coordinators). The reader's pk is in the key (whether it is their own
    placement changes the block, and no one is ever served another's); whether they may see the
    placement at all is checked before, on every request. A hit reads none of the block's rows; a miss
    reads the placement again with everything the block shows unless it was `loaded` so."""
    key = ":".join(
        [
            "placement-block",
            str(request.user.pk),
            str(placement.pk),
            translation.get_language(),
            timezone.localdate().isoformat(),
        ]
    )

    def render_block():
        shown = placement if loaded else placement_get(user=request.user, pk=placement.pk, prefetch=False)
        placement_page_prefetch([shown])
        return render_to_string(
            "includes/placement_block.html", _placement_context(request, shown), request=request
        )

    return mark_safe(figures_cached(key, render_block, batch_id=placement.batch_id))


@login_required
def my_placement_view(request):
    """/my/: the officer's current (or next, or latest) placement, new notices, and all their placements."""
    officer = _own_officer(request)
    placements = list(placement_list_own(user=request.user))
    primary = placement_current(placements=placements)
    context = {"placement_block": _placement_block(request, primary, loaded=False)} if primary else {}
    # What the notices and nominations show, without the related rows their other pages show.
    notices = notice_list_for_officer(officer=officer, unread_only=True).select_related(None)
    nominations = nomination_list_for_officer(officer=officer).select_related(None)
    context.update(
        officer=officer,
        primary=primary,
        placements=placements,
        notices=list(notices[:20]),
        nominations=list(nominations.select_related("call__batch", "department")),
    )
    return render(request, "portal/my_placement.html", context)


@login_required
def nomination_consent_view(request, pk):
    """/my/nominations/<pk>/consent/: the officer reads their department's nomination and says whether
    they agree to be nominated. Another officer's nomination is not found (404)."""
    officer = _own_officer(request)
    try:
        nomination = nomination_get_for_officer(officer=officer, pk=pk)
    except Nomination.DoesNotExist:
        raise Http404 from None
    form = ConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        given = form.cleaned_data["given"]
        try:
            nomination_consent(nomination=nomination, officer=officer, given=given)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if given:
                messages.success(request, _("Thank you: you agree to be nominated. Your department is told."))
            else:
                messages.info(request, _("You do not agree to be nominated. Your department is told."))
            return redirect("portal:my_placement")
    return render(
        request,
        "portal/nomination_consent.html",
        {"officer": officer, "nomination": nomination, "can_answer": nomination.status in CONSENT_OPEN},
    )


@login_required
def placement_detail_view(request, pk):
    placement = _get_or_404(placement_get, user=request.user, pk=pk, prefetch=False)
    return render(
        request,
        "portal/placement_detail.html",
        {
            "placement": placement,
            "is_own": placement.officer.user_id == request.user.pk,
            "placement_block": _placement_block(request, placement),
        },
    )


def _tick_message(request, item, done):
    if done:
        messages.success(request, _("Ticked off: %(item)s.") % {"item": item.title})
    else:
        messages.info(request, _("Marked as not done: %(item)s.") % {"item": item.title})


@login_required
def placement_checklist_view(request, pk):
    """The checklist of one placement; only its officer may tick (a POST by anyone else finds nothing)."""
    if request.method == "POST":
        placement = _get_or_404(placement_get_own, user=request.user, pk=pk)
        form = ChecklistTickForm(request.POST, placement=placement)
        if not form.is_valid():
            raise Http404(_("No such item on your checklist."))
        item, done = form.cleaned_data["item"], form.cleaned_data["done"]
        try:
            checklist_item_set_done(placement=placement, item=item, done=done, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            _tick_message(request, item, done)
        return redirect(f"{request.path}#item-{item.pk}")
    placement = _get_or_404(placement_get, user=request.user, pk=pk, for_page=False)
    is_own = placement.officer.user_id == request.user.pk
    context = {
        "placement": placement,
        "is_own": is_own,
        "checklist_items": _checklist_items(request, placement, is_own),
        "documents": document_requirements_for_placement(placement=placement),
    }
    return render(request, "portal/checklist_detail.html", context)


# Where the reader's CSRF token goes in the cached checklist (its forms are the same for every request).
CSRF_MARK = "csrf-token-of-the-request"


def _checklist_items(request, placement, is_own):
    """The checklist's summary and items by phase (portal/checklist_items.html), rendered once per reader,
    placement, language and day (items fall overdue) under the batch's figures version
    (placements.figures), which the batch's items, ticks (by hand or automatic), reports and the batch
    itself bump. The reader's pk is in the key (only the officer is offered the tick buttons); whether
    they may see the placement at all is checked before, on every request. The tick forms' CSRF token is
    the request's own, put in on every request in place of CSRF_MARK."""
    today = timezone.localdate()
    key = ":".join(
        [
            "checklist-items",
            str(request.user.pk),
            str(placement.pk),
            translation.get_language(),
            today.isoformat(),
        ]
    )

    def render_items():
        items = list(checklist_for_placement(placement=placement))
        _checklist_rows(items, today)
        phases = [
            (label, [item for item in items if item.phase == value])
            for value, label in ChecklistItem.Phase.choices
        ]
        context = {
            "placement": placement,
            "is_own": is_own,
            "phases": [(label, group) for label, group in phases if group],
            "checklist": _checklist_summary(items, today),
            "today": today,
            "csrf_token": CSRF_MARK,
            # The per-item words translated once, not per item (as {% translate %} gives them: safe).
            "labels": {
                "done": mark_safe(_("Done:")),
                "to_do": mark_safe(_("To do:")),
                "overdue": mark_safe(_("overdue")),
                "mark_done": mark_safe(_("Mark as done")),
                "mark_not_done": mark_safe(_("Mark as not done")),
            },
        }
        return render_to_string("portal/checklist_items.html", context).removesuffix("\n")

    html = figures_cached(key, render_items, batch_id=placement.batch_id)
    if CSRF_MARK in html:
        html = html.replace(CSRF_MARK, get_token(request))
    return mark_safe(html)


def _checklist_rows(items, today):
    """What each row of the checklist page shows, worked out once per item rather than in the template's
    loop: its title in the reader's language, "Due …" and "done on …" (as {% blocktranslate %} writes
    them: the translation as is, the day escaped), and whether it is overdue."""
    due, done = _("Due %(day)s"), _("done on %(day)s")
    for item in items:
        item.local_title = local_field(item, "title")
        item.due_text = item.done_text = ""
        if item.due_date:
            item.due_text = mark_safe(
                due % {"day": conditional_escape(date_format(item.due_date, "SHORT_DATE_FORMAT"))}
            )
        if item.done_at:
            day = template_localtime(item.done_at)
            item.done_text = mark_safe(
                done % {"day": conditional_escape(date_format(day, "SHORT_DATE_FORMAT"))}
            )
        item.is_overdue = bool(item.due_date and item.due_date < today)


@login_required
def placement_report_view(request, pk):
    """The exchange report: its officer drafts it, reviews a summary of the answers, then confirms to
    submit it (irreversible); coordinators and CSB staff read it once submitted. Read-only in a completed
    batch, and not asked of a placement not yet confirmed. A POST by anyone but the officer finds nothing."""
    if request.method == "POST":
        return _report_post(request, pk)
    placement = _get_or_404(placement_get, user=request.user, pk=pk, for_page=False)
    return _report_page(request, placement)


def _report_page(request, placement, form=None):
    is_own = placement.officer.user_id == request.user.pk
    report = report_readable(user=request.user, placement=placement)
    writable = is_own and placement.may_report and not placement.batch.is_completed
    if writable and form is None and not (report and report.is_submitted):
        form = ExchangeReportForm(instance=report)
    if not writable:
        form = None
    context = {"placement": placement, "is_own": is_own, "report": report, "form": form}
    return render(request, "portal/exchangereport_form.html", context)


def _report_post(request, pk):
    placement = _get_or_404(placement_get_own, user=request.user, pk=pk)
    action = request.POST.get("action")
    report = getattr(placement, "report", None)
    if action == ExchangeReportForm.CONFIRM:
        # Submits the draft as saved and shown on the confirmation page; the text is not re-read.
        try:
            report_save(placement=placement, data={}, actor=request.user, submit=True)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your report is submitted. Thank you."))
        return redirect("portal:placement_report", pk=placement.pk)
    form = ExchangeReportForm(request.POST, instance=report)
    if form.is_valid():
        try:
            report = report_save(placement=placement, data=form.cleaned_data, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("portal:placement_report", pk=placement.pk)
        if action != ExchangeReportForm.SUBMIT:
            messages.success(request, _("Your draft is saved."))
            return redirect("portal:placement_report", pk=placement.pk)
        missing = [f for f in ExchangeReport.REQUIRED_FOR_SUBMISSION if not getattr(report, f)]
        if not missing:
            context = {"placement": placement, "report": report, "form": ExchangeReportForm(instance=report)}
            return render(request, "portal/exchangereport_confirm.html", context)
        for field in missing:
            form.add_error(field, _("Answer this before you submit the report."))
        messages.info(request, _("Your draft is saved."))
    placement = _get_or_404(placement_get, user=request.user, pk=pk, for_page=False)
    return _report_page(request, placement, form=form)


@login_required
@require_POST
def notice_read_view(request, pk):
    notice = _get_or_404(notice_get_own, user=request.user, pk=pk)
    notice_mark_read(notice=notice)
    if request.POST.get("next") == "notices":
        return redirect("portal:notice_list")
    return redirect("portal:my_placement")


@login_required
def notice_list_view(request):
    """/my/notices/: every notice the officer has had, newest first, read or not (marking a notice read
    takes it off /my/, never out of this history)."""
    officer = _own_officer(request)
    page = Paginator(notice_list_for_officer(officer=officer), NOTICES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {"officer": officer, "page_obj": page, "notices": page.object_list, "query": ""}
    return render(request, "portal/notice_list.html", context)


@login_required
def my_data_view(request):
    """Download everything the portal holds about the signed-in officer, as JSON."""
    data = officer_data_export(officer=_own_officer(request))
    # orjson writes the same bytes as json.dumps(ensure_ascii=False, indent=2) in a fiftieth of the time: the
    # standard library's C encoder does not indent (tests/portal/test_my_data_export.py compares them).
    response = HttpResponse(
        orjson.dumps(data, option=orjson.OPT_INDENT_2), content_type="application/json; charset=utf-8"
    )
    filename = f"my-exchange-data-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def my_details_view(request):
    """The participant's own details: mobile, emergency contact, dietary or access needs."""
    officer = _own_officer(request)
    form = MyDetailsForm(request.POST or None, instance=officer)
    if request.method == "POST" and form.is_valid():
        try:
            officer_details_save(officer=officer, data=form.cleaned_data, actor=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your details are saved."))
            return redirect("portal:my_details")
    if request.method == "POST":
        officer.refresh_from_db()
    changes = officer_recent_changes(officer=officer, fields=OFFICER_DETAILS_FIELDS)
    return render(request, "portal/officer_form.html", {"officer": officer, "form": form, "changes": changes})


@login_required
def placement_documents_view(request, pk):
    """The documents asked of a placement: what is missing, awaiting review, accepted or returned (with
    the reason). Its officer uploads or replaces files here; coordinators and CSB staff may look."""
    form = None
    if request.method == "POST":
        placement = _get_or_404(placement_get_own, user=request.user, pk=pk)
        form = DocumentUploadForm(request.POST, request.FILES, placement=placement)
        if form.is_valid():
            requirement = _get_or_404(
                document_requirement_for_placement,
                placement=placement,
                pk=form.cleaned_data["requirement"].pk,
            )
            try:
                document_upload(
                    placement=placement,
                    requirement=requirement,
                    upload=form.cleaned_data["file"],
                    actor=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                messages.success(
                    request,
                    _("Received: %(name)s. It now awaits review.") % {"name": local_name(requirement)},
                )
                return redirect(f"{request.path}#requirement-{requirement.pk}")
    placement = _get_or_404(placement_get, user=request.user, pk=pk, for_page=False)
    is_own = placement.officer.user_id == request.user.pk
    requirements = document_requirements_for_placement(placement=placement)
    error_for = str(form["requirement"].value()) if form is not None and form.errors else None
    if error_for is not None and error_for not in {str(r.pk) for r in requirements}:
        # A tampered or stale form names no requirement on the page: say so at the top instead.
        messages.error(request, _("Choose a file for one of the documents below."))
        error_for = None
    context = {
        "placement": placement,
        "is_own": is_own,
        "requirements": requirements,
        "form": form,
        "error_for": error_for,
        "statuses": Document.Status,
        "today": timezone.localdate(),
    }
    return render(request, "portal/document_list.html", context)


@login_required
def document_file_view(request, pk):
    """A document's file, to its officer, its batch's coordinators and CSB staff only; every download is
    logged before the file (or a short-lived signed URL to it) is handed out."""
    document = _get_or_404(document_get, user=request.user, pk=pk)
    document_access_record(documents=[document], user=request.user, action=DocumentAccess.Action.DOWNLOAD)
    placement = document.placement
    label = f"{document.requirement.name_en}-{placement.officer.name_en}"
    return file_response(
        storage_name=document.storage_name,
        filename=download_filename(label, document.storage_name.rsplit(".", 1)[-1]),
        content_type=document.content_type,
    )


@login_required
def document_blank_form_view(request, pk, requirement_pk):
    """The blank form of a requirement, to whoever may see the placement."""
    placement = _get_or_404(placement_get, user=request.user, pk=pk, for_page=False)
    requirement = _get_or_404(document_requirement_for_placement, placement=placement, pk=requirement_pk)
    if not requirement.blank_form:
        raise Http404
    extension = requirement.blank_form.rsplit(".", 1)[-1]
    return file_response(
        storage_name=requirement.blank_form,
        filename=download_filename(f"{requirement.name_en}-form", extension),
        content_type={"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png"}[extension],
    )
