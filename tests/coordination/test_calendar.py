import datetime

import pytest
from django.urls import reverse
from icalendar import Calendar

from placements.models import CalendarFeed, Placement
from placements.services import calendar_feed_renew, calendar_feed_revoke
from tests.factories import (
    BatchFactory,
    CalendarFeedFactory,
    ChecklistCompletionFactory,
    ChecklistItemFactory,
    CoordinatorUserFactory,
    OfficerFactory,
    PlacementFactory,
)

pytestmark = pytest.mark.django_db
SETTINGS = reverse("calendar:settings")


def events(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return {str(e["uid"]): e for e in Calendar.from_ical(response.content).walk("VEVENT")}


def test_signing_in_is_needed_to_manage_the_address(client):
    response = client.get(SETTINGS)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert client.post(SETTINGS, {"action": "renew"}).status_code == 302
    assert not CalendarFeed.objects.exists()


def test_create_replace_and_revoke_the_address(coordinator_client, coordinator_user):
    page = coordinator_client.get(SETTINGS).content.decode()
    assert "You have no calendar address yet." in page

    coordinator_client.post(SETTINGS, {"action": "renew"})
    first = CalendarFeed.objects.get(user=coordinator_user).token
    page = coordinator_client.get(SETTINGS).content.decode()
    assert reverse("calendar:feed", args=[first]) in page
    assert coordinator_client.get(reverse("calendar:feed", args=[first])).status_code == 200

    coordinator_client.post(SETTINGS, {"action": "renew"})
    second = CalendarFeed.objects.get(user=coordinator_user).token
    assert second != first and len(second) >= 40
    assert coordinator_client.get(reverse("calendar:feed", args=[first])).status_code == 404

    coordinator_client.post(SETTINGS, {"action": "revoke"})
    assert not CalendarFeed.objects.filter(user=coordinator_user).exists()
    assert coordinator_client.get(reverse("calendar:feed", args=[second])).status_code == 404


def test_an_unknown_address_is_not_found(client):
    assert client.get(reverse("calendar:feed", args=["not-a-token"])).status_code == 404


def test_revoking_nothing_is_harmless(coordinator_user):
    assert calendar_feed_revoke(user=coordinator_user) is False


def test_a_coordinator_feed_has_their_batches_and_nobody_elses(client, coordinator_user):
    mine = BatchFactory(
        coordinators=[coordinator_user],
        start_date=datetime.date(2026, 10, 12),
        end_date=datetime.date(2027, 1, 8),
        launch_date=datetime.date(2026, 10, 12),
    )
    other = BatchFactory(coordinators=[CoordinatorUserFactory()])
    feed = calendar_feed_renew(user=coordinator_user)
    found = events(client.get(reverse("calendar:feed", args=[feed.token])))
    assert set(found) == {f"batch-{mine.pk}@exchange-portal", f"batch-{mine.pk}-launch@exchange-portal"}
    event = found[f"batch-{mine.pk}@exchange-portal"]
    assert event.decoded("dtstart") == datetime.date(2026, 10, 12)
    assert event.decoded("dtend") == datetime.date(2027, 1, 9)  # all-day: the day after the last
    assert str(event["summary"]) == f"Batch: {mine.name}"
    assert f"batch-{other.pk}@exchange-portal" not in found


def test_a_participant_feed_has_their_active_placements(client, officer_with_login):
    placement = PlacementFactory(officer=officer_with_login)
    withdrawn = PlacementFactory(
        officer=officer_with_login,
        batch=BatchFactory(start_date=datetime.date(2028, 1, 3), end_date=datetime.date(2028, 3, 31)),
        status=Placement.Status.WITHDRAWN,
    )
    PlacementFactory(officer=OfficerFactory())  # someone else's
    feed = calendar_feed_renew(user=officer_with_login.user)
    found = events(client.get(reverse("calendar:feed", args=[feed.token])))
    assert set(found) == {f"placement-{placement.pk}@exchange-portal"}
    assert placement.host_organisation.name_en in str(
        found[f"placement-{placement.pk}@exchange-portal"]["summary"]
    )
    assert f"placement-{withdrawn.pk}@exchange-portal" not in found


def test_the_feed_speaks_the_language_it_was_created_in(client, officer_with_login):
    placement = PlacementFactory(officer=officer_with_login)
    placement.host_organisation.name_zh = "深圳市生態環境局"
    placement.host_organisation.save()
    feed = calendar_feed_renew(user=officer_with_login.user, language="zh-hans")
    found = events(client.get(reverse("calendar:feed", args=[feed.token]), HTTP_ACCEPT_LANGUAGE="en"))
    assert str(found[f"placement-{placement.pk}@exchange-portal"]["summary"]) == "派驻：深圳市生态环境局"


def test_the_feed_of_a_deactivated_account_is_not_served(client, coordinator_user):
    feed = calendar_feed_renew(user=coordinator_user)
    coordinator_user.is_active = False
    coordinator_user.save()
    assert client.get(reverse("calendar:feed", args=[feed.token])).status_code == 404


def test_the_feed_costs_a_fixed_number_of_queries(client, coordinator_user, django_assert_num_queries):
    for _ in range(3):
        batch = BatchFactory(coordinators=[coordinator_user])
        PlacementFactory(batch=batch)
    feed = calendar_feed_renew(user=coordinator_user)
    # the feed with its user, the user's batches, the user's placements, the checklist due dates
    with django_assert_num_queries(4):
        client.get(reverse("calendar:feed", args=[feed.token]))
    for _ in range(3):
        ChecklistItemFactory(batch=BatchFactory(coordinators=[coordinator_user]), due_date=None)
    with django_assert_num_queries(4):
        assert len(events(client.get(reverse("calendar:feed", args=[feed.token])))) == 6


def test_csb_staff_see_feeds_in_the_admin_without_their_tokens_and_can_revoke_them(
    csb_client, django_assert_num_queries
):
    feeds = CalendarFeedFactory.create_batch(4)
    url = reverse("admin:placements_calendarfeed_changelist")
    csb_client.get(url)
    # session, user, a count, the rows with their users. 7 before issue 18: the user's and the group's
    # permissions (cached by the view before) and a second count (core.admin.QuickChangelistMixin).
    # ... and the user with their profiles, cached since the first request (participants.backends)
    with django_assert_num_queries(3):
        page = csb_client.get(url).content.decode()
    assert feeds[0].user.username in page and feeds[0].token not in page
    change = csb_client.get(reverse("admin:placements_calendarfeed_change", args=[feeds[0].pk]))
    assert feeds[0].token not in change.content.decode()
    assert csb_client.get(reverse("admin:placements_calendarfeed_add")).status_code == 403
    csb_client.post(reverse("admin:placements_calendarfeed_delete", args=[feeds[0].pk]), {"post": "yes"})
    assert not CalendarFeed.objects.filter(pk=feeds[0].pk).exists()


def test_a_participant_feed_has_the_due_dates_of_their_unticked_checklist_items(client, officer_with_login):
    placement = PlacementFactory(officer=officer_with_login)
    pending = ChecklistItemFactory(batch=placement.batch, title="Travel documents checked")
    ticked = ChecklistItemFactory(batch=placement.batch)
    ChecklistCompletionFactory(placement=placement, item=ticked)
    undated = ChecklistItemFactory(batch=placement.batch, due_date=None)
    elsewhere = ChecklistItemFactory()  # another batch's item
    feed = calendar_feed_renew(user=officer_with_login.user)

    found = events(client.get(reverse("calendar:feed", args=[feed.token])))

    assert str(found[f"checklist-{pending.pk}@exchange-portal"]["summary"]) == "Due: Travel documents checked"
    assert found[f"checklist-{pending.pk}@exchange-portal"]["dtstart"].dt == pending.due_date
    for item in (ticked, undated, elsewhere):
        assert f"checklist-{item.pk}@exchange-portal" not in found


def test_a_coordinator_feed_has_the_due_dates_of_their_batches_checklists(client, coordinator_user):
    batch = BatchFactory(coordinators=[coordinator_user])
    item = ChecklistItemFactory(batch=batch)
    other = ChecklistItemFactory()
    feed = calendar_feed_renew(user=coordinator_user)

    found = events(client.get(reverse("calendar:feed", args=[feed.token])))

    assert f"checklist-{item.pk}@exchange-portal" in found
    assert f"checklist-{other.pk}@exchange-portal" not in found


def test_a_chinese_feed_reads_batch_names_and_checklist_titles_in_chinese_with_iso_dates(
    client, coordinator_user
):
    batch = BatchFactory(coordinators=[coordinator_user], name="GBA feed batch", name_zh="大灣區日曆批次")
    item = ChecklistItemFactory(batch=batch, title="Check your travel documents", title_zh="檢查旅行證件")
    feed = calendar_feed_renew(user=coordinator_user, language="zh-hant")
    response = client.get(reverse("calendar:feed", args=[feed.token]))
    found = events(response)
    assert str(found[f"batch-{batch.pk}@exchange-portal"]["summary"]) == "批次：大灣區日曆批次"
    assert str(found[f"checklist-{item.pk}@exchange-portal"]["summary"]).endswith("檢查旅行證件")
    # iCalendar keeps machine dates: DTSTART;VALUE=DATE:YYYYMMDD.
    assert f"DTSTART;VALUE=DATE:{batch.start_date:%Y%m%d}" in response.content.decode()
