"""The officer's consent to a nomination on their own portal page, and its listing on /my/."""

import pytest
from django.urls import reverse

from placements.models import OutgoingEmail
from selection.models import Nomination
from tests.factories import (
    NominatingOfficerFactory,
    NominationFactory,
    OfficerFactory,
    ParticipantUserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def nomination():
    officer = OfficerFactory(user=ParticipantUserFactory())
    nomination = NominationFactory(officer=officer)
    NominatingOfficerFactory(departments=[nomination.department], preferred_language="zh-hant")
    return nomination


def test_my_page_lists_the_nomination_with_its_answer_link(client, nomination):
    client.force_login(nomination.officer.user)
    page = client.get(reverse("portal:my_placement")).content.decode()
    assert "Your nominations" in page
    assert reverse("portal:nomination_consent", args=[nomination.pk]) in page
    assert "Answer now" in page


def test_withdrawn_nominations_are_not_listed(client, nomination):
    Nomination.objects.filter(pk=nomination.pk).update(status=Nomination.Status.WITHDRAWN)
    client.force_login(nomination.officer.user)
    assert "Your nominations" not in client.get(reverse("portal:my_placement")).content.decode()
    url = reverse("portal:nomination_consent", args=[nomination.pk])
    assert client.get(url).status_code == 404


def test_give_consent(client, nomination):
    client.force_login(nomination.officer.user)
    url = reverse("portal:nomination_consent", args=[nomination.pk])
    assert "Do you agree to be nominated?" in client.get(url).content.decode()
    response = client.post(url, {"given": "yes"})
    assert response["Location"] == reverse("portal:my_placement")
    nomination.refresh_from_db()
    assert nomination.consent == Nomination.Consent.GIVEN
    email = OutgoingEmail.objects.get(kind=OutgoingEmail.Kind.SELECTION)
    assert email.language == "zh-hant"


def test_refuse_consent(client, nomination):
    client.force_login(nomination.officer.user)
    client.post(reverse("portal:nomination_consent", args=[nomination.pk]), {"given": "no"})
    nomination.refresh_from_db()
    assert nomination.consent == Nomination.Consent.REFUSED


def test_a_bad_answer_changes_nothing(client, nomination):
    client.force_login(nomination.officer.user)
    response = client.post(reverse("portal:nomination_consent", args=[nomination.pk]), {"given": "maybe"})
    assert response.status_code == 200
    nomination.refresh_from_db()
    assert nomination.consent == Nomination.Consent.PENDING


def test_another_officers_nomination_is_not_found(client, nomination):
    other = OfficerFactory(user=ParticipantUserFactory())
    client.force_login(other.user)
    url = reverse("portal:nomination_consent", args=[nomination.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"given": "yes"}).status_code == 404
    nomination.refresh_from_db()
    assert nomination.consent == Nomination.Consent.PENDING


def test_after_the_decision_the_answer_is_closed(client, nomination):
    Nomination.objects.filter(pk=nomination.pk).update(status=Nomination.Status.SELECTED)
    client.force_login(nomination.officer.user)
    url = reverse("portal:nomination_consent", args=[nomination.pk])
    page = client.get(url).content.decode()
    assert "your answer can no longer change" in page
    response = client.post(url, {"given": "no"}, follow=True)
    assert "your answer can no longer change it" in response.content.decode()
    nomination.refresh_from_db()
    assert nomination.consent == Nomination.Consent.PENDING


def test_consent_page_query_count(client, nomination, django_assert_num_queries):
    client.force_login(nomination.officer.user)
    url = reverse("portal:nomination_consent", args=[nomination.pk])
    # session, user (with its officer: participants.backends reads them in one query, so the
    # navigation's user.officer and the page's officer, portal.views._own_officer, cost none), the
    # nomination (+ focus areas); the navigation's permissions (user, groups). Was 8 when written, before
    # the backend read the officer with the user, and the page read the officer again.
    with django_assert_num_queries(6):
        assert client.get(url).status_code == 200
