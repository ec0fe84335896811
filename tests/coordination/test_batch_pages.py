"""The coordinators' batch pages and roster downloads: who may see what (every role on every URL), what
the pages show, and their query counts."""

import pytest
from django.urls import reverse

from placements.models import Batch, RosterExport
from tests.factories import BatchFactory, OfficerFactory, ParticipantUserFactory, PlacementFactory
from tests.placements.roster_data import other_coordinator, roster_batch

pytestmark = pytest.mark.django_db

URL_NAMES = ["batch_detail", "batch_roster_csv", "batch_roster_xlsx", "batch_roster_print"]


def urls_for(batch):
    return {"batch_list": reverse("coordination:batch_list")} | {
        name: reverse(f"coordination:{name}", args=[batch.pk]) for name in URL_NAMES
    }


def consume(response):
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


@pytest.fixture
def batch(coordinator_user):
    return roster_batch(coordinator_user)


# --- permissions: every role on every URL ---


@pytest.mark.parametrize("name", ["batch_list", *URL_NAMES])
def test_anonymous_visitors_are_sent_to_sign_in(client, batch, name):
    url = urls_for(batch)[name]
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={url}"


@pytest.mark.parametrize("name", ["batch_list", *URL_NAMES])
def test_participants_are_refused(client, batch, name):
    # Even a participant placed in the batch itself sees no batch page and no roster.
    officer = OfficerFactory(user=ParticipantUserFactory(username="participant-b"))
    PlacementFactory(batch=batch, officer=officer)
    client.force_login(officer.user)
    assert client.get(urls_for(batch)[name]).status_code == 403
    assert not RosterExport.objects.exists()


@pytest.mark.parametrize("name", ["batch_list", *URL_NAMES])
def test_the_batch_coordinator_sees_everything(coordinator_client, batch, name):
    response = coordinator_client.get(urls_for(batch)[name])
    assert response.status_code == 200
    consume(response)


@pytest.mark.parametrize("name", URL_NAMES)
def test_another_batch_coordinator_finds_nothing(client, batch, name):
    client.force_login(other_coordinator())
    assert client.get(urls_for(batch)[name]).status_code == 404
    assert not RosterExport.objects.exists()


def test_another_batch_coordinator_lists_only_their_own_batches(client, batch):
    coordinator = other_coordinator()
    theirs = BatchFactory(name="Their own batch", coordinators=[coordinator])
    client.force_login(coordinator)
    response = client.get(reverse("coordination:batch_list"))
    assert list(response.context["batches"]) == [theirs]
    assert batch.name not in response.content.decode()


@pytest.mark.parametrize("name", ["batch_list", *URL_NAMES])
def test_csb_staff_see_every_batch(csb_client, batch, name):
    response = csb_client.get(urls_for(batch)[name])
    assert response.status_code == 200
    consume(response)


def test_a_coordinator_without_the_export_permission_cannot_download(client, batch, coordinator_user):
    from django.contrib.auth.models import Permission

    coordinator_user.groups.clear()
    coordinator_user.user_permissions.add(Permission.objects.get(codename="view_batch"))
    client.force_login(coordinator_user)
    assert client.get(urls_for(batch)["batch_detail"]).status_code == 200
    for name in ["batch_roster_csv", "batch_roster_xlsx", "batch_roster_print"]:
        assert client.get(urls_for(batch)[name]).status_code == 403


# --- the list ---


def test_list_shows_participant_counts_and_links(coordinator_client, batch):
    response = coordinator_client.get(reverse("coordination:batch_list"))
    [shown] = response.context["batches"]
    assert shown.participant_count == 3  # the withdrawn one does not count
    assert batch.get_absolute_url() in response.content.decode()


def test_list_filters(csb_client, batch):
    BatchFactory(
        name="Inbound 2026",
        direction=Batch.Direction.INBOUND,
        start_date="2026-01-05",
        end_date="2026-03-05",
        status=Batch.Status.IN_PROGRESS,
    )
    url = reverse("coordination:batch_list")

    def names(**params):
        return [b.name for b in csb_client.get(url, params).context["batches"]]

    assert names(direction="inbound") == ["Inbound 2026"]
    assert names(year=2024) == [batch.name]  # running from December 2023 into March 2024
    assert names(year=2023) == [batch.name]
    assert names(host_municipality=batch.host_municipality_id) == [batch.name]
    assert names(status="in_progress") == ["Inbound 2026"]
    assert names(programme=batch.programme_id) == [batch.name]
    assert "No batch matches these filters" in csb_client.get(url, {"year": 1999}).content.decode()


