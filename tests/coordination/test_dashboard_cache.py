"""The dashboard's figures and charts are cached under the figures version (placements.figures): a
second view costs two queries, and every write that changes a figure makes the next view fresh."""

import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from core import cache_versions
from placements.figures import BATCHES, FIGURES, batch_version
from placements.models import Batch, ChecklistItem, ExchangeReport, Placement
from placements.services import (
    batch_save,
    checklist_item_save,
    checklist_item_set_done,
    placement_save,
    report_save,
)
from tests.factories import ChecklistItemFactory, OfficerFactory

from .test_dashboard import URL, make_batch

pytestmark = pytest.mark.django_db


def queries(client, url=URL):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def participants(page):
    return int(re.search(r"<dt>Participants</dt><dd[^>]*>(\d+)</dd>", page).group(1))


def completion_row(page, batch):
    """The completion table's cells for `batch`: participants, items, ticks, reports submitted."""
    row = re.search(r'card-title-cell">' + re.escape(batch.name) + r"</th>(.*?)</tr>", page, re.S).group(1)
    return [" ".join(cell.split()) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]


def test_a_second_view_is_served_from_the_cache(csb_client, django_assert_num_queries):
    make_batch(3, year=2010)
    csb_client.get(URL)
    # The session, the user with their officer, and the pipeline of running calls (nominations change it
    # at any time); the permissions, the figures, the charts and the unfiltered form are all cached.
    # ... and the user with their profiles, cached since the first request (participants.backends)
    with django_assert_num_queries(2):
        response = csb_client.get(URL)
    assert participants(response.content.decode()) == 3


def test_coordinators_have_their_own_entries(csb_user, coordinator_user):
    make_batch(3, year=2010, coordinators=[coordinator_user])
    make_batch(4, year=2010)
    for user, expected in ((csb_user, 7), (coordinator_user, 3), (csb_user, 7), (coordinator_user, 3)):
        client = Client()
        client.force_login(user)
        assert participants(client.get(URL).content.decode()) == expected


def test_a_new_placement_makes_the_next_view_fresh(csb_client):
    batch = make_batch(3, year=2010)
    csb_client.get(URL)
    placement_save(
        placement=Placement(officer=OfficerFactory(), batch=batch, host_area=batch.host_areas.first())
    )
    count, page = queries(csb_client)
    assert count > 2 and participants(page) == 4


def test_a_status_change_makes_the_next_view_fresh(csb_client):
    batch = make_batch(3, year=2010)
    csb_client.get(URL)
    placement = batch.placements.first()
    placement.status = Placement.Status.WITHDRAWN
    placement_save(placement=placement)
    assert participants(queries(csb_client)[1]) == 2


def test_a_batch_save_makes_the_next_view_fresh(coordinator_client, coordinator_user):
    batch = make_batch(3, year=2010)
    assert participants(coordinator_client.get(URL).content.decode()) == 0
    batch_save(batch=batch, coordinators=[coordinator_user])
    assert participants(queries(coordinator_client)[1]) == 3


def test_a_deleted_placement_makes_the_next_view_fresh(csb_client):
    batch = make_batch(3, year=2010)
    csb_client.get(URL)
    batch.placements.first().delete()
    assert participants(queries(csb_client)[1]) == 2


def running_batch(n=2):
    today = datetime.date.today()
    batch = make_batch(n, year=today.year, status="in_progress")
    Batch.objects.filter(pk=batch.pk).update(
        start_date=today - datetime.timedelta(days=10), end_date=today + datetime.timedelta(days=10)
    )
    batch.refresh_from_db()
    Placement.objects.filter(batch=batch).update(
        status=Placement.Status.CONFIRMED, start_date=batch.start_date, end_date=batch.end_date
    )
    return batch


def test_a_submitted_report_makes_the_next_view_fresh(csb_client):
    batch = running_batch()
    csb_client.get(URL)
    placement = batch.placements.first()
    answers = dict.fromkeys(ExchangeReport.REQUIRED_FOR_SUBMISSION, "Answered.")
    report_save(placement=placement, data=answers, actor=placement.officer.user, submit=True)
    assert completion_row(queries(csb_client)[1], batch)[3] == "1 (50%)"


def test_ticks_and_unticks_make_the_next_view_fresh(csb_client):
    batch = running_batch()
    item = ChecklistItemFactory(batch=batch)
    csb_client.get(URL)
    placement = batch.placements.first()
    checklist_item_set_done(placement=placement, item=item, done=True, actor=placement.officer.user)
    assert completion_row(queries(csb_client)[1], batch)[2] == "1 (50%)"
    checklist_item_set_done(placement=placement, item=item, done=False, actor=placement.officer.user)
    assert completion_row(queries(csb_client)[1], batch)[2] == "0 (0%)"


def test_an_automatic_checklist_item_bumps_its_batchs_version(csb_client):
    """Its ticks are written in bulk, without signals: the service bumps the batch's version and the one
    across batches (the dashboard's) itself, and leaves everything else cached."""
    batch = running_batch()
    names = (FIGURES, BATCHES, batch_version(batch.pk))
    before = dict(zip(names, map(cache_versions.current, names), strict=True))
    checklist_item_save(
        item=ChecklistItem(
            batch=batch,
            title="Submit your report",
            phase=ChecklistItem.Phase.AFTER,
            kind=ChecklistItem.Kind.REPORT_SUBMITTED,
        )
    )
    assert cache_versions.current(BATCHES) != before[BATCHES]
    assert cache_versions.current(batch_version(batch.pk)) != before[batch_version(batch.pk)]
    assert cache_versions.current(FIGURES) == before[FIGURES]
