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
    expected = before.render(response.context[0].flatten(), request=response.wsgi_request)
    page = response.content.decode()
    assert TOKEN.sub("", page) == TOKEN.sub("", expected)
    assert page.count('name="item"') == (0 if completed else 4)


def test_a_coordinator_sees_the_same_page_as_before(coordinator_client, placement):
    _items(placement)
    response = coordinator_client.get(reverse("portal:placement_checklist", args=[placement.pk]))
    before = engines["django"].from_string(BEFORE.read_text())
    expected = before.render(response.context[0].flatten(), request=response.wsgi_request)
    assert TOKEN.sub("", response.content.decode()) == TOKEN.sub("", expected)
