"""The authentication backend (participants.backends): the user's permissions are cached per user, and
any change of them is seen by the next request; the navigation's officer comes with the user."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from core.roles import COORDINATOR
from participants.backends import PortalBackend
from tests.factories import BatchFactory

pytestmark = pytest.mark.django_db
BATCHES = "/batches/"


def test_the_permissions_are_read_once(coordinator_client, coordinator_user, django_assert_num_queries):
    BatchFactory(coordinators=[coordinator_user])
    coordinator_client.get(BATCHES)
    # session, user with officer, paginator count, page: no permission queries (nor the filter's two
    # choice queries since the batch list's unfiltered form is cached: 6 before)
    # ... and the user with their profiles, cached since the first request (participants.backends)
    with django_assert_num_queries(3):
        assert coordinator_client.get(BATCHES).status_code == 200


def test_leaving_a_group_is_seen_by_the_next_request(coordinator_client, coordinator_user):
    assert coordinator_client.get(BATCHES).status_code == 200
    coordinator_user.groups.remove(Group.objects.get(name=COORDINATOR))
    assert coordinator_client.get(BATCHES).status_code == 403


def test_joining_a_group_is_seen_by_the_next_request(client, officer_with_login):
    user = officer_with_login.user
    client.force_login(user)
    assert client.get(BATCHES).status_code == 403
    user.groups.add(Group.objects.get(name=COORDINATOR))
    assert client.get(BATCHES).status_code == 200


def test_a_groups_permissions_changed_are_seen_by_the_next_request(coordinator_client):
    assert coordinator_client.get(BATCHES).status_code == 200
    Group.objects.get(name=COORDINATOR).permissions.remove(Permission.objects.get(codename="view_batch"))
    assert coordinator_client.get(BATCHES).status_code == 403


def test_a_users_own_permission_is_seen_by_the_next_request(client, officer_with_login):
    user = officer_with_login.user
    client.force_login(user)
    assert client.get(BATCHES).status_code == 403
    user.user_permissions.add(Permission.objects.get(codename="view_batch"))
    assert client.get(BATCHES).status_code == 200


def test_a_deactivated_user_is_signed_out(coordinator_client, coordinator_user):
    assert coordinator_client.get(BATCHES).status_code == 200
    coordinator_user.is_active = False
    coordinator_user.save()
    assert coordinator_client.get(BATCHES).status_code == 302


def test_staff_status_taken_away_is_seen_by_the_next_request(csb_client, csb_user):
    BatchFactory()
    assert csb_client.get(reverse("admin:index")).status_code == 200
    csb_user.is_staff = False
    csb_user.save()
    assert csb_client.get(reverse("admin:index")).status_code == 302


def test_the_officer_comes_with_the_user(officer_with_login, django_assert_num_queries):
    with django_assert_num_queries(1):
        user = PortalBackend().get_user(officer_with_login.user.pk)
        assert user.officer == officer_with_login


def test_the_user_is_read_once_and_their_changes_are_seen_by_the_next_request(
    client, officer_with_login, django_assert_num_queries
):
    """The user and their profiles are cached too (PortalBackend.get_user): their own save (a new name,
    deactivation) forgets them, a profile's save every user."""
    user = officer_with_login.user
    client.force_login(user)
    client.get("/calendar/")
    with django_assert_num_queries(0):
        PortalBackend().get_user(user.pk)
    user.first_name, user.last_name = "Renamed", "OFFICER"
    user.save()
    assert "OFFICER Renamed" in client.get("/calendar/").content.decode()
    officer = officer_with_login
    officer.name_en = "OFFICER Renamed Too"
    officer.save()
    assert PortalBackend().get_user(user.pk).officer.name_en == "OFFICER Renamed Too"
    officer.user = None
    officer.save()
    assert "My placement" not in client.get("/calendar/").content.decode()
    user.is_active = False
    user.save()
    assert client.get("/calendar/").status_code == 302  # signed out: to the sign-in page


def test_an_unknown_user_is_nobody():
    assert PortalBackend().get_user(999999) is None
