"""Reads shared by views, exports and commands. Access scoping is a queryset filter: what a user may not
see is simply not found."""

from django.db.models import Max

from participants.models import Officer
from participants.services import ANONYMISED_EMAIL_DOMAIN

from .models import Batch, Placement


def batch_list(*, user):
    """The batches `user` may see, with what a list shows and participant counts."""
    return Batch.objects.visible_to(user).with_list_related().with_participant_counts()


def batch_get(*, user, pk):
    """One batch `user` may see (raises Batch.DoesNotExist otherwise)."""
    return Batch.objects.visible_to(user).with_list_related().get(pk=pk)


def placement_list_for_batch(*, batch, include_withdrawn=True):
    """A batch's placements with everything a roster row needs, withdrawn ones last."""
    placements = Placement.objects.for_batch(batch).with_roster_related()
    if not include_withdrawn:
        placements = placements.active()
    return placements.order_by(Placement.withdrawn_last(), "host_area__name_en", "officer__name_en", "pk")


def placement_overlapping(*, officer, start_date, end_date, exclude_pk=None):
    """The officer's active placements that overlap the given dates."""
    placements = Placement.objects.active().for_officer(officer).overlapping(start_date, end_date)
    if exclude_pk:
        placements = placements.exclude(pk=exclude_pk)
    return placements.select_related("batch__programme")


def officer_list_placed_before(*, day):
    """Officers whose last placement ended before `day` and who are not anonymised yet: the ones
    purge_personal_data anonymises. Officers never placed are left alone (nothing says they are done)."""
    return (
        Officer.objects.annotate(last_placement_end=Max("placements__end_date"))
        .filter(last_placement_end__lt=day)
        .exclude(email__endswith=f"@{ANONYMISED_EMAIL_DOMAIN}")
        .order_by("last_placement_end", "pk")
    )
