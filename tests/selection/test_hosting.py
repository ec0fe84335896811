"""The host side's services (accept, ask for a change, CSB's resolution), each refusal, their e-mails in
each reader's language, and the host selectors' scoping."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from placements.models import Notice, OutgoingEmail, Placement
from selection.models import HostChangeRequest
from selection.selectors.hosting import host_placement_get, host_placements, placements_awaiting_host
from selection.services.hosting import (
    host_change_request_create,
    host_change_request_resolve,
    placement_host_accept,
)
from tests.factories import (
    CoordinatorUserFactory,
    HostChangeRequestFactory,
    HostCoordinatorFactory,
    HostOrganisationFactory,
    MunicipalityFactory,
    NominatingOfficerFactory,
    PlacementFactory,
    UserFactory,
    proposed_placement,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    return MunicipalityFactory()


@pytest.fixture
def host_p(city):
    return HostOrganisationFactory(municipality=city, name_en="Nansha District People's Government")


@pytest.fixture
def host_q(city):
    return HostOrganisationFactory(municipality=city, name_en="Guangzhou Science and Technology Bureau")


@pytest.fixture
def coordinator_p(host_p):
    return HostCoordinatorFactory(host_organisations=[host_p], preferred_language="zh-hans")


@pytest.fixture
def placement(host_p):
    return proposed_placement(host_organisation=host_p)


def _accept(placement, actor, **fields):
    values = {"role": "Special assistant", "host_supervisor": "LI Ming", **fields}
    return placement_host_accept(placement=placement, actor=actor, **values)


# --- accept ------------------------------------------------------------------------------------------------


def test_accept_confirms_with_role_and_supervisor(placement, coordinator_p):
    result = _accept(placement, coordinator_p.user, role_zh="特別助理")
    result.refresh_from_db()
    assert result.status == Placement.Status.CONFIRMED
    assert (result.role, result.role_zh, result.host_supervisor) == (
        "Special assistant",
        "特別助理",
        "LI Ming",
    )
    assert result.history.first().history_type == "~"


def test_accept_tells_officer_and_nominators_each_in_their_language(placement, coordinator_p):
    department = placement.nomination.department
    placement.officer.preferred_language = "zh-hant"
    placement.officer.save(update_fields=["preferred_language"])
    english = NominatingOfficerFactory(departments=[department], preferred_language="en")
    chinese = NominatingOfficerFactory(departments=[department], preferred_language="zh-hans")
    NominatingOfficerFactory()  # another department's: not told
    _accept(placement, coordinator_p.user)
    notice = Notice.objects.get(officer=placement.officer)
    assert "確認" in notice.message  # the placement's confirmation, in the officer's Traditional Chinese
    to_nominators = OutgoingEmail.objects.filter(kind=OutgoingEmail.Kind.SELECTION)
    by_address = {email.to_address: email for email in to_nominators}
    assert set(by_address) == {english.email, chinese.email}
    assert by_address[english.email].language == "en"
    assert "accepted" in by_address[english.email].subject
    assert by_address[chinese.email].language == "zh-hans"
    assert "接受" in by_address[chinese.email].subject


def test_accept_for_another_organisation_of_the_coordinator(placement, coordinator_p, host_q):
    coordinator_p.host_organisations.add(host_q)
    result = _accept(placement, coordinator_p.user, host_organisation=host_q)
    result.refresh_from_db()
    assert result.host_organisation == host_q


def test_csb_staff_may_accept_for_the_host(placement, csb_user):
    assert _accept(placement, csb_user).status == Placement.Status.CONFIRMED


def test_accept_refuses_a_placement_not_awaiting_the_host(placement, coordinator_p):
    _accept(placement, coordinator_p.user)
    with pytest.raises(ValidationError, match="not awaiting the host: it is confirmed"):
        _accept(placement, coordinator_p.user)


def test_accept_refuses_a_withdrawn_placement(placement, coordinator_p):
    Placement.objects.filter(pk=placement.pk).update(status=Placement.Status.WITHDRAWN)
    with pytest.raises(ValidationError, match="not awaiting the host"):
        _accept(placement, coordinator_p.user)


def test_accept_refuses_a_placement_not_from_a_selection(host_p, coordinator_p):
    direct = PlacementFactory(
        host_organisation=host_p, batch__host_municipality=host_p.municipality, status="nominated"
    )
    with pytest.raises(ValidationError, match="not proposed by a selection"):
        _accept(direct, coordinator_p.user)


def test_accept_refuses_another_organisations_coordinator(placement, host_q):
    other = HostCoordinatorFactory(host_organisations=[host_q])
    with pytest.raises(ValidationError) as refused:
        _accept(placement, other.user)
    assert "do not answer for this host organisation" in str(refused.value.message_dict["host_organisation"])
    placement.refresh_from_db()
    assert placement.status == Placement.Status.NOMINATED


def test_accept_refuses_moving_to_an_organisation_outside_scope(placement, coordinator_p, host_q):
    with pytest.raises(ValidationError, match="do not answer for this host organisation"):
        _accept(placement, coordinator_p.user, host_organisation=host_q)


def test_accept_refuses_a_user_without_a_host_profile(placement):
    for user in (UserFactory(), CoordinatorUserFactory()):
        with pytest.raises(ValidationError, match="do not answer for this host organisation"):
            _accept(placement, user)


def test_accept_refuses_a_placement_with_no_host_organisation(host_p, coordinator_p, placement):
    Placement.objects.filter(pk=placement.pk).update(host_organisation=None)
    with pytest.raises(ValidationError, match="do not answer"):
        _accept(placement, coordinator_p.user)


@pytest.mark.parametrize(
    ("fields", "key"),
    [({"role": "  "}, "role"), ({"host_supervisor": ""}, "host_supervisor")],
)
def test_accept_refuses_an_empty_role_or_supervisor(placement, coordinator_p, fields, key):
    with pytest.raises(ValidationError) as refused:
        _accept(placement, coordinator_p.user, **fields)
    assert set(refused.value.message_dict) == {key}


def test_accept_refuses_while_a_change_request_is_open(placement, coordinator_p):
    HostChangeRequestFactory(placement=placement, requested_by=coordinator_p.user)
    with pytest.raises(ValidationError, match="CSB has not resolved it yet"):
        _accept(placement, coordinator_p.user)


def test_accept_after_the_change_request_is_resolved(placement, coordinator_p):
    HostChangeRequestFactory(placement=placement, resolved_at=timezone.now(), resolution="Kept.")
    assert _accept(placement, coordinator_p.user).status == Placement.Status.CONFIRMED


def test_accept_refuses_an_organisation_outside_the_batch_municipality(placement, coordinator_p):
    elsewhere = HostOrganisationFactory()
    coordinator_p.host_organisations.add(elsewhere)
    with pytest.raises(ValidationError) as refused:
        _accept(placement, coordinator_p.user, host_organisation=elsewhere)
    assert "host municipality" in str(refused.value.message_dict["host_organisation"])
    placement.refresh_from_db()
    assert placement.status == Placement.Status.NOMINATED


# --- change requests ---------------------------------------------------------------------------------------


def test_change_request_is_recorded_and_csb_told(placement, coordinator_p, csb_user):
    UserFactory(email="not-csb@example.org")
    change = host_change_request_create(
        placement=placement, actor=coordinator_p.user, reason="  The bureau prefers a town planner.  "
    )
    assert change.reason == "The bureau prefers a town planner."
    assert change.requested_by == coordinator_p.user and change.resolved_at is None
    email = OutgoingEmail.objects.get(kind=OutgoingEmail.Kind.SELECTION)
    assert email.to_address == csb_user.email
    assert coordinator_p.name in email.body and "town planner" in email.body
    assert f"/admin/selection/hostchangerequest/{change.pk}/change/" in email.body


def test_change_request_refuses_an_empty_reason(placement, coordinator_p):
    with pytest.raises(ValidationError) as refused:
        host_change_request_create(placement=placement, actor=coordinator_p.user, reason=" \n ")
    assert "reason" in refused.value.message_dict
    assert not HostChangeRequest.objects.exists()


def test_change_request_refuses_a_second_open_one(placement, coordinator_p):
    host_change_request_create(placement=placement, actor=coordinator_p.user, reason="First.")
    with pytest.raises(ValidationError, match="already with CSB"):
        host_change_request_create(placement=placement, actor=coordinator_p.user, reason="Second.")


def test_change_request_refuses_another_organisations_coordinator(placement, host_q):
    other = HostCoordinatorFactory(host_organisations=[host_q])
    with pytest.raises(ValidationError, match="do not answer"):
        host_change_request_create(placement=placement, actor=other.user, reason="Not ours.")


def test_change_request_refuses_a_confirmed_placement(placement, coordinator_p):
    _accept(placement, coordinator_p.user)
    with pytest.raises(ValidationError, match="not awaiting the host"):
        host_change_request_create(placement=placement, actor=coordinator_p.user, reason="Too late.")


def test_change_request_refuses_a_too_long_reason(placement, coordinator_p):
    with pytest.raises(ValidationError) as refused:
        host_change_request_create(placement=placement, actor=coordinator_p.user, reason="x" * 2001)
    assert "reason" in refused.value.message_dict


def test_resolve_records_and_tells_the_host_in_their_language(placement, coordinator_p, csb_user):
    change = HostChangeRequestFactory(placement=placement, requested_by=coordinator_p.user)
    resolved = host_change_request_resolve(
        change_request=change, actor=csb_user, resolution="Moved to the Science and Technology Bureau."
    )
    assert resolved.resolved_by == csb_user and resolved.resolved_at is not None
    email = OutgoingEmail.objects.get(to_address=coordinator_p.email)
    assert email.language == "zh-hans"
    assert f"/host/placements/{placement.pk}/" in email.body
    assert "Science and Technology Bureau" in email.body


def test_resolve_refuses_anyone_but_csb(placement, coordinator_p):
    change = HostChangeRequestFactory(placement=placement, requested_by=coordinator_p.user)
    for actor in (coordinator_p.user, CoordinatorUserFactory()):
        with pytest.raises(ValidationError, match="Only CSB staff"):
            host_change_request_resolve(change_request=change, actor=actor, resolution="Done.")


def test_resolve_refuses_an_empty_resolution(placement, csb_user):
    change = HostChangeRequestFactory(placement=placement)
    with pytest.raises(ValidationError) as refused:
        host_change_request_resolve(change_request=change, actor=csb_user, resolution="")
    assert "resolution" in refused.value.message_dict


def test_resolve_refuses_a_resolved_request(placement, csb_user):
    change = HostChangeRequestFactory(placement=placement)
    host_change_request_resolve(change_request=change, actor=csb_user, resolution="Done.")
    with pytest.raises(ValidationError, match="already resolved"):
        host_change_request_resolve(change_request=change, actor=csb_user, resolution="Again.")


# --- selectors ---------------------------------------------------------------------------------------------


def test_host_placements_are_scoped_to_the_coordinators_organisations(
    placement, coordinator_p, host_p, host_q
):
    theirs = proposed_placement(host_organisation=host_q)
    not_selected = PlacementFactory(host_organisation=host_p, batch__host_municipality=host_p.municipality)
    withdrawn = proposed_placement(host_organisation=host_p)
    Placement.objects.filter(pk=withdrawn.pk).update(status=Placement.Status.WITHDRAWN)
    assert list(host_placements(coordinator=coordinator_p)) == [placement]
    for hidden in (theirs, not_selected, withdrawn):
        with pytest.raises(Placement.DoesNotExist):
            host_placement_get(coordinator=coordinator_p, pk=hidden.pk)


def test_host_placements_awaiting_or_answered(placement, coordinator_p, host_p):
    confirmed = proposed_placement(host_organisation=host_p)
    _accept(confirmed, coordinator_p.user)
    assert list(host_placements(coordinator=coordinator_p, awaiting=True)) == [placement]
    assert list(host_placements(coordinator=coordinator_p, awaiting=False)) == [confirmed]


def test_placements_awaiting_host_for_csb(placement, coordinator_p, host_p, host_q):
    other = proposed_placement(host_organisation=host_q)
    HostChangeRequestFactory(placement=other)
    _accept(proposed_placement(host_organisation=host_p), coordinator_p.user)
    PlacementFactory(status=Placement.Status.NOMINATED)  # not from a selection
    rows = {row.pk: row for row in placements_awaiting_host()}
    assert set(rows) == {placement.pk, other.pk}
    assert rows[other.pk].has_open_change_request and not rows[placement.pk].has_open_change_request
    assert list(placements_awaiting_host(batch=other.batch)) == [other]
