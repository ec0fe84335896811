"""A roster CSV downloaded again before anything in it changed comes from the cache: the same bytes, fewer
queries, logged all the same; any change to what it shows writes it afresh; a large one is never kept."""

import pytest
from django.urls import reverse
from django.utils import translation

from core.cache_versions import MISSING
from placements.exports import RosterExporter, http
from placements.exports.logged import writer_for
from placements.figures import figures_lookup
from placements.models import Placement, RosterExport
from placements.services import placement_save
from tests.placements.roster_data import roster_batch

pytestmark = pytest.mark.django_db


@pytest.fixture
def batch(coordinator_user):
    return roster_batch(coordinator_user)


def download(client, batch, **params):
    response = client.get(reverse("coordination:batch_roster_csv", args=[batch.pk]), params)
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_a_second_download_comes_from_the_cache_and_is_logged(
    coordinator_client, coordinator_user, batch, django_assert_num_queries
):
    first = download(coordinator_client, batch)
    # session, batch, the log row: no departments, focus areas or rows (9 when written, see
    # test_roster_exports.test_export_queries_do_not_grow_with_rows)
    with django_assert_num_queries(3):
        second = download(coordinator_client, batch)
    assert second == first
    assert list(RosterExport.objects.values_list("user", "format", "row_count", "via")) == [
        (coordinator_user.pk, "csv", 4, "web"),
        (coordinator_user.pk, "csv", 4, "web"),
    ]


def test_a_change_to_the_batch_or_an_officer_writes_it_afresh(coordinator_client, batch):
    download(coordinator_client, batch)
    placement = Placement.objects.filter(batch=batch).select_related("officer").first()
    placement.role = "Changed role"
    placement_save(placement=placement)
    assert "Changed role" in download(coordinator_client, batch).decode()
    officer = placement.officer
    officer.email = "changed.address@ogcio.gov.hk"
    officer.save()
    assert "changed.address@ogcio.gov.hk" in download(coordinator_client, batch).decode()


def test_each_language_and_choice_has_its_own_file(coordinator_client, batch):
    english = download(coordinator_client, batch)
    without_withdrawn = download(coordinator_client, batch, withdrawn="exclude")
    with translation.override("zh-hant"):
        coordinator_client.cookies["django_language"] = "zh-hant"
        chinese = download(coordinator_client, batch)
    assert english.count(b"\n") == 5 and without_withdrawn.count(b"\n") == 4
    assert "姓名".encode() in chinese and "姓名".encode() not in english


def test_a_large_file_is_streamed_every_time_and_never_kept(
    coordinator_client, batch, monkeypatch, django_assert_num_queries
):
    monkeypatch.setattr(http, "CACHED_CSV_BYTES", 100)
    first = download(coordinator_client, batch)
    with django_assert_num_queries(9):
        assert download(coordinator_client, batch) == first


def test_a_download_left_unfinished_is_not_kept(batch):
    # What the server does when the client goes away: it closes the response's generator.
    exporter = RosterExporter(batch)
    key = exporter.cache_key("csv")
    chunks = http._cached_chunks(exporter, writer_for(exporter, "csv"), key)
    next(chunks)  # the byte-order mark only
    chunks.close()
    assert figures_lookup(key, batch_id=batch.pk)[0] is MISSING
    content = b"".join(http._cached_chunks(exporter, writer_for(exporter, "csv"), key))
    assert figures_lookup(key, batch_id=batch.pk)[0] == (content, 4)
