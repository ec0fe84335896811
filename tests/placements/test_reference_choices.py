"""The admin's pickers of reference rows show them from the cache (placements.reference_choices): fresh after
every save and delete of those rows, per language, and what is posted is still checked against the
database."""

import re

import pytest

from placements.models import FocusArea, HostArea
from tests.factories import (
    BatchFactory,
    CallFactory,
    FocusAreaFactory,
    GradeFactory,
    HostAreaFactory,
    HostOrganisationFactory,
    PlacementFactory,
    RankFactory,
)
from tests.placements.test_admin_defects import batch_change_post

pytestmark = pytest.mark.django_db


def _options(html, name):
    """The (value, label) pairs of the select called `name`."""
    select = re.search(rf'<select name="{re.escape(name)}".*?</select>', html, re.S)
    assert select, name
    return re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select.group())


def test_the_batch_pages_pickers_are_fresh_after_every_write_of_their_rows(csb_client):
    batch = BatchFactory()
    placement = PlacementFactory(batch=batch)
    area = HostAreaFactory(municipality=batch.host_municipality)
    focus = FocusAreaFactory()
    url = f"/admin/placements/batch/{batch.pk}/change/"

    def page():
        html = csb_client.get(url).content.decode()
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)

    html = page()
    assert (str(area.pk), str(area)) in _options(html, "host_areas")
    assert (str(area.pk), str(area)) in _options(html, "placements-0-host_area")
    assert (str(focus.pk), str(focus)) in _options(html, "focus_areas")
    assert page() == html  # now from the cache

    area.name_en = "Renamed district"
    area.save()
    organisation = HostOrganisationFactory(municipality=batch.host_municipality)
    html = page()
    assert (str(area.pk), str(area)) in _options(html, "host_areas")
    assert (str(area.pk), str(area)) in _options(html, "placements-0-host_area")
    assert (str(organisation.pk), str(organisation)) in _options(html, "placements-0-host_organisation")

    focus_id = focus.pk
    focus.delete()
    assert str(focus_id) not in dict(_options(page(), "focus_areas"))
    HostArea.objects.get(pk=area.pk).delete()
    html = page()
    assert str(area.pk) not in dict(_options(html, "host_areas"))
    assert str(area.pk) not in dict(_options(html, "placements-0-host_area"))
    assert placement.host_organisation_id is not None


def test_the_call_pages_grade_and_rank_pickers_are_fresh_after_every_write(csb_client):
    call = CallFactory()
    rank = RankFactory()
    url = f"/admin/selection/call/{call.pk}/change/"

    def page():
        return csb_client.get(url).content.decode()

    assert (str(rank.pk), str(rank)) in _options(page(), "eligible_ranks")
    rank.name_en = "Renamed rank"
    rank.save()
    grade = GradeFactory()
    html = page()
    assert (str(rank.pk), "Renamed rank") in _options(html, "eligible_ranks")
    assert (str(grade.pk), str(grade)) in _options(html, "eligible_grades")
    rank_id = rank.pk
    rank.delete()
    assert str(rank_id) not in dict(_options(page(), "eligible_ranks"))


def test_the_pickers_labels_are_cached_per_language(csb_client):
    batch = BatchFactory()
    area = HostAreaFactory(municipality=batch.host_municipality, kind=HostArea.Kind.COOPERATION_ZONE)
    url = f"/admin/placements/batch/{batch.pk}/change/"
    english = dict(_options(csb_client.get(url).content.decode(), "host_areas"))[str(area.pk)]
    csb_client.cookies["django_language"] = "zh-hant"
    chinese = dict(_options(csb_client.get(url).content.decode(), "host_areas"))[str(area.pk)]
    assert english.endswith("(Cooperation zone)")
    assert chinese != english and "合作區" in chinese


def test_a_choice_shown_from_the_cache_is_checked_against_the_database(csb_client, monkeypatch):
    from core import cache_versions

    batch = BatchFactory()
    gone = FocusAreaFactory()
    url = f"/admin/placements/batch/{batch.pk}/change/"
    csb_client.get(url)
    # Deleted while the version stays (another process's bump not seen yet, with local memory): the picker
    # still offers it.
    with monkeypatch.context() as patched:
        patched.setattr(cache_versions, "bump", lambda name: None)
        FocusArea.objects.filter(pk=gone.pk).delete()
    html = csb_client.get(url).content.decode()
    assert str(gone.pk) in dict(_options(html, "focus_areas"))
    data = batch_change_post(batch, focus_areas=[gone.pk])
    response = csb_client.post(url, data)
    assert response.status_code == 200
    assert "focus_areas" in response.context["adminform"].form.errors
