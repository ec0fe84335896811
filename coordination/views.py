"""The coordinators' pages: their batches, rosters, batch checklists and exchange reports. Thin views:
permission, selector (scoped, so another's batch is a 404), form, service, then a template or an export."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.names import local_name
from placements.documents import download_filename, safe_name, zip_response
from placements.exports import EXPORTERS
from placements.exports.http import export_response, print_response
from placements.figures import figures_cached
from placements.models import (
    Batch,
    ChecklistItem,
    ContactSheetAccess,
    Document,
    DocumentAccess,
    DocumentRequirement,
    ExchangeReport,
)
from placements.selectors import (
    batch_get,
    batch_list,
    batch_placements_by_area,
    batch_summary_cached,
    batches_to_copy_requirements_from,
    checklist_completions_for_batch,
    checklist_items_for_batch,
    checklist_progress_for_batch,
    contact_sheet,
    document_get,
    document_matrix_for_batch,
    document_requirements_for_batch,
    documents_accepted_for_batch,
    placement_progress,
    report_status_for_batch,
)
from placements.services import (
    checklist_item_delete,
    checklist_item_save,
    contact_sheet_access_record,
    document_accept,
    document_access_record,
    document_requirement_delete,
    document_requirement_save,
    document_requirements_copy,
    document_return,
)
from selection.selectors.pipeline import batch_pipeline

from .filters import BatchFilter
from .forms import ChecklistItemForm, DocumentRequirementForm, DocumentReturnForm, RequirementsCopyForm

BATCHES_PER_PAGE = 20
# A batch of up to 30 participants (the GBA batches have 10) is on one page; a larger batch is paged, its
# totals still counting everyone and its roster export listing everyone (issue 18: a page of 100 rows of
# a 1,000-participant batch cost 25 times the sign-in page).
PLACEMENTS_PER_PAGE = 30


def _visible_batch(request, pk):
    try:
        return batch_get(user=request.user, pk=pk)
    except Batch.DoesNotExist:
        raise Http404 from None


def _batch_checklist_item(batch, item_pk):
    try:
        return checklist_items_for_batch(batch=batch).get(pk=item_pk)
    except ChecklistItem.DoesNotExist:
        raise Http404 from None


def _include_withdrawn(request):
    return request.GET.get("withdrawn") != "exclude"


@login_required
@permission_required("placements.view_batch", raise_exception=True)
def batch_list_view(request):
    """The batches the user may see (coordinators: theirs; CSB staff: all), filtered and paginated."""
    filterset = BatchFilter(request.GET or None, queryset=batch_list(user=request.user))
    page = Paginator(filterset.qs, BATCHES_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    fields = lambda: render_to_string(  # noqa: E731
        "coordination/batch_filter_fields.html", {"form": filterset.form}, request=request
    )
    return render(
        request,
        "coordination/batch_list.html",
        {
            "filter": filterset,
            # The unfiltered page's fields (the usual visit) are the same for everyone: they depend only on
            # the language and the programmes and municipalities offered (whose changes, and the batches',
            # bump the figures version), so they are rendered once, as the dashboard's are.
            "filter_fields": fields()
            if filterset.is_bound
            else figures_cached(f"batch-list:filters:{get_language()}", fields),
            "page_obj": page,
            "batches": page.object_list,
            "query": query.urlencode(),
        },
    )


@login_required
@permission_required("placements.view_batch", raise_exception=True)
def batch_detail_view(request, pk):
    """A batch: dates, status, host areas and focus areas, totals, and its participants by host area."""
    batch = _visible_batch(request, pk)
    page_number = request.GET.get("page")

    def participants():
        page = Paginator(batch_placements_by_area(batch=batch), PLACEMENTS_PER_PAGE).get_page(page_number)
        placements = list(page.object_list)
        progress = placement_progress(batch=batch, placements=placements)
        for placement in placements:
            placement.progress = progress[placement.pk]
        context = {"batch": batch, "page_obj": page, "placements": placements}
        return render_to_string("coordination/batch_participants.html", context, request=request)

    # The participants' rows are most of the page's work: rendered once per figures version (any write
    # to what they show bumps it: placements.figures), page, language and day (checklist items fall
    # overdue), then served as they are. An odd page parameter is answered without the cache.
    if page_number is None or (page_number.isdigit() and len(page_number) <= 6):
        key = f"batch-participants:{batch.pk}:{page_number or 1}:{get_language()}:{timezone.localdate()}"
        participants_html = figures_cached(key, participants, batch_id=batch.pk)
    else:
        participants_html = participants()
    return render(
        request,
        "coordination/batch_detail.html",
        {
            "batch": batch,
            **batch_summary_cached(batch=batch),
            "participants": participants_html,
            "pipeline": batch_pipeline(batch=batch),
        },
    )


@login_required
@permission_required("placements.export_roster", raise_exception=True)
def batch_roster_export_view(request, pk, extension):
    """The roster as CSV (streamed) or Excel; withdrawn participants last, or left out with
    ?withdrawn=exclude. Logged in RosterExport."""
    batch = _visible_batch(request, pk)
    exporter = EXPORTERS["roster"](batch, include_withdrawn=_include_withdrawn(request))
    return export_response(exporter, extension=extension, user=request.user, via="web", cached=True)


@login_required
@permission_required("placements.export_roster", raise_exception=True)
def batch_roster_print_view(request, pk):
    """The roster as a page that prints on A4 landscape with the batch heading on every page."""
    batch = _visible_batch(request, pk)
    include_withdrawn = _include_withdrawn(request)
    exporter = EXPORTERS["roster"](batch, include_withdrawn=include_withdrawn)
    return print_response(
        exporter,
        request=request,
        template="coordination/batch_roster_print.html",
        context={"batch": batch, "include_withdrawn": include_withdrawn},
        user=request.user,
        via="web",
    )


def _require(request, permission):
    if not request.user.has_perm(permission):
        raise PermissionDenied


@login_required
def batch_checklist_view(request, pk):
    """A batch's checklist: add items, and see who has ticked what and who is behind."""
    batch = _visible_batch(request, pk)
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
                return redirect("coordination:batch_checklist", pk=batch.pk)
    today = timezone.localdate()

    def table():
        items = list(checklist_items_for_batch(batch=batch))
        done = checklist_completions_for_batch(batch=batch)
        rows = [
            (placement, [((placement.pk, item.pk) in done) for item in items])
            for placement in checklist_progress_for_batch(batch=batch, today=today)
        ]
        context = {"batch": batch, "items": items, "rows": rows, "today": today}
        return render_to_string("coordination/batch_checklist_table.html", context, request=request)

    # Who is behind and the items (most of the page's work) change only with the figures (ticks, items,
    # placements, officers: the figures version): rendered once per reader, batch, language and day. The
    # reader's pk and the permissions that show the edit and remove links are in the key; whether they may
    # see the batch at all is checked above, on every request.
    may = "".join(
        "1" if request.user.has_perm(f"placements.{action}_checklistitem") else "0"
        for action in ("change", "delete")
    )
    key = f"batch-checklist:{request.user.pk}:{may}:{batch.pk}:{get_language()}:{today}"
    fields = lambda: render_to_string(  # noqa: E731
        "coordination/form_fields.html", {"form": form}, request=request
    )
    context = {
        "batch": batch,
        "form": form,
        "today": today,
        "checklist_table": figures_cached(key, table, batch_id=batch.pk),
        # The empty form to add an item depends only on the batch and the language: rendered once too.
        "form_fields": fields()
        if form.is_bound
        else figures_cached(f"checklist-item-form:{batch.pk}:{get_language()}", fields, batch_id=batch.pk),
    }
    return render(request, "coordination/batch_checklist.html", context)