def test_list_is_paginated(csb_client):
    BatchFactory.create_batch(23)
    url = reverse("coordination:batch_list")
    first = csb_client.get(url)
    assert len(first.context["batches"]) == 20
    assert len(csb_client.get(url, {"page": 2}).context["batches"]) == 3


def test_a_coordinator_without_batches_sees_an_empty_state(coordinator_client):
    response = coordinator_client.get(reverse("coordination:batch_list"))
    assert "You have no batches yet" in response.content.decode()


def test_list_query_count(coordinator_client, coordinator_user, django_assert_num_queries):
    BatchFactory.create_batch(5, coordinators=[coordinator_user])
    url = reverse("coordination:batch_list")
    coordinator_client.get(url)
    # session, user with the navigation's officer; the paginator's count; the page of batches with
    # programme, municipality and participant counts. 9 before issue 18: the officer was a query of its
    # own, and the user's own and group permissions two more; they are cached now (participants.backends).
    # 6 before the unfiltered filter form was cached under the figures version (its programme and
    # municipality choices are read only when it is rendered).
    # ... and the user with their profiles, cached since the first request (participants.backends)
    with django_assert_num_queries(3):
        assert coordinator_client.get(url).status_code == 200
    BatchFactory.create_batch(5, coordinators=[coordinator_user])
    # the new batches bump the figures version: the form's two choice queries again, once
    # ... and the user with their profiles, cached since the first request (participants.backends)
    with django_assert_num_queries(5):
        assert coordinator_client.get(url).status_code == 200
    # ... and the user with their profiles, cached since the first request (participants.backends)
    with django_assert_num_queries(3):
        response = coordinator_client.get(url)
    assert len(response.context["batches"]) == 10


# --- the batch page ---


def test_batch_page_groups_participants_by_host_area(coordinator_client, batch):
    response = coordinator_client.get(batch.get_absolute_url())
    html = response.content.decode()
    assert html.index("Futian") < html.index("Futian Test Bureau") < html.index("CHAN Ka-ming")
    assert html.index("Qianhai Test Bureau") < html.index("WONG Siu-fan")
    assert "陳家明" in html
    # The OGCIO officer's department as it was named during the batch, not the Digital Policy Office.
    assert "Office of the Government Chief Information Officer (OGCIO)" in html
    assert "18 Dec 2023" in html and "8 Mar 2024" in html
    assert 'class="placement-progress"' in html  # the place left for checklist and report status
    assert reverse("coordination:batch_roster_csv", args=[batch.pk]) in html


def test_batch_page_totals(coordinator_client, batch):
    totals = coordinator_client.get(batch.get_absolute_url()).context["totals"]
    assert totals["participants"] == 3
    assert totals["withdrawn"] == 1
    assert ("Office of the Government Chief Information Officer", 1) in totals["by_department"]
    assert dict(totals["by_focus_area"]) == {"A planning": 1, "B transport": 2, None: 1}
    assert sum(n for _name, n in totals["by_grade"]) == 3


def test_an_empty_batch_page(csb_client):
    batch = BatchFactory()
    html = csb_client.get(batch.get_absolute_url()).content.decode()
    assert "Nobody is placed in this batch yet" in html
    assert "No participants yet" in html


def test_batch_page_query_count(coordinator_client, coordinator_user, django_assert_num_queries):
    batch = roster_batch(coordinator_user, extra=4)
    url = batch.get_absolute_url()
    coordinator_client.get(url)
    # Served from the cache (issue 18; 21 queries before): session, user with the navigation's officer,
    # the batch with programme and municipality; the selection pipeline of the batch's call (one
    # query, none found here; not cached: nominations change it). The permissions are cached too
    # (participants.backends).
    # ... and the user with their profiles, cached since the first request (participants.backends)
    with django_assert_num_queries(3):
        assert coordinator_client.get(url).status_code == 200
    area = batch.host_areas.first()
    PlacementFactory.create_batch(5, batch=batch, host_area=area, focus_areas=list(batch.focus_areas.all()))
    # After a write (the figures version bumped: placements.figures), the page is computed again: the
    # three above; totals: by department and day, those departments, their former names, by grade, by
    # focus area, withdrawn; its host areas; its focus areas; the paginator's count; the page of
    # placements with officer, rank, grade, department, host area and organisation; their focus areas;
    # their departments' former names; the page's checklist progress (the batch's items, the ticks, the
    # reports). The same with more rows:
    with django_assert_num_queries(19):
        assert coordinator_client.get(url).status_code == 200
    PlacementFactory.create_batch(5, batch=batch, host_area=area, focus_areas=list(batch.focus_areas.all()))
    with django_assert_num_queries(19):
        assert coordinator_client.get(url).status_code == 200


