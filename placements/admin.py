from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .exports import EXPORTERS
from .exports.http import export_response
from .models import (
    Agreement,
    Batch,
    CalendarFeed,
    ChecklistCompletion,
    ChecklistItem,
    ContactSheetAccess,
    ExchangeReport,
    FocusArea,
    HostArea,
    HostOrganisation,
    Municipality,
    Notice,
    Placement,
    Programme,
    RosterExport,
)
from .services import (
    batch_save,
    batch_validate,
    checklist_item_delete,
    checklist_item_save,
    checklist_item_validate,
    placement_save,
    placement_validate,
)


class HostAreaInline(admin.TabularInline):
    model = HostArea
    extra = 0
    fields = ["name_en", "name_zh", "kind", "full_name_en", "full_name_zh"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name_en", "name_zh", "region", "province_en"]
    list_filter = ["region"]
    search_fields = ["name_en", "name_zh"]
    ordering = ["name_en"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [HostAreaInline]


@admin.register(HostArea)
class HostAreaAdmin(admin.ModelAdmin):
    list_display = ["name_en", "name_zh", "kind", "municipality"]
    list_filter = ["kind", "municipality"]
    list_select_related = ["municipality"]
    search_fields = ["name_en", "name_zh", "full_name_en", "full_name_zh", "municipality__name_en"]
    ordering = ["municipality__name_en", "name_en"]
    autocomplete_fields = ["municipality"]
    readonly_fields = ["created_at", "updated_at"]


@admin.register(HostOrganisation)
class HostOrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name_en", "name_zh", "abbreviation", "municipality", "area"]
    list_filter = ["municipality", "area__kind"]
    list_select_related = ["municipality", "area__municipality"]
    search_fields = ["name_en", "name_zh", "abbreviation"]
    ordering = ["municipality__name_en", "name_en"]
    autocomplete_fields = ["municipality", "area", "department"]
    readonly_fields = ["created_at", "updated_at"]


@admin.register(FocusArea)
class FocusAreaAdmin(admin.ModelAdmin):
    list_display = ["name_en", "name_zh"]
    search_fields = ["name_en", "name_zh"]
    ordering = ["name_en"]
    readonly_fields = ["created_at", "updated_at"]


class AgreementInline(admin.StackedInline):
    model = Agreement
    extra = 0
    fields = ["title", "parties", "signed_on", "signed_at", "notes"]


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name_en", "short_name", "started_on", "coordinated_by"]
    search_fields = ["name_en", "name_zh", "short_name"]
    ordering = ["started_on"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [AgreementInline]


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ["title", "programme", "signed_on", "signed_at"]
    list_filter = ["programme"]
    list_select_related = ["programme"]
    search_fields = ["title", "parties", "signed_at"]
    date_hierarchy = "signed_on"
    ordering = ["-signed_on"]
    readonly_fields = ["created_at", "updated_at"]


class PlacementAdminForm(forms.ModelForm):
    """Adds the rules that span rows (services.placement_validate) to the admin's own validation, so a
    refusal shows next to its field instead of failing on save."""

    class Meta:
        model = Placement
        fields = "__all__"

    def _post_clean(self):
        super()._post_clean()
        placement = self.instance
        if self.errors or placement.batch_id is None or placement.officer_id is None:
            return
        try:
            placement_validate(placement=placement)
        except ValidationError as error:
            self._update_errors(error)


class PlacementInline(admin.TabularInline):
    model = Placement
    form = PlacementAdminForm
    extra = 0
    fields = [
        "officer",
        "host_area",
        "host_organisation",
        "role",
        "focus_areas",
        "start_date",
        "end_date",
        "status",
    ]
    autocomplete_fields = ["officer", "host_area", "host_organisation"]
    show_change_link = True

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("officer", "batch", "host_area__municipality", "host_organisation")
        )


class BatchAdminForm(forms.ModelForm):
    class Meta:
        model = Batch
        fields = "__all__"

    def _post_clean(self):
        super()._post_clean()
        if self.errors:
            return
        try:
            batch_validate(batch=self.instance, host_areas=self.cleaned_data.get("host_areas"))
        except ValidationError as error:
            self._update_errors(error)


@admin.register(Batch)
class BatchAdmin(SimpleHistoryAdmin):
    form = BatchAdminForm
    list_display = [
        "name",
        "programme",
        "number",
        "direction",
        "host_municipality",
        "start_date",
        "end_date",
        "status",
        "participant_count",
    ]
    list_filter = ["programme", "direction", "status", "host_municipality"]
    list_select_related = ["programme", "host_municipality"]
    search_fields = ["name", "programme__name_en", "programme__short_name", "host_municipality__name_en"]
    date_hierarchy = "start_date"
    ordering = ["-start_date"]
    autocomplete_fields = ["programme", "host_municipality", "coordinators"]
    filter_horizontal = ["host_areas", "focus_areas"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [PlacementInline]
    fieldsets = [
        (None, {"fields": ["programme", "number", "name", "direction", "status"]}),
        (_("Where"), {"fields": ["host_municipality", "host_areas", "focus_areas"]}),
        (_("When"), {"fields": ["start_date", "end_date", "launch_date"]}),
        (_("People"), {"fields": ["coordinators", "placements_link", "notes", "created_at", "updated_at"]}),
    ]

    # Inline rows cost queries each and a page of 100,000 forms is unusable: past this size the batch page
    # links to its placements' changelist instead.
    max_inline_placements = 60

    def get_queryset(self, request):
        return super().get_queryset(request).with_participant_counts()

    def get_inlines(self, request, obj):
        if obj is not None and obj.placements.count() > self.max_inline_placements:
            return []
        return super().get_inlines(request, obj)

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "placements_link"]

    @admin.display(description=_("placements"))
    def placements_link(self, batch):
        if batch.pk is None:
            return _("Save the batch first, then add its placements.")
        url = reverse("admin:placements_placement_changelist") + f"?batch__id__exact={batch.pk}"
        count = batch.placements.count()
        return format_html(
            '<a href="{}">{}</a>', url, _("All %(count)s placements of this batch") % {"count": count}
        )

    @admin.display(description=_("participants"), ordering="participant_count")
    def participant_count(self, batch):
        return batch.participant_count

    actions = ["export_roster_csv", "export_roster_xlsx"]

    def has_export_roster_permission(self, request):
        return request.user.has_perm("placements.export_roster")

    def _export_roster(self, request, queryset, extension):
        """The selected batch's roster as a download, logged with via="admin"; one batch at a time."""
        batches = list(queryset.select_related("host_municipality")[:2])
        if len(batches) != 1:
            self.message_user(
                request,
                _("Select exactly one batch to export its roster (%(count)s are selected).")
                % {"count": queryset.count()},
                level=messages.WARNING,
            )
            return None
        exporter = EXPORTERS["roster"](batches[0])
        return export_response(exporter, extension=extension, user=request.user, via="admin")

    @admin.action(description=_("Export the selected batch's roster (CSV)"), permissions=["export_roster"])
    def export_roster_csv(self, request, queryset):
        return self._export_roster(request, queryset, "csv")

    @admin.action(description=_("Export the selected batch's roster (Excel)"), permissions=["export_roster"])
    def export_roster_xlsx(self, request, queryset):
        return self._export_roster(request, queryset, "xlsx")

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "host_areas":
            kwargs["queryset"] = HostArea.objects.select_related("municipality")
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        batch_save(batch=obj)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Placement:
            return super().save_formset(request, form, formset, change)
        placements = formset.save(commit=False)
        for placement in formset.deleted_objects:
            placement.delete()
        for placement in placements:
            placement_save(placement=placement)
        formset.save_m2m()


@admin.register(Placement)
class PlacementAdmin(SimpleHistoryAdmin):
    form = PlacementAdminForm
    list_display = [
        "officer",
        "batch",
        "home_department_at_the_time",
        "host_area",
        "host_organisation",
        "role",
        "start_date",
        "end_date",
        "status",
    ]
    list_filter = [
        "status",
        "batch__programme",
        "batch",
        "home_department",
        "officer__rank__grade",
        "host_area",
    ]
    list_select_related = [
        "officer",
        "batch__programme",
        "home_department",
        "host_area__municipality",
        "host_organisation",
    ]
    search_fields = [
        "officer__name_en",
        "officer__name_zh",
        "officer__email",
        "role",
        "host_organisation__name_en",
    ]
    ordering = ["-batch__start_date", "officer__name_en"]
    autocomplete_fields = ["officer", "batch", "home_department", "host_organisation", "host_area"]
    filter_horizontal = ["focus_areas"]
    readonly_fields = ["created_at", "updated_at"]
    date_hierarchy = "start_date"

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("home_department__former_names")

    @admin.display(description=_("home bureau or department"), ordering="home_department__name_en")
    def home_department_at_the_time(self, placement):
        # The name in force when the placement started: OGCIO for 2023, the Digital Policy Office later.
        name = placement.home_department_name()
        return str(name) if name else "-"

    def save_model(self, request, obj, form, change):
        placement_save(placement=obj)


@admin.register(RosterExport)
class RosterExportAdmin(admin.ModelAdmin):
    list_display = ["created_at", "batch", "user", "format", "row_count", "via"]
    list_filter = ["format", "via", "batch"]
    list_select_related = ["batch__programme", "user"]
    search_fields = ["user__username", "batch__name"]
    date_hierarchy = "created_at"
    ordering = ["-created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ContactSheetAccess)
class ContactSheetAccessAdmin(admin.ModelAdmin):
    """Who viewed or downloaded which batch's contact sheet, when: read-only, for CSB staff."""

    list_display = ["created_at", "batch", "user", "action", "row_count"]
    list_filter = ["action", "batch"]
    list_select_related = ["batch", "user"]
    search_fields = ["user__username", "batch__name", "officers__name_en"]
    date_hierarchy = "created_at"
    ordering = ["-created_at"]
    fields = ["created_at", "batch", "user", "action", "row_count", "officers"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- The participant portal -----------------------------------------------------------------------------


class ChecklistItemAdminForm(forms.ModelForm):
    """Adds services.checklist_item_validate (no change in a completed batch) to the admin's validation."""

    class Meta:
        model = ChecklistItem
        fields = "__all__"

    def _post_clean(self):
        super()._post_clean()
        if self.errors or self.instance.batch_id is None:
            return
        try:
            checklist_item_validate(item=self.instance)
        except ValidationError as error:
            self._update_errors(error)


@admin.register(ChecklistItem)
class ChecklistItemAdmin(admin.ModelAdmin):
    form = ChecklistItemAdminForm
    list_display = ["title", "batch", "phase", "kind", "due_date", "order"]
    list_filter = ["phase", "kind", "batch"]
    list_select_related = ["batch"]
    search_fields = ["title", "batch__name"]
    ordering = ["batch", "order", "due_date"]
    autocomplete_fields = ["batch"]
    readonly_fields = ["created_at", "updated_at"]

    def save_model(self, request, obj, form, change):
        checklist_item_save(item=obj)

    def has_delete_permission(self, request, obj=None):
        # A completed batch's checklist is a record (services.checklist_item_delete refuses it).
        return super().has_delete_permission(request, obj) and not (obj and obj.batch.is_completed)

    def delete_model(self, request, obj):
        checklist_item_delete(item=obj)

    def delete_queryset(self, request, queryset):
        kept = queryset.filter(batch__status=Batch.Status.COMPLETED).count()
        for item in queryset.exclude(batch__status=Batch.Status.COMPLETED).select_related("batch"):
            checklist_item_delete(item=item)
        if kept:
            self.message_user(
                request,
                _("%(count)s item(s) of completed batches were kept: their checklists are read-only.")
                % {"count": kept},
                messages.WARNING,
            )


@admin.register(ChecklistCompletion)
class ChecklistCompletionAdmin(admin.ModelAdmin):
    list_display = ["item", "placement", "completed_at", "completed_by"]
    list_filter = ["item__batch"]
    list_select_related = ["item", "placement__officer", "placement__batch", "completed_by"]
    search_fields = ["item__title", "placement__officer__name_en"]
    ordering = ["-completed_at"]
    autocomplete_fields = ["placement", "item", "completed_by"]
    date_hierarchy = "completed_at"


@admin.register(ExchangeReport)
class ExchangeReportAdmin(SimpleHistoryAdmin):
    list_display = ["placement", "status", "submitted_at", "updated_at"]
    list_filter = ["status", "placement__batch"]
    list_select_related = ["placement__officer", "placement__batch"]
    search_fields = ["placement__officer__name_en", "placement__batch__name", "learning", "highlights"]
    ordering = ["-updated_at"]
    autocomplete_fields = ["placement"]
    readonly_fields = ["created_at", "updated_at"]


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ["created_at", "officer", "short_message", "read_at"]
    list_filter = ["read_at"]
    list_select_related = ["officer"]
    search_fields = ["officer__name_en", "message"]
    ordering = ["-created_at"]
    autocomplete_fields = ["officer", "placement"]
    date_hierarchy = "created_at"
    readonly_fields = ["created_at"]

    @admin.display(description=_("message"))
    def short_message(self, notice):
        return notice.message[:100]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    """CSB staff see who has a calendar address and may revoke one; the secret token is never shown."""

    list_display = ["user", "language", "created_at"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__email"]
    ordering = ["-created_at"]
    fields = ["user", "language", "created_at"]
    readonly_fields = ["user", "language", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


from .imports import admin as imports_admin  # noqa: E402, F401  (registers the nominations import)
