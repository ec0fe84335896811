"""The navigation items of every signed-in page are cached per reader, language, page, staff status,
profiles and permissions (exchange_portal.templatetags.portal_nav): each page's items read exactly as the
plain include writes them, nobody is served another reader's, and a change of permissions, staff status
or profile is seen on the next page."""

import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.template.loader import render_to_string
from django.test import Client

from tests.factories import (
    CoordinatorUserFactory,
    CsbStaffFactory,
    NominatorUserFactory,
    OfficerFactory,
    ParticipantUserFactory,
)

pytestmark = pytest.mark.django_db
NAV = re.compile(r'<ul class="navbar-nav me-auto">(.*?)</ul>', re.S)


def _client(user, language="en"):
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = language
    return client


def _items(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return NAV.search(response.content.decode())[1]


def _plain(client, url):
    """The items as the include writes them, for the same request."""
    response = client.get(url)
    html = render_to_string("includes/nav_items.html", response.context[-1].flatten(), response.wsgi_request)
    return "\n        " + html + "\n      "


def _officer():
    return OfficerFactory(user=ParticipantUserFactory()).user


ROLES = {
    "officer": (_officer, "/my/"),
    "coordinator": (CoordinatorUserFactory, "/batches/"),
    "csb": (CsbStaffFactory, "/dashboard/"),
    "nominator": (NominatorUserFactory, "/calendar/"),
}


@pytest.mark.parametrize("language", ["en", "zh-hant"])
@pytest.mark.parametrize("role", sorted(ROLES))
def test_the_cached_items_read_as_the_include_writes_them(role, language):
    make, url = ROLES[role]
    client = _client(make(), language)
    first, cached = _items(client, url), _items(client, url)
    assert cached == first == _plain(client, url)
    assert f'nav-link active" href="{url}"' in first


def test_each_reader_and_page_has_their_own_items():
    officer, coordinator = _client(_officer()), _client(CoordinatorUserFactory())
    mine = _items(officer, "/calendar/")
    assert "My placement" in mine and "Batches" not in mine
    theirs = _items(coordinator, "/calendar/")
    assert "Batches" in theirs and "My placement" not in theirs
    # the active item follows the page
    assert re.search(r'nav-link active" href="/calendar/"', mine)
    assert re.search(r'nav-link active" href="/my/"', _items(officer, "/my/"))
    assert _items(officer, "/calendar/") == mine


def test_a_change_of_permissions_staff_status_or_profile_is_seen_on_the_next_page():
    user = ParticipantUserFactory()
    client = _client(user)
    assert "Batches" not in _items(client, "/calendar/")
    group = Group.objects.create(name="Readers of batches")
    group.permissions.add(Permission.objects.get(codename="view_batch"))
    user.groups.add(group)
    assert "Batches" in _items(client, "/calendar/")
    user.is_staff = True
    user.save()
    assert "Admin" in _items(client, "/calendar/")
    OfficerFactory(user=user)
    assert "My placement" in _items(client, "/calendar/")


def test_signed_out_pages_have_no_items():
    cache.clear()
    response = Client().get("/accounts/login/")
    assert NAV.search(response.content.decode())[1].strip() == ""
