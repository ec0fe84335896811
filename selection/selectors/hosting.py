"""The host side's reads: the placements proposed to a host coordinator's organisations, and CSB's list of
placements still awaiting the host. A placement is proposed by the selection when it has a nomination;
scoping is a queryset filter, so another organisation's placement is simply not found (404)."""

from django.db.models import Exists, OuterRef, Prefetch

from placements.models import FocusArea, Placement
from selection.models import HostChangeRequest, HostCoordinator, NominatingOfficer


def host_coordinator_of(*, user):
    """The user's host coordinator profile, or None (anonymous users and everyone else)."""
    if not user.is_authenticated:
        return None
    try:
        # Through the relation, so the profile is cached on the user for the rest of the request (the nav).
        return user.host_coordinator
    except HostCoordinator.DoesNotExist:
        return None


def _open_change_request():
    return Exists(HostChangeRequest.objects.filter(placement=OuterRef("pk"), resolved_at__isnull=True))


def _with_host_page_related(queryset, *, focus_areas=False, nomination=False, open_change_request=True):
    """What the host's pages show of a placement: the officer's names, grade and rank, home department,
    the batch and dates, whether a change request is open (unless `open_change_request` is False: the
    officer's page works it out from the change requests it lists), and on the officer's page the focus
    areas (CSB's list: the nomination's decision). Nothing else of the officer is shown (no e-mail,
    phones, emergency contact, dietary needs or notes)."""
    related = ["officer__rank__grade", "home_department", "host_organisation", "batch"]
    if nomination:
        related.append("nomination")
    queryset = queryset.select_related(*related)
    if open_change_request:
        queryset = queryset.annotate(has_open_change_request=_open_change_request())
    if focus_areas:
        queryset = queryset.prefetch_related(
            Prefetch("focus_areas", queryset=FocusArea.objects.order_by("name_en"))
        )
    return queryset


def host_placements(*, coordinator, awaiting=None, focus_areas=False, open_change_request=True):
    """Placements proposed by the selection to the coordinator's organisations, not withdrawn; awaiting
    the host first. `awaiting=True` keeps those still to answer, `False` those already confirmed or later;
    `focus_areas` prefetches them (the officer's page shows them, the list does not)."""
    queryset = Placement.objects.filter(
        host_organisation__host_coordinators=coordinator, nomination__isnull=False
    ).exclude(status=Placement.Status.WITHDRAWN)
    if awaiting is True:
        queryset = queryset.filter(status=Placement.Status.NOMINATED)
    elif awaiting is False:
        queryset = queryset.exclude(status=Placement.Status.NOMINATED)
    return _with_host_page_related(
        queryset, focus_areas=focus_areas, open_change_request=open_change_request
    ).order_by("-status", "batch__start_date", "officer__name_en", "pk")


def host_placement_get(*, coordinator, pk):
    """One placement proposed to the coordinator's organisations (Placement.DoesNotExist otherwise), with
    its change requests, newest first (`change_requests`), and whether one is open."""
    placement = (
        host_placements(coordinator=coordinator, focus_areas=True, open_change_request=False)
        .prefetch_related(
            Prefetch(
                "host_change_requests",
                queryset=HostChangeRequest.objects.order_by("-created_at"),
                to_attr="change_requests",
            )
        )
        .get(pk=pk)
    )
    # The same as the list's annotation (_open_change_request), from the rows the page lists anyway.
    placement.has_open_change_request = any(c.resolved_at is None for c in placement.change_requests)
    return placement


def placements_awaiting_host(*, batch=None):
    """CSB's list: every placement made by a selection that the host has not yet confirmed (status
    nominated, not withdrawn), with whether the host asked for a change."""
    queryset = Placement.objects.filter(nomination__isnull=False, status=Placement.Status.NOMINATED)
    if batch is not None:
        queryset = queryset.filter(batch=batch)
    return _with_host_page_related(queryset, nomination=True).order_by(
        "batch__start_date", "officer__name_en", "pk"
    )


def change_requests_open(*, placement):
    """The placement's change requests that CSB has not resolved, newest first."""
    return placement.host_change_requests.filter(resolved_at__isnull=True).order_by("-created_at")


def nominating_officers_of(*, department):
    """The nominating officers who speak for `department` (whom the host's answer is e-mailed to)."""
    return NominatingOfficer.objects.filter(departments=department).order_by("name")
