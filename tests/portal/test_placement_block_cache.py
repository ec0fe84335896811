"""The placement block (summary, progress, sidebar) of /my/ and the placement page is cached per reader,
placement, language and day under the figures version (portal.views._placement_block): nobody is served
another reader's block, and every write to what it shows makes the next view fresh."""

import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from placements.models import ExchangeReport, Placement
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


def _client(user, language="en"):
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = language
    return client


def _block(client, url):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    start = html.index('<div class="row g-4">')
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html[start:])


@pytest.fixture
def world():
    coordinator = CoordinatorUserFactory(first_name="Ada", last_name="Coordinator")
    batch = BatchFactory(coordinators=[coordinator], name="GBA cached batch")
    mine = PlacementFactory(
        officer=OfficerFactory(user=ParticipantUserFactory()),
        batch=batch,
        status=Placement.Status.CONFIRMED,
        role="Special assistant",
    )
    mate = PlacementFactory(officer=OfficerFactory(user=ParticipantUserFactory()), batch=batch)
    item = ChecklistItemFactory(batch=batch, title="Book the coach")
    other_coordinator = CoordinatorUserFactory()
    BatchFactory(coordinators=[other_coordinator])
    return {
        "coordinator": coordinator,
        "other_coordinator": other_coordinator,
        "mine": mine,
        "mate": mate,
        "item": item,
    }


def _fresh(user, url, language="en"):
    """The block as the reader gets it with nothing cached."""
    cache.clear()
    return _block(_client(user, language), url)


def test_the_officer_and_the_coordinator_each_get_their_own_block(world):
    url = reverse("portal:placement_detail", args=[world["mine"].pk])
    officer = world["mine"].officer.user
    own = _block(_client(officer), url)
    assert "Start the report" in own  # only the officer is offered to write it
    seen_by_coordinator = _block(_client(world["coordinator"]), url)
    assert "Start the report" not in seen_by_coordinator
    assert seen_by_coordinator == _fresh(world["coordinator"], url)
    # ... and the other way round: the coordinator's block cached first.
    assert _block(_client(officer), url) == own


def test_a_batchmate_gets_their_own_placement_not_the_cached_one(world):
    officer = world["mine"].officer.user
    _block(_client(officer), reverse("portal:my_placement"))
    mate = world["mate"].officer.user
    theirs = _block(_client(mate), reverse("portal:my_placement"))
    assert theirs == _fresh(mate, reverse("portal:my_placement"))
    assert f"/placements/{world['mate'].pk}/checklist/" in theirs
    assert f"/placements/{world['mine'].pk}/" not in theirs
    # nor may they open the first officer's placement page, cached or not
    url = reverse("portal:placement_detail", args=[world["mine"].pk])
    assert _client(mate).get(url).status_code == 404
    assert _client(world["other_coordinator"]).get(url).status_code == 404


def test_each_language_has_its_own_block(world):
    officer = world["mine"].officer.user
    url = reverse("portal:my_placement")
    english = _block(_client(officer), url)
    chinese = _block(_client(officer, "zh-hant"), url)
    assert chinese != english
    assert chinese == _fresh(officer, url, "zh-hant")


@pytest.mark.parametrize("page", ["my", "placement"])
def test_a_write_makes_the_next_view_fresh(world, page):
    mine, officer = world["mine"], world["mine"].officer.user
    url = (
        reverse("portal:my_placement") if page == "my" else reverse("portal:placement_detail", args=[mine.pk])
    )
    client = _client(officer)
    assert "0 of 1 done" in _block(client, url)
    checklist_item_set_done(placement=mine, item=world["item"], done=True, actor=officer)
    assert "1 of 1 done" in _block(client, url)
    checklist_item_set_done(placement=mine, item=world["item"], done=False, actor=officer)
    assert "0 of 1 done" in _block(client, url)
    mine.role = "Chief liaison"
    mine.save()
    assert "Chief liaison" in _block(client, url)
    coordinator = world["coordinator"]
    coordinator.first_name = "Grace"
    coordinator.save()
    assert "Grace" in _block(client, url)
    ExchangeReport.objects.create(placement=mine, status=ExchangeReport.Status.DRAFT)
    assert "Continue the report" in _block(client, url)
    world["mate"].officer.name_en = "BATCHMATE Renamed"
    world["mate"].officer.save()
    assert "BATCHMATE Renamed" in _block(client, url)
    assert _block(client, url) == _fresh(officer, url)


def test_signing_in_does_not_make_the_blocks_stale(world):
    officer = world["mine"].officer.user
    url = reverse("portal:my_placement")
    client = _client(officer)
    _block(client, url)
    from django.contrib.auth.models import update_last_login

    update_last_login(None, officer)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        _block(client, url)
    assert not any("checklist" in q["sql"] for q in queries.captured_queries)


def test_a_write_to_another_batch_leaves_the_block_cached(world):
    """Each batch has its own version (placements.figures): a placement, ticks and a report in another
    batch leave this block as it was cached (the nominations import: tests/selection/imports)."""
    elsewhere = PlacementFactory(batch=BatchFactory())  # (its officer, user and hosts are shared rows)
    officer = world["mine"].officer.user
    url = reverse("portal:my_placement")
    client = _client(officer)
    _block(client, url)
    elsewhere.role = "Liaison officer"
    elsewhere.save()
    item = ChecklistItemFactory(batch=elsewhere.batch)
    checklist_item_set_done(placement=elsewhere, item=item, done=True, actor=elsewhere.officer.user)
    ExchangeReport.objects.create(placement=elsewhere, status=ExchangeReport.Status.DRAFT)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        _block(client, url)
    assert not any("checklist" in q["sql"] for q in queries.captured_queries)


def test_a_placement_moved_to_another_batch_makes_both_batches_fresh(world):
    """The batch the placement left is stale too: the placement remembers the batch it was read in."""
    officer = world["mine"].officer.user
    url = reverse("portal:my_placement")
    client = _client(officer)
    mate_name = world["mate"].officer.name_en
    assert mate_name in _block(client, url)
    mate = Placement.objects.get(pk=world["mate"].pk)
    mate.batch = BatchFactory()
    mate.save()
    assert mate_name not in _block(client, url)
    assert _block(client, url) == _fresh(officer, url)


def test_a_row_changed_without_its_batch_read_makes_everything_stale(world):
    """Where the batch a row was read in is unknown (a placement read without its batch column), whether it
    moved cannot be told: every cached figure is stale (placements.apps)."""
    from core import cache_versions
    from placements.figures import FIGURES

    before = cache_versions.current(FIGURES)
    mate = Placement.objects.only("pk", "role").get(pk=world["mate"].pk)
    mate.role = "Liaison officer"
    mate.save(update_fields=["role"])
    assert cache_versions.current(FIGURES) != before
    # ... while one read whole, changed in its batch, leaves the other batches' figures as they were
    before = cache_versions.current(FIGURES)
    mate = Placement.objects.get(pk=world["mate"].pk)
    mate.role = "Chief liaison"
    mate.save()
    assert cache_versions.current(FIGURES) == before
