"""A participant signs in, sees their placement, edits their details, ticks a checklist item, saves and
submits their report (through its confirmation step, which ticks the report item), reads their notices'
history; another participant cannot reach any of it."""

import re

from playwright.sync_api import expect

from participants.models import Officer
from placements.models import ChecklistCompletion, ChecklistItem, ExchangeReport
from tests.factories import (
    BatchFactory,
    ChecklistItemFactory,
    CoordinatorUserFactory,
    OfficerFactory,
    ParticipantUserFactory,
    PlacementFactory,
)


def make_world():
    batch = BatchFactory(name="GBA e2e batch", coordinators=[CoordinatorUserFactory(username="coord-e2e")])
    mine = PlacementFactory(
        batch=batch,
        officer=OfficerFactory(name_en="CHAN E2E", user=ParticipantUserFactory(username="part-e2e")),
        role="Special assistant to a deputy district head",
    )
    theirs = PlacementFactory(
        batch=batch,
        officer=OfficerFactory(name_en="WONG Other", user=ParticipantUserFactory(username="other-e2e")),
    )
    ChecklistItemFactory(batch=batch, title="Attend the pre-departure briefing")
    ChecklistItemFactory(
        batch=batch,
        title="Submit your exchange report",
        phase=ChecklistItem.Phase.AFTER,
        kind=ChecklistItem.Kind.REPORT_SUBMITTED,
    )
    return mine, theirs


def test_a_participant_uses_their_placement_page_from_end_to_end(sign_in, live_server):
    mine, _ = make_world()
    page = sign_in("part-e2e")

    # Lands on My placement.
    assert page.url == f"{live_server.url}/my/"
    expect(page.get_by_role("heading", level=1)).to_have_text("My placement")
    expect(page.get_by_text("Special assistant to a deputy district head")).to_be_visible()
    expect(page.get_by_text("WONG Other")).to_be_visible()  # a batchmate

    # My details: a bad number is refused on its field, a good one saved.
    page.get_by_role("link", name="Edit my details").click()
    page.get_by_label("Mobile phone").fill("12345")
    page.get_by_role("button", name="Save my details").click()
    expect(page.get_by_text("is not a Hong Kong or Mainland phone number")).to_be_visible()
    page.get_by_label("Mobile phone").fill("+852 9123 4567")
    page.get_by_label("Emergency contact", exact=True).fill("CHAN Mei-ling")
    page.get_by_role("button", name="Save my details").click()
    expect(page.get_by_text("Your details are saved.")).to_be_visible()
    expect(page.get_by_text("by you")).to_be_visible()
    assert Officer.objects.get(pk=mine.officer.pk).mobile_phone == "+852 9123 4567"

    # Checklist: tick an item.
    page.get_by_role("link", name="My placement").first.click()
    page.get_by_role("link", name="Open and tick off the checklist").click()
    # The report item is the portal's to tick: it has no button.
    expect(page.get_by_text("Ticked by the portal when the report is submitted")).to_be_visible()
    page.get_by_role("button", name=re.compile("Mark as done")).click()
    expect(page.get_by_text("Ticked off: Attend the pre-departure briefing.")).to_be_visible()
    expect(page.get_by_text("1 of 2 done.")).to_be_visible()
    assert ChecklistCompletion.objects.filter(placement=mine).count() == 1

    # Report: save a draft, then submit; it becomes read-only.
    page.goto(f"{live_server.url}/my/")
    page.get_by_role("link", name="Start the report").click()
    page.get_by_label(re.compile("What I learnt")).fill("One-stop approval desks.")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Your draft is saved.")).to_be_visible()
    page.get_by_label(re.compile("Connections made")).fill("Three bureaux.")
    page.get_by_label(re.compile("Goodwill-ambassador")).fill("A talk on the Hong Kong civil service.")
    page.get_by_role("button", name="Review and submit").click()
    # The confirmation step: a summary of the answers, nothing submitted yet.
    expect(page.get_by_role("heading", level=1)).to_have_text("Submit the exchange report?")
    expect(page.get_by_text("A talk on the Hong Kong civil service.")).to_be_visible()
    assert not ExchangeReport.objects.get(placement=mine).is_submitted
    page.get_by_role("button", name="Submit the report").click()
    expect(page.get_by_text("Your report is submitted. Thank you.")).to_be_visible()
    expect(page.get_by_text("A submitted report can no longer be changed.")).to_be_visible()
    expect(page.get_by_role("button", name="Review and submit")).to_have_count(0)
    assert ExchangeReport.objects.get(placement=mine).is_submitted
    # Submitting ticked its checklist item.
    page.goto(f"{live_server.url}/placements/{mine.pk}/checklist/")
    expect(page.get_by_text("2 of 2 done.")).to_be_visible()


def test_another_participant_cannot_reach_my_placement(sign_in, live_server):
    mine, _ = make_world()
    page = sign_in("other-e2e")
    for path in ["", "checklist/", "report/"]:
        response = page.goto(f"{live_server.url}/placements/{mine.pk}/{path}")
        assert response.status == 404
        expect(page.get_by_text("CHAN E2E")).to_have_count(0)
    # Their own page does not show my details either.
    page.goto(f"{live_server.url}/my/")
    expect(page.get_by_text("WONG Other")).to_be_visible()
    expect(page.get_by_text(mine.officer.email)).to_have_count(0)


def test_an_anonymous_visitor_is_sent_to_sign_in(page, live_server):
    mine, _ = make_world()
    page.goto(f"{live_server.url}/placements/{mine.pk}/")
    assert "/accounts/login/" in page.url
