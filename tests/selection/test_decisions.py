"""CSB's decisions: shortlist, reserve, decline, select (creating the placement), bulk, and every refusal."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from placements.models import OutgoingEmail, Placement
from selection.models import Call, Nomination
from selection.services.decisions import (
    nomination_decline,
    nomination_reserve,
    nomination_select,
    nomination_shortlist,
    nominations_decide,
)
from tests.factories import (
    BatchFactory,
    CallFactory,
    CallHostPlacesFactory,
    FocusAreaFactory,
    HostOrganisationFactory,
    NominatingOfficerFactory,
    NominationFactory,
    PlacementFactory,
)

pytestmark = pytest.mark.django_db

GIVEN = Nomination.Consent.GIVEN


def _message(excinfo):
    return " ".join(excinfo.value.messages)


@pytest.fixture
def call():
    return CallFactory(places=2)


def test_shortlist_reserve_and_decline_record_the_decision(csb_user, call):
    first, second, third = (NominationFactory(call=call) for _ in range(3))
    nomination_shortlist(nomination=first, actor=csb_user)
    nomination_reserve(nomination=second, actor=csb_user)
    nomination_decline(nomination=third, actor=csb_user, reason="Another officer fits the host better.")
    for nomination, status in (
        (first, Nomination.Status.SHORTLISTED),
        (second, Nomination.Status.RESERVE),
        (third, Nomination.Status.DECLINED),
    ):
        nomination.refresh_from_db()
        assert nomination.status == status
        assert nomination.decided_by == csb_user and nomination.decided_at is not None
    assert third.decision_reason == "Another officer fits the host better."
    # The audit trail names who decided.
    assert first.history.first().history_user == csb_user


def test_a_decision_emails_the_officer_and_the_nominators_in_their_languages(csb_user, call):
    nomination = NominationFactory(call=call, officer__preferred_language="zh-hant")
    NominatingOfficerFactory(departments=[nomination.department], email="nominator@example.gov.hk")
    nomination_decline(nomination=nomination, actor=csb_user, reason="Quota of the host reached.")
    emails = {e.to_address: e for e in OutgoingEmail.objects.all()}
    assert set(emails) == {nomination.officer.email, "nominator@example.gov.hk"}
    to_officer, to_nominator = emails[nomination.officer.email], emails["nominator@example.gov.hk"]
    assert to_officer.language == "zh-hant" and to_officer.officer == nomination.officer
    assert "Quota of the host reached." in to_officer.body
    assert "未獲選" in to_officer.body
    assert to_nominator.language == "en"
    assert nomination.officer.name_en in to_nominator.subject
    assert "Not selected" in to_nominator.subject


def test_select_creates_the_placement_awaiting_the_host(csb_user):
    kept, dropped = FocusAreaFactory(), FocusAreaFactory()
    batch = BatchFactory(focus_areas=[kept])
    call = CallFactory(batch=batch)
    host = HostOrganisationFactory(municipality=batch.host_municipality)
    nomination = NominationFactory(call=call, consent=GIVEN, focus_areas=[kept, dropped])
    nomination_select(nomination=nomination, actor=csb_user, host_organisation=host)
    nomination.refresh_from_db()
    placement = nomination.placement
    assert nomination.status == Nomination.Status.SELECTED
    assert nomination.proposed_host_organisation == host
    assert placement.status == Placement.Status.NOMINATED
    assert (placement.officer, placement.batch, placement.host_organisation) == (
        nomination.officer,
        batch,
        host,
    )
    assert list(placement.focus_areas.all()) == [kept]
    assert (placement.start_date, placement.end_date) == (batch.start_date, batch.end_date)


def test_select_without_a_host_organisation(csb_user, call):
    nomination = nomination_select(nomination=NominationFactory(call=call, consent=GIVEN), actor=csb_user)
    assert nomination.placement.host_organisation is None


@pytest.mark.parametrize("consent", [Nomination.Consent.PENDING, Nomination.Consent.REFUSED])
def test_select_refuses_without_consent(csb_user, call, consent):
    nomination = NominationFactory(call=call, consent=consent)
    with pytest.raises(ValidationError) as excinfo:
        nomination_select(nomination=nomination, actor=csb_user)
    assert "has not given their consent" in _message(excinfo)
    assert not Placement.objects.exists()


@pytest.mark.parametrize(
    "decide",
    [
        lambda n, user: nomination_select(nomination=n, actor=user),
        lambda n, user: nomination_shortlist(nomination=n, actor=user),
        lambda n, user: nomination_reserve(nomination=n, actor=user),
        lambda n, user: nomination_decline(nomination=n, actor=user, reason="No."),
    ],
    ids=["select", "shortlist", "reserve", "decline"],
)
def test_every_decision_refuses_a_withdrawn_nomination(csb_user, call, decide):
    nomination = NominationFactory(call=call, consent=GIVEN, status=Nomination.Status.WITHDRAWN)
    with pytest.raises(ValidationError) as excinfo:
        decide(nomination, csb_user)
    assert "withdrew this nomination" in _message(excinfo)


def test_decisions_refuse_a_draft_call(csb_user):
    nomination = NominationFactory(call=CallFactory(status=Call.Status.DRAFT), consent=GIVEN)
    with pytest.raises(ValidationError) as excinfo:
        nomination_shortlist(nomination=nomination, actor=csb_user)
    assert "still a draft" in _message(excinfo)


def test_decisions_refuse_a_finished_call_until_it_is_reopened(csb_user):
    nomination = NominationFactory(call=CallFactory(status=Call.Status.CLOSED), consent=GIVEN)
    with pytest.raises(ValidationError) as excinfo:
        nomination_select(nomination=nomination, actor=csb_user)
    assert "reopen the call first" in _message(excinfo)
    assert not Placement.objects.exists()


def test_decisions_after_the_closing_date_of_an_open_call_are_allowed(csb_user):
    # The deadline is for the departments; CSB selects after it, until it marks the selection finished.
    today = datetime.date.today()
    call = CallFactory(
        opens_on=today - datetime.timedelta(days=30), closes_on=today - datetime.timedelta(days=2)
    )
    nomination = nomination_select(nomination=NominationFactory(call=call, consent=GIVEN), actor=csb_user)
    assert nomination.status == Nomination.Status.SELECTED


def test_select_refuses_past_the_call_places(csb_user):
    call = CallFactory(places=1)
    nomination_select(nomination=NominationFactory(call=call, consent=GIVEN), actor=csb_user)
    with pytest.raises(ValidationError) as excinfo:
        nomination_select(nomination=NominationFactory(call=call, consent=GIVEN), actor=csb_user)
    assert "All 1 places of this call are taken" in _message(excinfo)
    assert Placement.objects.count() == 1


def test_select_refuses_past_a_host_organisation_places(csb_user):
    offered = CallHostPlacesFactory(places=1)
    call, host = offered.call, offered.host_organisation
    nomination_select(
        nomination=NominationFactory(call=call, consent=GIVEN), actor=csb_user, host_organisation=host
    )
    with pytest.raises(ValidationError) as excinfo:
        nomination_select(
            nomination=NominationFactory(call=call, consent=GIVEN), actor=csb_user, host_organisation=host
        )
    assert "places at" in excinfo.value.message_dict["proposed_host_organisation"][0]
    # Another host organisation still has room.
    other = HostOrganisationFactory(municipality=call.batch.host_municipality)
    nomination_select(
        nomination=NominationFactory(call=call, consent=GIVEN), actor=csb_user, host_organisation=other
    )


def test_select_refuses_an_already_selected_nomination(csb_user, call):
    nomination = NominationFactory(call=call, consent=GIVEN)
    nomination_select(nomination=nomination, actor=csb_user)
    with pytest.raises(ValidationError) as excinfo:
        nomination_select(nomination=nomination, actor=csb_user)
    assert "already Selected" in _message(excinfo)


def test_select_refuses_a_clashing_placement(csb_user, call):
    nomination = NominationFactory(call=call, consent=GIVEN)
    PlacementFactory(
        officer=nomination.officer,
        batch=BatchFactory(start_date=call.batch.start_date, end_date=call.batch.end_date),
    )
    with pytest.raises(ValidationError) as excinfo:
        nomination_select(nomination=nomination, actor=csb_user)
    assert "cannot be on two placements at once" in _message(excinfo)
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.NOMINATED and nomination.placement is None


def test_select_refuses_a_host_outside_the_batch_municipality(csb_user, call):
    nomination = NominationFactory(call=call, consent=GIVEN)
    with pytest.raises(ValidationError) as excinfo:
        nomination_select(nomination=nomination, actor=csb_user, host_organisation=HostOrganisationFactory())
    assert "host_organisation" in excinfo.value.message_dict


def test_decline_requires_a_reason(csb_user, call):
    nomination = NominationFactory(call=call)
    with pytest.raises(ValidationError) as excinfo:
        nomination_decline(nomination=nomination, actor=csb_user, reason="  ")
    assert "Give the reason" in excinfo.value.message_dict["decision_reason"][0]


@pytest.mark.parametrize(
    "undo",
    [
        lambda n, user: nomination_decline(nomination=n, actor=user, reason="The host asked for another."),
        lambda n, user: nomination_reserve(nomination=n, actor=user),
        lambda n, user: nomination_shortlist(nomination=n, actor=user),
    ],
    ids=["decline", "reserve", "shortlist"],
)
def test_unselecting_withdraws_the_placement_awaiting_the_host(csb_user, call, undo):
    nomination = NominationFactory(call=call, consent=GIVEN)
    nomination_select(nomination=nomination, actor=csb_user)
    undo(nomination, csb_user)
    nomination.refresh_from_db()
    assert nomination.placement.status == Placement.Status.WITHDRAWN
    # Selected again: the same placement is proposed again.
    nomination_select(nomination=nomination, actor=csb_user)
    nomination.placement.refresh_from_db()
    assert nomination.placement.status == Placement.Status.NOMINATED
    assert Placement.objects.count() == 1


def test_unselecting_refuses_once_the_host_has_confirmed(csb_user, call):
    nomination = nomination_select(nomination=NominationFactory(call=call, consent=GIVEN), actor=csb_user)
    Placement.objects.filter(pk=nomination.placement.pk).update(status=Placement.Status.CONFIRMED)
    with pytest.raises(ValidationError) as excinfo:
        nomination_decline(nomination=nomination, actor=csb_user, reason="Changed our mind.")
    assert "already confirmed" in _message(excinfo)
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.SELECTED


def test_bulk_decides_all(csb_user, call):
    nominations = [NominationFactory(call=call) for _ in range(3)]
    decided = nominations_decide(
        nominations=nominations, decision=Nomination.Status.SHORTLISTED, actor=csb_user
    )
    assert len(decided) == 3
    assert set(Nomination.objects.values_list("status", flat=True)) == {Nomination.Status.SHORTLISTED}


def test_bulk_is_all_or_nothing_and_names_each_refused_officer(csb_user):
    call = CallFactory(places=5)
    ready = NominationFactory(call=call, consent=GIVEN)
    waiting = NominationFactory(call=call, officer__name_en="WAITING Officer")
    gone = NominationFactory(
        call=call, consent=GIVEN, status=Nomination.Status.WITHDRAWN, officer__name_en="GONE Officer"
    )
    with pytest.raises(ValidationError) as excinfo:
        nominations_decide(
            nominations=[ready, waiting, gone], decision=Nomination.Status.SELECTED, actor=csb_user
        )
    message = _message(excinfo)
    assert "WAITING Officer: " in message and "consent" in message
    assert "GONE Officer: " in message
    assert ready.officer.name_en not in message
    ready.refresh_from_db()
    assert ready.status == Nomination.Status.NOMINATED
    assert not Placement.objects.exists()
    assert not OutgoingEmail.objects.exists()


def test_bulk_select_counts_the_places_as_it_goes(csb_user):
    call = CallFactory(places=1)
    first = NominationFactory(call=call, consent=GIVEN, department_ranking=1)
    second = NominationFactory(
        call=call, consent=GIVEN, officer__home_department=first.department, department_ranking=2
    )
    with pytest.raises(ValidationError) as excinfo:
        nominations_decide(nominations=[second, first], decision=Nomination.Status.SELECTED, actor=csb_user)
    # The department's first choice came first; the second is the one refused.
    assert f"{second.officer.name_en}: All 1 places" in _message(excinfo)


def test_bulk_decline_requires_a_reason(csb_user, call):
    with pytest.raises(ValidationError) as excinfo:
        nominations_decide(
            nominations=[NominationFactory(call=call)], decision=Nomination.Status.DECLINED, actor=csb_user
        )
    assert "decision_reason" in excinfo.value.message_dict


def test_bulk_refuses_an_unknown_decision_and_an_empty_choice(csb_user, call):
    with pytest.raises(ValidationError, match="Choose a decision"):
        nominations_decide(nominations=[NominationFactory(call=call)], decision="withdrawn", actor=csb_user)
    with pytest.raises(ValidationError, match="at least one"):
        nominations_decide(nominations=[], decision=Nomination.Status.SHORTLISTED, actor=csb_user)
