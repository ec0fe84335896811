"""A batch's checklist page keeps who is behind and the items (coordination.views.batch_checklist_view)
per reader, batch, permissions, language and day under the figures version: nobody gets another
reader's, and a tick, an untick or a new item makes the next view fresh."""

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from placements.services import checklist_item_set_done
from tests.factories import (
    BatchFactory,
    ChecklistItemFactory,
    CoordinatorUserFactory,
    OfficerFactory,
    ParticipantUserFactory,
    PlacementFactory,
)

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _table(client, batch):
    response = client.get(reverse("coordination:batch_checklist", args=[batch.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index('aria-labelledby="progress-heading"') : html.index("</main>")]


@pytest.fixture
def world():
    first, second = CoordinatorUserFactory(), CoordinatorUserFactory()
    batch = BatchFactory(coordinators=[first, second])
    placement = PlacementFactory(batch=batch, officer=OfficerFactory(user=ParticipantUserFactory()))
    item = ChecklistItemFactory(batch=batch, title="Book the coach")
    return {"first": first, "second": second, "batch": batch, "placement": placement, "item": item}


def test_each_reader_gets_their_own(world):
    batch, first, second = world["batch"], world["first"], world["second"]
    # The second coordinator may only read the checklist (not edit or remove items).
    edit = reverse("coordination:checklist_item_edit", args=[batch.pk, world["item"].pk])
    assert edit in _table(_client(first), batch)
    second.user_permissions.set([])
    second.groups.clear()
    second.user_permissions.set(
        Permission.objects.filter(codename__in=["view_batch", "view_checklistitem", "view_placement"])
    )
    seen = _table(_client(second), batch)
    assert edit not in seen and "Book the coach" in seen
    cache.clear()
    assert _table(_client(second), batch) == seen
    # A coordinator of another batch does not get the page at all.
    stranger = CoordinatorUserFactory()
    BatchFactory(coordinators=[stranger])
    response = _client(stranger).get(reverse("coordination:batch_checklist", args=[batch.pk]))
    assert response.status_code in (403, 404)


def test_ticks_and_new_items_make_the_next_view_fresh(world):
    batch, placement, item = world["batch"], world["placement"], world["item"]
    client = _client(world["first"])
    assert "✓" not in _table(client, batch)
    checklist_item_set_done(placement=placement, item=item, done=True, actor=placement.officer.user)
    assert "✓" in _table(client, batch)
    checklist_item_set_done(placement=placement, item=item, done=False, actor=placement.officer.user)
    assert "✓" not in _table(client, batch)
    response = client.post(
        reverse("coordination:batch_checklist", args=[batch.pk]),
        {"title": "Hand in the visa", "phase": "pre_departure", "order": 2},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert "Hand in the visa" in _table(client, batch)


def test_each_language_has_its_own(world):
    client = _client(world["first"])
    english = _table(client, world["batch"])
    client.cookies["django_language"] = "zh-hant"
    assert _table(client, world["batch"]) != english
