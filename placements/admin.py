from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, prefetch_related_objects
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.admin import BoundedDateHierarchyMixin, HistoryAdmin, QuickModelAdmin, named_by
from core.admin_inlines import QuickTabularInline, SharedFieldsForm, SharedFieldsFormSet
from core.admin_list import reverse_with_id
from core.admin_widgets import ObjectSelectRelatedMixin, SafeAutocompleteMixin, know_chosen
from core.form_renderer import QuickSelect, WrittenChoices
from core.service_admin import ServiceAdminMixin, add_refusal, refused_on
from participants.models import Officer

from .documents import document_check_file
from .exports import EXPORTERS
from .exports.http import export_response
from .figures import figures_cached
from .models import (
    Agreement,
    Batch,
    CalendarFeed,
    ChecklistCompletion,
    ChecklistItem,
    ContactSheetAccess,
    Document,
    DocumentAccess,
    DocumentRequirement,
    ExchangeReport,
    FocusArea,
    HostArea,
    HostOrganisation,
    Municipality,
    Notice,
    OutgoingEmail,
    Placement,
    Programme,
    ReminderSent,
    RosterExport,
)
from .reference_choices import reference_choices, show_reference_choices
from .selectors import batch_previous_with_requirements
from .services import (
    batch_save,
    batch_validate,
    calendar_feed_revoke,
    checklist_item_delete,
    checklist_item_save,
    checklist_item_set_done,
    checklist_item_validate,
    document_requirement_delete,
    document_requirement_save,
    document_requirements_copy,
    email_resend,
    notice_create,
    placement_save,
    placement_validate,
    report_save,
)


class HostAreaInline(QuickTabularInline):
    model = HostArea
    extra = 0
    fields = ["name_en", "name_zh", "kind", "full_name_en", "full_name_zh"]


