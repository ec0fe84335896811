"""The participant's checklist page works out each row's words once per item in the view (issue 18)
rather than in the template's loop; the page must read exactly as the template wrote it before
(checklist_detail_before.html, kept beside this test), in every language, for every kind of row."""

import datetime
import pathlib
import re

import pytest
from django.template import engines
from django.urls import reverse
from django.utils import timezone

from placements.models import Batch, ChecklistItem
from tests.factories import BatchFactory, ChecklistCompletionFactory, ChecklistItemFactory, PlacementFactory

pytestmark = pytest.mark.django_db
BEFORE = pathlib.Path(__file__).with_name("checklist_detail_before.html")
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def _context_of(response):
    """What the page was rendered from: the checklist items' context (rendered first, by the view, and
    cached) and the page's own."""
    items, page = response.context[0].flatten(), response.context[1].flatten()
    assert "phases" in items and "documents" in page
    return {**items, **page}


@pytest.fixture
def placement(officer_with_login, coordinator_user):
    batch = BatchFactory(coordinators=[coordinator_user], name="GBA test batch", name_zh="大灣區測試批次")
    return PlacementFactory(officer=officer_with_login, batch=batch)


@pytest.fixture
def officer_client(client, officer_with_login):
    client.force_login(officer_with_login.user)
    return client


def _items(placement):
    today = timezone.localdate()
    ChecklistItemFactory(
        batch=placement.batch, title="Visa <photo> & form", due_date=today - datetime.timedelta(days=3)
    )
    done = ChecklistItemFactory(batch=placement.batch, title="Briefing", title_zh="簡介會", due_date=today)
    ChecklistCompletionFactory(placement=placement, item=done)
    undated_done = ChecklistItemFactory(batch=placement.batch, due_date=None, help_text="Bring\ntwo photos")
    ChecklistCompletionFactory(placement=placement, item=undated_done)
    ChecklistItemFactory(batch=placement.batch, due_date=None, phase=ChecklistItem.Phase.DURING)
    ChecklistItemFactory(
        batch=placement.batch,
        kind=ChecklistItem.Kind.REPORT_SUBMITTED,
        phase=ChecklistItem.Phase.AFTER,
        due_date=today + datetime.timedelta(days=30),
    )


@pytest.mark.parametrize("language", ["en", "zh-hant", "zh-hans"])
@pytest.mark.parametrize("completed", [False, True])
def test_the_checklist_page_reads_as_before(officer_client, placement, language, completed):
    _items(placement)
    if completed:
        Batch.objects.filter(pk=placement.batch_id).update(status=Batch.Status.COMPLETED)
    url = reverse("portal:placement_checklist", args=[placement.pk])
    response = officer_client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    before = engines["django"].from_string(BEFORE.read_text())
    expected = before.render(_context_of(response), request=response.wsgi_request)
    page = response.content.decode()
    assert TOKEN.sub("", page) == TOKEN.sub("", expected)
    assert page.count('name="item"') == (0 if completed else 4)
    # The items come from the cache the second time (portal.views._checklist_items): the same page, with
    # the request's own CSRF token in every form.
    cached = officer_client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert TOKEN.sub("", cached) == TOKEN.sub("", page)
    assert "csrf-token-of-the-request" not in cached
    assert cached.count('name="csrfmiddlewaretoken" value="') == page.count('name="csrfmiddlewaretoken"')


def test_a_coordinator_sees_the_same_page_as_before(coordinator_client, placement):
    _items(placement)
    url = reverse("portal:placement_checklist", args=[placement.pk])
    response = coordinator_client.get(url)
    before = engines["django"].from_string(BEFORE.read_text())
    expected = before.render(_context_of(response), request=response.wsgi_request)
    assert TOKEN.sub("", response.content.decode()) == TOKEN.sub("", expected)
    assert 'name="item"' not in response.content.decode()


def test_the_cached_checklist_is_the_readers_own_and_its_forms_carry_their_token(
    placement, officer_with_login, coordinator_user
):
    """Cached per reader: the officer's tick buttons are never served to the coordinator, and a tick sent
    from the cached page passes Django's CSRF check (the token is the request's own, not the cache's)."""
    from django.test import Client

    _items(placement)
    url = reverse("portal:placement_checklist", args=[placement.pk])
    officer = Client(enforce_csrf_checks=True)
    officer.force_login(officer_with_login.user)
    officer.get(url)
    cached = officer.get(url).content.decode()
    coordinator = Client()
    coordinator.force_login(coordinator_user)
    assert 'name="item"' not in coordinator.get(url).content.decode()
    form = re.search(
        r'name="csrfmiddlewaretoken" value="([^"]+)">\s*<input type="hidden" name="item" value="(\d+)">\s*'
        r'<input type="hidden" name="done"',
        cached,
    )
    response = officer.post(url, {"csrfmiddlewaretoken": form[1], "item": form[2], "done": "on"})
    assert response.status_code == 302
    assert placement.checklist_completions.filter(item_id=form[2]).exists()
    # the tick makes the next view fresh
    assert officer.get(url).content.decode().count("Mark as not done") == 3
