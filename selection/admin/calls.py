"""Calls, nominations and the selection page in the admin (CSB staff).

A call's page sets its places, eligibility, dates, invited departments (with quotas) and places per host
organisation, all saved through services.calls.call_save; its buttons open, reopen and close it. The
selection page of a call lists every nomination with what CSB weighs (department, grade and rank, focus
areas, ranking, consent), filtered, with the counts against the places and quotas, and takes decisions
one at a time or in bulk through services.decisions."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.admin import HistoryAdmin
from core.admin_inlines import QuickTabularInline
from core.admin_widgets import (
    KnownChosenForm,
    ObjectSelectRelatedMixin,
    SafeAutocompleteMixin,
    SharedChoicesFormSet,
    know_chosen,
)
from core.form_renderer import QuickSelect
from core.service_admin import ServiceAdminMixin, add_refusal, refused_on
from participants.models import Department, Grade
from placements.models import FocusArea, HostOrganisation
from placements.reference_choices import show_reference_choices

from ..models import Call, CallHostPlaces, CallInvitation, Nomination
from ..selectors.calls import SelectionFilters, call_counts, call_nominations
from ..services.calls import call_close, call_open, call_reopen, call_save, call_validate
from ..services.decisions import nominations_decide
from ..services.nominations import focus_areas_validate, nomination_create, nomination_validate

NOMINATIONS_PER_PAGE = 100
# What CSB types when adding a nomination the nominating side sent (the rest is the service's).
NOMINATION_ADD_FIELDS = [
    "call",
    "officer",
    "department",
    "department_ranking",
    "focus_areas",
    "statement",
    "endorsed_by_name",
    "endorsed_by_post",
    "endorsed_on",
]


# --- Calls ---------------------------------------------------------------------------------------------


class CallInvitationForm(KnownChosenForm):
    known_fields = ["department"]  # read with the rows (CallInvitationInline.get_queryset)


class CallInvitationInline(SafeAutocompleteMixin, QuickTabularInline):
    model = CallInvitation
    form = CallInvitationForm
    extra = 1
    fields = ["department", "quota"]
    autocomplete_fields = ["department"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("department")


class CallHostPlacesFormSet(SharedChoicesFormSet):
    shared_choices = ["host_organisation"]  # the batch's municipality's organisations, read once


class CallHostPlacesInline(QuickTabularInline):
    model = CallHostPlaces
    formset = CallHostPlacesFormSet
    extra = 0
    fields = ["host_organisation", "places"]

    def get_queryset(self, request):
        # Each row is titled by its organisation.
        return super().get_queryset(request).select_related("host_organisation")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "host_organisation":
            # The batch's municipality's organisations once the call is saved (call_save checks it too).
            call_id = request.resolver_match.kwargs.get("object_id") if request.resolver_match else None
            batch = (
                Call.objects.filter(pk=call_id).values("batch__host_municipality").first()
                if (call_id and str(call_id).isdigit())
                else None
            )
            queryset = HostOrganisation.objects.select_related("municipality")
            if batch:
                queryset = queryset.filter(municipality=batch["batch__host_municipality"])
            kwargs["queryset"] = queryset
            kwargs.setdefault("widget", QuickSelect)  # its choices are written once for all rows
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class CallAdminForm(forms.ModelForm):
    """Checks services.calls.call_validate with the grades and ranks as typed; the invited departments
    and host places are checked when saved (the refusal comes back on the form)."""

    class Meta:
        model = Call
        fields = [
            "batch",
            "places",
            "eligible_grades",
            "eligible_ranks",
            "eligibility_en",
            "eligibility_zh",
            "opens_on",
            "closes_on",
            "notes_en",
            "notes_zh",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        know_chosen(self, ["batch"])  # read with the call (CallAdmin.object_select_related)
        # Every grade and rank (CallAdmin.formfield_for_manytomany), from the cache.
        show_reference_choices(
            self, {"eligible_grades": "call.eligible_grades", "eligible_ranks": "call.eligible_ranks"}
        )

    def _post_clean(self):
        super()._post_clean()
        if self.errors or not self.instance.batch_id:
            return
        try:
            call_validate(
                call=self.instance,
                eligible_grades=self.cleaned_data.get("eligible_grades"),
                eligible_ranks=self.cleaned_data.get("eligible_ranks"),
            )
        except ValidationError as error:
            add_refusal(self, error)


def _rows(formset, *fields):
    """An inline's rows as (object, number) pairs, as typed: deleted and empty rows left out."""
    rows = []
    for row in formset.forms:
        data = getattr(row, "cleaned_data", None)
        if not data or data.get("DELETE") or not all(data.get(name) for name in fields):
            continue
        rows.append(tuple(data[name] for name in fields))
    return rows


