from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.forms.models import ModelChoiceIterator, ModelChoiceIteratorValue
from django.utils.translation import gettext_lazy as _

from core import cache_versions
from core.admin import HistoryAdmin, QuickModelAdmin, named_by
from core.admin_widgets import SafeAutocompleteMixin
from core.service_admin import ServiceAdminMixin, refused_on

from .backends import REFERENCE_VERSION
from .models import Department, DepartmentFormerName, Grade, Officer, Rank
from .services import officer_save


class DepartmentFormerNameInline(admin.TabularInline):
    model = DepartmentFormerName
    extra = 0
    fields = ["name_en", "name_zh", "abbreviation", "renamed_on"]


@admin.register(Department)
class DepartmentAdmin(HistoryAdmin):
    list_display = ["name_en", "name_zh", "abbreviation", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = [
        "name_en",
        "name_zh",
        "abbreviation",
        "former_names__name_en",
        "former_names__abbreviation",
    ]
    ordering = ["name_en"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [DepartmentFormerNameInline]


class RankInline(admin.TabularInline):
    model = Rank
    extra = 0
    fields = ["name_en", "name_zh", "seniority", "pay_scale"]


@admin.register(Grade)
class GradeAdmin(SafeAutocompleteMixin, QuickModelAdmin):
    list_display = ["name_en", "name_zh", "abbreviation", "kind", "department"]
    list_filter = ["kind"]
    list_select_related = ["department"]
    search_fields = ["name_en", "name_zh", "abbreviation"]
    ordering = ["name_en"]
    autocomplete_fields = ["department"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [RankInline]


@admin.register(Rank)
class RankAdmin(SafeAutocompleteMixin, QuickModelAdmin):
    list_display = ["name_en", "name_zh", "grade", "seniority", "pay_scale"]
    list_filter = ["grade"]
    list_select_related = ["grade"]
    search_fields = ["name_en", "name_zh", "grade__name_en"]
    ordering = ["grade__name_en", "seniority"]
    autocomplete_fields = ["grade"]
    readonly_fields = ["created_at", "updated_at"]


def _reference_cached(key, compute):
    return cache_versions.cached(REFERENCE_VERSION, key, compute)


@admin.register(Officer)
class OfficerAdmin(SafeAutocompleteMixin, ServiceAdminMixin, HistoryAdmin):
    list_display = [
        "name_en",
        "name_zh",
        "email",
        "home_side",
        "home_department",
        "rank",
        "grade_name",
        "user",
    ]
    # The sidebar's options read only what their names show (core.admin.named_by), once per language
    # under a version that every save and delete of departments and grades bumps (participants.apps).
    list_filter = [
        "home_side",
        ("home_department", named_by("name_en", "abbreviation", cached=_reference_cached)),
        ("rank__grade", named_by("name_en", "abbreviation", cached=_reference_cached)),
    ]
    list_select_related = ["home_department", "rank__grade", "user"]
    # The columns the rows show (and the checkbox's label: the officer's names), of models with many more.
    list_only = [
        *["name_en", "name_zh", "email", "home_side", "home_department", "rank", "user"],
        *["home_department__name_en", "home_department__abbreviation"],
        *["rank__name_en", "rank__grade", "rank__grade__name_en", "user__username"],
    ]
    search_fields = ["name_en", "name_zh", "email", "post_title"]
    ordering = ["name_en"]
    autocomplete_fields = ["home_department", "rank", "user"]
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["name_en", "name_zh", "email", "phone", "post_title", "user"]}),
        (
            _("Home"),
            {"fields": ["home_side", "home_department", "rank", "mainland_body_en", "mainland_body_zh"]},
        ),
        (
            _("Details the officer keeps current"),
            {
                "fields": [
                    "mobile_phone",
                    "emergency_contact_name",
                    "emergency_contact_relationship",
                    "emergency_contact_phone",
                    "dietary_access_needs",
                    "preferred_language",
                ]
            },
        ),
        (_("Notes"), {"fields": ["notes", "created_at", "updated_at"]}),
    ]

    @admin.display(description=_("grade"), ordering="rank__grade__name_en")
    def grade_name(self, officer):
        return officer.rank.grade.name_en if officer.rank_id else ""

    def get_queryset(self, request):
        # The list and the pickers' answers (autocomplete_label) show the department and rank.
        return super().get_queryset(request).select_related("home_department", "rank__grade", "user")

    def autocomplete_label(self, officer):
        """What the officer pickers list (see exchange_portal.admin_site): namesakes told apart."""
        return officer.picker_label()

    def save_model(self, request, obj, form, change):
        with refused_on():
            officer_save(officer=obj)


class PermissionChoiceIterator(ModelChoiceIterator):
    """The permissions labelled as `Permission.__str__` labels them ("app | model | name"), each content
    type's name translated once rather than for every permission (of some 300), from the rows' values
    rather than model instances. An option's `instance` is not loaded (nothing the admin shows reads it)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        type_names = {}
        for pk, name, type_id in self.queryset.values_list("pk", "name", "content_type_id"):
            type_name = type_names.get(type_id)
            if type_name is None:
                # ContentType.objects caches the types: no query here.
                type_name = type_names[type_id] = str(ContentType.objects.get_for_id(type_id))
            yield ModelChoiceIteratorValue(pk, None), f"{type_name} | {name}"


class PermissionsField(forms.ModelMultipleChoiceField):
    iterator = PermissionChoiceIterator


admin.site.unregister(User)


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    """Django's user admin; its permissions picker lists every permission with the same labels, built
    for less (PermissionChoiceIterator: the page spent half its time labelling permissions)."""

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        if db_field.name == "user_permissions":
            kwargs["form_class"] = PermissionsField
        return super().formfield_for_manytomany(db_field, request, **kwargs)
