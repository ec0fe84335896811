"""The feed's iCalendar text is written directly (coordination.calendar.ical); it must be byte for byte
what the icalendar library writes for the same calendar, as the feed wrote it before."""

import datetime

import pytest
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event
from icalendar.parser.string import _foldline

from coordination.calendar.ical import calendar_ical, fold
from coordination.calendar.selectors import CalendarEvent, calendar_events
from core.names import local_field, local_name
from placements.models import Batch, ChecklistItem, Placement
from placements.services import calendar_feed_renew
from tests.factories import (
    BatchFactory,
    ChecklistCompletionFactory,
    ChecklistItemFactory,
    CoordinatorUserFactory,
    OfficerFactory,
    ParticipantUserFactory,
    PlacementFactory,
)

UTC = datetime.UTC
NOW = datetime.datetime(2026, 11, 29, 16, 5, 7, 123456, tzinfo=UTC)
PRODID = "-//Civil Service Bureau//Exchange Portal//EN"


def library_ical(name, events, now):
    """The feed as the icalendar library wrote it (the view's code before issue 18)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    for item in events:
        event = Event()
        event.add("uid", item.uid)
        event.add("dtstamp", item.stamp or now)
        event.add("summary", item.summary)
        event.add("dtstart", item.start)
        event.add("dtend", item.end + datetime.timedelta(days=1))
        if item.description:
            event.add("description", item.description)
        if item.location:
            event.add("location", item.location)
        calendar.add_component(event)
    return calendar.to_ical()


TEXTS = [
    "Batch: CSSEP outbound 2002 · Shanghai",
    "Civil Service Staff Exchange Programme · Outbound (Hong Kong officers to the Mainland) · Completed",
    "Futian, Shenzhen; a comma, a semicolon; a backslash \\ and \\N and a\nnew line\r\nand\rreturns",
    "批次：大灣區日曆批次 · 粵港澳大灣區公務員交流計劃 · 深圳市生態環境局 · 特別助理（副區長）" * 2,
    "派驻：深圳市生态环境局",
    "x" * 73 + "\\" + "y" * 10,
    "x" * 72 + ",," + "y" * 80,
    "a" * 74,
    "a" * 75,
    "a" * 200,
    "emoji 🎉 " * 30,
    "é" * 50 + "\\n" + "中" * 40,
    "^caret" * 20,
    "",
]


def _events():
    day = datetime.date(2026, 10, 12)
    events = []
    for n, text in enumerate(TEXTS):
        events.append(
            CalendarEvent(
                uid=f"batch-{n}@exchange-portal",
                summary=text or "Due: nothing",
                start=day,
                end=day + datetime.timedelta(days=n),
                description=TEXTS[-1 - n],
                location=text[:40],
                stamp=None if n % 3 == 0 else NOW - datetime.timedelta(days=n, seconds=n * 77),
            )
        )
    return events


@pytest.mark.parametrize("name", ["Exchange Portal", "交流平台", "交流平台, a; long name " * 5])
def test_the_calendar_is_written_as_the_library_writes_it(name):
    events = _events()
    assert calendar_ical(prodid=PRODID, name=name, events=events, now=NOW) == library_ical(name, events, NOW)


def test_an_empty_calendar_is_written_as_the_library_writes_it():
    assert calendar_ical(prodid=PRODID, name="Exchange Portal", events=[], now=NOW) == library_ical(
        "Exchange Portal", [], NOW
    )


def test_a_time_stamp_in_another_zone_is_written_in_utc():
    hong_kong = datetime.timezone(datetime.timedelta(hours=8))
    event = CalendarEvent(
        uid="u",
        summary="s",
        start=datetime.date(2026, 1, 1),
        end=datetime.date(2026, 1, 1),
        stamp=datetime.datetime(2026, 1, 1, 7, 30, tzinfo=hong_kong),
    )
    assert b"DTSTAMP:20251231T233000Z\r\n" in calendar_ical(prodid=PRODID, name="n", events=[event], now=NOW)


@pytest.mark.parametrize("text", TEXTS)
def test_folding_is_the_libraries(text):
    line = f"DESCRIPTION:{text}".replace("\n", " ").replace("\r", " ")
    assert fold(line) == _foldline(line)


def reference_events(user):
    """The feed's events as its selectors read them before issue 18 (model instances, each label
    translated per event), to compare with the cheaper reads."""
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
    active = [status for status in Placement.Status.values if status != Placement.Status.WITHDRAWN]
    items = (
        ChecklistItem.objects.filter(due_date__isnull=False)
        .filter(
            Q(batch__coordinators=user)
            | Q(batch__placements__officer__user=user, batch__placements__status__in=active)
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


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "zh-hant", "zh-hans"])
def test_a_real_feed_is_what_the_library_wrote_of_the_events_read_as_before(client, language):
    coordinator = CoordinatorUserFactory()
    batch = BatchFactory(
        coordinators=[coordinator],
        name="GBA feed batch, with a comma; and a semicolon",
        name_zh="大灣區日曆批次",
        launch_date=datetime.date(2026, 10, 12),
    )
    BatchFactory(coordinators=[coordinator], status=Batch.Status.COMPLETED)
    ChecklistItemFactory(batch=batch, title="Check your travel documents", title_zh="檢查旅行證件")
    ChecklistItemFactory(batch=batch, help_text="Bring:\n- passport\n- permit, both valid " * 3)
    officer = OfficerFactory(user=ParticipantUserFactory())
    mine = PlacementFactory(batch=batch, officer=officer, role="Attaché, special duties", role_zh="特別助理")
    PlacementFactory(officer=officer, host_area=None, host_organisation=None)
    ticked = ChecklistItemFactory(batch=batch, title="Ticked")
    ChecklistCompletionFactory(placement=mine, item=ticked)
    for user in (coordinator, officer.user):
        feed = calendar_feed_renew(user=user, language=language)
        body = client.get(reverse("calendar:feed", args=[feed.token])).content
        with translation.override(language):
            expected = library_ical(_("Exchange Portal"), list(reference_events(user)), NOW)
            assert calendar_events(user=user) == list(reference_events(user))
        assert body == expected
