"""The host's officer page (hosting.views.placement_detail_view): its two empty forms' fields are rendered
once per coordinator, municipality, organisation proposed and language under the figures version; the
organisations are read once; a coordinator never gets another's organisations; a new, renamed or
removed organisation is seen next; a form with errors is never kept; its queries do not grow."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    HostChangeRequestFactory,
    HostCoordinatorFactory,
    HostOrganisationFactory,
    MunicipalityFactory,
    NominationFactory,
    proposed_placement,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    city = MunicipalityFactory()
    host_p = HostOrganisationFactory(municipality=city, name_en="Host P Bureau")
    host_r = HostOrganisationFactory(municipality=city, name_en="Host R Bureau")
    placement = proposed_placement(
        host_organisation=host_p,
        nomination=NominationFactory(call__batch__host_municipality=city, consent="given", status="selected"),
    )
    return {
        "city": city,
        "placement": placement,
        "host_p": host_p,
        "host_r": host_r,
        # Both answer for P; only the first for R as well.
        "coordinator_pr": HostCoordinatorFactory(host_organisations=[host_p, host_r]),
        "coordinator_p": HostCoordinatorFactory(host_organisations=[host_p]),
    }


def _client(coordinator, language=None):
    client = Client()
    client.force_login(coordinator.user)
    if language:
        client.cookies["django_language"] = language
    return client


def _url(placement):
    return reverse("hosting:placement_detail", args=[placement.pk])


def _page(coordinator, placement, language=None):
    response = _client(coordinator, language).get(_url(placement))
    assert response.status_code == 200
    return response.content.decode()


def _options(page):
    select = page.split('name="accept-host_organisation"', 1)[1].split("</select>", 1)[0]
    return [part.split("<", 1)[0] for part in select.split(">")[1:] if part.split("<", 1)[0].strip()]


def test_each_coordinator_gets_their_own_organisations(world):
    placement = world["placement"]
    assert _options(_page(world["coordinator_pr"], placement)) == ["Host P Bureau", "Host R Bureau"]
    assert _options(_page(world["coordinator_p"], placement)) == ["Host P Bureau"]
    assert _options(_page(world["coordinator_pr"], placement)) == ["Host P Bureau", "Host R Bureau"]
    # The organisation proposed is chosen.
    assert '<option value="{}" selected>Host P Bureau</option>'.format(world["host_p"].pk) in _page(
        world["coordinator_p"], placement
    )


def test_organisations_added_renamed_or_deleted_are_seen_next(world):
    placement, coordinator = world["placement"], world["coordinator_p"]
    host_s = HostOrganisationFactory(municipality=world["city"], name_en="Host S Bureau")  # bumps by itself
    assert _options(_page(coordinator, placement)) == ["Host P Bureau"]
    coordinator.host_organisations.add(host_s)  # a many-to-many change alone
    assert _options(_page(coordinator, placement)) == ["Host P Bureau", "Host S Bureau"]
    host_s.name_en = "Host S Renamed"
    host_s.save()
    assert _options(_page(coordinator, placement)) == ["Host P Bureau", "Host S Renamed"]
    host_s.delete()
    assert _options(_page(coordinator, placement)) == ["Host P Bureau"]


def test_each_language_has_its_own_forms(world):
    placement, coordinator = world["placement"], world["coordinator_p"]
    english = _page(coordinator, placement)
    chinese = _page(coordinator, placement, "zh-hant")
    assert "Role at the host" in english and "Role at the host" not in chinese
    assert "What should change, and why" in english and "What should change, and why" not in chinese
    assert "Role at the host" in _page(coordinator, placement)


def test_a_form_with_errors_is_never_kept(world):
    placement, coordinator = world["placement"], world["coordinator_p"]
    client = _client(coordinator)
    _page(coordinator, placement)
    posted = client.post(
        _url(placement),
        {"action": "accept", "accept-host_organisation": world["host_p"].pk, "accept-role": "Adviser"},
    )
    assert posted.status_code == 200
    assert "is-invalid" in posted.content.decode()  # no supervisor
    assert 'value="Adviser"' in posted.content.decode()
    page = _page(coordinator, placement)
    assert "is-invalid" not in page and 'value="Adviser"' not in page
    posted = client.post(_url(placement), {"action": "change", "change-reason": ""})
    assert "is-invalid" in posted.content.decode()
    assert "is-invalid" not in _page(coordinator, placement)


def test_officer_page_query_count(world, django_assert_num_queries):
    placement, coordinator = world["placement"], world["coordinator_pr"]
    client = _client(coordinator)
    client.get(_url(placement))  # the permissions and the forms cached
    # session, user with their profiles (participants.backends), the placement with officer, rank, grade,
    # department, host and batch, its focus areas, its change requests (whether one is open: worked out
    # from them); the forms' fields cached (the organisations are not read).
    # ... and the user with their profiles, cached since the first request (participants.backends)
    with django_assert_num_queries(4):
        assert client.get(_url(placement)).status_code == 200
    # After a write, the organisations are read once (the select asked twice before, a query each): the
    # same 6 with a change request and a third organisation as without.
    HostChangeRequestFactory(
        placement=placement, requested_by=coordinator.user, resolved_at=timezone.now(), resolution="Kept."
    )
    coordinator.host_organisations.add(HostOrganisationFactory(municipality=world["city"]))
    # ... and the user with their profiles, cached since the first request (participants.backends)
    with django_assert_num_queries(5):
        page = client.get(_url(placement)).content.decode()
    assert len(_options(page)) == 3
    assert "CSB answered on" in page


def test_an_open_change_request_replaces_the_forms(world):
    placement, coordinator = world["placement"], world["coordinator_p"]
    assert 'name="accept-role"' in _page(coordinator, placement)
    HostChangeRequestFactory(placement=placement, requested_by=coordinator.user)
    page = _page(coordinator, placement)
    assert "Your change request is with CSB" in page
    assert 'name="accept-role"' not in page and 'name="change-reason"' not in page
