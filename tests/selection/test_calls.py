"""CSB's call for nominations: call_save, call_open, call_reopen, call_close and every refusal."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from placements.models import OutgoingEmail
from selection.models import Call, Nomination
from selection.services.calls import (
    call_accepts_nominations,
    call_close,
    call_open,
    call_reopen,
    call_save,
)
from tests.factories import (
    BatchFactory,
    CallFactory,
    CallInvitationFactory,
    CoordinatorUserFactory,
    DepartmentFactory,
    GradeFactory,
    HostOrganisationFactory,
    NominatingOfficerFactory,
    NominationFactory,
    RankFactory,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today


def _draft(**fields):
    return CallFactory(status=Call.Status.DRAFT, opened_at=None, **fields)


def _errors(excinfo):
    return excinfo.value.message_dict


def test_call_save_creates_a_call_with_its_invitations_and_host_places():
    batch = BatchFactory()
    host = HostOrganisationFactory(municipality=batch.host_municipality)
    first, second = DepartmentFactory(), DepartmentFactory()
    grade = GradeFactory()
    rank = RankFactory(grade=grade)
    call = Call(batch=batch, places=4, opens_on=TODAY(), closes_on=TODAY() + datetime.timedelta(days=10))
    call_save(
        call=call,
        eligible_grades=[grade],
        eligible_ranks=[rank],
        invitations=[(first, 2), (second, 3)],
        host_places=[(host, 2)],
    )
    assert call.status == Call.Status.DRAFT
    assert {(i.department, i.quota) for i in call.invitations.all()} == {(first, 2), (second, 3)}
    assert list(call.host_places.values_list("host_organisation", "places")) == [(host.pk, 2)]
    assert list(call.eligible_ranks.all()) == [rank]


def test_call_save_replaces_invitations_and_host_places():
    call = _draft()
    kept, dropped, added = DepartmentFactory(), DepartmentFactory(), DepartmentFactory()
    call_save(call=call, invitations=[(kept, 1), (dropped, 1)])
    call_save(call=call, invitations=[(kept, 4), (added, 2)])
    assert {(i.department, i.quota) for i in call.invitations.all()} == {(kept, 4), (added, 2)}


def test_call_save_refuses_closing_before_opening():
    call = _draft()
    call.closes_on = call.opens_on - datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as excinfo:
        call_save(call=call)
    assert "before it opens" in _errors(excinfo)["closes_on"][0]


def test_call_save_refuses_host_organisations_outside_the_municipality():
    call = _draft()
    elsewhere = HostOrganisationFactory(name_en="Faraway Bureau")
    with pytest.raises(ValidationError) as excinfo:
        call_save(call=call, host_places=[(elsewhere, 1)])
    assert "Faraway Bureau not in" in _errors(excinfo)["host_places"][0]


def test_call_save_refuses_host_places_over_the_call_places():
    call = _draft(places=3)
    city = call.batch.host_municipality
    first, second = HostOrganisationFactory(municipality=city), HostOrganisationFactory(municipality=city)
    with pytest.raises(ValidationError) as excinfo:
        call_save(call=call, host_places=[(first, 2), (second, 2)])
    assert "add up to 4, more than the call's 3" in _errors(excinfo)["host_places"][0]


def test_call_save_refuses_a_host_organisation_twice():
    call = _draft()
    host = HostOrganisationFactory(municipality=call.batch.host_municipality, name_en="Twice Bureau")
    with pytest.raises(ValidationError) as excinfo:
        call_save(call=call, host_places=[(host, 1), (host, 1)])
    assert "Twice Bureau listed twice" in _errors(excinfo)["host_places"][0]


def test_call_save_refuses_a_department_invited_twice():
    call = _draft()
    department = DepartmentFactory(abbreviation="TWICE")
    with pytest.raises(ValidationError) as excinfo:
        call_save(call=call, invitations=[(department, 1), (department, 2)])
    assert "TWICE invited twice" in _errors(excinfo)["invitations"][0]
    assert not call.invitations.exists()


def test_call_save_refuses_dropping_a_department_with_nominations():
    nomination = NominationFactory(call=CallFactory())
    with pytest.raises(ValidationError) as excinfo:
        call_save(call=nomination.call, invitations=[(DepartmentFactory(), 1)])
    assert "they stay invited" in _errors(excinfo)["invitations"][0]


def test_call_save_refuses_a_quota_below_the_nominations_made():
    call = CallFactory()
    department = DepartmentFactory(abbreviation="FULL")
    for ranking in (1, 2):
        NominationFactory(call=call, officer__home_department=department, department_ranking=ranking)
    with pytest.raises(ValidationError) as excinfo:
        call_save(call=call, invitations=[(department, 1)])
    assert "FULL has 2 nominations, more than a quota of 1" in _errors(excinfo)["invitations"][0]


def test_call_save_refuses_ranks_outside_the_eligible_grades():
    call = _draft()
    rank = RankFactory(name_en="Stray Rank")
    with pytest.raises(ValidationError) as excinfo:
        call_save(call=call, eligible_grades=[GradeFactory()], eligible_ranks=[rank])
    assert "Stray Rank not of the eligible grades" in _errors(excinfo)["eligible_ranks"][0]


def test_call_save_refuses_fewer_places_than_officers_selected():
    call = CallFactory(places=2)
    for _ in range(2):
        NominationFactory(call=call, status=Nomination.Status.SELECTED)
    call.places = 1
    with pytest.raises(ValidationError) as excinfo:
        call_save(call=call)
    assert "2 officers are already selected" in _errors(excinfo)["places"][0]


def test_call_accepts_nominations_only_while_open_and_between_its_dates():
    call = CallFactory()
    assert call_accepts_nominations(call)
    assert not call_accepts_nominations(call, today=call.opens_on - datetime.timedelta(days=1))
    assert not call_accepts_nominations(call, today=call.closes_on + datetime.timedelta(days=1))
    assert call_accepts_nominations(call, today=call.closes_on)
    call.status = Call.Status.DRAFT
    assert not call_accepts_nominations(call)
    call.status = Call.Status.CLOSED
    assert not call_accepts_nominations(call)


def test_call_open_opens_and_emails_each_nominator_in_their_language(csb_user):
    call = _draft()
    english, chinese = DepartmentFactory(), DepartmentFactory()
    CallInvitationFactory(call=call, department=english)
    CallInvitationFactory(call=call, department=chinese)
    NominatingOfficerFactory(departments=[english], email="en@example.gov.hk")
    NominatingOfficerFactory(departments=[chinese], email="zh@example.gov.hk", preferred_language="zh-hant")
    # A nominator of both invited departments is told once.
    NominatingOfficerFactory(departments=[english, chinese], email="both@example.gov.hk")
    NominatingOfficerFactory(departments=[DepartmentFactory()], email="other@example.gov.hk")
    call_open(call=call, actor=csb_user)
    call.refresh_from_db()
    assert call.status == Call.Status.OPEN and call.opened_at is not None
    emails = {e.to_address: e for e in OutgoingEmail.objects.all()}
    assert set(emails) == {"en@example.gov.hk", "zh@example.gov.hk", "both@example.gov.hk"}
    english_mail, chinese_mail = emails["en@example.gov.hk"], emails["zh@example.gov.hk"]
    assert english_mail.subject.startswith("Call for nominations")
    assert f"/nominations/calls/{call.pk}/" in english_mail.body
    assert "close on" in english_mail.body
    assert chinese_mail.language == "zh-hant"
    assert "提名" in chinese_mail.subject
    assert f"/nominations/calls/{call.pk}/" in chinese_mail.body


def test_call_open_refuses_a_call_without_invitations(csb_user):
    call = _draft()
    with pytest.raises(ValidationError) as excinfo:
        call_open(call=call, actor=csb_user)
    assert "Invite at least one department" in _errors(excinfo)["invitations"][0]
    call.refresh_from_db()
    assert call.status == Call.Status.DRAFT


def test_call_open_refuses_a_call_that_is_not_a_draft(csb_user):
    call = CallInvitationFactory().call
    with pytest.raises(ValidationError) as excinfo:
        call_open(call=call, actor=csb_user)
    assert "not a draft" in _errors(excinfo)["status"][0]


def test_call_open_refuses_a_call_whose_closing_date_passed(csb_user):
    call = _draft(
        opens_on=TODAY() - datetime.timedelta(days=20), closes_on=TODAY() - datetime.timedelta(days=1)
    )
    CallInvitationFactory(call=call)
    with pytest.raises(ValidationError) as excinfo:
        call_open(call=call, actor=csb_user)
    assert "set a later closing date" in _errors(excinfo)["closes_on"][0]


def test_call_reopen_reopens_a_closed_call_and_tells_the_nominators(csb_user):
    call = CallFactory(status=Call.Status.CLOSED, closes_on=TODAY() - datetime.timedelta(days=1))
    department = CallInvitationFactory(call=call).department
    NominatingOfficerFactory(departments=[department], preferred_language="zh-hans")
    new_date = TODAY() + datetime.timedelta(days=5)
    call_reopen(call=call, closes_on=new_date, actor=csb_user)
    call.refresh_from_db()
    assert (call.status, call.closes_on) == (Call.Status.OPEN, new_date)
    assert call_accepts_nominations(call)
    email = OutgoingEmail.objects.get()
    assert email.language == "zh-hans"
    assert "重新" in email.subject


def test_call_reopen_extends_an_open_call():
    call = CallFactory()
    new_date = call.closes_on + datetime.timedelta(days=7)
    call_reopen(call=call, closes_on=new_date, actor=None)
    call.refresh_from_db()
    assert call.closes_on == new_date


def test_call_reopen_refuses_a_past_date(csb_user):
    call = CallFactory(status=Call.Status.CLOSED)
    with pytest.raises(ValidationError) as excinfo:
        call_reopen(call=call, closes_on=TODAY() - datetime.timedelta(days=1), actor=csb_user)
    assert "today or later" in _errors(excinfo)["closes_on"][0]
    call.refresh_from_db()
    assert call.status == Call.Status.CLOSED


def test_call_reopen_refuses_a_date_before_the_call_opens(csb_user):
    call = CallFactory(
        status=Call.Status.CLOSED,
        opens_on=TODAY() + datetime.timedelta(days=3),
        closes_on=TODAY() + datetime.timedelta(days=9),
    )
    with pytest.raises(ValidationError) as excinfo:
        call_reopen(call=call, closes_on=TODAY(), actor=csb_user)
    assert "cannot close before that" in _errors(excinfo)["closes_on"][0]


def test_call_reopen_refuses_anyone_but_csb_staff():
    call = CallFactory(status=Call.Status.CLOSED)
    coordinator = CoordinatorUserFactory()
    with pytest.raises(ValidationError, match="Only CSB staff can reopen"):
        call_reopen(call=call, closes_on=TODAY(), actor=coordinator)
    call.refresh_from_db()
    assert call.status == Call.Status.CLOSED


def test_open_reopen_and_close_are_in_the_audit_trail(csb_user):
    call = _draft()
    CallInvitationFactory(call=call)
    call_open(call=call, actor=csb_user)
    call_close(call=call, actor=csb_user)
    call_reopen(call=call, closes_on=TODAY(), actor=csb_user)
    assert [h.history_user for h in call.history.all()[:3]] == [csb_user] * 3
    assert [h.status for h in call.history.all()[:3]] == ["open", "closed", "open"]


def test_call_reopen_refuses_a_draft(csb_user):
    call = _draft()
    with pytest.raises(ValidationError) as excinfo:
        call_reopen(call=call, closes_on=TODAY(), actor=csb_user)
    assert "open it instead" in _errors(excinfo)["status"][0]


def test_call_close_finishes_the_selection(csb_user):
    call = CallFactory()
    call_close(call=call, actor=csb_user)
    call.refresh_from_db()
    assert call.status == Call.Status.CLOSED
    assert call.get_status_display() == "Selection finished"
    assert not call_accepts_nominations(call)


@pytest.mark.parametrize("status", [Call.Status.DRAFT, Call.Status.CLOSED])
def test_call_close_refuses_a_call_that_is_not_open(csb_user, status):
    call = CallFactory(status=status)
    with pytest.raises(ValidationError) as excinfo:
        call_close(call=call, actor=csb_user)
    assert "Only an open call can be closed" in _errors(excinfo)["status"][0]


def test_calls_use_the_local_date():
    # call_accepts_nominations's default day is the portal's local date, not UTC's.
    call = CallFactory(opens_on=timezone.localdate(), closes_on=timezone.localdate())
    assert call_accepts_nominations(call)
