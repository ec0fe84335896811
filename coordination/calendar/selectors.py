"""The reads behind a calendar feed: the feed by its token, and the events of its user.

Each event source is a function of the user that yields `CalendarEvent`s from one query; the feed is
their union. Add sources to EVENT_SOURCES (see the hook below)."""

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from core.names import local_field, local_name
from placements.models import Batch, CalendarFeed, ChecklistItem, Placement


@dataclass
class CalendarEvent:
    uid: str
    summary: str
    start: datetime.date
    end: datetime.date  # the last day, inclusive
    description: str = ""
    location: str = ""
    stamp: datetime.datetime | None = None


def calendar_feed_get(*, token):
    """The feed with this token, with its user (raises CalendarFeed.DoesNotExist for an unknown one)."""
    return CalendarFeed.objects.select_related("user").get(token=token)


def batch_events(user):
    """The dates of the batches `user` coordinates: each batch from its start to its end date."""
    batches = Batch.objects.coordinated_by(user).with_list_related().order_by("start_date", "pk")
    for batch in batches:
        yield CalendarEvent(
            uid=f"batch-{batch.pk}@exchange-portal",
            summary=_("Batch: %(name)s") % {"name": local_field(batch, "name")},
            start=batch.start_date,
            end=batch.end_date,
            description=" · ".join(
                [local_name(batch.programme), batch.get_direction_display(), batch.get_status_display()]
            ),
            location=local_name(batch.host_municipality),
            stamp=batch.updated_at,
        )
        if batch.launch_date:
            yield CalendarEvent(
                uid=f"batch-{batch.pk}-launch@exchange-portal",
                summary=_("Launch: %(name)s") % {"name": local_field(batch, "name")},
                start=batch.launch_date,
                end=batch.launch_date,
                location=local_name(batch.host_municipality),
                stamp=batch.updated_at,
            )


def placement_events(user):
    """The user's own placements (as a participant), withdrawn ones left out."""
    placements = (
        Placement.objects.active()
        .filter(officer__user=user)
        .select_related("batch__host_municipality", "host_organisation", "host_area")
        .order_by("start_date", "pk")
    )
    for placement in placements:
        host = local_name(placement.host_organisation) if placement.host_organisation_id else ""
        place = local_name(placement.host_area) if placement.host_area_id else ""
        city = local_name(placement.batch.host_municipality)
        yield CalendarEvent(
            uid=f"placement-{placement.pk}@exchange-portal",
            summary=_("Placement: %(host)s") % {"host": host or city},
            start=placement.start_date,
            end=placement.end_date,
            description=" · ".join(
                filter(None, [local_field(placement.batch, "name"), local_field(placement, "role")])
            ),
            location=", ".join(filter(None, [place, city])),
            stamp=placement.updated_at,
        )


def checklist_events(user):
    """The due dates of checklist items: for a participant, their active placements' items not yet
    ticked; for a coordinator, every dated item of the batches they coordinate. One query."""
    items = (
        ChecklistItem.objects.filter(due_date__isnull=False)
        .filter(
            Q(batch__coordinators=user)
            | Q(batch__placements__officer__user=user, batch__placements__status__in=_ACTIVE_STATUSES)
        )
        .exclude(completions__placement__officer__user=user)
        .select_related("batch")
        .distinct()
        .order_by("due_date", "pk")
    )
    for item in items:
        yield CalendarEvent(
            uid=f"checklist-{item.pk}@exchange-portal",
            summary=_("Due: %(task)s") % {"task": local_field(item, "title")},
            start=item.due_date,
            end=item.due_date,
            description=" · ".join(filter(None, [local_field(item.batch, "name"), item.help_text])),
            stamp=item.updated_at,
        )


_ACTIVE_STATUSES = [status for status in Placement.Status.values if status != Placement.Status.WITHDRAWN]

EVENT_SOURCES = [batch_events, placement_events, checklist_events]


def calendar_events(*, user):
    """Every event of `user`'s feed, from every source (one query per source)."""
    return [event for source in EVENT_SOURCES for event in source(user)]
