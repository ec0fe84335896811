import datetime

import pytest
from django.core.exceptions import ValidationError

from placements.models import Batch, Placement
from placements.services import batch_save, placement_create, placement_save
from tests.factories import (
    BatchFactory,
    FocusAreaFactory,
    HostAreaFactory,
    HostOrganisationFactory,
    MunicipalityFactory,
    OfficerFactory,
    PlacementFactory,
)

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def city():
    return MunicipalityFactory(name_en="Testcity")


@pytest.fixture
def district(city):
    return HostAreaFactory(municipality=city, name_en="Centre District")


@pytest.fixture
def batch(city, district):
    return BatchFactory(
        host_municipality=city, host_areas=[district], start_date=D(2025, 1, 6), end_date=D(2025, 4, 4)
    )


def refusal(call):
    with pytest.raises(ValidationError) as error:
        call()
    return error.value.message_dict


def test_placement_create_takes_dates_and_home_department_from_batch_and_officer(batch, district):
    officer = OfficerFactory()
    focus = FocusAreaFactory()

    placement = placement_create(
        officer=officer,
        batch=batch,
        host_area=district,
        host_organisation=HostOrganisationFactory(municipality=batch.host_municipality),
        focus_areas=[focus],
    )

    placement.refresh_from_db()
    assert (placement.start_date, placement.end_date) == (batch.start_date, batch.end_date)
    assert placement.home_department == officer.home_department
    assert list(placement.focus_areas.all()) == [focus]
    assert placement.status == Placement.Status.NOMINATED


def test_an_officer_is_placed_at_most_once_per_batch(batch):
    existing = PlacementFactory(batch=batch)
    errors = refusal(lambda: placement_create(officer=existing.officer, batch=batch))
    assert errors["__all__"] == ["This officer is already placed in this batch."]
    assert Placement.objects.count() == 1


def test_a_placement_cannot_end_before_it_starts(batch):
    errors = refusal(
        lambda: placement_create(
            officer=OfficerFactory(), batch=batch, start_date=D(2025, 3, 1), end_date=D(2025, 2, 1)
        )
    )
    assert errors["end_date"] == ["The end date cannot be before the start date."]


def test_a_placement_lies_within_its_batch(batch):
    errors = refusal(
        lambda: placement_create(
            officer=OfficerFactory(), batch=batch, start_date=D(2025, 1, 1), end_date=D(2025, 4, 30)
        )
    )
    assert errors["start_date"] == [
        "The placement starts on 1 Jan 2025, before its batch starts (6 Jan 2025)."
    ]
    assert errors["end_date"] == ["The placement ends on 30 Apr 2025, after its batch ends (4 Apr 2025)."]


def test_host_area_must_be_in_the_batch_municipality(batch):
    elsewhere = HostAreaFactory(name_en="Faraway District")
    errors = refusal(lambda: placement_create(officer=OfficerFactory(), batch=batch, host_area=elsewhere))
    assert errors["host_area"] == ["Faraway District is not in Testcity, the batch's host municipality."]


def test_host_area_must_be_one_of_the_batch_host_areas(batch, city):
    other = HostAreaFactory(municipality=city, name_en="Harbour Zone")
    errors = refusal(lambda: placement_create(officer=OfficerFactory(), batch=batch, host_area=other))
    assert errors["host_area"] == [
        "Harbour Zone is not one of this batch's host areas; add it to the batch first."
    ]


def test_host_organisation_must_be_in_the_batch_municipality(batch):
    host = HostOrganisationFactory(name_en="Remote Bureau")
    errors = refusal(lambda: placement_create(officer=OfficerFactory(), batch=batch, host_organisation=host))
    assert errors["host_organisation"] == ["Remote Bureau is not in Testcity, the batch's host municipality."]


def test_host_organisation_in_another_area_than_the_placement_is_refused(batch, city, district):
    other = HostAreaFactory(municipality=city, name_en="North District")
    batch.host_areas.add(other)
    host = HostOrganisationFactory(municipality=city, area=other, name_en="North Office")
    errors = refusal(
        lambda: placement_create(
            officer=OfficerFactory(), batch=batch, host_area=district, host_organisation=host
        )
    )
    assert errors["host_area"] == ["North Office is in North District, not in the host area chosen."]


def test_an_officer_never_has_two_overlapping_active_placements(batch):
    officer = OfficerFactory()
    PlacementFactory(officer=officer, batch=batch)
    overlapping = BatchFactory(
        host_municipality=batch.host_municipality, start_date=D(2025, 3, 1), end_date=D(2025, 5, 30)
    )
    errors = refusal(lambda: placement_create(officer=officer, batch=overlapping))
    assert "already has a placement from 6 Jan 2025 to 4 Apr 2025" in errors["__all__"][0]


def test_a_withdrawn_placement_does_not_block_another(batch):
    officer = OfficerFactory()
    PlacementFactory(officer=officer, batch=batch, status=Placement.Status.WITHDRAWN)
    overlapping = BatchFactory(
        host_municipality=batch.host_municipality, start_date=D(2025, 3, 1), end_date=D(2025, 5, 30)
    )
    assert placement_create(officer=officer, batch=overlapping).pk


def test_back_to_back_placements_are_allowed(batch):
    officer = OfficerFactory()
    PlacementFactory(officer=officer, batch=batch)
    later = BatchFactory(
        host_municipality=batch.host_municipality, start_date=D(2025, 4, 5), end_date=D(2025, 6, 30)
    )
    assert placement_create(officer=officer, batch=later).pk


def test_outbound_batches_take_hong_kong_officers_only(batch):
    errors = refusal(
        lambda: placement_create(officer=OfficerFactory(mainland=True, name_en="LI Ming"), batch=batch)
    )
    assert errors["officer"] == ["LI Ming is a Mainland officer; this batch sends Hong Kong officers."]


def test_inbound_batches_take_mainland_officers_only():
    inbound = BatchFactory(direction=Batch.Direction.INBOUND)
    errors = refusal(lambda: placement_create(officer=OfficerFactory(name_en="CHAN Siu-ming"), batch=inbound))
    assert errors["officer"] == [
        "CHAN Siu-ming is a Hong Kong officer; this batch receives Mainland officers."
    ]


def test_placement_save_refuses_changes_that_break_a_rule_and_keeps_the_row(batch):
    placement = PlacementFactory(batch=batch)
    placement.end_date = D(2026, 1, 1)
    refusal(lambda: placement_save(placement=placement))
    placement.refresh_from_db()
    assert placement.end_date == batch.end_date


def test_batch_save_refuses_host_areas_outside_its_municipality(batch):
    errors = refusal(lambda: batch_save(batch=batch, host_areas=[HostAreaFactory(name_en="Elsewhere")]))
    assert errors["host_areas"] == ["Elsewhere not in Testcity, the batch's host municipality."]


def test_batch_save_refuses_dates_that_leave_placements_outside(batch):
    PlacementFactory(batch=batch, officer=OfficerFactory(name_en="WONG Ka-yan"))
    batch.end_date = D(2025, 3, 1)
    errors = refusal(lambda: batch_save(batch=batch))
    assert "WONG Ka-yan" in errors["end_date"][0]
    batch.refresh_from_db()
    assert batch.end_date == D(2025, 4, 4)


def test_batch_must_end_after_it_starts(city):
    batch = BatchFactory.build(host_municipality=city, start_date=D(2025, 1, 6), end_date=D(2025, 1, 6))
    batch.programme.save()
    errors = refusal(lambda: batch_save(batch=batch))
    assert errors["end_date"] == ["The end date must be after the start date."]
