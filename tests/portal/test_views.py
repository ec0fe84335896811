"""The participant's pages (/my/, placement, checklist, report, data download) and the coordinators'
checklist and report pages: what they show, what they refuse, and their query counts."""

import datetime
import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from placements.models import ChecklistCompletion, ChecklistItem, ExchangeReport, Placement
from tests.factories import (
    BatchFactory,
    ChecklistCompletionFactory,
    ChecklistItemFactory,
    ExchangeReportFactory,
    FocusAreaFactory,
    NoticeFactory,
    OfficerFactory,
    ParticipantUserFactory,
    PlacementFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def placement(officer_with_login, coordinator_user):
    batch = BatchFactory(coordinators=[coordinator_user], name="GBA test batch")
    return PlacementFactory(officer=officer_with_login, batch=batch, role="Special assistant")


@pytest.fixture
def officer_client(client, officer_with_login):
    client.force_login(officer_with_login.user)
    return client


def add_batchmates(batch, count):
    for _ in range(count):
        mate = PlacementFactory(batch=batch, officer=OfficerFactory(mobile_phone="+852 9876 5432"))
        mate.focus_areas.set([])


# --- /my/ ------------------------------------------------------------------------------------------------


def test_my_placement_shows_the_placement_coordinator_and_batchmates(officer_client, placement):
    mate = PlacementFactory(batch=placement.batch, officer=OfficerFactory(mobile_phone="+852 9876 5432"))
    response = officer_client.get(reverse("portal:my_placement"))
    content = response.content.decode()
    assert response.status_code == 200
    assert content.count("<h1") == 1
    assert "GBA test batch" in content
    assert "Special assistant" in content
    assert placement.start_date.strftime("%-d %b %Y") in content  # e.g. 6 Jan 2025
    assert "coordinator-user@example.gov.hk" in content
    assert mate.officer.name_en in content
    # Batchmates' private contact details are never shown.
    assert "9876 5432" not in content
    assert mate.officer.email not in content


def test_my_placement_has_an_empty_state_for_an_officer_without_placements(officer_client):
    response = officer_client.get(reverse("portal:my_placement"))
    assert response.status_code == 200
    assert "No placement yet" in response.content.decode()


def test_my_placement_leads_with_the_current_then_next_then_latest_placement(
    officer_client, officer_with_login
):
    today = timezone.localdate()
    past = BatchFactory(
        start_date=today - datetime.timedelta(days=400), end_date=today - datetime.timedelta(days=300)
    )
    future = BatchFactory(
        start_date=today + datetime.timedelta(days=30), end_date=today + datetime.timedelta(days=120)
    )
    PlacementFactory(officer=officer_with_login, batch=past)
    upcoming = PlacementFactory(officer=officer_with_login, batch=future)
    response = officer_client.get(reverse("portal:my_placement"))
    assert response.context["primary"] == upcoming
    upcoming.status = Placement.Status.WITHDRAWN
    upcoming.save()
    response = officer_client.get(reverse("portal:my_placement"))
    assert response.context["primary"].batch == past


def test_my_placement_shows_unread_notices_and_marking_one_read_hides_it(officer_client, placement):
    notice = NoticeFactory(placement=placement, message="Your placement is confirmed.")
    assert (
        "Your placement is confirmed." in officer_client.get(reverse("portal:my_placement")).content.decode()
    )
    response = officer_client.post(reverse("portal:notice_read", args=[notice.pk]))
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert (
        "Your placement is confirmed."
        not in officer_client.get(reverse("portal:my_placement")).content.decode()
    )


def test_names_with_markup_are_escaped(client, coordinator_client, placement):
    placement.officer.name_en = '<script>alert("x")</script>'
    placement.officer.save()
    mate = PlacementFactory(batch=placement.batch, officer=OfficerFactory(name_en="<b>Bold</b> WONG"))
    item = ChecklistItemFactory(batch=placement.batch, title="<img src=x onerror=alert(1)>")
    ExchangeReportFactory(placement=mate, submitted=True, learning="<i>learnt</i>")
    pages = [
        reverse("coordination:batch_checklist", args=[placement.batch.pk]),
        reverse("coordination:batch_reports", args=[placement.batch.pk]),
        reverse("portal:placement_detail", args=[placement.pk]),
        reverse("portal:placement_checklist", args=[placement.pk]),
        reverse("portal:placement_report", args=[mate.pk]),
        reverse("coordination:checklist_item_edit", args=[placement.batch.pk, item.pk]),
    ]
    for url in pages:
        content = coordinator_client.get(url).content.decode()
        assert "<script>alert" not in content and "<b>Bold</b>" not in content, url
        assert "<img src=x" not in content and "<i>learnt</i>" not in content, url
    assert "&lt;b&gt;Bold&lt;/b&gt; WONG" in coordinator_client.get(pages[2]).content.decode()


def test_my_placement_query_count_does_not_grow_with_the_batch(
    officer_client, placement, django_assert_num_queries
):
    ChecklistItemFactory.create_batch(3, batch=placement.batch)
    NoticeFactory.create_batch(2, placement=placement)
    add_batchmates(placement.batch, 3)
    # session, user with the navigation's officer, placements (with batch and host only), the block's
    # placement with what it shows (+ focus areas, former names, coordinators), checklist, batchmates
    # (+ former names), notices, nominations, permissions (user, groups). 15 before issue 18, when the
    # navigation's officer was a query of its own; 14 before the page's officer was the one read with
    # the user (portal.views._own_officer); 13 before the list of placements read only what it shows
    # and the block's placement is read again on a miss only.
    with django_assert_num_queries(14):
        assert officer_client.get(reverse("portal:my_placement")).status_code == 200
    add_batchmates(placement.batch, 12)
    ChecklistItemFactory.create_batch(5, batch=placement.batch)
    # the same less the permissions, cached by the view before (participants.backends); the writes
    # above made the cached placement block stale (placements.figures), so it is read again
    with django_assert_num_queries(12):
        assert officer_client.get(reverse("portal:my_placement")).status_code == 200
    # and once cached, the block reads nothing (portal.views._placement_block): session, user,
    # placements, notices, nominations (11 before the block was cached, on every view)
    # ... and the user with their profiles, cached since the first request (participants.backends)
    with django_assert_num_queries(4):
        assert officer_client.get(reverse("portal:my_placement")).status_code == 200


def test_placement_page_query_count_does_not_grow_with_the_batch(
    coordinator_client, placement, django_assert_num_queries
):
    add_batchmates(placement.batch, 3)
    url = reverse("portal:placement_detail", args=[placement.pk])
    # session, user with the navigation's officer, placement (+ focus areas, former names, coordinators),
    # checklist, batchmates (+ former names), permissions (user, groups). 12 before issue 18, when the
    # navigation's officer was a query of its own.
    with django_assert_num_queries(11):
        assert coordinator_client.get(url).status_code == 200
    add_batchmates(placement.batch, 12)
    # the same less the permissions, cached by the view before (participants.backends); the new
    # batchmates made the cached placement block stale (placements.figures), so it is read again
    with django_assert_num_queries(9):
        assert coordinator_client.get(url).status_code == 200
    # and once cached, the block reads nothing (portal.views._placement_block): session, user, placement
    # (9 before the block was cached, on every view)
    # ... and the user with their profiles, cached since the first request (participants.backends)
    with django_assert_num_queries(2):
        assert coordinator_client.get(url).status_code == 200


# --- checklist -------------------------------------------------------------------------------------------


def test_participant_ticks_and_unticks_an_item(officer_client, placement, officer_with_login):
    item = ChecklistItemFactory(batch=placement.batch, title="Briefing attended")
    url = reverse("portal:placement_checklist", args=[placement.pk])
    response = officer_client.post(url, {"item": item.pk, "done": "on"})
    assert response.status_code == 302
    completion = ChecklistCompletion.objects.get()
    assert (completion.placement, completion.item, completion.completed_by) == (
        placement,
        item,
        officer_with_login.user,
    )
    assert "1 of 1 done" in officer_client.get(url).content.decode()
    officer_client.post(url, {"item": item.pk})
    assert not ChecklistCompletion.objects.exists()


@pytest.mark.parametrize("tamper", ["other_batch", "missing", "text"])
def test_ticking_an_item_of_another_batch_or_a_made_up_id_is_refused(officer_client, placement, tamper):
    other = ChecklistItemFactory()  # another batch's item
    item = {"other_batch": other.pk, "missing": other.pk + 999, "text": "1 OR 1=1"}[tamper]
    url = reverse("portal:placement_checklist", args=[placement.pk])
    assert officer_client.post(url, {"item": item, "done": "on"}).status_code == 404
    assert not ChecklistCompletion.objects.exists()


def test_checklist_page_query_count_is_fixed(officer_client, placement, django_assert_num_queries):
    items = ChecklistItemFactory.create_batch(4, batch=placement.batch)
    ChecklistCompletionFactory(placement=placement, item=items[0])
    url = reverse("portal:placement_checklist", args=[placement.pk])
    # session, user with the navigation's officer, placement with officer, batch and report, checklist
    # with ticks, document requirements, documents, permissions (user, groups). 9 before issue 18, when
    # the navigation's officer was a query of its own.
    with django_assert_num_queries(8):
        assert officer_client.get(url).status_code == 200
    ChecklistItemFactory.create_batch(6, batch=placement.batch)
    # the same less the permissions, cached by the view before (participants.backends)
    # ... and the user with their profiles, cached since the first request (participants.backends)
    with django_assert_num_queries(5):
        assert officer_client.get(url).status_code == 200
    # and less the checklist, cached until the batch's items or ticks change (portal.views)
    # ... and the user with their profiles, cached since the first request (participants.backends)
    with django_assert_num_queries(4):
        assert officer_client.get(url).status_code == 200


# --- report ----------------------------------------------------------------------------------------------


def test_participant_saves_a_draft_then_submits_and_it_becomes_read_only(officer_client, placement):
    url = reverse("portal:placement_report", args=[placement.pk])
    assert officer_client.get(url).context["form"] is not None
    officer_client.post(url, {"learning": "Approval desks", "action": "save"})
    report = ExchangeReport.objects.get()
    assert (report.status, report.learning) == (ExchangeReport.Status.DRAFT, "Approval desks")

    response = officer_client.post(url, {"learning": "Approval desks", "action": "submit"})
    assert response.status_code == 200  # the three expectations are required to submit
    assert set(response.context["form"].errors) == {"connections", "goodwill"}
    assert ExchangeReport.objects.get().status == ExchangeReport.Status.DRAFT

    data = {"learning": "Approval desks", "connections": "Bureaux", "goodwill": "A talk", "action": "submit"}
    # Submit saves the draft and asks for confirmation, with a summary of the answers.
    response = officer_client.post(url, data)
    assert response.status_code == 200
    assert response.templates[0].name == "portal/exchangereport_confirm.html"
    html = response.content.decode()
    assert "Approval desks" in html and "Bureaux" in html and "A talk" in html
    assert 'value="confirm"' in html
    report.refresh_from_db()
    assert report.status == ExchangeReport.Status.DRAFT and report.goodwill == "A talk"
    assert officer_client.post(url, {"action": "confirm"}).status_code == 302
    report.refresh_from_db()
    assert report.status == ExchangeReport.Status.SUBMITTED and report.submitted_at is not None
    response = officer_client.get(url)
    assert response.context["form"] is None
    assert "A submitted report can no longer be changed." in response.content.decode()

    officer_client.post(url, {**data, "learning": "Changed later", "action": "save"})
    report.refresh_from_db()
    assert report.learning == "Approval desks"


def test_a_tampered_report_form_cannot_submit_or_set_fields_not_on_it(officer_client, placement):
    url = reverse("portal:placement_report", args=[placement.pk])
    officer_client.post(
        url,
        {
            "learning": "x",
            "action": "save",
            "status": "submitted",
            "submitted_at": "2020-01-01T00:00",
            "placement": PlacementFactory().pk,
        },
    )
    report = ExchangeReport.objects.get()
    assert report.placement == placement
    assert report.status == ExchangeReport.Status.DRAFT and report.submitted_at is None


def test_coordinators_read_submitted_reports_but_not_drafts(coordinator_client, placement):
    report = ExchangeReportFactory(placement=placement, learning="Draft thoughts")
    url = reverse("portal:placement_report", args=[placement.pk])
    response = coordinator_client.get(url)
    assert "Draft thoughts" not in response.content.decode()
    assert "not been submitted" in response.content.decode()
    report.status, report.submitted_at = ExchangeReport.Status.SUBMITTED, timezone.now()
    report.save()
    assert "Draft thoughts" in coordinator_client.get(url).content.decode()


# --- data download ---------------------------------------------------------------------------------------


def test_my_data_download_holds_my_data_and_nobody_elses(officer_client, placement, officer_with_login):
    officer_with_login.notes = "Staff-only note"
    officer_with_login.save()
    mate = PlacementFactory(batch=placement.batch)
    item = ChecklistItemFactory(batch=placement.batch, title="Briefing attended")
    ChecklistCompletionFactory(placement=placement, item=item)
    ChecklistCompletionFactory(placement=mate, item=item)
    ExchangeReportFactory(placement=placement, highlights="The launch")
    ExchangeReportFactory(placement=mate, highlights="Someone else's highlight")
    NoticeFactory(placement=placement, message="Mine")
    NoticeFactory(placement=mate, message="Not mine")

    response = officer_client.get(reverse("portal:my_data"))
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode()
    data = json.loads(text)
    assert data["officer"]["email"] == officer_with_login.email
    assert [p["id"] for p in data["placements"]] == [placement.pk]
    assert data["placements"][0]["checklist"][0]["done_at"] is not None
    assert data["placements"][0]["report"]["highlights"] == "The launch"
    assert [n["message"] for n in data["notices"]] == ["Mine"]
    for other in [
        mate.officer.name_en,
        mate.officer.email,
        "Someone else's highlight",
        "Not mine",
        "Staff-only",
    ]:
        assert other not in text


def test_my_data_download_query_count_is_fixed(officer_client, placement, django_assert_num_queries):
    ChecklistItemFactory.create_batch(3, batch=placement.batch)
    # session, user (with the officer), placements (one row per focus area, with the report and the
    # officer's department and rank), their departments' former names, checklist items with the
    # placement's ticks, documents (+ requirements), notices, contact-sheet accesses that showed their
    # details. 11 before issue 18: the officer read again, focus areas and ticks apart.
    with django_assert_num_queries(8):
        officer_client.get(reverse("portal:my_data"))
    PlacementFactory(officer=placement.officer, focus_areas=FocusAreaFactory.create_batch(3))
    ChecklistItemFactory.create_batch(5, batch=placement.batch)
    # ... and the user with their profiles, cached since the first request (participants.backends)
    with django_assert_num_queries(7):
        officer_client.get(reverse("portal:my_data"))


# --- coordinators' pages ---------------------------------------------------------------------------------


def test_coordinator_adds_edits_and_removes_a_checklist_item(coordinator_client, placement):
    url = reverse("coordination:batch_checklist", args=[placement.batch.pk])
    response = coordinator_client.post(
        url,
        {"title": "Travel documents checked", "phase": "pre_departure", "due_date": "2024-12-30", "order": 1},
    )
    assert response.status_code == 302
    item = ChecklistItem.objects.get()
    assert (item.batch, item.due_date) == (placement.batch, datetime.date(2024, 12, 30))
    edit = reverse("coordination:checklist_item_edit", args=[placement.batch.pk, item.pk])
    coordinator_client.post(edit, {"title": "Travel documents checked", "phase": "during", "order": 2})
    item.refresh_from_db()
    assert item.phase == "during" and item.due_date is None
    coordinator_client.post(reverse("coordination:checklist_item_delete", args=[placement.batch.pk, item.pk]))
    assert not ChecklistItem.objects.exists()


def test_a_duplicate_or_empty_item_is_refused_with_a_message(coordinator_client, placement):
    ChecklistItemFactory(batch=placement.batch, title="Briefing")
    url = reverse("coordination:batch_checklist", args=[placement.batch.pk])
    response = coordinator_client.post(url, {"title": "Briefing", "phase": "during", "order": 1})
    assert response.status_code == 200 and response.context["form"].errors
    response = coordinator_client.post(url, {"title": "", "phase": "nonsense", "order": 1})
    assert set(response.context["form"].errors) == {"title", "phase"}
    assert ChecklistItem.objects.count() == 1


def test_a_coordinator_cannot_edit_an_item_through_another_batchs_url(coordinator_client, placement):
    foreign = ChecklistItemFactory(title="Foreign")  # a batch this coordinator does not coordinate
    url = reverse("coordination:checklist_item_edit", args=[placement.batch.pk, foreign.pk])
    assert (
        coordinator_client.post(url, {"title": "Hijacked", "phase": "during", "order": 1}).status_code == 404
    )
    assert ChecklistItem.objects.get().title == "Foreign"


def test_batch_checklist_shows_who_is_behind(coordinator_client, placement):
    today = timezone.localdate()
    late = ChecklistItemFactory(batch=placement.batch, due_date=today - datetime.timedelta(days=3))
    ChecklistItemFactory(batch=placement.batch, due_date=today + datetime.timedelta(days=3))
    keen = PlacementFactory(batch=placement.batch)
    ChecklistCompletionFactory(placement=keen, item=late)
    response = coordinator_client.get(reverse("coordination:batch_checklist", args=[placement.batch.pk]))
    rows = {
        p.pk: (p.checklist_done, p.checklist_total, p.checklist_overdue, ticks)
        for p, ticks in response.context["rows"]
    }
    assert rows[placement.pk] == (0, 2, 1, [False, False])
    assert rows[keen.pk] == (1, 2, 0, [True, False])


def test_batch_checklist_query_count_is_fixed(coordinator_client, placement, django_assert_num_queries):
    items = ChecklistItemFactory.create_batch(3, batch=placement.batch)
    add_batchmates(placement.batch, 3)
    ChecklistCompletionFactory(placement=placement, item=items[0])
    url = reverse("coordination:batch_checklist", args=[placement.batch.pk])
    # session, user with the navigation's officer, batch, permissions (user's, groups'), items, ticks,
    # placements, item totals, ticks per placement (checklist_progress). 11 before issue 18, when the
    # navigation's officer was a query of its own.
    with django_assert_num_queries(10):
        assert coordinator_client.get(url).status_code == 200
    add_batchmates(placement.batch, 12)
    ChecklistItemFactory.create_batch(4, batch=placement.batch)
    # the same less the permissions, cached by the view before (participants.backends); the writes above
    # made the cached table stale (placements.figures), so it is read again
    with django_assert_num_queries(8):
        assert coordinator_client.get(url).status_code == 200
    # and once cached, who is behind, the items and the empty form read nothing
    # (coordination.views.batch_checklist_view): session, user, batch (8 before they were cached)
    # ... and the user with their profiles, cached since the first request (participants.backends)
    with django_assert_num_queries(2):
        assert coordinator_client.get(url).status_code == 200


def test_batch_reports_lists_every_state_in_a_fixed_number_of_queries(
    coordinator_client, placement, django_assert_num_queries
):
    ExchangeReportFactory(placement=placement, submitted=True)
    ExchangeReportFactory(placement=PlacementFactory(batch=placement.batch))
    PlacementFactory(batch=placement.batch)
    url = reverse("coordination:batch_reports", args=[placement.batch.pk])
    # session, user with the navigation's officer, batch, permissions (user's, groups'), placements with
    # report status. 7 before issue 18, when the navigation's officer was a query of its own.
    with django_assert_num_queries(6):
        response = coordinator_client.get(url)
    content = response.content.decode()
    assert "1 of 3 reports submitted" in content
    assert "Draft in progress" in content and "Not started" in content
    add_batchmates(placement.batch, 10)
    coordinator_client.get(url)
    # the same less the permissions, cached by the view before (participants.backends)
    # ... and the user with their profiles, cached since the first request (participants.backends)
    with django_assert_num_queries(3):
        coordinator_client.get(url)


def test_batch_pages_link_to_the_batch_page_only_when_it_exists(coordinator_client, placement):
    """The batch page (/batches/<id>/) belongs to another part of the portal; without it, no link."""
    from django.urls import NoReverseMatch

    content = coordinator_client.get(
        reverse("coordination:batch_reports", args=[placement.batch.pk])
    ).content.decode()
    try:
        batch_url = reverse("coordination:batch_detail", args=[placement.batch.pk])
    except NoReverseMatch:
        assert placement.batch.name in content
    else:
        assert f'href="{batch_url}"' in content


def test_officer_without_an_account_link_is_not_someone_elses(client, placement):
    """A participant account not linked to an officer finds no placement at all."""
    client.force_login(ParticipantUserFactory(username="unlinked"))
    assert client.get(reverse("portal:my_placement")).status_code == 404
    assert client.get(reverse("portal:placement_detail", args=[placement.pk])).status_code == 404


# --- issue 13: the page worded for its reader, in the reader's script ------------------------------------


def test_a_placement_page_is_worded_for_the_participant_and_for_the_coordinator(
    officer_with_login, coordinator_user, placement
):
    url = reverse("portal:placement_detail", args=[placement.pk])
    officer, coordinator = Client(), Client()
    officer.force_login(officer_with_login.user)
    coordinator.force_login(coordinator_user)
    own = officer.get(url).content.decode()
    assert "Your dates" in own and "Your coordinator" in own
    theirs = coordinator.get(url).content.decode()
    assert (
        "Your dates" not in theirs
        and "Your coordinator" not in theirs
        and "Your coordinator has" not in theirs
    )
    assert ">Dates</dt>" in theirs and ">Coordinator</h2>" in theirs


def test_the_placement_page_reads_chinese_fields_separators_and_brackets_in_chinese(
    officer_client, settings, placement
):
    from placements.models import HostArea

    placement.batch.name_zh = "大灣區測試批次"
    placement.batch.save()
    placement.role_zh = "副區長特別助理"
    placement.host_area = HostArea.objects.get(name_en="Futian")
    placement.save()
    placement.focus_areas.set(
        [FocusAreaFactory(name_zh="城市規劃甲"), FocusAreaFactory(name_zh="交通運輸乙")]
    )
    ChecklistItemFactory(batch=placement.batch, title="Attend the briefing", title_zh="出席簡介會")
    officer_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    content = officer_client.get(reverse("portal:placement_detail", args=[placement.pk])).content.decode()
    assert "大湾区测试批次" in content and "GBA test batch" not in content
    assert "副区长特别助理" in content and "Special assistant" not in content
    assert "城市规划甲、交通运输乙" in content or "交通运输乙、城市规划甲" in content
    assert "福田</span>" not in content and "（区）" in content
    assert "出席简介会" in content
    checklist = officer_client.get(
        reverse("portal:placement_checklist", args=[placement.pk])
    ).content.decode()
    assert "出席简介会" in checklist


def test_the_navbar_names_the_user_surname_first(officer_client, officer_with_login):
    user = officer_with_login.user
    user.first_name, user.last_name = "Ka-ming", "Chan"
    user.save()
    content = officer_client.get(reverse("portal:my_placement")).content.decode()
    assert '<span class="navbar-text me-3">CHAN Ka-ming</span>' in content


def test_a_checklist_item_takes_a_chinese_title_that_chinese_readers_see(
    coordinator_client, settings, placement
):
    url = reverse("coordination:batch_checklist", args=[placement.batch.pk])
    coordinator_client.post(
        url,
        {
            "title": "Travel documents checked",
            "title_zh": "已檢查旅行證件",
            "phase": "pre_departure",
            "order": 1,
        },
    )
    assert ChecklistItem.objects.get().title_zh == "已檢查旅行證件"
    assert "Travel documents checked" in coordinator_client.get(url).content.decode()
    coordinator_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hant"
    content = coordinator_client.get(url).content.decode()
    assert "已檢查旅行證件" in content and "Travel documents checked" not in content
