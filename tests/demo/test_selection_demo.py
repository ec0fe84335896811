"""The selection demo (demo/selection.py): the 2027 Guangzhou batch's open call, its liaisons, and
nominations in every state, so each role sees a realistic page straight after `make run`."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.http import HttpRequest
from django.urls import reverse

from placements.models import Placement
from selection.models import Call, HostChangeRequest, HostCoordinator, NominatingOfficer, Nomination
from selection.selectors.hosting import placements_awaiting_host

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("load_demo", "--password", "pw-demo", stdout=StringIO())


def test_the_2027_guangzhou_batch_has_an_open_call_with_nominations_in_every_state(demo):
    call = Call.objects.get(batch__host_municipality__name_en="Guangzhou", batch__start_date__year=2027)
    assert call.status == Call.Status.OPEN and call.opens_on <= call.closes_on
    assert call.invitations.count() >= 4
    assert call.host_places.count() == 2
    statuses = set(call.nominations.values_list("status", flat=True))
    assert statuses == set(Nomination.Status.values)
    consents = set(call.nominations.values_list("consent", flat=True))
    assert consents == set(Nomination.Consent.values)
    declined = call.nominations.get(status=Nomination.Status.DECLINED)
    assert declined.decision_reason
    for nomination in call.nominations.all():
        nomination.full_clean()
        assert call.invitations.filter(department=nomination.department).exists()
        assert nomination.officer.home_department_id == nomination.department_id
    # Every selected nomination has its placement; one confirmed by the host, one with a change request
    # open, the others awaiting the host.
    selected = call.nominations.filter(status=Nomination.Status.SELECTED).select_related("placement")
    assert all(n.placement and n.placement.batch_id == call.batch_id for n in selected)
    placements = [n.placement for n in selected]
    assert sum(p.status == Placement.Status.CONFIRMED for p in placements) == 1
    confirmed = next(p for p in placements if p.status == Placement.Status.CONFIRMED)
    assert confirmed.role and confirmed.host_supervisor
    assert HostChangeRequest.objects.filter(placement__in=placements, resolved_at__isnull=True).count() == 1
    assert len(list(placements_awaiting_host(batch=call.batch))) == len(placements) - 1 >= 3


def test_the_liaisons_are_scoped_as_the_readme_says(demo):
    nominators = NominatingOfficer.objects.filter(user__username__startswith="nominator.")
    assert {n.user.username for n in nominators} == {"nominator.hyd", "nominator.itc", "nominator.pland"}
    for nominator in nominators:
        assert nominator.departments.count() == 1
        assert nominator.user.username.endswith(nominator.departments.get().abbreviation.lower())
    host = HostCoordinator.objects.get(user__username="host.guangzhou")
    organisations = list(host.host_organisations.all())
    assert len(organisations) == 2
    assert {o.municipality.name_en for o in organisations} == {"Guangzhou"}


def test_the_host_coordinator_signs_in_to_the_officers_proposed(demo, client):
    assert client.login(request=HttpRequest(), username="host.guangzhou", password="pw-demo")
    response = client.get(reverse("home"), follow=True)
    assert response.request["PATH_INFO"] == reverse("hosting:placement_list")
    content = response.content.decode()
    assert "LO Ka-wai" in content and "LEUNG Wing-sze" in content and "HO Man-kit" in content
    assert "TSANG Ho-yin" not in content  # accepted: under Accepted, not awaiting
    answered = client.get(reverse("hosting:placement_list"), {"show": "answered"}).content.decode()
    assert "TSANG Ho-yin" in answered
    for nominator in ("nominator.hyd", "nominator.itc", "nominator.pland"):
        assert client.login(request=HttpRequest(), username=nominator, password="pw-demo")


def test_loading_twice_adds_no_selection_rows(demo):
    counts = [Call.objects.count(), Nomination.objects.count(), HostChangeRequest.objects.count()]
    call_command("load_demo", "--password", "pw-demo", stdout=StringIO())
    assert [Call.objects.count(), Nomination.objects.count(), HostChangeRequest.objects.count()] == counts
