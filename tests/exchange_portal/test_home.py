"""The home page sends each role to where their work is."""

import pytest
from django.urls import reverse

from tests.factories import BatchFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_participant_lands_on_their_placement(client, officer_with_login):
    client.force_login(officer_with_login.user)
    assert client.get(reverse("home")).url == reverse("portal:my_placement")


def test_a_coordinator_lands_on_their_batches(client, coordinator_user):
    BatchFactory(coordinators=[coordinator_user])
    client.force_login(coordinator_user)
    assert client.get(reverse("home")).url == reverse("coordination:batch_list")


def test_csb_staff_land_in_the_admin(csb_client):
    assert csb_client.get(reverse("home")).url == reverse("admin:index")


def test_an_account_linked_to_nothing_is_told_what_to_do(client):
    client.force_login(UserFactory())
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "not yet linked to an officer record or a batch" in response.content.decode()