def test_batch_page_shows_each_participants_checklist_progress_and_report_status(
    coordinator_client, coordinator_user
):
    from tests.factories import ChecklistCompletionFactory, ChecklistItemFactory, ExchangeReportFactory

    batch = BatchFactory(coordinators=[coordinator_user])
    behind, ahead = PlacementFactory(batch=batch), PlacementFactory(batch=batch)
    items = ChecklistItemFactory.create_batch(2, batch=batch, due_date=batch.start_date.replace(year=2000))
    for item in items:
        ChecklistCompletionFactory(placement=ahead, item=item)
    ExchangeReportFactory(placement=ahead, submitted=True)

    response = coordinator_client.get(reverse("coordination:batch_detail", args=[batch.pk]))

    progress = {p.pk: p.progress for p in response.context["placements"]}
    assert progress[behind.pk] == {
        "checklist_total": 2,
        "checklist_done": 0,
        "checklist_overdue": 2,
        "report_status": None,
    }
    assert progress[ahead.pk] == {
        "checklist_total": 2,
        "checklist_done": 2,
        "checklist_overdue": 0,
        "report_status": "submitted",
    }
    content = response.content.decode()
    assert "2 overdue" in content and "Report submitted" in content


def test_batch_page_links_to_the_batch_checklist_and_reports(coordinator_client, coordinator_user):
    batch = BatchFactory(coordinators=[coordinator_user])
    content = coordinator_client.get(reverse("coordination:batch_detail", args=[batch.pk])).content.decode()
    assert reverse("coordination:batch_checklist", args=[batch.pk]) in content
    assert reverse("coordination:batch_reports", args=[batch.pk]) in content


# --- issue 13: phones and the reader's script ---


def test_list_and_batch_page_read_the_batch_name_in_the_readers_script(coordinator_client, settings, batch):
    batch.name_zh = "大灣區測試批次 · 深圳 2023-24"
    batch.save()
    coordinator_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    listed = coordinator_client.get(reverse("coordination:batch_list")).content.decode()
    # The year never breaks at its hyphen.
    title = '大湾区测试批次 · 深圳 <span class="text-nowrap">2023-24</span>'
    assert title in listed and "GBA test batch" not in listed
    page = coordinator_client.get(batch.get_absolute_url()).content.decode()
    assert f"<h1>{title}</h1>" in page
    assert "2023年12月18日 – 2024年3月8日" in page
    # District and zone kinds in full-width brackets, focus areas joined with 、.
    assert "福田<span" in page and "（区）" in page and "（合作区）" in page
    assert "、" in page


def test_batch_tables_turn_into_cards_on_a_phone(coordinator_client, batch):
    """Every cell of the batch page's and the batch list's tables names its column (data-label), which a
    phone shows in place of the hidden column titles; participants' names never break inside."""
    page = coordinator_client.get(batch.get_absolute_url()).content.decode()
    assert page.count('class="table table-sm table-roster table-stack"') == 2
    for label in ("Home department", "Grade / rank", "Role at host", "Focus areas", "Status"):
        assert page.count(f'data-label="{label}"') == 4
    assert '<span class="person-name">CHAN Ka-ming</span>' in page
    listed = coordinator_client.get(reverse("coordination:batch_list")).content.decode()
    assert "table-stack" in listed and 'data-label="Host municipality"' in listed


def test_the_cached_filter_form_follows_the_language_and_new_programmes(
    coordinator_client, coordinator_user, csb_user
):
    from django.test import Client
    from django.utils.html import escape

    from tests.factories import ProgrammeFactory

    BatchFactory(coordinators=[coordinator_user])
    url = reverse("coordination:batch_list")
    assert "All programmes" in coordinator_client.get(url).content.decode()
    coordinator_client.cookies["django_language"] = "zh-hant"
    assert "All programmes" not in coordinator_client.get(url).content.decode()
    coordinator_client.cookies["django_language"] = "en"
    programme = ProgrammeFactory(name_en="Brand-new programme")
    assert escape(str(programme)) in coordinator_client.get(url).content.decode()
    # CSB staff get the same fields (they do not depend on who reads)
    staff = Client()
    staff.force_login(csb_user)
    assert escape(str(programme)) in staff.get(url).content.decode()