@login_required
def checklist_item_edit_view(request, pk, item_pk):
    batch = _visible_batch(request, pk)
    item = _batch_checklist_item(batch, item_pk)
    _require(request, "placements.change_checklistitem")
    form = ChecklistItemForm(request.POST or None, instance=item, batch=batch)
    if request.method == "POST" and form.is_valid():
        try:
            checklist_item_save(item=form.instance)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Checklist item saved: %(item)s.") % {"item": item.title})
            return redirect("coordination:batch_checklist", pk=batch.pk)
    return render(
        request, "coordination/checklistitem_form.html", {"batch": batch, "item": item, "form": form}
    )


@login_required
def checklist_item_delete_view(request, pk, item_pk):
    batch = _visible_batch(request, pk)
    item = _batch_checklist_item(batch, item_pk)
    _require(request, "placements.delete_checklistitem")
    if request.method == "POST":
        try:
            checklist_item_delete(item=item)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Removed from the checklist: %(item)s.") % {"item": item.title})
        return redirect("coordination:batch_checklist", pk=batch.pk)
    done_count = item.completions.count()
    context = {"batch": batch, "item": item, "done_count": done_count}
    return render(request, "coordination/checklistitem_confirm_delete.html", context)


@login_required
def batch_reports_view(request, pk):
    """The exchange reports of a batch: who has submitted, who is drafting, who has not started."""
    batch = _visible_batch(request, pk)
    _require(request, "placements.view_exchangereport")
    placements = list(report_status_for_batch(batch=batch))
    submitted = sum(1 for p in placements if p.report_status == ExchangeReport.Status.SUBMITTED)
    context = {"batch": batch, "placements": placements, "submitted": submitted}
    return render(request, "coordination/batch_reports.html", context)


