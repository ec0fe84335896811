"""The admin's app list and navigation sidebar are cached per user, language, permissions and current
section (exchange_portal.admin_site.get_app_list, exchange_portal.templatetags.admin_nav): another user
never sees someone else's, and a change of permissions is seen on the next page."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client

from tests.factories import CsbStaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def _sidebar(client, url="/admin/participants/grade/"):
    html = client.get(url).content.decode()
    start = html.index('<nav class="sticky" id="nav-sidebar"')
    return html[start : html.index("</nav>", start)]


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _staff_who_may_view(*codenames):
    user = UserFactory(is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return user


def test_another_user_does_not_get_the_cached_sidebar(admin_client):
    full = _sidebar(admin_client, "/admin/participants/grade/")
    assert "/admin/placements/placement/" in full
    narrow = _staff_who_may_view("view_grade")
    mine = _sidebar(_client(narrow), "/admin/participants/grade/")
    assert "/admin/participants/grade/" in mine
    assert "/admin/placements/placement/" not in mine
    assert "/admin/auth/user/" not in mine
    # ... and the other way round: the narrow list first does not narrow the next user's.
    assert "/admin/placements/placement/" in _sidebar(
        _client(CsbStaffFactory()), "/admin/participants/grade/"
    )


def test_a_user_with_the_same_permissions_is_still_keyed_apart():
    from exchange_portal.admin_site import app_list_key

    first, second = _staff_who_may_view("view_grade"), _staff_who_may_view("view_grade")
    assert app_list_key(first) != app_list_key(second)


def test_a_permission_given_or_taken_is_seen_on_the_next_page():
    user = _staff_who_may_view("view_grade")
    client = _client(user)
    assert "/admin/participants/rank/" not in _sidebar(client)
    user.user_permissions.add(Permission.objects.get(codename="view_rank"))
    assert "/admin/participants/rank/" in _sidebar(client)
    user.user_permissions.remove(Permission.objects.get(codename="view_rank"))
    assert "/admin/participants/rank/" not in _sidebar(client)


def test_a_groups_permission_change_is_seen_on_the_next_page():
    group = Group.objects.create(name="Readers")
    group.permissions.add(Permission.objects.get(codename="view_grade"))
    user = UserFactory(is_staff=True)
    user.groups.add(group)
    client = _client(user)
    assert "/admin/participants/rank/" not in _sidebar(client)
    group.permissions.add(Permission.objects.get(codename="view_rank"))
    assert "/admin/participants/rank/" in _sidebar(client)


def test_the_current_section_and_the_language_are_the_pages_own(admin_client):
    on_grades = _sidebar(admin_client, "/admin/participants/grade/")
    on_ranks = _sidebar(admin_client, "/admin/participants/rank/")
    assert 'href="/admin/participants/grade/" aria-current="page"' in on_grades
    assert 'href="/admin/participants/rank/" aria-current="page"' in on_ranks
    assert 'href="/admin/participants/grade/" aria-current="page"' not in on_ranks
    english = _sidebar(admin_client)
    admin_client.cookies["django_language"] = "zh-hant"
    chinese = _sidebar(admin_client)
    assert english != chinese
    admin_client.cookies["django_language"] = "en"
    assert _sidebar(admin_client) == english
