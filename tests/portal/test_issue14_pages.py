"""The participant's pages after issue 14: the notices history, the report's confirmation step, items the
portal ticks itself, read-only completed batches, and no report prompt before confirmation."""

import pytest
from django.urls import reverse

from placements.models import Batch, ChecklistCompletion, ChecklistItem, ExchangeReport, Notice, Placement
from tests.factories import (
    BatchFactory,
    ChecklistCompletionFactory,
    ChecklistItemFactory,
    ExchangeReportFactory,
    NoticeFactory,
    PlacementFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def placement(officer_with_login):
    return PlacementFactory(officer=officer_with_login, batch=BatchFactory(status=Batch.Status.IN_PROGRESS))


@pytest.fixture
def officer_client(client, officer_with_login):
    client.force_login(officer_with_login.user)
    return client


# --- notices ---


def test_a_notice_marked_read_leaves_my_page_but_stays_in_the_history(officer_client, placement):
    notice = NoticeFactory(placement=placement, message="Your placement is confirmed.")
    other = NoticeFactory(message="Someone else's notice.")
    assert (
        "Your placement is confirmed." in officer_client.get(reverse("portal:my_placement")).content.decode()
    )
    response = officer_client.post(reverse("portal:notice_read", args=[notice.pk]), {"next": "notices"})
    assert response.url == reverse("portal:notice_list")
    assert (
        "Your placement is confirmed."
        not in officer_client.get(reverse("portal:my_placement")).content.decode()
    )
    html = officer_client.get(reverse("portal:notice_list")).content.decode()
    assert "Your placement is confirmed." in html and "read on" in html
    assert other.message not in html
    assert Notice.objects.get(pk=notice.pk).read_at is not None


def test_my_page_links_the_history(officer_client, placement):
    NoticeFactory(placement=placement)
    assert (
        reverse("portal:notice_list") in officer_client.get(reverse("portal:my_placement")).content.decode()
    )


def test_the_history_is_paginated_with_a_fixed_query_count(
    officer_client, placement, django_assert_num_queries
):
    NoticeFactory.create_batch(3, placement=placement)
    url = reverse("portal:notice_list")
    # session, user with the navigation's officer, the paginator's count, the page of notices with
    # placement and batch, and the user's own and group permissions (a first view). 8 before issue 18,
    # when the navigation's officer was a query of its own; 7 before the page's officer was the one read
    # with the user (portal.views._own_officer).
    with django_assert_num_queries(6):
        assert officer_client.get(url).status_code == 200
    NoticeFactory.create_batch(30, placement=placement)
    officer_client.get(url)
    # the same less the permissions, cached by the view before
    # ... and the user with their profiles, cached since the first request (participants.backends)
    with django_assert_num_queries(3):
        response = officer_client.get(url)
    assert len(response.context["notices"]) == 25
    assert len(officer_client.get(url, {"page": 2}).context["notices"]) == 8
    assert officer_client.get(url, {"page": "x"}).status_code == 200


# --- the report: confirmation, nominated, completed ---


def test_submitting_shows_a_summary_and_only_confirm_submits_and_ticks(officer_client, placement):
    item = ChecklistItemFactory(batch=placement.batch, kind=ChecklistItem.Kind.REPORT_SUBMITTED)
    url = reverse("portal:placement_report", args=[placement.pk])
    data = {"learning": "Approval desks", "connections": "Bureaux", "goodwill": "A talk", "action": "submit"}
    response = officer_client.post(url, data)
    assert "Submit the exchange report?" in response.content.decode()
    assert ExchangeReport.objects.get().status == ExchangeReport.Status.DRAFT
    assert not ChecklistCompletion.objects.exists()
    officer_client.post(url, {"action": "confirm"})
    assert ExchangeReport.objects.get().is_submitted
    assert ChecklistCompletion.objects.filter(item=item, placement=placement).exists()
    # The page that showed "Submitted" next to "Submit your exchange report" overdue now agrees.
    html = officer_client.get(reverse("portal:my_placement")).content.decode()
    assert "1 of 1 done" in html


def test_confirm_without_the_answers_submits_nothing(officer_client, placement):
    ExchangeReportFactory(placement=placement, goodwill="")
    response = officer_client.post(
        reverse("portal:placement_report", args=[placement.pk]), {"action": "confirm"}
    )
    assert response.status_code == 302
    assert ExchangeReport.objects.get().status == ExchangeReport.Status.DRAFT


def test_a_nominated_officer_is_not_asked_to_start_the_report(officer_client, placement):
    Placement.objects.filter(pk=placement.pk).update(status=Placement.Status.NOMINATED)
    html = officer_client.get(reverse("portal:my_placement")).content.decode()
    assert "Start the report" not in html
    assert "once your placement is confirmed" in html
    response = officer_client.get(reverse("portal:placement_report", args=[placement.pk]))
    assert response.context["form"] is None
    officer_client.post(
        reverse("portal:placement_report", args=[placement.pk]), {"learning": "x", "action": "save"}
    )
    assert not ExchangeReport.objects.exists()


def test_a_completed_batch_shows_its_checklist_and_report_read_only(officer_client, placement):
    item = ChecklistItemFactory(batch=placement.batch)
    ChecklistCompletionFactory(placement=placement, item=item)
    ExchangeReportFactory(placement=placement)
    Batch.objects.filter(pk=placement.batch_id).update(status=Batch.Status.COMPLETED)
    checklist = reverse("portal:placement_checklist", args=[placement.pk])
    html = officer_client.get(checklist).content.decode()
    assert "read-only" in html and "Mark as not done" not in html
    response = officer_client.post(checklist, {"item": item.pk})
    assert response.status_code == 302
    assert ChecklistCompletion.objects.exists()  # still ticked, with its old date
    report = reverse("portal:placement_report", args=[placement.pk])
    assert officer_client.get(report).context["form"] is None
    officer_client.post(report, {"learning": "Rewritten", "action": "save"})
    assert ExchangeReport.objects.get().learning != "Rewritten"
    assert "Continue the report" not in officer_client.get(reverse("portal:my_placement")).content.decode()


# --- the checklist: items the portal ticks ---


def test_an_automatic_item_shows_who_ticks_it_and_refuses_a_tick_by_hand(officer_client, placement):
    item = ChecklistItemFactory(batch=placement.batch, kind=ChecklistItem.Kind.DETAILS_GIVEN)
    url = reverse("portal:placement_checklist", args=[placement.pk])
    html = officer_client.get(url).content.decode()
    assert "Ticked by the portal when the emergency contact is given" in html
    assert "Mark as done" not in html
    response = officer_client.post(url, {"item": item.pk, "done": "on"}, follow=True)
    assert "ticks this item itself" in response.content.decode()
    assert not ChecklistCompletion.objects.exists()


def test_my_details_ticks_the_emergency_contact_item(officer_client, placement):
    item = ChecklistItemFactory(batch=placement.batch, kind=ChecklistItem.Kind.DETAILS_GIVEN)
    officer_client.post(
        reverse("portal:my_details"),
        {
            "emergency_contact_name": "CHAN Mei-ling",
            "emergency_contact_phone": "+852 9876 5432",
            "preferred_language": "en",
        },
    )
    assert ChecklistCompletion.objects.filter(item=item, placement=placement).exists()


def test_a_coordinator_sets_the_kind_of_an_item(coordinator_client, coordinator_user, placement):
    placement.batch.coordinators.add(coordinator_user)
    ExchangeReportFactory(placement=placement, submitted=True)
    url = reverse("coordination:batch_checklist", args=[placement.batch.pk])
    coordinator_client.post(
        url, {"title": "Submit your report", "phase": "after", "kind": "report_submitted", "order": 1}
    )
    item = ChecklistItem.objects.get()
    assert item.kind == ChecklistItem.Kind.REPORT_SUBMITTED
    assert item.completions.get().placement == placement  # ticked at once: the report is in


def test_the_admin_refuses_to_change_a_completed_batch_checklist_on_the_form(csb_client):
    from django.urls import reverse as url_for

    batch = BatchFactory(status=Batch.Status.COMPLETED)
    item = ChecklistItemFactory(batch=batch, title="Launch ceremony")
    change = url_for("admin:placements_checklistitem_change", args=[item.pk])
    data = {"batch": batch.pk, "title": "Renamed", "help_text": "", "phase": "during", "kind": "manual"}
    response = csb_client.post(change, {**data, "order": 1})
    assert response.status_code == 200
    assert "is completed" in response.content.decode()
    assert ChecklistItem.objects.get().title == "Launch ceremony"
    assert csb_client.get(url_for("admin:placements_checklistitem_delete", args=[item.pk])).status_code == 403
    changelist = url_for("admin:placements_checklistitem_changelist")
    csb_client.post(changelist, {"action": "delete_selected", "_selected_action": [item.pk], "post": "yes"})
    assert ChecklistItem.objects.exists()


def test_a_coordinator_cannot_remove_an_item_of_a_completed_batch(coordinator_client, coordinator_user):
    batch = BatchFactory(status=Batch.Status.COMPLETED, coordinators=[coordinator_user])
    item = ChecklistItemFactory(batch=batch)
    url = reverse("coordination:checklist_item_delete", args=[batch.pk, item.pk])
    response = coordinator_client.post(url, follow=True)
    assert "is completed" in response.content.decode()
    assert ChecklistItem.objects.filter(pk=item.pk).exists()


def test_the_admin_keeps_the_ticks_the_portal_keeps(csb_client, placement):
    from django.urls import reverse as url_for

    item = ChecklistItemFactory(batch=placement.batch, kind=ChecklistItem.Kind.REPORT_SUBMITTED)
    tick = ChecklistCompletionFactory(placement=placement, item=item)
    assert (
        csb_client.get(url_for("admin:placements_checklistcompletion_delete", args=[tick.pk])).status_code
        == 403
    )
    changelist = url_for("admin:placements_checklistcompletion_changelist")
    csb_client.post(changelist, {"action": "delete_selected", "_selected_action": [tick.pk], "post": "yes"})
    assert ChecklistCompletion.objects.filter(pk=tick.pk).exists()