@admin.register(Call)
class CallAdmin(ObjectSelectRelatedMixin, SafeAutocompleteMixin, ServiceAdminMixin, HistoryAdmin):
    form = CallAdminForm
    object_select_related = ["batch"]
    list_display = [
        "batch",
        "status",
        "opens_on",
        "closes_on",
        "places",
        "nomination_count",
        "selected_count",
        "selection_link",
    ]
    list_filter = ["status", "batch__programme", "batch__direction"]
    list_select_related = ["batch"]
    search_fields = ["batch__name", "batch__name_zh", "batch__programme__short_name"]
    ordering = ["-opens_on"]
    autocomplete_fields = ["batch"]
    filter_horizontal = ["eligible_grades", "eligible_ranks"]
    readonly_fields = ["status", "opened_at", "created_at", "updated_at"]
    inlines = [CallInvitationInline, CallHostPlacesInline]
    fieldsets = [
        (None, {"fields": ["batch", "places", "status", "opened_at"]}),
        (
            _("Who may be nominated"),
            {"fields": ["eligible_grades", "eligible_ranks", "eligibility_en", "eligibility_zh"]},
        ),
        (_("Dates"), {"fields": ["opens_on", "closes_on"]}),
        (_("Notes for nominators"), {"fields": ["notes_en", "notes_zh", "created_at", "updated_at"]}),
    ]
    actions = ["open_calls", "close_calls"]

    def get_queryset(self, request):
        nominations = ~Q(nominations__status=Nomination.Status.WITHDRAWN)
        return (
            super()
            .get_queryset(request)
            .annotate(
                nomination_count=Count("nominations", filter=nominations),
                selected_count=Count("nominations", filter=Q(nominations__status=Nomination.Status.SELECTED)),
            )
        )

    @admin.display(description=_("nominations"), ordering="nomination_count")
    def nomination_count(self, call):
        return call.nomination_count

    @admin.display(description=_("selected"), ordering="selected_count")
    def selected_count(self, call):
        return f"{call.selected_count} / {call.places}"

    @admin.display(description=_("selection"))
    def selection_link(self, call):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:selection_call_selection", args=[call.pk]),
            gettext("Selection page"),
        )

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "eligible_ranks":
            kwargs["queryset"] = db_field.related_model.objects.select_related("grade")
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        with refused_on():
            call_save(
                call=obj,
                eligible_grades=form.cleaned_data.get("eligible_grades"),
                eligible_ranks=form.cleaned_data.get("eligible_ranks"),
            )

    def save_related(self, request, form, formsets, change):
        # call_save set the grades and ranks; the invited departments and host places go through it too.
        invitations = host_places = None
        for formset in formsets:
            # What the change message lists; call_save writes the rows.
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
            if formset.model is CallInvitation:
                invitations = _rows(formset, "department", "quota")
            elif formset.model is CallHostPlaces:
                host_places = _rows(formset, "host_organisation", "places")
        with refused_on():
            call_save(call=form.instance, invitations=invitations, host_places=host_places)

    # --- open, reopen, close -----------------------------------------------------------------------

    def _each(self, request, queryset, service, done):
        for call in queryset.select_related("batch"):
            try:
                service(call=call, actor=request.user)
            except ValidationError as error:
                self.message_user(request, f"{call}: {' '.join(error.messages)}", level=messages.ERROR)
            else:
                self.message_user(request, done % {"call": call})

    @admin.action(
        description=_("Open the selected calls (the invited departments are e-mailed)"),
        permissions=["change"],
    )
    def open_calls(self, request, queryset):
        self._each(request, queryset, call_open, gettext("%(call)s: the call is open."))

    @admin.action(description=_("Mark the selection of the selected calls finished"), permissions=["change"])
    def close_calls(self, request, queryset):
        self._each(request, queryset, call_close, gettext("%(call)s: the selection is finished."))

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/selection/", view(self.selection_view), name="selection_call_selection"),
            path("<int:pk>/open/", view(self.open_view), name="selection_call_open"),
            path("<int:pk>/close/", view(self.close_view), name="selection_call_close"),
            path("<int:pk>/reopen/", view(self.reopen_view), name="selection_call_reopen"),
            path(
                "<int:pk>/nominations/<int:nomination_pk>/decide/",
                view(self.decide_view),
                name="selection_nomination_decide",
            ),
            *super().get_urls(),
        ]

    def _call(self, request, pk, *, change=False):
        if not (self.has_change_permission(request) if change else self.has_view_permission(request)):
            raise PermissionDenied
        call = (
            Call.objects.select_related("batch__host_municipality", "batch__programme").filter(pk=pk).first()
        )
        if call is None:
            raise Http404
        return call

    def _context(self, request, call, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "call": call,
            "original": call,
            **extra,
        }

    def _state_change(self, request, pk, service, done, title, explanation):
        call = self._call(request, pk, change=True)
        if request.method == "POST":
            try:
                service(call=call, actor=request.user)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), level=messages.ERROR)
            else:
                self.message_user(request, done)
            return redirect("admin:selection_call_change", call.pk)
        context = self._context(request, call, title=title, explanation=explanation)
        return TemplateResponse(request, "admin/selection/call/confirm.html", context)

    def open_view(self, request, pk):
        return self._state_change(
            request,
            pk,
            call_open,
            gettext("The call is open: the invited departments' nominating officers have been e-mailed."),
            gettext("Open the call"),
            gettext(
                "The nominating officers of every invited department are e-mailed, each in their language, "
                "with the closing date and the link to nominate."
            ),
        )

    def close_view(self, request, pk):
        return self._state_change(
            request,
            pk,
            call_close,
            gettext("The selection is finished: no more nominations or decisions until you reopen it."),
            gettext("Mark the selection finished"),
            gettext(
                "Departments can no longer nominate or withdraw, and no decision can be taken or changed, "
                "until you reopen the call."
            ),
        )

    def reopen_view(self, request, pk):
        call = self._call(request, pk, change=True)
        form = ReopenForm(
            request.POST or None, initial={"closes_on": max(call.closes_on, timezone.localdate())}
        )
        if request.method == "POST" and form.is_valid():
            try:
                call_reopen(call=call, closes_on=form.cleaned_data["closes_on"], actor=request.user)
            except ValidationError as error:
                add_refusal(form, error)
            else:
                self.message_user(
                    request, gettext("The call is open again; the nominating officers have been e-mailed.")
                )
                return redirect("admin:selection_call_change", call.pk)
        context = self._context(request, call, title=gettext("Reopen the call"), form=form)
        return TemplateResponse(request, "admin/selection/call/reopen.html", context)

    # --- the selection page -----------------------------------------------------------------------

    def selection_view(self, request, pk):
        """Every nomination of the call, filtered, with the counts against the places and quotas; a bulk
        decision on the ticked ones."""
        call = self._call(request, pk)
        filter_form = SelectionFilterForm(request.GET or None, call=call)
        filters = filter_form.filters()
        decide_form = BulkDecisionForm(request.POST or None, call=call)
        can_decide = request.user.has_perm("selection.change_nomination")
        if request.method == "POST":
            if not can_decide:
                raise PermissionDenied
            if decide_form.is_valid():
                nominations = list(decide_form.cleaned_data["nominations"])
                try:
                    nominations_decide(
                        nominations=nominations,
                        decision=decide_form.cleaned_data["decision"],
                        actor=request.user,
                        reason=decide_form.cleaned_data["reason"],
                        host_organisation=decide_form.cleaned_data["host_organisation"],
                    )
                except ValidationError as error:
                    add_refusal(decide_form, error)
                else:
                    self.message_user(
                        request,
                        gettext("%(count)s nominations: %(decision)s.")
                        % {
                            "count": len(nominations),
                            "decision": Nomination.Status(decide_form.cleaned_data["decision"]).label,
                        },
                    )
                    return redirect(request.get_full_path())
        page = Paginator(call_nominations(call=call, filters=filters), NOMINATIONS_PER_PAGE).get_page(
            request.GET.get("page")
        )
        query = request.GET.copy()
        query.pop("page", None)
        context = self._context(
            request,
            call,
            title=gettext("Selection: %(call)s") % {"call": call},
            filter_form=filter_form,
            decide_form=decide_form,
            can_decide=can_decide,
            can_add_nomination=request.user.has_perm("selection.add_nomination"),
            counts=call_counts(call=call),
            page_obj=page,
            nominations=page.object_list,
            query=query.urlencode(),
            filtered=filter_form.is_bound and any(vars(filters).values()),
            ticked=request.POST.getlist("nominations"),
        )
        return TemplateResponse(request, "admin/selection/call/selection.html", context)

    def decide_view(self, request, pk, nomination_pk):
        """One nomination: everything about it, and a decision with its reason."""
        call = self._call(request, pk)
        nomination = (
            call_nominations(call=call)
            .select_related("officer__home_department")
            .filter(pk=nomination_pk)
            .first()
        )
        if nomination is None:
            raise Http404
        form = DecisionForm(request.POST or None, call=call)
        if request.method == "POST":
            if not request.user.has_perm("selection.change_nomination"):
                raise PermissionDenied
            if form.is_valid():
                try:
                    nominations_decide(
                        nominations=[nomination],
                        decision=form.cleaned_data["decision"],
                        actor=request.user,
                        reason=form.cleaned_data["reason"],
                        host_organisation=form.cleaned_data["host_organisation"],
                    )
                except ValidationError as error:
                    add_refusal(form, _single_refusal(error, nomination))
                else:
                    self.message_user(
                        request,
                        gettext("%(name)s: %(decision)s.")
                        % {
                            "name": nomination.officer.name_en,
                            "decision": Nomination.Status(form.cleaned_data["decision"]).label,
                        },
                    )
                    return redirect("admin:selection_call_selection", call.pk)
        context = self._context(
            request,
            call,
            title=gettext("Decide: %(name)s") % {"name": nomination.officer.name_en},
            nomination=nomination,
            form=form,
            can_decide=request.user.has_perm("selection.change_nomination"),
        )
        return TemplateResponse(request, "admin/selection/nomination/decide.html", context)


