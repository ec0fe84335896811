"""The pipeline of running calls at a glance: how many departments were invited, and how many of their
officers were nominated, consented, shortlisted, selected and confirmed by the host. One query for any
number of calls (each figure an aggregate or a correlated count), scoped like the batches: CSB staff see
every call, coordinators the calls of the batches they coordinate."""

from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from placements.models import Batch, Placement

from ..models import Call, CallInvitation, Nomination

ACTIVE = ~Q(nominations__status=Nomination.Status.WITHDRAWN)
HOST_CONFIRMED = (Placement.Status.CONFIRMED, Placement.Status.IN_PROGRESS, Placement.Status.COMPLETED)

# The pipeline's steps in order: (attribute, label); labels translated where they are shown.
STEPS = ("invited", "nominated", "consented", "shortlisted", "selected", "host_confirmed")


@dataclass
class Pipeline:
    call: Call
    invited: int
    nominated: int
    consented: int
    shortlisted: int
    selected: int
    host_confirmed: int

    @property
    def places(self):
        return self.call.places

    @property
    def heading_id(self):
        """The id of the heading that names this pipeline on a page (its list is labelled by it)."""
        return f"pipeline-{self.call.pk}"

    @property
    def steps(self):
        return [(step, getattr(self, step)) for step in STEPS]


def with_pipeline_counts(calls):
    """`calls` annotated with the pipeline's figures: invited (departments), then nominations not
    withdrawn: nominated, consented (consent given), shortlisted, selected and host_confirmed (selected
    and the placement confirmed, under way or done)."""
    invited = (
        CallInvitation.objects.filter(call=OuterRef("pk"))
        .order_by()
        .values("call")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return calls.annotate(
        invited=Coalesce(Subquery(invited, output_field=IntegerField()), 0),
        nominated=Count("nominations", filter=ACTIVE),
        consented=Count("nominations", filter=ACTIVE & Q(nominations__consent=Nomination.Consent.GIVEN)),
        shortlisted=Count("nominations", filter=Q(nominations__status=Nomination.Status.SHORTLISTED)),
        selected=Count("nominations", filter=Q(nominations__status=Nomination.Status.SELECTED)),
        host_confirmed=Count(
            "nominations",
            filter=Q(
                nominations__status=Nomination.Status.SELECTED,
                nominations__placement__status__in=HOST_CONFIRMED,
            ),
        ),
    )


def _pipeline(call):
    return Pipeline(call=call, **{step: getattr(call, step) for step in STEPS})


def batch_pipeline(*, batch):
    """The pipeline of the batch's call, or None when the batch has no call or its call is a draft. One
    query."""
    call = (
        with_pipeline_counts(Call.objects.filter(batch=batch).exclude(status=Call.Status.DRAFT))
        .select_related("batch")
        .first()
    )
    return _pipeline(call) if call else None


def running_calls_pipeline(*, user, today=None):
    """The pipeline of every running call `user` may see: open calls, and finished ones whose batch has not
    started yet (the host side is still confirming), the soonest batch first. One query."""
    today = today or timezone.localdate()
    calls = Call.objects.filter(batch__in=Batch.objects.visible_to(user).values("pk")).filter(
        Q(status=Call.Status.OPEN) | Q(status=Call.Status.CLOSED, batch__start_date__gt=today)
    )
    calls = with_pipeline_counts(calls).select_related("batch__programme", "batch__host_municipality")
    return [_pipeline(call) for call in calls.order_by("batch__start_date", "pk")]
