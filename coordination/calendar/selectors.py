"""The reads behind a calendar feed: the feed by its token, and the events of its user.

Each event source is a function of the user that yields `CalendarEvent`s from one query; the feed is
their union. Add sources to EVENT_SOURCES (see the hook below)."""

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from core.names import local_text
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
    batches = (
        Batch.objects.coordinated_by(user)
        .order_by("start_date", "pk")
        .values(
            "pk",
            "name",
            "name_zh",
            "start_date",
            "end_date",
            "launch_date",
            "updated_at",
            "direction",
            "status",
            "programme__name_en",
            "programme__name_zh",
            "host_municipality__name_en",
            "host_municipality__name_zh",
        )
    )
    # Translated once, not per batch.
    batch_label, launch_label = _("Batch: %(name)s"), _("Launch: %(name)s")
    directions = {value: str(label) for value, label in Batch.Direction.choices}
    statuses = {value: str(label) for value, label in Batch.Status.choices}
    for batch in batches:
        name = local_text(batch["name"], batch["name_zh"])
        city = local_text(batch["host_municipality__name_en"], batch["host_municipality__name_zh"])
        programme = local_text(batch["programme__name_en"], batch["programme__name_zh"])
        yield CalendarEvent(
            uid=f"batch-{batch['pk']}@exchange-portal",
            summary=batch_label % {"name": name},
            start=batch["start_date"],
            end=batch["end_date"],
            description=" · ".join(
                [
                    programme,
                    directions.get(batch["direction"], batch["direction"]),
                    statuses.get(batch["status"], batch["status"]),
                ]
            ),
            location=city,
            stamp=batch["updated_at"],
        )
        if batch["launch_date"]:
            yield CalendarEvent(
                uid=f"batch-{batch['pk']}-launch@exchange-portal",
                summary=launch_label % {"name": name},
                start=batch["launch_date"],
                end=batch["launch_date"],
                location=city,
                stamp=batch["updated_at"],
            )


def placement_events(user):
    """The user's own placements (as a participant), withdrawn ones left out."""
    placements = (
        Placement.objects.active()
        .filter(officer__user=user)
        .order_by("start_date", "pk")
        .values(
            "pk",
            "start_date",
            "end_date",
            "updated_at",
            "role",
            "role_zh",
            "batch__name",
            "batch__name_zh",
            "host_organisation__name_en",
            "host_organisation__name_zh",
            "host_area__name_en",
            "host_area__name_zh",
            "batch__host_municipality__name_en",
            "batch__host_municipality__name_zh",
        )
    )
    label = _("Placement: %(host)s")
    for placement in placements:
        host = local_text(placement["host_organisation__name_en"], placement["host_organisation__name_zh"])
        place = local_text(placement["host_area__name_en"], placement["host_area__name_zh"])
        city = local_text(
            placement["batch__host_municipality__name_en"], placement["batch__host_municipality__name_zh"]
        )
        batch = local_text(placement["batch__name"], placement["batch__name_zh"])
        role = local_text(placement["role"], placement["role_zh"])
        yield CalendarEvent(
            uid=f"placement-{placement['pk']}@exchange-portal",
            summary=label % {"host": host or city},
            start=placement["start_date"],
            end=placement["end_date"],
            description=" · ".join(filter(None, [batch, role])),
            location=", ".join(filter(None, [place, city])),
            stamp=placement["updated_at"],
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
        .distinct()
        .order_by("due_date", "pk")
        .values(
            "pk", "due_date", "title", "title_zh", "help_text", "updated_at", "batch__name", "batch__name_zh"
        )
    )
    label = _("Due: %(task)s")
    for item in items:
        batch = local_text(item["batch__name"], item["batch__name_zh"])
        yield CalendarEvent(
            uid=f"checklist-{item['pk']}@exchange-portal",
            summary=label % {"task": local_text(item["title"], item["title_zh"])},
            start=item["due_date"],
            end=item["due_date"],
            description=" · ".join(filter(None, [batch, item["help_text"]])),
            stamp=item["updated_at"],
        )


_ACTIVE_STATUSES = [status for status in Placement.Status.values if status != Placement.Status.WITHDRAWN]

EVENT_SOURCES = [batch_events, placement_events, checklist_events]


def calendar_events(*, user):
    """Every event of `user`'s feed, from every source (one query per source)."""
    return [event for source in EVENT_SOURCES for event in source(user)]