@admin.register(Municipality)
class MunicipalityAdmin(QuickModelAdmin):
    list_display = ["name_en", "name_zh", "region", "province_en"]
    list_filter = ["region"]
    search_fields = ["name_en", "name_zh"]
    ordering = ["name_en"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [HostAreaInline]


@admin.register(HostArea)
class HostAreaAdmin(SafeAutocompleteMixin, QuickModelAdmin):
    list_display = ["name_en", "name_zh", "kind", "municipality"]
    list_filter = ["kind", "municipality"]
    list_select_related = ["municipality"]
    search_fields = ["name_en", "name_zh", "full_name_en", "full_name_zh", "municipality__name_en"]
    ordering = ["municipality__name_en", "name_en"]
    autocomplete_fields = ["municipality"]
    readonly_fields = ["created_at", "updated_at"]

    def get_readonly_fields(self, request, obj=None):
        # An area in use stays in its municipality: batches and placements there depend on it.
        fields = super().get_readonly_fields(request, obj)
        if obj is not None and (obj.batches.exists() or obj.placements.exists()):
            return [*fields, "municipality"]
        return fields


@admin.register(HostOrganisation)
class HostOrganisationAdmin(SafeAutocompleteMixin, HistoryAdmin):
    list_display = ["name_en", "name_zh", "abbreviation", "municipality", "area"]
    list_filter = ["municipality", "area__kind"]
    list_select_related = ["municipality", "area__municipality"]
    search_fields = ["name_en", "name_zh", "abbreviation"]
    ordering = ["municipality__name_en", "name_en"]
    autocomplete_fields = ["municipality", "area", "department"]
    readonly_fields = ["created_at", "updated_at"]

    def get_readonly_fields(self, request, obj=None):
        # A host in use stays where it is: its placements lie in that municipality and area.
        fields = super().get_readonly_fields(request, obj)
        if obj is not None and obj.placements.exists():
            return [*fields, "municipality", "area"]
        return fields


@admin.register(FocusArea)
class FocusAreaAdmin(QuickModelAdmin):
    list_display = ["name_en", "name_zh"]
    search_fields = ["name_en", "name_zh"]
    ordering = ["name_en"]
    readonly_fields = ["created_at", "updated_at"]


class AgreementInline(admin.StackedInline):
    model = Agreement
    extra = 0
    fields = ["title", "parties", "signed_on", "signed_at", "notes"]


@admin.register(Programme)
class ProgrammeAdmin(QuickModelAdmin):
    list_display = ["name_en", "short_name", "started_on", "coordinated_by"]
    search_fields = ["name_en", "name_zh", "short_name"]
    ordering = ["started_on"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [AgreementInline]


@admin.register(Agreement)
class AgreementAdmin(BoundedDateHierarchyMixin, QuickModelAdmin):
    list_display = ["title", "programme", "signed_on", "signed_at"]
    list_filter = ["programme"]
    list_select_related = ["programme"]
    search_fields = ["title", "parties", "signed_at"]
    date_hierarchy = "signed_on"
    ordering = ["-signed_on"]
    readonly_fields = ["created_at", "updated_at"]


class OfficerChoiceField(forms.ModelChoiceField):
    """Officers told apart from their namesakes: department, rank and e-mail after the name."""

    def label_from_instance(self, officer):
        return officer.picker_label()


class OfficerPickerMixin:
    """Officer pickers (the chosen officer, and the autocomplete's answers) with the officer's label."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Officer:
            kwargs["form_class"] = OfficerChoiceField
            kwargs["queryset"] = Officer.objects.select_related("home_department", "rank")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def host_choices(municipality_id):
    """The host areas and organisations a placement in `municipality_id` (the batch's; None: any) may
    pick, by field name, as querysets."""
    areas = HostArea.objects.select_related("municipality")
    organisations = HostOrganisation.objects.select_related("municipality")
    if municipality_id:
        areas = areas.filter(municipality_id=municipality_id)
        organisations = organisations.filter(municipality_id=municipality_id)
    return {"host_area": areas, "host_organisation": organisations}


def limit_hosts(fields, querysets, shown=None):
    """Give the host pickers among `fields` (a form's, by name) these querysets, as plain lists (`shown`:
    the options already listed, so that rows of one batch read them once)."""
    for name, queryset in querysets.items():
        field = fields.get(name)
        if field is None:
            continue
        field.queryset = queryset
        field.widget = QuickSelect(choices=shown[name] if shown else field.choices)


class PlacementAdminForm(forms.ModelForm):
    """Adds the rules that span rows (services.placement_validate) to the admin's own validation, so a
    refusal shows next to its field instead of failing on save. Host pickers offer the batch's
    municipality only (the batch being known: a saved placement, or ?batch= on the add page)."""

    class Meta:
        model = Placement
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        posted = self.data.get(self.add_prefix("batch")) if self.is_bound else None
        batch_id = str(posted or self.instance.batch_id or self.initial.get("batch") or "")
        placement = self.instance
        if batch_id == str(placement.batch_id) and Placement.batch.is_cached(placement):
            batch = placement.batch  # read with the placement (PlacementAdmin.object_select_related)
        else:
            batch = Batch.objects.filter(pk=batch_id).first() if batch_id.isdigit() else None
        limit_hosts(self.fields, host_choices(batch.host_municipality_id if batch else None))
        # The pickers show the objects read with the placement, rather than reading them again.
        know_chosen(self, ["officer", "batch", "home_department"])

    def _post_clean(self):
        super()._post_clean()
        placement = self.instance
        if self.errors or placement.batch_id is None or placement.officer_id is None:
            return
        try:
            placement_validate(placement=placement)
        except ValidationError as error:
            add_refusal(self, error)


class PlacementInlineForm(SharedFieldsForm):
    """A row of the batch page: the rules are checked by the formset against the batch as typed."""

    class Meta:
        model = Placement
        fields = ["officer", "host_organisation", "host_area", "start_date", "end_date", "status"]


class PlacementInlineFormSet(SharedFieldsFormSet, forms.BaseInlineFormSet):
    """Checks every row with services.placement_validate against the batch as typed on the same page
    (its dates, direction, municipality and host areas), so a new batch with an invalid placement is
    refused on that row before anything is saved."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A saved batch's rows offer its municipality's hosts as saved (a new batch's municipality is not
        # known until it is typed: its rows offer all). Taken now: the rows are built after the batch's
        # form has taken what was posted.
        batch = self.instance
        self.host_municipality_id = batch.host_municipality_id if batch.pk else None

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        # The row's batch is the page's, already read (a row's name shows it), as Django sets it on save.
        form.instance.batch = self.instance
        return form

    def prepare_shared_fields(self, fields):
        hosts = host_choices(self.host_municipality_id)
        # Written once for every row (WrittenChoices), from the cache (reference_choices).
        scope = self.host_municipality_id or "all"
        shown = {
            name: WrittenChoices(
                reference_choices(forms.ModelChoiceField(queryset=queryset), f"placement.{name}:{scope}")
            )
            for name, queryset in hosts.items()
        }
        limit_hosts(fields, hosts, shown)
        officer = fields.get("officer")
        if officer is not None:
            # Read with the rows (PlacementInline.get_queryset): the picker shows them without a query.
            picker = getattr(officer.widget, "widget", officer.widget)
            picker.known = {
                str(placement.officer_id): placement.officer
                for placement in self.get_queryset()
                if placement.officer_id is not None
            }

    def clean(self):
        super().clean()
        batch = self.instance
        host_area_ids = getattr(batch, "host_area_ids_as_typed", None)
        if host_area_ids is None:
            return  # the batch itself is refused: its errors come first
        for row in self.forms:
            if not row.has_changed() or self._should_delete_form(row) or row.errors:
                continue
            placement = row.instance
            placement.batch = batch
            placement.clean()  # the dates default to the batch's
            try:
                placement_validate(placement=placement, host_area_ids=host_area_ids)
            except ValidationError as error:
                add_refusal(row, error)


class PlacementInline(SafeAutocompleteMixin, OfficerPickerMixin, QuickTabularInline):
    """The batch's placements, compact (officer, host, area, dates, status); the rest is a click away."""

    model = Placement
    form = PlacementInlineForm
    formset = PlacementInlineFormSet
    extra = 0
    fields = ["officer", "host_organisation", "host_area", "start_date", "end_date", "status"]
    autocomplete_fields = ["officer"]
    show_change_link = True
    classes = ["placement-rows"]
    # The model's ordering begins with the batch, the same on every row, and ordering by it joins the batch
    # and its programme (Batch's own ordering).
    ordering = ["officer__name_en", "pk"]

    def get_queryset(self, request):
        # The officers for the picker's labels (PlacementInlineFormSet.prepare_shared_fields); the batch is
        # the page's (the formset sets it on every row) and the host pickers need only the keys.
        return super().get_queryset(request).select_related("officer__home_department", "officer__rank")


class BatchAdminForm(forms.ModelForm):
    """Checks services.batch_validate with the many-to-many values as typed: the host areas lie in the
    municipality, and no placement of the batch would break."""

    class Meta:
        model = Batch
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The pickers show the programme and municipality read with the batch (object_select_related) and
        # the coordinators read for the form's initial values, rather than reading them again.
        know_chosen(self, ["programme", "host_municipality"])
        # Every host area and focus area (BatchAdmin.formfield_for_manytomany), from the cache.
        show_reference_choices(self, {"host_areas": "batch.host_areas", "focus_areas": "batch.focus_areas"})
        coordinators = self.fields.get("coordinators")
        picker = getattr(getattr(coordinators, "widget", None), "widget", None)
        if picker is not None and self.instance.pk is not None:
            picker.known = {str(user.pk): user for user in self.initial.get("coordinators", [])}

    def _post_clean(self):
        super()._post_clean()
        if self.errors:
            return
        host_areas = self.cleaned_data.get("host_areas")
        try:
            batch_validate(
                batch=self.instance, host_areas=host_areas, focus_areas=self.cleaned_data.get("focus_areas")
            )
        except ValidationError as error:
            add_refusal(self, error)
            return
        # The placement rows on the same page are checked against these (PlacementInlineFormSet).
        self.instance.host_area_ids_as_typed = {area.pk for area in host_areas or []}


@admin.register(Batch)
class BatchAdmin(
    ObjectSelectRelatedMixin,
    BoundedDateHierarchyMixin,
    SafeAutocompleteMixin,
    ServiceAdminMixin,
    HistoryAdmin,
):
    form = BatchAdminForm
    object_select_related = ["programme", "host_municipality"]
    # Every placement, withdrawn too (_placement_count); distinct, beside get_queryset's participant count.
    object_annotations = {"placement_count": Count("placements", distinct=True)}
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
    search_fields = [
        "name",
        "name_zh",
        "programme__name_en",
        "programme__short_name",
        "host_municipality__name_en",
    ]
    date_hierarchy = "start_date"
    ordering = ["-start_date"]
    autocomplete_fields = ["programme", "host_municipality", "coordinators"]
    filter_horizontal = ["host_areas", "focus_areas"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [PlacementInline]
    fieldsets = [
        (None, {"fields": ["programme", "number", "name", "name_zh", "direction", "status"]}),
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
        if obj is not None and self._placement_count(obj) > self.max_inline_placements:
            return []
        return super().get_inlines(request, obj)

    @staticmethod
    def _placement_count(batch):
        # Every placement, withdrawn too (participant_count leaves those out); counted once a page.
        if not hasattr(batch, "placement_count"):
            batch.placement_count = batch.placements.count()
        return batch.placement_count

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "placements_link"]

    @admin.display(description=_("placements"))
    def placements_link(self, batch):
        if batch.pk is None:
            return _("Add the placements below; they are saved with the batch.")
        url = reverse("admin:placements_placement_changelist") + f"?batch__id__exact={batch.pk}"
        count = self._placement_count(batch)
        return format_html(
            '<a href="{}">{}</a>', url, _("All %(count)s placements of this batch") % {"count": count}
        )

    @admin.display(description=_("participants"), ordering="participant_count")
    def participant_count(self, batch):
        return batch.participant_count

    actions = ["export_roster_csv", "export_roster_xlsx", "copy_document_requirements"]

    def has_copy_requirements_permission(self, request):
        return request.user.has_perm("placements.add_documentrequirement")

    @admin.action(
        description=_(
            "Copy document requirements from the previous batch of the same programme and direction"
        ),
        permissions=["copy_requirements"],
    )
    def copy_document_requirements(self, request, queryset):
        for batch in queryset:
            source = batch_previous_with_requirements(batch=batch)
            if source is None:
                self.message_user(
                    request,
                    _("%(batch)s: no earlier batch of its programme and direction asks for documents.")
                    % {"batch": batch},
                    level=messages.WARNING,
                )
                continue
            created = document_requirements_copy(source=source, target=batch)
            self.message_user(
                request,
                _("%(batch)s: copied %(count)s requirement(s) from %(source)s.")
                % {"batch": batch, "count": len(created), "source": source},
            )

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
        with refused_on():
            batch_save(
                batch=obj,
                host_areas=form.cleaned_data.get("host_areas"),
                focus_areas=form.cleaned_data.get("focus_areas"),
                coordinators=form.cleaned_data.get("coordinators"),
            )

    def save_related(self, request, form, formsets, change):
        # batch_save set the many-to-many fields; the placements go through placement_save.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Placement:
            return super().save_formset(request, form, formset, change)
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for index, row in enumerate(formset.forms):
            placement = row.instance
            if formset.can_delete and formset._should_delete_form(row):
                if placement.pk is not None:
                    formset.deleted_objects.append(placement)
                    placement.delete()
                continue
            if not row.has_changed():
                continue
            is_new = placement.pk is None
            placement.batch = formset.instance
            with refused_on(prefix=formset.prefix, index=index):
                placement_save(placement=placement)
            if is_new:
                formset.new_objects.append(placement)
            else:
                formset.changed_objects.append((placement, row.changed_data))


@admin.register(Placement)
class PlacementAdmin(
    ObjectSelectRelatedMixin,
    BoundedDateHierarchyMixin,
    SafeAutocompleteMixin,
    ServiceAdminMixin,
    OfficerPickerMixin,
    HistoryAdmin,
):
    form = PlacementAdminForm
    # The change form's pickers and title show these (the officer's picker label: department and rank).
    object_select_related = ["officer__home_department", "officer__rank", "batch", "home_department"]
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
    # The sidebar's options read only what their names show (core.admin.named_by), once per language
    # under the figures version, which every save and delete of programmes, batches, departments, grades
    # and host areas bumps (placements.apps).
    list_filter = [
        "status",
        ("batch__programme", named_by("name_en", cached=figures_cached)),
        ("batch", named_by("name", cached=figures_cached)),
        ("home_department", named_by("name_en", "abbreviation", cached=figures_cached)),
        ("officer__rank__grade", named_by("name_en", "abbreviation", cached=figures_cached)),
        ("host_area", named_by("name_en", "name_zh", "kind", cached=figures_cached)),
    ]
    # What the columns show: a batch and a host area are named without their programme or municipality.
    list_select_related = ["officer", "batch", "home_department", "host_area", "host_organisation"]
    # The columns the rows show (and the checkbox's label: the officer's and the batch's names), of models
    # with many more.
    list_only = [
        *["officer", "batch", "home_department", "host_area", "host_organisation"],
        *["role", "start_date", "end_date", "status"],
        "officer__name_en",
        "officer__name_zh",
        "batch__name",
        *["home_department__name_en", "home_department__name_zh", "home_department__abbreviation"],
        *["host_area__name_en", "host_area__name_zh", "host_area__kind"],
        *["host_organisation__name_en", "host_organisation__name_zh"],
    ]
    search_fields = [
        "officer__name_en",
        "officer__name_zh",
        "officer__email",
        "role",
        "role_zh",
        "host_organisation__name_en",
    ]
    ordering = ["-batch__start_date", "officer__name_en"]
    autocomplete_fields = ["officer", "batch", "home_department"]
    filter_horizontal = ["focus_areas"]
    readonly_fields = ["created_at", "updated_at"]
    date_hierarchy = "start_date"
    # Its links, per filters, search and language, under the figures version, which every save and
    # delete of a placement bumps (core.templatetags.quick_admin_list).
    date_hierarchy_cached = staticmethod(figures_cached)

    def list_rows(self, rows):
        """The page's rows (core.admin.QuickChangeList) with their departments' former names, read for
        each department once rather than for each row: the rows of one department share its object."""
        departments = {}
        for placement in rows:
            department = placement.home_department  # read with the row (list_select_related)
            if department is not None:
                placement.home_department = departments.setdefault(department.pk, department)
        prefetch_related_objects(list(departments.values()), "former_names")
        return rows

    @admin.display(description=_("home bureau or department"), ordering="home_department__name_en")
    def home_department_at_the_time(self, placement):
        # The name in force when the placement started: OGCIO for 2023, the Digital Policy Office later.
        name = placement.home_department_name()
        return str(name) if name else "-"

    def save_model(self, request, obj, form, change):
        with refused_on():
            placement_save(placement=obj, focus_areas=form.cleaned_data.get("focus_areas"))

    def save_related(self, request, form, formsets, change):
        # placement_save set the focus areas.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


@admin.register(RosterExport)
class RosterExportAdmin(BoundedDateHierarchyMixin, QuickModelAdmin):
    list_display = ["created_at", "batch", "user", "format", "row_count", "via"]
    list_filter = ["format", "via", "batch"]
    list_select_related = ["batch", "user"]  # a batch is named without its programme
    search_fields = ["user__username", "batch__name"]
    date_hierarchy = "created_at"
    ordering = ["-created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ContactSheetAccess)
class ContactSheetAccessAdmin(QuickModelAdmin):
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
class ChecklistItemAdmin(SafeAutocompleteMixin, ServiceAdminMixin, QuickModelAdmin):
    form = ChecklistItemAdminForm
    list_display = ["title", "batch", "phase", "kind", "due_date", "order"]
    list_filter = ["phase", "kind", "batch"]
    list_select_related = ["batch"]
    search_fields = ["title", "title_zh", "batch__name"]
    ordering = ["batch", "order", "due_date"]
    autocomplete_fields = ["batch"]
    readonly_fields = ["created_at", "updated_at"]

    def save_model(self, request, obj, form, change):
        with refused_on():
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
class ChecklistCompletionAdmin(
    BoundedDateHierarchyMixin, SafeAutocompleteMixin, ServiceAdminMixin, QuickModelAdmin
):
    """A tick is a fact: staff add one (for an item of the placement's own batch, through
    checklist_item_set_done) or delete it (untick); they do not edit it."""

    list_display = ["item", "placement", "completed_at", "completed_by"]
    list_filter = ["item__batch"]
    list_select_related = ["item", "placement__officer", "placement__batch", "completed_by"]
    search_fields = ["item__title", "placement__officer__name_en"]
    ordering = ["-completed_at"]
    autocomplete_fields = ["placement", "item"]
    date_hierarchy = "completed_at"
    fields = ["placement", "item", "completed_at", "completed_by"]
    readonly_fields = ["completed_at", "completed_by"]

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        with refused_on():
            completion = checklist_item_set_done(
                placement=obj.placement, item=obj.item, done=True, actor=request.user
            )
        obj.pk, obj.completed_at, obj.completed_by = completion.pk, completion.completed_at, request.user

    @staticmethod
    def _is_record(completion):
        # Ticks the portal keeps itself, and those of a completed batch, are not for staff to remove
        # (services.checklist_item_set_done refuses them).
        return completion.item.is_automatic or completion.placement.batch.is_completed

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj and self._is_record(obj))

    def delete_model(self, request, obj):
        checklist_item_set_done(placement=obj.placement, item=obj.item, done=False, actor=request.user)

    def delete_queryset(self, request, queryset):
        kept = 0
        for completion in queryset.select_related("placement__batch", "item"):
            if self._is_record(completion):
                kept += 1
                continue
            self.delete_model(request, completion)
        if kept:
            self.message_user(
                request,
                _("%(count)s tick(s) kept: the portal keeps them itself, or their batch is completed.")
                % {"count": kept},
                messages.WARNING,
            )


@admin.register(ExchangeReport)
class ExchangeReportAdmin(SafeAutocompleteMixin, ServiceAdminMixin, HistoryAdmin):
    """Drafts are saved through report_save; a submitted report is read-only (the officer's words)."""

    list_display = ["placement", "status", "submitted_at", "updated_at"]
    list_filter = ["status", "placement__batch"]
    list_select_related = ["placement__officer", "placement__batch"]
    search_fields = ["placement__officer__name_en", "placement__batch__name", "learning", "highlights"]
    ordering = ["-updated_at"]
    autocomplete_fields = ["placement"]
    readonly_fields = ["status", "submitted_at", "created_at", "updated_at"]

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return [*fields, "placement"] if obj is not None else fields

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_submitted:
            return False
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        data = {field: getattr(obj, field) for field in ExchangeReport.TEXT_FIELDS}
        with refused_on():
            report = report_save(placement=obj.placement, data=data, actor=request.user)
        obj.pk, obj.status, obj.created_at, obj.updated_at = (
            report.pk,
            report.status,
            report.created_at,
            report.updated_at,
        )


@admin.register(Notice)
class NoticeAdmin(
    BoundedDateHierarchyMixin, SafeAutocompleteMixin, ServiceAdminMixin, OfficerPickerMixin, QuickModelAdmin
):
    """Notices are written through notice_create, which also e-mails the officer; a notice sent is not
    edited afterwards."""

    list_display = ["created_at", "officer", "short_message", "read_at"]
    list_filter = ["read_at"]
    list_select_related = ["officer"]
    search_fields = ["officer__name_en", "message"]
    ordering = ["-created_at"]
    autocomplete_fields = ["officer", "placement"]
    date_hierarchy = "created_at"
    fields = ["officer", "placement", "message", "created_at", "read_at"]
    readonly_fields = ["created_at", "read_at"]

    @admin.display(description=_("message"))
    def short_message(self, notice):
        return notice.message[:100]

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        with refused_on():
            notice = notice_create(officer=obj.officer, placement=obj.placement, message=obj.message)
        obj.pk, obj.created_at = notice.pk, notice.created_at


@admin.register(CalendarFeed)
class CalendarFeedAdmin(QuickModelAdmin):
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

    def delete_model(self, request, obj):
        calendar_feed_revoke(user=obj.user)

    def delete_queryset(self, request, queryset):
        for feed in queryset.select_related("user"):
            calendar_feed_revoke(user=feed.user)


class DocumentRequirementAdminForm(forms.ModelForm):
    """The requirement with its file types as ticks and its blank form as an upload, checked as any upload."""

    accepted_types = forms.MultipleChoiceField(
        label=_("File types accepted"),
        choices=DocumentRequirement.FILE_TYPE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        initial=["pdf", "jpeg", "png"],
    )
    blank_form_file = forms.FileField(label=_("Blank form to download (optional)"), required=False)
    remove_blank_form = forms.BooleanField(label=_("Remove the blank form"), required=False)

    class Meta:
        model = DocumentRequirement
        fields = [
            "batch",
            "name_en",
            "name_zh",
            "description",
            "required",
            "applies_to",
            "due_date",
            "accepted_types",
            "checklist_item",
            "order",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["accepted_types"] = self.instance.type_list

    def clean_accepted_types(self):
        return ",".join(self.cleaned_data["accepted_types"])

    def clean_blank_form_file(self):
        upload = self.cleaned_data.get("blank_form_file")
        if upload:
            try:
                document_check_file(upload=upload, accepted_types=["pdf", "jpeg", "png"])
            except ValidationError as error:
                raise ValidationError(error.messages) from None
            upload.seek(0)
        return upload


@admin.register(DocumentRequirement)
class DocumentRequirementAdmin(SafeAutocompleteMixin, QuickModelAdmin):
    form = DocumentRequirementAdminForm
    list_display = ["name_en", "name_zh", "batch", "required", "applies_to", "due_date", "order"]
    list_filter = ["required", "applies_to", "batch"]
    list_select_related = ["batch"]
    search_fields = ["name_en", "name_zh", "batch__name"]
    ordering = ["batch", "order"]
    autocomplete_fields = ["batch"]
    readonly_fields = ["blank_form_filename", "created_at", "updated_at"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        batch_id = obj.batch_id if obj else request.GET.get("batch")
        items = ChecklistItem.objects.select_related("batch")
        form.base_fields["checklist_item"].queryset = (
            items.filter(batch_id=batch_id) if str(batch_id or "").isdigit() else items
        )
        return form

    def save_model(self, request, obj, form, change):
        document_requirement_save(
            requirement=obj,
            blank_form=form.cleaned_data.get("blank_form_file") or None,
            remove_blank_form=form.cleaned_data.get("remove_blank_form", False),
        )

    def delete_model(self, request, obj):
        document_requirement_delete(requirement=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for requirement in queryset:
            document_requirement_delete(requirement=requirement, by=request.user)


@admin.register(Document)
class DocumentAdmin(QuickModelAdmin):
    """Read-only: documents are handed in on the portal and reviewed on the batch's documents page; the
    file opens only through the logged download view."""

    list_display = ["requirement", "placement", "status", "uploaded_at", "reviewed_at", "file_link"]
    list_filter = ["status", "requirement__batch"]
    list_select_related = ["requirement", "placement__officer", "placement__batch"]
    search_fields = ["placement__officer__name_en", "requirement__name_en", "original_name"]
    ordering = ["-uploaded_at"]
    fields = [
        "placement",
        "requirement",
        "original_name",
        "content_type",
        "size",
        "sha256",
        "status",
        "return_reason",
        "uploaded_at",
        "uploaded_by",
        "reviewed_at",
        "reviewed_by",
        "file_link",
    ]
    readonly_fields = fields

    @admin.display(description=_("file"))
    def file_link(self, document):
        url = reverse_with_id("portal:document_file", document.pk)
        return format_html('<a href="{}">{}</a>', url, _("Download"))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DocumentAccess)
class DocumentAccessAdmin(QuickModelAdmin):
    list_display = ["created_at", "user", "action", "description"]
    list_filter = ["action"]
    list_select_related = ["user"]
    search_fields = ["description", "user__username"]
    ordering = ["-created_at"]
    readonly_fields = ["created_at", "user", "action", "description", "document"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(QuickModelAdmin):
    """Every e-mail the portal sent or tried to send; the undelivered ones can be sent again."""

    list_display = ["created_at", "to_address", "subject", "kind", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind", "language"]
    search_fields = ["to_address", "to_name", "subject"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in OutgoingEmail._meta.fields]
    list_select_related = False
    actions = ["resend"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Send the selected e-mails again"), permissions=["change"])
    def resend(self, request, queryset):
        undelivered = queryset.exclude(status=OutgoingEmail.Status.SENT)
        count = 0
        for email in undelivered:
            email_resend(email=email)
            count += 1
        skipped = queryset.count() - count
        self.message_user(request, _("%(count)d e-mails queued again.") % {"count": count}, messages.SUCCESS)
        if skipped:
            self.message_user(
                request,
                _("%(count)d e-mails were already delivered and were not sent again.") % {"count": skipped},
                messages.WARNING,
            )


@admin.register(ReminderSent)
class ReminderSentAdmin(QuickModelAdmin):
    list_display = ["created_at", "item", "placement", "stage"]
    list_filter = ["stage"]
    list_select_related = ["item", "placement__officer"]
    readonly_fields = ["item", "placement", "stage", "email", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
