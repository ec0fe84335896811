"""Checklist items the portal checks itself (issue 14): ticked by the services when the thing happens,
never by hand; completed batches read-only; no report before the placement is confirmed."""

import pytest
from django.core.exceptions import ValidationError

from placements.models import Batch, ChecklistCompletion, ChecklistItem, ExchangeReport, Placement
from placements.services import (
    checklist_item_delete,
    checklist_item_save,
    checklist_item_set_done,
    officer_details_save,
    report_save,
)
from tests.factories import (
    BatchFactory,
    ChecklistItemFactory,
    ExchangeReportFactory,
    OfficerFactory,
    ParticipantUserFactory,
    PlacementFactory,
)

pytestmark = pytest.mark.django_db

ANSWERS = {"learning": "Approval desks", "connections": "Three bureaux", "goodwill": "A talk"}
REPORT, DETAILS = ChecklistItem.Kind.REPORT_SUBMITTED, ChecklistItem.Kind.DETAILS_GIVEN
CONTACT = {
    "mobile_phone": "+852 9123 4567",
    "emergency_contact_name": "CHAN Mei-ling",
    "emergency_contact_relationship": "Spouse",
    "emergency_contact_phone": "+852 9876 5432",
    "dietary_access_needs": "",
    "preferred_language": "en",
}


@pytest.fixture
def placement(db):
    officer = OfficerFactory(user=ParticipantUserFactory())
    return PlacementFactory(officer=officer, batch=BatchFactory(status=Batch.Status.IN_PROGRESS))


def ticked(placement, item):
    return ChecklistCompletion.objects.filter(placement=placement, item=item).exists()


def test_submitting_the_report_ticks_the_report_item_and_a_draft_does_not(placement):
    item = ChecklistItemFactory(batch=placement.batch, kind=REPORT, title="Submit your exchange report")
    manual = ChecklistItemFactory(batch=placement.batch)
    user = placement.officer.user
    report_save(placement=placement, data=ANSWERS, actor=user)
    assert not ticked(placement, item)
    report_save(placement=placement, data={}, actor=user, submit=True)
    completion = ChecklistCompletion.objects.get(placement=placement, item=item)
    assert completion.completed_by == user
    assert not ticked(placement, manual)


def test_giving_the_emergency_contact_ticks_the_details_item_and_removing_it_unticks(placement):
    item = ChecklistItemFactory(batch=placement.batch, kind=DETAILS)
    officer, user = placement.officer, placement.officer.user
    officer_details_save(officer=officer, data={**CONTACT, "emergency_contact_phone": ""}, actor=user)
    assert not ticked(placement, item)  # a name with no number to call is not an emergency contact
    officer_details_save(officer=officer, data=CONTACT, actor=user)
    assert ticked(placement, item)
    officer_details_save(officer=officer, data={**CONTACT, "emergency_contact_name": ""}, actor=user)
    assert not ticked(placement, item)


def test_details_do_not_rewrite_a_completed_batch(placement):
    done = PlacementFactory(
        officer=placement.officer,
        batch=BatchFactory(status=Batch.Status.COMPLETED, start_date="2023-01-02", end_date="2023-03-31"),
        start_date="2023-01-02",
        end_date="2023-03-31",
    )
    old_item = ChecklistItem.objects.create(batch=done.batch, title="Give a contact", kind=DETAILS)
    officer_details_save(officer=placement.officer, data=CONTACT, actor=placement.officer.user)
    assert not ticked(done, old_item)


def test_an_automatic_item_cannot_be_ticked_or_unticked_by_hand(placement):
    for kind in (REPORT, DETAILS):
        item = ChecklistItemFactory(batch=placement.batch, kind=kind)
        with pytest.raises(ValidationError, match="ticks this item itself"):
            checklist_item_set_done(placement=placement, item=item, done=True, actor=placement.officer.user)
        with pytest.raises(ValidationError):
            checklist_item_set_done(placement=placement, item=item, done=False, actor=placement.officer.user)
    assert not ChecklistCompletion.objects.exists()


def test_a_new_automatic_item_is_ticked_at_once_where_its_fact_holds(placement):
    ExchangeReportFactory(placement=placement, submitted=True)
    other = PlacementFactory(
        batch=placement.batch,
        officer=OfficerFactory(**{k: v for k, v in CONTACT.items() if k != "preferred_language"}),
    )
    report_item = checklist_item_save(item=ChecklistItem(batch=placement.batch, title="Report", kind=REPORT))
    details_item = checklist_item_save(
        item=ChecklistItem(batch=placement.batch, title="Contact", kind=DETAILS)
    )
    assert [c.placement for c in report_item.completions.all()] == [placement]
    assert [c.placement for c in details_item.completions.all()] == [other]
    # Turning an item into a manual one keeps its ticks; back to automatic, they follow the fact again.
    details_item.kind = ChecklistItem.Kind.MANUAL
    checklist_item_save(item=details_item)
    ChecklistCompletion.objects.create(
        placement=placement, item=details_item, completed_at="2025-01-01T00:00Z"
    )
    details_item.kind = DETAILS
    checklist_item_save(item=details_item)
    assert [c.placement for c in details_item.completions.all()] == [other]


@pytest.fixture
def completed(db):
    officer = OfficerFactory(user=ParticipantUserFactory())
    batch = BatchFactory(status=Batch.Status.COMPLETED, start_date="2023-12-18", end_date="2024-03-08")
    return PlacementFactory(officer=officer, batch=batch, status=Placement.Status.COMPLETED)


def test_a_completed_batch_checklist_is_read_only(completed):
    item = ChecklistItem.objects.create(batch=completed.batch, title="Launch ceremony")
    tick = ChecklistCompletion.objects.create(
        placement=completed, item=item, completed_at="2023-12-18T10:00Z"
    )
    user = completed.officer.user
    for done in (True, False):
        with pytest.raises(ValidationError, match="is completed"):
            checklist_item_set_done(placement=completed, item=item, done=done, actor=user)
    assert ChecklistCompletion.objects.get().completed_at.isoformat() == "2023-12-18T10:00:00+00:00"
    assert ChecklistCompletion.objects.get().pk == tick.pk  # the 2023 tick stays as it was
    with pytest.raises(ValidationError, match="is completed"):
        checklist_item_save(item=ChecklistItem(batch=completed.batch, title="Added later"))
    with pytest.raises(ValidationError, match="is completed"):
        checklist_item_delete(item=item)


def test_a_completed_batch_report_is_read_only(completed):
    with pytest.raises(ValidationError, match="is completed"):
        report_save(placement=completed, data=ANSWERS, actor=completed.officer.user)
    assert not ExchangeReport.objects.exists()


@pytest.mark.parametrize("status", [Placement.Status.NOMINATED, Placement.Status.WITHDRAWN])
def test_no_report_before_the_placement_is_confirmed(placement, status):
    Placement.objects.filter(pk=placement.pk).update(status=status)
    placement.refresh_from_db()
    with pytest.raises(ValidationError, match="once the placement is confirmed"):
        report_save(placement=placement, data=ANSWERS, actor=placement.officer.user)
    assert not ExchangeReport.objects.exists()
