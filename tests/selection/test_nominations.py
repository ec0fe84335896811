"""The departments' nomination services and the officer's consent: every write and every refusal."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from placements.models import Batch, Notice, OutgoingEmail
from selection.models import Call, Nomination
from selection.services.nominations import (
    nomination_consent,
    nomination_create,
    nomination_create_with_officer,
    nomination_officer_create,
    nomination_update,
    nomination_withdraw,
)
from tests.factories import (
    CallFactory,
    CallInvitationFactory,
    CsbStaffFactory,
    DepartmentFactory,
    FocusAreaFactory,
    NominatingOfficerFactory,
    NominationFactory,
    OfficerFactory,
    ParticipantUserFactory,
    RankFactory,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture
def setup():
    department = DepartmentFactory(abbreviation="XYD")
    call = CallFactory()
    CallInvitationFactory(call=call, department=department, quota=2)
    nominator = NominatingOfficerFactory(departments=[department], preferred_language="zh-hant")
    officer = OfficerFactory(home_department=department, preferred_language="zh-hans")
    return {"department": department, "call": call, "nominator": nominator, "officer": officer}


def _create(setup, **overrides):
    fields = {
        "call": setup["call"],
        "officer": setup["officer"],
        "department": setup["department"],
        "actor": setup["nominator"].user,
        "department_ranking": 1,
        "endorsed_by_name": "WONG Ka-ming",
        "endorsed_by_post": "Departmental Secretary",
        "endorsed_on": TODAY(),
        "statement": "Leads the cross-boundary projects.",
    }
    fields.update(overrides)
    return nomination_create(**fields)


def _refused(match, function, **kwargs):
    with pytest.raises(ValidationError) as error:
        function(**kwargs)
    assert match in " ".join(error.value.messages), error.value.messages
    return error.value


# --- create --------------------------------------------------------------------------------------------


def test_create_asks_the_officer_for_consent_and_confirms_to_the_nominator(
    setup, django_capture_on_commit_callbacks
):
    focus = FocusAreaFactory()
    setup["call"].batch.focus_areas.add(focus)
    nomination = _create(setup, focus_areas=[focus])
    assert nomination.status == Nomination.Status.NOMINATED
    assert nomination.consent == Nomination.Consent.PENDING
    assert nomination.nominated_by == setup["nominator"].user
    assert list(nomination.focus_areas.all()) == [focus]
    notice = Notice.objects.get(officer=setup["officer"])
    assert notice.placement is None
    assert "提名" in notice.message  # the officer reads Simplified Chinese
    emails = OutgoingEmail.objects.filter(kind=OutgoingEmail.Kind.SELECTION)
    to_officer = emails.get(to_address=setup["officer"].email)
    assert to_officer.language == "zh-hans"
    to_nominator = emails.get(to_address=setup["nominator"].email)
    assert to_nominator.language == "zh-hant"
    assert setup["officer"].name_en in to_nominator.subject
    assert nomination.history.exists()  # the audit trail


def test_create_records_the_source(setup):
    staff = CsbStaffFactory()
    nomination = _create(setup, actor=staff, source=Nomination.Source.ADMIN)
    assert nomination.source == Nomination.Source.ADMIN


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"status": Call.Status.DRAFT}, "has not been opened yet"),
        ({"status": Call.Status.CLOSED}, "selection for this call has finished"),
        ({"opens_on_delta": 3}, "opens for nominations on"),
        ({"closes_on_delta": -1}, "Only the Civil Service Bureau can reopen"),
    ],
)
def test_create_refused_when_the_call_does_not_accept(setup, change, message):
    call = setup["call"]
    if "status" in change:
        call.status = change["status"]
    if "opens_on_delta" in change:
        call.opens_on = TODAY() + datetime.timedelta(days=change["opens_on_delta"])
        call.closes_on = call.opens_on + datetime.timedelta(days=5)
    if "closes_on_delta" in change:
        call.opens_on = TODAY() - datetime.timedelta(days=10)
        call.closes_on = TODAY() + datetime.timedelta(days=change["closes_on_delta"])
    call.save()
    _refused(message, _create, setup=setup)
    assert not Nomination.objects.exists()


def test_create_refused_for_a_department_not_invited(setup):
    other = DepartmentFactory()
    setup["nominator"].departments.add(other)
    officer = OfficerFactory(home_department=other)
    _refused("is not invited", _create, setup=setup, department=other, officer=officer)


def test_create_refused_for_an_officer_of_another_department(setup):
    _refused("is not an officer of XYD", _create, setup=setup, officer=OfficerFactory())


def test_create_refused_for_a_nominator_of_another_department(setup):
    stranger = NominatingOfficerFactory(departments=[DepartmentFactory()])
    _refused("You do not nominate for XYD", _create, setup=setup, actor=stranger.user)


def test_create_refused_for_a_user_without_a_nominator_profile(setup):
    _refused("You do not nominate for XYD", _create, setup=setup, actor=ParticipantUserFactory())


def test_create_refused_for_an_ineligible_grade(setup):
    setup["call"].eligible_grades.add(RankFactory().grade)
    _refused("is not of a grade and rank this call is for", _create, setup=setup)


def test_create_refused_for_an_ineligible_rank(setup):
    officer = setup["officer"]
    setup["call"].eligible_grades.add(officer.rank.grade)
    setup["call"].eligible_ranks.add(RankFactory(grade=officer.rank.grade))
    _refused("is not of a grade and rank this call is for", _create, setup=setup)


def test_create_accepts_an_eligible_rank(setup):
    officer = setup["officer"]
    setup["call"].eligible_grades.add(officer.rank.grade)
    setup["call"].eligible_ranks.add(officer.rank)
    assert _create(setup).pk


def test_create_refused_for_an_officer_without_rank_when_grades_are_set(setup):
    setup["call"].eligible_grades.add(RankFactory().grade)
    officer = OfficerFactory(home_department=setup["department"], rank=None)
    _refused("has no rank on record", _create, setup=setup, officer=officer)


def test_create_refused_for_a_mainland_officer_on_an_outbound_call(setup):
    officer = OfficerFactory(mainland=True)
    _refused(
        "A Mainland officer cannot be nominated to an outbound batch", _create, setup=setup, officer=officer
    )


def test_create_refused_for_a_hong_kong_officer_on_an_inbound_call(setup):
    batch = setup["call"].batch
    batch.direction = Batch.Direction.INBOUND
    batch.save()
    _refused("A Hong Kong officer cannot be nominated to an inbound batch", _create, setup=setup)


def test_create_refused_when_already_nominated(setup):
    _create(setup)
    _refused("is already nominated to this call", _create, setup=setup, department_ranking=2)


def test_create_allowed_again_after_a_withdrawal(setup):
    first = _create(setup)
    nomination_withdraw(nomination=first, actor=setup["nominator"].user)
    assert _create(setup).pk != first.pk


def test_create_refused_when_the_quota_is_reached(setup):
    _create(setup)
    _create(setup, officer=OfficerFactory(home_department=setup["department"]), department_ranking=2)
    error = _refused(
        "has used its quota of 2",
        _create,
        setup=setup,
        officer=OfficerFactory(home_department=setup["department"]),
        department_ranking=3,
    )
    assert "department" in error.message_dict


def test_create_refused_when_the_ranking_is_taken(setup):
    _create(setup)
    error = _refused(
        "already has ranking 1",
        _create,
        setup=setup,
        officer=OfficerFactory(home_department=setup["department"]),
    )
    assert "department_ranking" in error.message_dict


def test_create_refused_for_an_endorsement_in_the_future(setup):
    error = _refused(
        "cannot be in the future", _create, setup=setup, endorsed_on=TODAY() + datetime.timedelta(days=1)
    )
    assert "endorsed_on" in error.message_dict


def test_create_refused_without_an_endorser(setup):
    error = _refused("This field cannot be blank", _create, setup=setup, endorsed_by_name="")
    assert "endorsed_by_name" in error.message_dict


def test_create_refused_for_a_focus_area_not_of_the_batch(setup):
    setup["call"].batch.focus_areas.add(FocusAreaFactory())
    _refused("focus areas of this batch only", _create, setup=setup, focus_areas=[FocusAreaFactory()])
    assert not Nomination.objects.exists()


# --- a new officer on the nomination form (the import's checks) -----------------------------------------


def _new_officer(**overrides):
    fields = {
        "name_en": "LEE Siu-ming",
        "name_zh": "李小明",
        "email": "SMLee@HyD.gov.hk",
        "post_title": "Engineer",
        "rank": RankFactory(),
    }
    fields.update(overrides)
    return fields


def test_create_with_a_new_officer(setup):
    nomination = nomination_create_with_officer(
        new_officer=_new_officer(),
        call=setup["call"],
        department=setup["department"],
        actor=setup["nominator"].user,
        department_ranking=1,
        endorsed_by_name="WONG Ka-ming",
        endorsed_by_post="Departmental Secretary",
        endorsed_on=TODAY(),
    )
    officer = nomination.officer
    assert officer.email == "smlee@hyd.gov.hk"
    assert officer.home_department == setup["department"]


def test_a_refused_nomination_leaves_no_new_officer(setup):
    setup["call"].status = Call.Status.CLOSED
    setup["call"].save()
    with pytest.raises(ValidationError):
        nomination_create_with_officer(
            new_officer=_new_officer(),
            call=setup["call"],
            department=setup["department"],
            actor=setup["nominator"].user,
            department_ranking=1,
            endorsed_by_name="WONG Ka-ming",
            endorsed_by_post="Departmental Secretary",
            endorsed_on=TODAY(),
        )
    assert not setup["department"].officers.filter(email="smlee@hyd.gov.hk").exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"name_en": "李小明"}, "name_en", "contains Chinese characters"),
        ({"name_en": " "}, "name_en", "The English name is required"),
        ({"name_zh": "Lee 小明"}, "name_zh", "Chinese characters only"),
        ({"email": "not-an-address"}, "email", "is not an e-mail address"),
        ({"post_title": ""}, "post_title", "The post title is required"),
        ({"rank": None}, "rank", "The rank is required"),
    ],
)
def test_new_officer_refusals(setup, overrides, field, message):
    error = _refused(
        message,
        nomination_officer_create,
        actor=setup["nominator"].user,
        department=setup["department"],
        **_new_officer(**overrides),
    )
    assert field in error.message_dict


def test_new_officer_refused_when_the_email_is_of_an_officer_of_the_department(setup):
    _refused(
        "choose them from the list instead",
        nomination_officer_create,
        actor=setup["nominator"].user,
        department=setup["department"],
        **_new_officer(email=setup["officer"].email.upper()),
    )


def test_new_officer_refused_when_the_email_is_of_another_departments_officer(setup):
    other = OfficerFactory()
    _refused(
        "An officer of another department already has this e-mail",
        nomination_officer_create,
        actor=setup["nominator"].user,
        department=setup["department"],
        **_new_officer(email=other.email),
    )


def test_new_officer_refused_in_a_dissolved_department(setup):
    setup["department"].is_active = False
    setup["department"].save()
    _refused(
        "no longer exists",
        nomination_officer_create,
        actor=setup["nominator"].user,
        department=setup["department"],
        **_new_officer(),
    )


def test_new_officer_refused_for_another_departments_nominator(setup):
    stranger = NominatingOfficerFactory(departments=[DepartmentFactory()])
    _refused(
        "You do not nominate for XYD",
        nomination_officer_create,
        actor=stranger.user,
        department=setup["department"],
        **_new_officer(),
    )


# --- update --------------------------------------------------------------------------------------------


def test_update_changes_the_ranking_statement_and_focus_areas(setup):
    focus = FocusAreaFactory()
    nomination = _create(setup)
    nomination_update(
        nomination=nomination,
        actor=setup["nominator"].user,
        department_ranking=2,
        statement="Changed.",
        focus_areas=[focus],
    )
    nomination.refresh_from_db()
    assert (nomination.department_ranking, nomination.statement) == (2, "Changed.")
    assert list(nomination.focus_areas.all()) == [focus]


def test_update_keeps_its_own_ranking_and_quota(setup):
    setup["call"].invitations.update(quota=1)
    nomination = _create(setup)
    nomination_update(
        nomination=nomination, actor=setup["nominator"].user, department_ranking=1, statement="Same."
    )


def test_update_refused_for_a_taken_ranking(setup):
    nomination = _create(setup)
    _create(setup, officer=OfficerFactory(home_department=setup["department"]), department_ranking=2)
    _refused(
        "already has ranking 2",
        nomination_update,
        nomination=nomination,
        actor=setup["nominator"].user,
        department_ranking=2,
    )


def test_update_refused_for_the_officer_or_the_call(setup):
    nomination = _create(setup)
    _refused(
        "cannot be changed on a nomination: officer",
        nomination_update,
        nomination=nomination,
        actor=setup["nominator"].user,
        officer=OfficerFactory(home_department=setup["department"]),
    )


def test_update_refused_after_a_decision(setup):
    nomination = _create(setup)
    Nomination.objects.filter(pk=nomination.pk).update(status=Nomination.Status.SHORTLISTED)
    _refused(
        "has decided on this nomination",
        nomination_update,
        nomination=nomination,
        actor=setup["nominator"].user,
        statement="Late.",
    )


def test_update_refused_after_closing(setup):
    nomination = _create(setup)
    Call.objects.filter(pk=setup["call"].pk).update(status=Call.Status.CLOSED)
    _refused(
        "has finished", nomination_update, nomination=nomination, actor=setup["nominator"].user, statement="x"
    )


def test_update_refused_for_another_departments_nominator(setup):
    nomination = _create(setup)
    stranger = NominatingOfficerFactory(departments=[DepartmentFactory()])
    _refused(
        "You do not nominate for XYD",
        nomination_update,
        nomination=nomination,
        actor=stranger.user,
        statement="x",
    )


# --- withdraw ------------------------------------------------------------------------------------------


def test_withdraw_frees_the_quota_and_tells_the_officer(setup):
    nomination = _create(setup)
    OutgoingEmail.objects.all().delete()
    nomination = nomination_withdraw(nomination=nomination, actor=setup["nominator"].user)
    assert nomination.status == Nomination.Status.WITHDRAWN
    assert nomination.withdrawn_at is not None
    email = OutgoingEmail.objects.get()
    assert email.to_address == setup["officer"].email
    assert email.language == "zh-hans"


def test_withdraw_refused_after_the_closing_date(setup):
    nomination = _create(setup)
    Call.objects.filter(pk=setup["call"].pk).update(closes_on=TODAY() - datetime.timedelta(days=1))
    _refused(
        "Only the Civil Service Bureau can reopen",
        nomination_withdraw,
        nomination=nomination,
        actor=setup["nominator"].user,
    )


@pytest.mark.parametrize(
    "status",
    [
        Nomination.Status.SHORTLISTED,
        Nomination.Status.RESERVE,
        Nomination.Status.SELECTED,
        Nomination.Status.DECLINED,
    ],
)
def test_withdraw_refused_after_a_decision(setup, status):
    nomination = _create(setup)
    Nomination.objects.filter(pk=nomination.pk).update(status=status)
    _refused(
        "has decided on this nomination",
        nomination_withdraw,
        nomination=nomination,
        actor=setup["nominator"].user,
    )


def test_withdraw_refused_twice(setup):
    nomination = _create(setup)
    nomination_withdraw(nomination=nomination, actor=setup["nominator"].user)
    _refused("has been withdrawn", nomination_withdraw, nomination=nomination, actor=setup["nominator"].user)


def test_withdraw_refused_for_another_departments_nominator(setup):
    nomination = _create(setup)
    stranger = NominatingOfficerFactory(departments=[DepartmentFactory()])
    _refused("You do not nominate for XYD", nomination_withdraw, nomination=nomination, actor=stranger.user)


# --- consent -------------------------------------------------------------------------------------------


def test_consent_given_tells_the_nominators_in_their_language(setup):
    nomination = _create(setup)
    OutgoingEmail.objects.all().delete()
    nomination = nomination_consent(nomination=nomination, officer=setup["officer"], given=True)
    assert nomination.consent == Nomination.Consent.GIVEN
    assert nomination.consent_at is not None
    email = OutgoingEmail.objects.get()
    assert (email.to_address, email.language) == (setup["nominator"].email, "zh-hant")


def test_consent_refused_and_then_given(setup):
    nomination = _create(setup)
    nomination_consent(nomination=nomination, officer=setup["officer"], given=False)
    nomination.refresh_from_db()
    assert nomination.consent == Nomination.Consent.REFUSED
    nomination_consent(nomination=nomination, officer=setup["officer"], given=True)
    nomination.refresh_from_db()
    assert nomination.consent == Nomination.Consent.GIVEN


def test_consent_allowed_while_shortlisted(setup):
    nomination = NominationFactory(
        call=setup["call"], officer=setup["officer"], status=Nomination.Status.SHORTLISTED
    )
    assert nomination_consent(nomination=nomination, officer=setup["officer"], given=True).consent == "given"


def test_consent_refused_by_anyone_but_the_officer(setup):
    nomination = _create(setup)
    _refused(
        "Only the nominated officer",
        nomination_consent,
        nomination=nomination,
        officer=OfficerFactory(),
        given=True,
    )
    _refused(
        "Only the nominated officer", nomination_consent, nomination=nomination, officer=None, given=True
    )


@pytest.mark.parametrize(
    "status", [Nomination.Status.SELECTED, Nomination.Status.DECLINED, Nomination.Status.WITHDRAWN]
)
def test_consent_refused_after_a_decision(setup, status):
    nomination = NominationFactory(call=setup["call"], officer=setup["officer"], status=status)
    _refused(
        "your answer can no longer change it",
        nomination_consent,
        nomination=nomination,
        officer=setup["officer"],
        given=True,
    )
