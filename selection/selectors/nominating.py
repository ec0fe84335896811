"""Reads for the departments' nominating officers and for the officer's consent. Scoping is a queryset
filter: a nominating officer finds only calls inviting one of their departments, only their
departments' nominations and officers; an officer finds only their own nominations. Anything else is
not found (404)."""

from django.db.models import Count, F, Prefetch, Q, prefetch_related_objects

from participants.models import Officer

from ..models import Call, CallInvitation, NominatingOfficer, Nomination


def nominator_for_user(*, user):
    """The nominating officer profile of `user` with their departments, or None."""
    if not user.is_authenticated:
        return None
    try:
        # Through the relation: the authentication backend reads the profile with the user.
        nominator = user.nominating_officer
    except NominatingOfficer.DoesNotExist:
        return None
    prefetch_related_objects([nominator], "departments")
    return nominator


def _department_ids(nominator):
    return [d.pk for d in nominator.departments.all()]


def _my_invitations(departments):
    """The calls' invitations of `departments` as `my_invitations`, each annotated with `used`: its
    nominations not withdrawn."""
    invitations = (
        CallInvitation.objects.filter(department_id__in=departments)
        .select_related("department")
        .annotate(
            used=Count(
                "call__nominations",
                filter=Q(call__nominations__department_id=F("department_id"))
                & ~Q(call__nominations__status=Nomination.Status.WITHDRAWN),
            )
        )
    )
    return Prefetch("invitations", queryset=invitations, to_attr="my_invitations")


def call_list_for_nominator(*, nominator, invitations=True):
    """The calls (open or finished, never drafts) inviting one of the nominator's departments, the
    latest closing first, each with `my_invitations` (their departments' invitations, each annotated
    with `used`: its nominations not withdrawn) unless `invitations` is False."""
    departments = _department_ids(nominator)
    calls = (
        Call.objects.filter(invitations__department_id__in=departments)
        .exclude(status=Call.Status.DRAFT)
        .distinct()
        .select_related("batch__programme", "batch__host_municipality")
        .order_by("-closes_on", "-pk")
    )
    return calls.prefetch_related(_my_invitations(departments)) if invitations else calls


def call_get_for_nominator(*, nominator, pk, related=True):
    """One call of call_list_for_nominator (Call.DoesNotExist otherwise), with the batch's focus areas;
    `related=False` reads the call and its batch alone (call_related_for_nominator adds the rest)."""
    if not related:
        return call_list_for_nominator(nominator=nominator, invitations=False).get(pk=pk)
    return call_list_for_nominator(nominator=nominator).prefetch_related("batch__focus_areas").get(pk=pk)


def call_related_for_nominator(*, nominator, call):
    """What call_get_for_nominator reads beside a call read with related=False."""
    prefetch_related_objects([call], _my_invitations(_department_ids(nominator)), "batch__focus_areas")
    return call


def nomination_list_for_nominator(*, nominator, call=None):
    """The nominations of the nominator's departments (of `call` if given), with what the pages show."""
    nominations = Nomination.objects.filter(department_id__in=_department_ids(nominator)).exclude(
        call__status=Call.Status.DRAFT
    )
    if call is not None:
        nominations = nominations.filter(call=call)
    return nominations.select_related(
        "officer__rank__grade", "officer__home_department", "department", "call__batch"
    ).prefetch_related("focus_areas")


def nomination_get_for_nominator(*, nominator, pk):
    """One nomination of the nominator's departments (Nomination.DoesNotExist otherwise)."""
    return nomination_list_for_nominator(nominator=nominator).get(pk=pk)


def officer_choices_for_nominator(*, nominator, department_ids=None):
    """The Hong Kong officers of the nominator's departments (of `department_ids` among them), for the
    nomination form's picker."""
    departments = set(_department_ids(nominator))
    if department_ids is not None:
        departments &= set(department_ids)
    return (
        Officer.objects.filter(home_side=Officer.HomeSide.HONG_KONG, home_department_id__in=departments)
        .select_related("home_department", "rank__grade")
        .order_by("name_en", "pk")
    )


def nomination_list_for_officer(*, officer):
    """The officer's own nominations (not withdrawn, calls not in draft), the latest call first."""
    return (
        Nomination.objects.filter(officer=officer)
        .exclude(status=Nomination.Status.WITHDRAWN)
        .exclude(call__status=Call.Status.DRAFT)
        .select_related("call__batch__host_municipality", "department")
        .order_by("-call__closes_on", "-pk")
    )


def nomination_get_for_officer(*, officer, pk):
    """One of the officer's own nominations (Nomination.DoesNotExist otherwise)."""
    return nomination_list_for_officer(officer=officer).prefetch_related("focus_areas").get(pk=pk)
