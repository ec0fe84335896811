"""The nominations import in the admin (CSB staff): upload -> preview -> confirm, the template, the error
report, and the log of imports. Views are thin: permission, form, service, redirect."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.admin import BoundedDateHierarchyMixin, QuickModelAdmin
from placements.models import Batch, NominationImport

from .columns import COLUMNS
from .files import problems_csv, template_xlsx
from .forms import NominationUploadForm
from .plan import Problem
from .reading import FileRefused
from .services import (
    ImportFailed,
    nomination_import_check_running,
    nomination_import_confirm,
    nomination_import_create,
    nomination_import_plan,
    nomination_import_progress,
)

ROWS_PER_PAGE = 100
PROBLEMS_SHOWN = 200


@admin.register(NominationImport)
class NominationImportAdmin(BoundedDateHierarchyMixin, QuickModelAdmin):
    list_display = [
        "created_at",
        "file_name_link",
        "batch",
        "uploaded_by",
        "status",
        "row_count",
        "problem_count",
        "applied_at",
    ]
    list_filter = ["status", "batch"]
    list_select_related = ["batch", "uploaded_by"]
    search_fields = ["file_name", "batch__name", "uploaded_by__username", "sha256"]
    date_hierarchy = "created_at"
    ordering = ["-created_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("content")

    @admin.display(description=gettext_lazy("file"), ordering="file_name")
    def file_name_link(self, obj):
        url = reverse("admin:placements_nominationimport_preview", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.file_name)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("template.xlsx", view(self.template_view), name="placements_nominationimport_template"),
            path("<int:pk>/preview/", view(self.preview_view), name="placements_nominationimport_preview"),
            path(
                "<int:pk>/progress.json",
                view(self.progress_view),
                name="placements_nominationimport_progress",
            ),
            path(
                "<int:pk>/problems.csv", view(self.problems_view), name="placements_nominationimport_problems"
            ),
            path(
                "<path:object_id>/change/", view(self.change_view), name="placements_nominationimport_change"
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if not (object_id.isascii() and object_id.isdigit()):
            raise Http404  # not an id (found by tests/test_fuzz.py: the redirect answered 500)
        return redirect("admin:placements_nominationimport_preview", pk=object_id)

    def _context(self, request, **extra):
        return {**self.admin_site.each_context(request), "opts": self.model._meta, **extra}

    # --- upload ------------------------------------------------------------------------------------
    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        initial = {}
        if request.GET.get("batch", "").isdigit():
            initial["batch"] = request.GET["batch"]
        form = NominationUploadForm(request.POST or None, request.FILES or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                nomination_import = nomination_import_create(
                    batch=form.cleaned_data["batch"],
                    user=request.user,
                    file_name=upload.name,
                    content=upload.read(),
                )
            except FileRefused as refusal:
                form.add_error("file", refusal.messages)
            else:
                return redirect("admin:placements_nominationimport_preview", pk=nomination_import.pk)
        batch = form["batch"].value()
        return TemplateResponse(
            request,
            "admin/placements/nominationimport/upload.html",
            self._context(
                request,
                title=_("Import nominations"),
                form=form,
                columns=COLUMNS,
                template_batch=batch if str(batch or "").isdigit() else "",
            ),
        )

    # --- preview and confirm -----------------------------------------------------------------------
    def preview_view(self, request, pk):
        if not self.has_view_permission(request):
            raise PermissionDenied
        nomination_import = get_object_or_404(
            NominationImport.objects.select_related("batch__host_municipality", "uploaded_by", "applied_by"),
            pk=pk,
        )
        nomination_import_check_running(nomination_import=nomination_import)
        failure = None
        if request.method == "POST":
            if not self.has_add_permission(request):
                raise PermissionDenied
            try:
                nomination_import_confirm(
                    nomination_import=nomination_import,
                    user=request.user,
                    fingerprint=request.POST.get("fingerprint", ""),
                )
            except ImportFailed as error:
                failure = error.problems
            nomination_import.refresh_from_db()
            if failure is None:
                # A worker may have finished already (or the immediate backend ran it in this request).
                if nomination_import.status == NominationImport.Status.APPLIED:
                    return self._applied(request, nomination_import)
                if nomination_import.status == NominationImport.Status.FAILED:
                    failure = [Problem(None, "", "", m) for m in nomination_import.message.splitlines()]
                else:
                    return redirect("admin:placements_nominationimport_preview", pk=nomination_import.pk)
        if nomination_import.status in (NominationImport.Status.QUEUED, NominationImport.Status.RUNNING):
            # The worker is applying the file: the page shows its progress, not the plan again.
            return TemplateResponse(
                request,
                "admin/placements/nominationimport/progress.html",
                self._context(
                    request,
                    title=_("Importing %(file)s") % {"file": nomination_import.file_name},
                    nomination_import=nomination_import,
                    batch=nomination_import.batch,
                    progress=nomination_import_progress(nomination_import=nomination_import),
                    failure=failure,
                ),
                status=409 if failure else 200,
            )
        refused = failure is not None
        if failure is None and nomination_import.status == NominationImport.Status.FAILED:
            # Why the last confirm failed (the worker's verdict), above the plan as it is now.
            failure = [Problem(None, "", "", m) for m in nomination_import.message.splitlines() if m] or None
        try:
            plan = nomination_import_plan(nomination_import=nomination_import)
        except FileRefused as refusal:  # the reading rules changed since the upload
            plan, failure = None, failure or []
            messages.error(request, " ".join(str(m) for m in refusal.messages))
        page = Paginator(plan.rows if plan else [], ROWS_PER_PAGE).get_page(request.GET.get("page"))
        earlier = (
            NominationImport.objects.filter(
                sha256=nomination_import.sha256,
                batch_id=nomination_import.batch_id,
                status=NominationImport.Status.APPLIED,
            )
            .exclude(pk=nomination_import.pk)
            .select_related("applied_by")
            .order_by("-applied_at")
            .first()
        )
        problems = plan.problems if plan else []
        return TemplateResponse(
            request,
            "admin/placements/nominationimport/preview.html",
            self._context(
                request,
                title=_("Preview of %(file)s") % {"file": nomination_import.file_name},
                nomination_import=nomination_import,
                batch=nomination_import.batch,
                plan=plan,
                summary=plan.summary if plan else {},
                page=page,
                problems=problems[:PROBLEMS_SHOWN],
                problems_hidden=max(0, len(problems) - PROBLEMS_SHOWN),
                failure=failure,
                earlier=earlier,
                can_confirm=(
                    plan is not None
                    and plan.ok
                    and nomination_import.status != NominationImport.Status.APPLIED
                    and self.has_add_permission(request)
                ),
            ),
            status=409 if refused else 200,
        )

    def _applied(self, request, nomination_import):
        messages.success(
            request,
            _("The nominations in %(file)s were imported into %(batch)s.")
            % {"file": nomination_import.file_name, "batch": nomination_import.batch},
        )
        return redirect("admin:placements_batch_change", nomination_import.batch_id)

    def progress_view(self, request, pk):
        """The progress of an import as JSON, for the progress page's script (every second)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        nomination_import = get_object_or_404(NominationImport.objects.defer("content"), pk=pk)
        nomination_import_check_running(nomination_import=nomination_import)
        running = nomination_import.status in (
            NominationImport.Status.QUEUED,
            NominationImport.Status.RUNNING,
        )
        return JsonResponse(
            {
                "status": nomination_import.status,
                "status_display": nomination_import.get_status_display(),
                "finished": not running,
                **nomination_import_progress(nomination_import=nomination_import),
            }
        )

    # --- files -------------------------------------------------------------------------------------
    def problems_view(self, request, pk):
        if not self.has_view_permission(request):
            raise PermissionDenied
        nomination_import = get_object_or_404(NominationImport, pk=pk)
        try:
            problems = nomination_import_plan(nomination_import=nomination_import).problems
        except FileRefused as refusal:
            problems = [Problem(None, "", "", str(message)) for message in refusal.messages]
        response = HttpResponse(problems_csv(problems), content_type="text/csv; charset=utf-8")
        stem = slugify(nomination_import.file_name.rsplit(".", 1)[0]) or "nominations"
        response["Content-Disposition"] = f'attachment; filename="{stem}-problems.csv"'
        return response

    def template_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        batch = None
        if request.GET.get("batch", "").isdigit():
            batch = Batch.objects.filter(pk=request.GET["batch"]).first()
        response = HttpResponse(
            template_xlsx(batch=batch),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = 'attachment; filename="nominations-template.xlsx"'
        return response
