"""core.admin_inlines writes the admin's tabular inlines in Python: every page with such inlines is the
same as with Django's `admin/edit_inline/tabular.html`, in every language, with errors and without, for
CSB staff and for a staff member who may only view."""

import re

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission

from core.admin_inlines import QuickTabularInline
from tests.factories import (
    BatchFactory,
    CallFactory,
    CallHostPlacesFactory,
    CallInvitationFactory,
    CsbStaffFactory,
    HostAreaFactory,
    HostOrganisationFactory,
    PlacementFactory,
    UserFactory,
)

LANGUAGES = ["en", "zh-hant", "zh-hans"]
DJANGO_TEMPLATE = "admin/edit_inline/tabular.html"


def _quick_inlines():
    return {
        inline
        for model_admin in admin.site._registry.values()
        for inline in model_admin.inlines
        if issubclass(inline, QuickTabularInline)
    }


def _both(client, url, data=None, monkeypatch=None):
    def page():
        response = client.post(url, data) if data is not None else client.get(url)
        assert response.status_code == 200, url
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())

    ours = page()
    with monkeypatch.context() as patched:
        for inline in _quick_inlines():
            patched.setattr(inline, "template", DJANGO_TEMPLATE)
        theirs = page()
    return ours, theirs


def test_the_portals_tabular_inlines_are_written_in_python():
    names = {inline.__name__ for inline in _quick_inlines()}
    assert {"PlacementInline", "HostAreaInline", "CallInvitationInline", "CallHostPlacesInline"} <= names


@pytest.fixture
def rows():
    batch = BatchFactory()
    PlacementFactory(batch=batch)
    PlacementFactory(batch=batch)
    HostAreaFactory(municipality=batch.host_municipality)
    call = CallFactory()
    CallInvitationFactory(call=call)
    CallHostPlacesFactory(
        call=call, host_organisation=HostOrganisationFactory(municipality=call.batch.host_municipality)
    )
    return {
        "batch": f"/admin/placements/batch/{batch.pk}/change/",
        "new batch": "/admin/placements/batch/add/",
        "municipality": f"/admin/placements/municipality/{batch.host_municipality_id}/change/",
        "call": f"/admin/selection/call/{call.pk}/change/",
        "new call": "/admin/selection/call/add/",
    }


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_pages_with_inlines_are_the_same_either_way(client, rows, language, monkeypatch):
    client.force_login(CsbStaffFactory())
    client.cookies["django_language"] = language
    for name, url in rows.items():
        ours, theirs = _both(client, url, monkeypatch=monkeypatch)
        assert 'data-inline-type="tabular"' in ours, name
        assert ours == theirs, name


@pytest.mark.django_db
def test_a_viewer_gets_the_same_read_only_rows(client, rows, monkeypatch):
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.set(
        Permission.objects.filter(
            codename__in=[
                "view_batch",
                "view_placement",
                "view_call",
                "view_callinvitation",
                "view_municipality",
            ]
        )
    )
    client.force_login(viewer)
    for name in ["batch", "call", "municipality"]:
        ours, theirs = _both(client, rows[name], monkeypatch=monkeypatch)
        assert ours == theirs, name


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_rows_with_errors_are_the_same_either_way(client, rows, language, monkeypatch):
    client.force_login(CsbStaffFactory())
    client.cookies["django_language"] = language
    html = client.get(rows["batch"]).content.decode()
    data = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))
    data.update({"number": "x", "placements-0-start_date": "not a date", "placements-1-officer": "999999"})
    data["placements-0-end_date"] = "2020-01-01"
    data["placements-__prefix__-status"] = "x"
    ours, theirs = _both(client, rows["batch"], data, monkeypatch=monkeypatch)
    assert "errorlist" in ours
    assert ours == theirs


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_the_batch_and_call_forms_queries_do_not_grow_with_rows(client):
    client.force_login(CsbStaffFactory())
    batch = BatchFactory(coordinators=[UserFactory()])
    call = CallFactory()
    organisations = HostOrganisationFactory.create_batch(3, municipality=call.batch.host_municipality)
    batch_url = f"/admin/placements/batch/{batch.pk}/change/"
    call_url = f"/admin/selection/call/{call.pk}/change/"

    def add_rows(count):
        for _ in range(count):
            PlacementFactory(batch=batch)
            CallInvitationFactory(call=call)
        for organisation in organisations[call.host_places.count() :][:count]:
            CallHostPlacesFactory(call=call, host_organisation=organisation)

    add_rows(1)
    _queries(client, batch_url)  # warm the session, the permissions and the content types
    # The session and user; the batch with its programme and municipality; its host areas, focus areas and
    # coordinators (the form's initial values, which the pickers show); its placements' count; the rows'
    # host areas and organisations (once for all rows); the rows with their officers; the batch's host
    # area and focus area pickers' choices.
    # (The user is cached since the warm-up: participants.backends.)
    assert _queries(client, batch_url) == 11
    # The session and user; the call with its batch; its grades and ranks; the batch's municipality; the
    # invitations with their departments; the host places with their organisations; the organisations
    # (once for all rows); the grade and rank pickers' choices.
    assert _queries(client, call_url) == 10
    add_rows(2)
    _queries(client, batch_url)  # warm again: the new rows' officers made the cached users stale
    assert _queries(client, batch_url) == 11
    assert _queries(client, call_url) == 10