# --- Documents: requirements, review, the zip of accepted documents ---


def _batch_requirement(batch, requirement_pk):
    try:
        return document_requirements_for_batch(batch=batch).get(pk=requirement_pk)
    except DocumentRequirement.DoesNotExist:
        raise Http404 from None


def _batch_document(request, batch, document_pk):
    try:
        document = document_get(user=request.user, pk=document_pk)
    except Document.DoesNotExist:
        raise Http404 from None
    if document.placement.batch_id != batch.pk:
        raise Http404
    return document


_SLOT = 987654321


def _url_maker(name, *args):
    """A function of one integer giving URL `name` with `args` and that integer as its last argument: one
    reverse() for a page's many links of one kind, the rest string work."""
    head, _slot, tail = reverse(name, args=[*args, _SLOT]).partition(str(_SLOT))
    return lambda pk: f"{head}{pk}{tail}"


@login_required
def batch_documents_view(request, pk):
    """The batch's participants × its documents: missing, awaiting review, accepted or returned."""
    batch = _visible_batch(request, pk)
    _require(request, "placements.view_document")
    requirements, rows = document_matrix_for_batch(batch=batch)
    cells = [cell for _placement, row in rows for cell in row]
    counts = {
        "missing": sum(1 for cell in cells if cell is None),
        **{
            status: sum(1 for cell in cells if cell and cell.status == status)
            for status in Document.Status.values
        },
    }
    # Each cell as the page prints it (twice: a card per participant on phones, the grid on wider
    # screens), worked out once here rather than per cell and per layout in the template: the
    # requirement's name, the status's label and the review link.
    names = [local_name(requirement) for requirement in requirements]
    labels = {status: str(label) for status, label in Document.Status.choices}
    css = {Document.Status.ACCEPTED: "text-success", Document.Status.RETURNED: "text-danger"}
    review = _url_maker("coordination:document_review", batch.pk)
    documents_of = _url_maker("portal:placement_documents")
    rows = [
        (
            {"name": placement.officer.name_en, "url": documents_of(placement.pk)},
            [
                {"name": name}
                | (
                    {"state": "not-asked"}
                    if cell is False
                    else {"state": "missing"}
                    if cell is None
                    else {
                        "state": cell.status,
                        "label": labels[cell.status],
                        "url": review(cell.pk),
                        "css": css.get(cell.status, "fw-semibold"),
                    }
                )
                for name, cell in zip(names, row, strict=True)
            ],
        )
        for placement, row in rows
    ]
    context = {"batch": batch, "requirements": requirements, "rows": rows, "counts": counts}
    return render(request, "coordination/batch_documents.html", context)