def _single_refusal(error, nomination):
    """A bulk refusal of one nomination without the officer's name in front (the page names them)."""
    prefix = f"{nomination.officer.name_en}: "
    if hasattr(error, "error_dict"):
        return error
    return ValidationError([message.removeprefix(prefix) for message in error.messages])


class ReopenForm(forms.Form):
    closes_on = forms.DateField(
        label=_("new closing date"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Today or later. Departments may nominate and withdraw until the end of that day."),
    )


# The decisions as actions (the statuses they lead to are named in the glossary).
DECISION_CHOICES = [
    (Nomination.Status.SHORTLISTED.value, _("Shortlist")),
    (Nomination.Status.RESERVE.value, _("Keep in reserve")),
    (Nomination.Status.DECLINED.value, _("Do not select (give the reason)")),
    (Nomination.Status.SELECTED.value, _("Select (proposes the placement to the host)")),
]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("decision"), choices=DECISION_CHOICES, widget=forms.RadioSelect)
    host_organisation = forms.ModelChoiceField(
        label=_("proposed host organisation"),
        queryset=HostOrganisation.objects.none(),
        required=False,
        help_text=_("When selecting: the organisation the officer is proposed to (or leave it to later)."),
    )
    reason = forms.CharField(
        label=_("reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
        help_text=_("Required to decline. Sent to the department and the officer."),
    )

    def __init__(self, *args, call, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host_organisation"].queryset = HostOrganisation.objects.filter(
            municipality=call.batch.host_municipality_id
        ).order_by("name_en")

    def clean(self):
        data = super().clean()
        if data.get("decision") == Nomination.Status.DECLINED and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give the reason for not selecting the officer."))
        return data


class BulkDecisionForm(DecisionForm):
    nominations = forms.ModelMultipleChoiceField(
        label=_("nominations"), queryset=Nomination.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, call, **kwargs):
        super().__init__(*args, call=call, **kwargs)
        self.fields["nominations"].queryset = Nomination.objects.filter(call=call).select_related(
            "officer", "department", "call"
        )
        self.fields["nominations"].error_messages["required"] = _("Tick at least one nomination.")


class SelectionFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("status"), choices=[("", _("Any"))] + list(Nomination.Status.choices), required=False
    )
    consent = forms.ChoiceField(
        label=_("consent"), choices=[("", _("Any"))] + list(Nomination.Consent.choices), required=False
    )
    department = forms.ModelChoiceField(
        label=_("department"), queryset=Department.objects.none(), required=False, empty_label=_("Any")
    )
    grade = forms.ModelChoiceField(
        label=_("grade"), queryset=Grade.objects.none(), required=False, empty_label=_("Any")
    )
    focus_area = forms.ModelChoiceField(
        label=_("focus area"), queryset=FocusArea.objects.none(), required=False, empty_label=_("Any")
    )
    q = forms.CharField(label=_("name"), required=False, max_length=100)

    def __init__(self, *args, call, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = (
            Department.objects.filter(Q(call_invitations__call=call) | Q(nominations__call=call))
            .distinct()
            .order_by("abbreviation")
        )
        self.fields["grade"].queryset = (
            Grade.objects.filter(ranks__officers__nominations__call=call).distinct().order_by("name_en")
        )
        self.fields["focus_area"].queryset = (
            FocusArea.objects.filter(nominations__call=call).distinct().order_by("name_en")
        )

    def filters(self):
        if not self.is_bound or not self.is_valid():
            return SelectionFilters()
        data = self.cleaned_data
        return SelectionFilters(
            status=data["status"],
            consent=data["consent"],
            department=data["department"],
            grade=data["grade"],
            focus_area=data["focus_area"],
            search=data["q"],
        )


# --- Nominations --------------------------------------------------------------------------------------


class CallListFilter(admin.SimpleListFilter):
    """The calls by their batch's name, read in one query (the default filter reads each call's batch)."""

    title = _("call")
    parameter_name = "call"

    def lookups(self, request, model_admin):
        return [(call.pk, str(call)) for call in Call.objects.select_related("batch").order_by("-opens_on")]

    def queryset(self, request, queryset):
        value = self.value()
        if value and str(value).isdigit():
            return queryset.filter(call_id=value)
        return queryset


def _key(value):
    """`value` as a row's id, or None when it cannot be one (odd input, or past the database's integers)."""
    value = str(value or "")
    return int(value) if value.isdigit() and int(value) < 2**63 else None


class NominationAddForm(forms.ModelForm):
    """CSB's own entry of a nomination, as the nominating side sent it (the Mainland side's nominees for
    an inbound batch reach CSB as a document). The call lists the calls that take nominations and the
    department the call's invited ones, but any call or department is accepted here so that the service
    says why it refuses one (a call closed since the page was shown, a department not invited)."""

    class Meta:
        model = Nomination
        fields = NOMINATION_ADD_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["call"].queryset = Call.objects.select_related("batch")
        self._offer(
            "call",
            Call.objects.select_related("batch").order_by("closes_on"),
            Q(status=Call.Status.OPEN, opens_on__lte=today, closes_on__gte=today),
        )
        self.fields["call"].help_text = _(
            "The open calls. An inbound call takes Mainland officers, an outbound one Hong Kong officers."
        )
        self.fields["department"].queryset = Department.objects.order_by("abbreviation")
        self.fields["department"].help_text = _(
            "One of the call's invited departments (on an inbound call: the Hong Kong bureau that receives "
            "the officer). Its quota and ranking are counted as for its own nominations."
        )
        call_id = _key(self.data.get("call") if self.is_bound else self.initial.get("call"))
        if call_id is not None:
            self._offer(
                "department",
                Department.objects.order_by("abbreviation"),
                Q(pk__in=CallInvitation.objects.filter(call=call_id).values("department")),
            )
        self.fields["focus_areas"].queryset = FocusArea.objects.order_by("name_en")
        self.fields["focus_areas"].help_text = _("Among the batch's focus areas, when it names any.")

    def _offer(self, name, queryset, offered):
        """List only the `offered` rows of `queryset` (and the one posted, so a refused choice stays
        chosen); the field still accepts any row, for the service to say why it refuses one."""
        chosen = _key(self.data.get(name)) if self.is_bound else None
        if chosen is not None:
            offered |= Q(pk=chosen)
        self.fields[name].widget.choices = forms.ModelChoiceField(queryset=queryset.filter(offered)).choices

    def validate_unique(self):
        # The officer once per call and the ranking once per department are nomination_validate's, in
        # its words (below), not the constraints' names.
        pass

    def _post_clean(self):
        super()._post_clean()
        data = self.cleaned_data
        if self.errors or not all(data.get(name) for name in ("call", "officer", "department")):
            return
        try:
            nomination_validate(nomination=self.instance)
            focus_areas_validate(
                focus_area_ids=[area.pk for area in data.get("focus_areas") or ()],
                allowed_ids=set(self.instance.call.batch.focus_areas.values_list("pk", flat=True)),
            )
        except ValidationError as error:
            add_refusal(self, error)


@admin.register(Nomination)
class NominationAdmin(SafeAutocompleteMixin, ServiceAdminMixin, HistoryAdmin):
    """Nominations as the departments made them, with CSB's decision: read here, decided on the call's
    selection page (so every decision goes through the services and is e-mailed). CSB staff add a
    nomination the nominating side sent on paper (the Mainland side's, for an inbound batch) through
    services.nominations.nomination_create; a nomination is never changed here."""

    list_display = [
        "officer",
        "call",
        "department",
        "department_ranking",
        "consent",
        "status",
        "decided_at",
    ]
    list_filter = ["status", "consent", "source", CallListFilter, "department"]
    list_select_related = ["officer", "call__batch", "department"]
    search_fields = ["officer__name_en", "officer__name_zh", "department__abbreviation", "call__batch__name"]
    ordering = ["call", "department__abbreviation", "department_ranking"]
    readonly_fields = [
        "call",
        "officer",
        "department",
        "source",
        "nominated_by",
        "preferred_focus_areas",
        "statement",
        "department_ranking",
        "endorsed_by_name",
        "endorsed_by_post",
        "endorsed_on",
        "consent",
        "consent_at",
        "status",
        "decision_reason",
        "decided_by",
        "decided_at",
        "proposed_host_organisation",
        "placement",
        "withdrawn_at",
        "decide_link",
        "created_at",
        "updated_at",
    ]
    exclude = ["focus_areas"]

    add_form = NominationAddForm
    autocomplete_fields = ["officer"]

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else []

    def get_exclude(self, request, obj=None):
        return self.exclude if obj is not None else None

    def get_fieldsets(self, request, obj=None):
        if obj is not None:
            return super().get_fieldsets(request, obj)
        return [
            (None, {"fields": ["call", "officer", "department", "department_ranking"]}),
            (_("The nomination"), {"fields": ["focus_areas", "statement"]}),
            (_("Endorsement"), {"fields": ["endorsed_by_name", "endorsed_by_post", "endorsed_on"]}),
        ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs.update(form=self.add_form, fields=NOMINATION_ADD_FIELDS)
        return super().get_form(request, obj, change, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "focus_areas":
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        with refused_on():
            nomination = nomination_create(
                call=data["call"],
                officer=data["officer"],
                department=data["department"],
                actor=request.user,
                department_ranking=data["department_ranking"],
                endorsed_by_name=data["endorsed_by_name"],
                endorsed_by_post=data["endorsed_by_post"],
                endorsed_on=data["endorsed_on"],
                statement=data.get("statement") or "",
                focus_areas=data.get("focus_areas") or (),
                source=Nomination.Source.ADMIN,
            )
        # The history entry and the redirect name the saved nomination.
        obj.pk, obj.nominated_by, obj.source = nomination.pk, request.user, nomination.source
        obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        # nomination_create set the focus areas; there are no inlines.
        pass

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("preferred focus areas"))
    def preferred_focus_areas(self, nomination):
        return ", ".join(area.name_en for area in nomination.focus_areas.all()) or "-"

    @admin.display(description=_("decision"))
    def decide_link(self, nomination):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:selection_nomination_decide", args=[nomination.call_id, nomination.pk]),
            gettext("Decide on this nomination"),
        )
