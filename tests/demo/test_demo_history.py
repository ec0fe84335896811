from io import StringIO

import pytest
from django.core.management import call_command

from participants.models import Officer
from placements.models import Batch, Placement
from placements.services import placement_validate

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("load_demo", "--password", "pw-demo", stdout=StringIO())


def test_history_runs_both_ways_since_2002_with_the_partner_cities_in_order(demo):
    older = Batch.objects.filter(programme__short_name="CSSEP")
    outbound = older.filter(direction=Batch.Direction.OUTBOUND)
    first_visits = {}
    for batch in outbound.select_related("host_municipality").order_by("start_date"):
        first_visits.setdefault(batch.host_municipality.name_en, batch.start_date.year)
    assert first_visits == {"Shanghai": 2002, "Beijing": 2003, "Hangzhou": 2004}
    years_out = set(outbound.values_list("start_date__year", flat=True))
    years_in = set(older.filter(direction=Batch.Direction.INBOUND).values_list("start_date__year", flat=True))
    assert set(range(2002, 2026)) <= years_out
    assert set(range(2003, 2024)) <= years_in
    assert older.filter(status=Batch.Status.IN_PROGRESS).count() == 2


def test_history_stays_modest_and_every_officer_in_it_is_fictional(demo):
    placements = Placement.objects.filter(batch__programme__short_name="CSSEP")
    assert 150 <= placements.count() <= 300
    officers = Officer.objects.filter(placements__batch__programme__short_name="CSSEP").distinct()
    assert officers.exclude(notes__icontains="fictional").count() == 0


def test_history_placements_keep_the_services_rules(demo):
    # Written with bulk inserts for speed: every rule placement_validate enforces must still hold.
    placements = Placement.objects.filter(batch__programme__short_name="CSSEP").select_related(
        "officer", "batch__host_municipality", "host_area__municipality", "host_organisation__area"
    )
    for placement in placements:
        placement_validate(placement=placement)
        placement.full_clean()


def test_every_demo_row_has_an_address_and_dates_that_could_be_true(demo):
    """Issue 14: a Hong Kong officer's address is at their department's domain; nobody is placed from a
    bureau before it existed; no address is a made-up domain."""
    from demo.history import ESTABLISHED

    assert not Officer.objects.filter(email__endswith=".example").exists()
    hong_kong = Officer.objects.filter(home_side=Officer.HomeSide.HONG_KONG).select_related("home_department")
    for officer in hong_kong:
        assert officer.email.endswith(f"@{officer.home_department.abbreviation.lower()}.gov.hk"), (
            officer.email
        )
    for placement in Placement.objects.select_related("home_department").exclude(home_department=None):
        established = ESTABLISHED.get(placement.home_department.abbreviation, 0)
        assert placement.start_date.year >= established, placement
    # The 2027 batch follows the first: there is no "fourth batch" without a second and a third.
    assert not Batch.objects.filter(name__contains="fourth").exists()
