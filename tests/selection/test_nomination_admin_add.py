"""CSB staff add a nomination in the admin (the nominating side's document, such as the Mainland side's
nominees for an inbound batch): saved through nomination_create, every refusal on the form with nothing
saved, the page for CSB staff only."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from placements.models import Batch, Notice, OutgoingEmail
from selection.models import Call, Nomination
from tests.factories import (
    BatchFactory,
    CallFactory,
    CallInvitationFactory,
    CoordinatorUserFactory,
    DepartmentFactory,
    FocusAreaFactory,
    NominatingOfficerFactory,
    NominationFactory,
    OfficerFactory,
    ParticipantUserFactory,
    RankFactory,
)

pytestmark = pytest.mark.django_db

ADD = reverse("admin:selection_nomination_add")


def _data(call, officer, department, **changes):
    return {
        "call": call.pk,
        "officer": officer.pk,
        "department": department.pk,
        "department_ranking": 1,
        "statement": "Nominated by the Mainland side's letter.",
        "endorsed_by_name": "LI Ming",
        "endorsed_by_post": "Director",
        "endorsed_on": timezone.localdate().isoformat(),
        **changes,
    }


@pytest.fixture
def inbound():
    """An open inbound call inviting a Hong Kong bureau (the one that receives the officer)."""
    focus = FocusAreaFactory()
    batch = BatchFactory(direction=Batch.Direction.INBOUND, focus_areas=[focus])
    invitation = CallInvitationFactory(call=CallFactory(batch=batch), quota=1)
    return {"call": invitation.call, "department": invitation.department, "focus": focus}


def test_csb_adds_a_mainland_officers_nomination_to_an_inbound_call(csb_client, csb_user, inbound):
    officer = OfficerFactory(mainland=True, preferred_language="zh-hans")
    nominator = NominatingOfficerFactory(departments=[inbound["department"]])
    data = _data(inbound["call"], officer, inbound["department"], focus_areas=[inbound["focus"].pk])
    response = csb_client.post(ADD, data)
    assert response.status_code == 302, response.context["errors"]
    nomination = Nomination.objects.get()
    assert (nomination.call, nomination.officer, nomination.department) == (
        inbound["call"],
        officer,
        inbound["department"],
    )
    assert nomination.source == Nomination.Source.ADMIN
    assert nomination.nominated_by == csb_user
    assert nomination.consent == Nomination.Consent.PENDING
    assert list(nomination.focus_areas.all()) == [inbound["focus"]]
    # The officer is asked for consent (notice and e-mail); the receiving bureau's nominators are told.
    assert Notice.objects.filter(officer=officer).exists()
    recipients = set(OutgoingEmail.objects.values_list("to_address", flat=True))
    assert {officer.email, nominator.email} <= recipients


def test_csb_adds_a_hong_kong_officers_nomination_to_an_outbound_call(csb_client):
    officer = OfficerFactory()
    call = CallInvitationFactory(department=officer.home_department).call
    response = csb_client.post(ADD, _data(call, officer, officer.home_department))
    assert response.status_code == 302, response.context["errors"]
    assert Nomination.objects.get().source == Nomination.Source.ADMIN


def _refused(client, data, field, words):
    response = client.post(ADD, data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert words in " ".join(errors.get(field, [])), errors
    assert not Nomination.objects.filter(source=Nomination.Source.ADMIN).exists()
    assert not Notice.objects.exists()
    return response


def test_refused_a_department_not_invited(csb_client, inbound):
    other = DepartmentFactory()
    data = _data(inbound["call"], OfficerFactory(mainland=True), other)
    _refused(csb_client, data, "department", "is not invited to nominate to this call")


def test_refused_an_officer_of_the_wrong_side_or_rank(csb_client, inbound):
    data = _data(inbound["call"], OfficerFactory(), inbound["department"])
    _refused(csb_client, data, "officer", "A Hong Kong officer cannot be nominated to an inbound batch")
    call = CallInvitationFactory().call
    call.eligible_ranks.set([RankFactory()])
    officer = OfficerFactory(home_department=call.invitations.get().department)
    _refused(
        csb_client, _data(call, officer, officer.home_department), "officer", "is not of a grade and rank"
    )


def test_refused_when_the_quota_is_used(csb_client, inbound):
    NominationFactory(
        call=inbound["call"], officer=OfficerFactory(mainland=True), department=inbound["department"]
    )
    data = _data(inbound["call"], OfficerFactory(mainland=True), inbound["department"], department_ranking=2)
    response = csb_client.post(ADD, data)
    assert response.status_code == 200
    assert "has used its quota of 1" in " ".join(response.context["adminform"].form.errors["department"])
    assert Nomination.objects.count() == 1


def test_refused_when_the_call_is_closed(csb_client, inbound):
    call = inbound["call"]
    call.closes_on = timezone.localdate() - datetime.timedelta(days=1)
    call.save()
    data = _data(call, OfficerFactory(mainland=True), inbound["department"])
    _refused(csb_client, data, "call", "This call closed on")
    call.status = Call.Status.CLOSED
    call.closes_on = timezone.localdate() + datetime.timedelta(days=1)
    call.save()
    _refused(csb_client, data, "call", "The selection for this call has finished")


def test_refused_a_future_endorsement(csb_client, inbound):
    officer = OfficerFactory(mainland=True)
    data = _data(
        inbound["call"],
        officer,
        inbound["department"],
        endorsed_on=(timezone.localdate() + datetime.timedelta(days=2)).isoformat(),
    )
    _refused(csb_client, data, "endorsed_on", "cannot be in the future")


def test_a_refusal_while_saving_comes_back_on_the_form(csb_client, inbound, monkeypatch):
    """The form checked the rules; the call closing between the check and the save is refused too."""
    from selection.admin import calls

    monkeypatch.setattr(calls, "nomination_validate", lambda **kwargs: None)
    call = inbound["call"]
    Call.objects.filter(pk=call.pk).update(status=Call.Status.CLOSED)
    data = _data(call, OfficerFactory(mainland=True), inbound["department"])
    response = csb_client.post(ADD, data)
    assert response.status_code == 200
    assert "The selection for this call has finished" in str(response.context["adminform"].form.errors)
    assert not Nomination.objects.exists()
    assert not Notice.objects.exists()


def test_add_page_is_prefilled_with_the_call_and_offers_its_invited_departments(
    csb_client, inbound, django_assert_num_queries
):
    other = DepartmentFactory(abbreviation="NOTASKED")
    CallFactory(status=Call.Status.CLOSED)
    # Session, user, the user's and the group's permissions; the open calls (with their batches); the
    # call's invited departments; the focus areas.
    with django_assert_num_queries(7):
        response = csb_client.get(f"{ADD}?call={inbound['call'].pk}")
    assert response.status_code == 200
    page = response.content.decode()
    assert f'<option value="{inbound["call"].pk}" selected>' in page
    assert inbound["department"].abbreviation in page
    assert other.abbreviation not in page
    assert 'data-model-name="officer"' in page or "admin-autocomplete" in page


def test_selection_page_links_to_the_add_page_with_the_call(csb_client, inbound):
    response = csb_client.get(reverse("admin:selection_call_selection", args=[inbound["call"].pk]))
    assert f"{ADD}?call={inbound['call'].pk}" in response.content.decode()


@pytest.mark.parametrize(
    "make_user",
    [
        CoordinatorUserFactory,
        ParticipantUserFactory,
        lambda: NominatingOfficerFactory(departments=[DepartmentFactory()]).user,
        lambda: CoordinatorUserFactory(is_staff=True),
    ],
)
def test_only_csb_staff_reach_the_add_page(client, inbound, make_user):
    client.force_login(make_user())
    assert client.get(ADD).status_code in (302, 403)
    data = _data(inbound["call"], OfficerFactory(mainland=True), inbound["department"])
    response = client.post(ADD, data)
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert "/login/" in response["Location"]
    assert not Nomination.objects.exists()


def test_the_change_page_stays_read_only(csb_client, inbound):
    nomination = NominationFactory(
        call=inbound["call"], officer=OfficerFactory(mainland=True), department=inbound["department"]
    )
    url = reverse("admin:selection_nomination_change", args=[nomination.pk])
    response = csb_client.get(url)
    assert response.status_code == 200
    assert not response.context["has_change_permission"]
    before = Nomination.objects.values().get()
    csb_client.post(url, {"department_ranking": 9, "statement": "Changed."})
    assert Nomination.objects.values().get() == before


@pytest.mark.parametrize("value", ["99999999999999999999999", "-1", "2027-02-30", "x" * 300])
def test_odd_call_and_department_values_are_refused_on_the_form(csb_client, inbound, value):
    data = _data(inbound["call"], OfficerFactory(mainland=True), inbound["department"])
    for name in ("call", "department", "officer"):
        response = csb_client.post(ADD, {**data, name: value})
        assert response.status_code == 200
        assert response.context["adminform"].form.errors[name]
    assert csb_client.get(f"{ADD}?call={value}").status_code == 200
    assert not Nomination.objects.exists()
