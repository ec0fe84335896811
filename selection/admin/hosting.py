"""Host coordinators, nominating officers, the host's change requests (CSB resolves them here) and the
placements awaiting the host in the admin. Every save goes through selection.services.hosting."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.admin import BoundedDateHierarchyMixin, HistoryAdmin
from core.admin_widgets import SafeAutocompleteMixin
from core.names import join_local, local_name
from core.service_admin import ServiceAdminMixin, refused_on
from selection.models import HostChangeRequest, HostCoordinator, NominatingOfficer
from selection.selectors.hosting import placements_awaiting_host
from selection.services.hosting import (
    host_change_request_resolve,
    host_coordinator_save,
    nominating_officer_save,
)

AWAITING_PER_PAGE = 50


class _ProfileAdmin(SafeAutocompleteMixin, ServiceAdminMixin, HistoryAdmin):
    """A liaison's profile: the user account, and what it is scoped to (the M2M saved by the service)."""

    scope_field = None
    list_filter = ["preferred_language"]
    search_fields = ["name", "email", "post", "user__username"]
    list_select_related = ["user"]
    ordering = ["name"]
    readonly_fields = ["created_at", "updated_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related(self.scope_field)

    @admin.display(description=_("account"), ordering="user__username")
    def username(self, obj):
        return obj.user.username

    def save_related(self, request, form, formsets, change):
        # The scope was saved with the profile by the service (save_model); only inlines remain.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


@admin.register(HostCoordinator)
class HostCoordinatorAdmin(_ProfileAdmin):
    scope_field = "host_organisations"
    list_display = ["name", "post", "username", "email", "organisations", "preferred_language"]
    list_filter = ["host_organisations__municipality", "preferred_language"]
    autocomplete_fields = ["user", "host_organisations"]
    fields = [
        "user",
        "name",
        "post",
        "email",
        "host_organisations",
        "preferred_language",
        *_ProfileAdmin.readonly_fields,
    ]

    @admin.display(description=_("host organisations"))
    def organisations(self, obj):
        return join_local(local_name(organisation) for organisation in obj.host_organisations.all())

    def save_model(self, request, obj, form, change):
        with refused_on():
            host_coordinator_save(coordinator=obj, host_organisations=form.cleaned_data["host_organisations"])


@admin.register(NominatingOfficer)
class NominatingOfficerAdmin(_ProfileAdmin):
    scope_field = "departments"
    list_display = ["name", "post", "username", "email", "department_names", "preferred_language"]
    list_filter = ["departments", "preferred_language"]
    autocomplete_fields = ["user", "departments"]
    fields = [
        "user",
        "name",
        "post",
        "email",
        "departments",
        "preferred_language",
        *_ProfileAdmin.readonly_fields,
    ]

    @admin.display(description=_("departments"))
    def department_names(self, obj):
        return ", ".join(
            department.abbreviation or department.name_en for department in obj.departments.all()
        )

    def save_model(self, request, obj, form, change):
        with refused_on():
            nominating_officer_save(nominating_officer=obj, departments=form.cleaned_data["departments"])


class ResolvedFilter(admin.SimpleListFilter):
    title = _("answered")
    parameter_name = "resolved"

    def lookups(self, request, model_admin):
        return [("no", _("Open: awaiting CSB")), ("yes", _("Resolved"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(resolved_at__isnull=True)
        if self.value() == "yes":
            return queryset.filter(resolved_at__isnull=False)
        return queryset


@admin.register(HostChangeRequest)
class HostChangeRequestAdmin(BoundedDateHierarchyMixin, ServiceAdminMixin, admin.ModelAdmin):
    """The host's requests for a change. CSB changes the placement (or the selection) as needed, then
    writes here what it did: that resolves the request, tells the host, and lets them accept again."""

    list_display = ["created_at", "officer", "batch", "host_organisation", "requested_by", "is_resolved"]
    list_filter = [ResolvedFilter, "placement__batch"]
    search_fields = ["placement__officer__name_en", "placement__officer__name_zh", "reason", "resolution"]
    list_select_related = [
        "placement__officer",
        "placement__batch",
        "placement__host_organisation",
        "requested_by",
    ]
    date_hierarchy = "created_at"
    ordering = ["-created_at"]
    fields = [
        "placement_link",
        "requested_by",
        "created_at",
        "reason",
        "resolution",
        "resolved_by",
        "resolved_at",
    ]
    change_list_template = "hosting/admin/hostchangerequest_change_list.html"

    def has_add_permission(self, request):
        return False  # the host asks on their own page

    def has_delete_permission(self, request, obj=None):
        return False  # kept, as the record of what the host asked and CSB did

    def get_readonly_fields(self, request, obj=None):
        readonly = ["placement_link", "requested_by", "created_at", "reason", "resolved_by", "resolved_at"]
        if obj is not None and obj.resolved_at is not None:
            readonly.append("resolution")
        return readonly

    @admin.display(description=_("officer"), ordering="placement__officer__name_en")
    def officer(self, obj):
        return obj.placement.officer.name_en

    @admin.display(description=_("batch"), ordering="placement__batch")
    def batch(self, obj):
        return obj.placement.batch

    @admin.display(description=_("host organisation"))
    def host_organisation(self, obj):
        return local_name(obj.placement.host_organisation)

    @admin.display(description=_("resolved"), boolean=True, ordering="resolved_at")
    def is_resolved(self, obj):
        return obj.resolved_at is not None

    @admin.display(description=_("placement"))
    def placement_link(self, obj):
        url = reverse("admin:placements_placement_change", args=[obj.placement_id])
        return format_html('<a href="{}">{}</a>', url, obj.placement)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if "resolution" in form.base_fields:
            form.base_fields["resolution"].required = True
            form.base_fields["resolution"].help_text = _(
                "What CSB did (changed the placement, proposed another officer, or why not). The host is "
                "e-mailed this text, and may then accept the officer."
            )
        return form

    def save_model(self, request, obj, form, change):
        if "resolution" not in form.changed_data:
            return
        with refused_on():
            host_change_request_resolve(change_request=obj, actor=request.user, resolution=obj.resolution)

    def get_urls(self):
        return [
            path(
                "awaiting-host/",
                self.admin_site.admin_view(self.awaiting_host_view),
                name="selection_placements_awaiting_host",
            ),
            *super().get_urls(),
        ]

    def awaiting_host_view(self, request):
        """Every placement a selection made that its host has not yet confirmed, oldest batch first, with
        whether the host asked for a change."""
        if not (request.user.has_perm("placements.view_placement") and self.has_view_permission(request)):
            raise PermissionDenied
        page = Paginator(placements_awaiting_host(), AWAITING_PER_PAGE).get_page(request.GET.get("page"))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Placements awaiting the host"),
            "opts": self.model._meta,
            "page_obj": page,
            "placements": page.object_list,
        }
        return TemplateResponse(request, "hosting/admin/placements_awaiting_host.html", context)