@login_required
def document_review_view(request, pk, document_pk):
    """One document: download it, accept it, or return it with a reason."""
    batch = _visible_batch(request, pk)
    _require(request, "placements.view_document")
    document = _batch_document(request, batch, document_pk)
    form = DocumentReturnForm()
    if request.method == "POST":
        _require(request, "placements.change_document")
        action = request.POST.get("action")
        try:
            if action == "accept":
                document_accept(document=document, actor=request.user)
                messages.success(request, _("Accepted."))
                return redirect("coordination:batch_documents", pk=batch.pk)
            if action == "return":
                form = DocumentReturnForm(request.POST)
                if form.is_valid():
                    document_return(document=document, actor=request.user, reason=form.cleaned_data["reason"])
                    messages.success(request, _("Returned; the participant has been told why."))
                    return redirect("coordination:batch_documents", pk=batch.pk)
            else:
                messages.error(request, _("Choose to accept or return the document."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            document = _batch_document(request, batch, document_pk)
    context = {"batch": batch, "document": document, "form": form, "statuses": Document.Status}
    return render(request, "coordination/document_review.html", context)


@login_required
def batch_documents_zip_view(request, pk):
    """The batch's accepted documents as one zip, streamed as it is written; each file's download logged."""
    batch = _visible_batch(request, pk)
    _require(request, "placements.view_document")
    documents = list(documents_accepted_for_batch(batch=batch))
    document_access_record(documents=documents, user=request.user, action=DocumentAccess.Action.ZIP)
    entries = (
        (
            document.storage_name,
            f"{safe_name(document.placement.officer.name_en)}/"
            + download_filename(document.requirement.name_en, document.storage_name.rsplit(".", 1)[-1]),
            document.size,
        )
        for document in documents
    )
    return zip_response(entries=entries, filename=download_filename(f"{batch.name}-documents", "zip"))


@login_required
def batch_document_requirements_view(request, pk):
    """The documents a batch asks for: add one, or copy those of an earlier batch in one action."""
    batch = _visible_batch(request, pk)
    _require(request, "placements.view_documentrequirement")
    batches = batches_to_copy_requirements_from(user=request.user, batch=batch)
    form = DocumentRequirementForm(batch=batch)
    copy_form = RequirementsCopyForm(batches=batches)
    if request.method == "POST":
        _require(request, "placements.add_documentrequirement")
        if request.POST.get("action") == "copy":
            copy_form = RequirementsCopyForm(request.POST, batches=batches)
            if copy_form.is_valid():
                source = copy_form.cleaned_data["source"]
                created = document_requirements_copy(source=source, target=batch)
                messages.success(
                    request,
                    _("Copied %(count)s requirement(s) from %(batch)s.")
                    % {"count": len(created), "batch": source},
                )
                return redirect("coordination:batch_document_requirements", pk=batch.pk)
        else:
            form = DocumentRequirementForm(request.POST, request.FILES, batch=batch)
            if form.is_valid():
                try:
                    requirement = document_requirement_save(
                        requirement=form.instance, blank_form=form.cleaned_data["blank_form_file"]
                    )
                except ValidationError as error:
                    form.add_error(None, error.messages)
                else:
                    messages.success(request, _("Added: %(name)s.") % {"name": requirement.name_en})
                    return redirect("coordination:batch_document_requirements", pk=batch.pk)
    fields = lambda: render_to_string(  # noqa: E731
        "coordination/form_fields.html", {"form": form}, request=request
    )
    context = {
        "batch": batch,
        "requirements": list(document_requirements_for_batch(batch=batch)),
        "copy_form": copy_form,
        "can_copy": batches.exists(),
        # The empty form to ask for a document (a third of the page) depends only on the batch's checklist
        # items (its picker; they bump the figures version) and the language: rendered once, as the
        # checklist's add-item form is. Whether the reader may add is checked in the template and on POST.
        "form_fields": fields()
        if form.is_bound
        else figures_cached(
            f"document-requirement-form:{batch.pk}:{get_language()}", fields, batch_id=batch.pk
        ),
    }
    return render(request, "coordination/documentrequirement_list.html", context)


@login_required
def document_requirement_edit_view(request, pk, requirement_pk):
    batch = _visible_batch(request, pk)
    requirement = _batch_requirement(batch, requirement_pk)
    _require(request, "placements.change_documentrequirement")
    if request.method == "POST" and request.POST.get("action") == "delete":
        _require(request, "placements.delete_documentrequirement")
        document_requirement_delete(requirement=requirement, by=request.user)
        messages.success(request, _("Removed: %(name)s.") % {"name": requirement.name_en})
        return redirect("coordination:batch_document_requirements", pk=batch.pk)
    form = DocumentRequirementForm(
        request.POST or None, request.FILES or None, instance=requirement, batch=batch
    )
    if request.method == "POST" and form.is_valid():
        try:
            document_requirement_save(
                requirement=form.instance,
                blank_form=form.cleaned_data["blank_form_file"],
                remove_blank_form=form.cleaned_data.get("remove_blank_form", False),
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("Saved: %(name)s.") % {"name": requirement.name_en})
            return redirect("coordination:batch_document_requirements", pk=batch.pk)
    context = {
        "batch": batch,
        "requirement": requirement,
        "form": form,
        "documents": requirement.documents.count(),
    }
    return render(request, "coordination/documentrequirement_form.html", context)


@login_required
def batch_contacts_view(request, pk):
    """The batch's contact sheet: each participant's e-mail and phones (`tel:` links), emergency contact,
    dietary or access needs and host supervisor, for the batch's coordinators and CSB staff (anyone else:
    404). Prints on A4, reads on a phone; every view is logged in ContactSheetAccess."""
    batch = _visible_batch(request, pk)
    _require(request, "participants.view_officer")
    placements = list(contact_sheet(batch=batch))
    contact_sheet_access_record(
        batch=batch,
        user=request.user,
        action=ContactSheetAccess.Action.VIEW,
        officer_ids=[placement.officer_id for placement in placements],
    )
    return render(request, "coordination/batch_contacts.html", {"batch": batch, "placements": placements})


@login_required
def batch_contacts_csv_view(request, pk):
    """The contact sheet as CSV: a separate export from the roster (which goes to the host side); logged
    in ContactSheetAccess with whose details it held."""
    batch = _visible_batch(request, pk)
    _require(request, "participants.view_officer")
    return export_response(EXPORTERS["contacts"](batch), extension="csv", user=request.user, via="web")
