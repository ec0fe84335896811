"""The host coordinators' pages: the officers proposed to their organisations, and each one's answer
(accept with role and supervisor, or ask CSB for a change). Thin views: the host profile (no profile:
403), the scoped selector (another organisation's placement: 404), the form, the service, a redirect."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.names import person_name
from placements.figures import figures_cached
from placements.models import Placement
from selection.selectors.hosting import host_coordinator_of, host_placement_get, host_placements
from selection.services.hosting import host_change_request_create, placement_host_accept

from .forms import HostAcceptForm, HostChangeRequestForm

PLACEMENTS_PER_PAGE = 25
SHOW = {"awaiting": True, "answered": False, "all": None}


def host_coordinator_required(view):
    """Signed in with a host coordinator profile; the profile is passed on as `coordinator`."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        coordinator = host_coordinator_of(user=request.user)
        if coordinator is None:
            raise PermissionDenied
        return view(request, *args, coordinator=coordinator, **kwargs)

    return wrapper


@host_coordinator_required
def placement_list_view(request, coordinator):
    """The officers proposed to the coordinator's organisations: those awaiting an answer by default,
    or those answered, or all; paginated."""
    show = request.GET.get("show")
    show = show if show in SHOW else "awaiting"
    page = Paginator(
        host_placements(coordinator=coordinator, awaiting=SHOW[show]), PLACEMENTS_PER_PAGE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "hosting/placement_list.html",
        {
            "coordinator": coordinator,
            "organisations": coordinator.host_organisations.order_by("name_en"),
            "show": show,
            "page_obj": page,
            "placements": page.object_list,
            "query": f"show={show}",
        },
    )


def _forms(request, placement, coordinator):
    organisations = coordinator.host_organisations.filter(
        municipality_id=placement.batch.host_municipality_id
    ).order_by("name_en")
    action = request.POST.get("action") if request.method == "POST" else None
    accept = HostAcceptForm(
        request.POST if action == "accept" else None,
        organisations=organisations,
        initial={"host_organisation": placement.host_organisation_id},
        prefix="accept",
    )
    change = HostChangeRequestForm(request.POST if action == "change" else None, prefix="change")
    return action, accept, change


@host_coordinator_required
def placement_detail_view(request, pk, coordinator):
    """One proposed officer, with only what the placement needs (names, grade and rank, home department,
    focus areas, dates, role), and the two answers while the placement awaits the host."""
    try:
        placement = host_placement_get(coordinator=coordinator, pk=pk)
    except Placement.DoesNotExist:
        raise Http404 from None
    action, accept, change = _forms(request, placement, coordinator)
    try:
        if action == "accept" and accept.is_valid():
            placement_host_accept(placement=placement, actor=request.user, **accept.cleaned_data)
            messages.success(
                request,
                _("%(officer)s is accepted; the placement is confirmed.")
                % {"officer": person_name(placement.officer)},
            )
            return redirect("hosting:placement_detail", pk=placement.pk)
        if action == "change" and change.is_valid():
            host_change_request_create(placement=placement, actor=request.user, **change.cleaned_data)
            messages.success(request, _("Your request is with CSB; they answer by e-mail."))
            return redirect("hosting:placement_detail", pk=placement.pk)
    except ValidationError as error:
        form = accept if action == "accept" else change
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, error)
    language = get_language()
    municipality, proposed = placement.batch.host_municipality_id, placement.host_organisation_id
    accept_key = f"host-accept-form:{coordinator.pk}:{municipality}:{proposed}:{language}"
    return render(
        request,
        "hosting/placement_detail.html",
        {
            "placement": placement,
            "awaiting": placement.status == Placement.Status.NOMINATED,
            "accept_form": accept,
            "change_form": change,
            "accept_fields": lambda: _form_fields(accept, accept_key, prepare=accept.read_choices),
            "change_fields": lambda: _form_fields(change, f"host-change-form:{language}"),
            "change_requests": placement.change_requests,
        },
    )


def _form_fields(form, key, prepare=None):
    """The form's fields as includes/form_fields.html writes them (`prepare()` first). An empty form's
    fields are the same for every request with the same key, rendered once per key under the figures
    version: the accept form's per coordinator (their organisations are its choices), the batch's
    municipality, the organisation proposed and the language, bumped by every save and delete of a host
    organisation and every change of a coordinator's organisations (placements.apps, selection.apps); the
    change form's per language. A form with errors is never kept."""

    def render_fields():
        if prepare is not None:
            prepare()
        return render_to_string("includes/form_fields.html", {"form": form})

    if form.is_bound:
        return mark_safe(render_fields())
    return mark_safe(figures_cached(key, render_fields))
