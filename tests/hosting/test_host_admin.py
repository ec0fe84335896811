"""CSB's admin for the host side: host coordinators and nominating officers saved through the service
(group added, refusals on the form), change requests resolved through the service, and the placements
awaiting the host; each changelist at a fixed number of queries."""

import pytest
from django.urls import reverse

from core.roles import HOST_COORDINATOR, NOMINATING_OFFICER
from placements.models import OutgoingEmail
from selection.models import HostCoordinator, NominatingOfficer
from tests.factories import (
    CoordinatorUserFactory,
    CsbStaffFactory,
    DepartmentFactory,
    HostChangeRequestFactory,
    HostCoordinatorFactory,
    HostOrganisationFactory,
    NominatingOfficerFactory,
    UserFactory,
    proposed_placement,
)

pytestmark = pytest.mark.django_db


def _host_coordinator():
    return HostCoordinatorFactory(host_organisations=[HostOrganisationFactory(), HostOrganisationFactory()])


def _nominator():
    return NominatingOfficerFactory(departments=[DepartmentFactory(), DepartmentFactory()])


def _change_request():
    host = HostOrganisationFactory()
    return HostChangeRequestFactory(placement=proposed_placement(host_organisation=host))


@pytest.mark.parametrize(
    ("url_name", "make", "queries"),
    [
        # session, user, permissions x2, the municipality (department) filter's choices, count x2, the
        # rows with their users, their host organisations (departments) prefetched
        ("admin:selection_hostcoordinator_changelist", _host_coordinator, 5),
        ("admin:selection_nominatingofficer_changelist", _nominator, 5),
        # session, user, permissions x2, the batch filter's choices, count x2, the rows with officer,
        # batch, host and requester, date hierarchy x2
        ("admin:selection_hostchangerequest_changelist", _change_request, 7),
    ],
)
def test_changelists_at_a_fixed_number_of_queries(
    csb_client, django_assert_num_queries, url_name, make, queries
):
    for _ in range(4):
        make()
    # Warm the content-type cache and the permissions: since issue 18 they are cached after the first
    # view (participants.backends), and the admin runs no second, unfiltered count (core/admin.py), so
    # each count above is the listed queries less the two permissions, the user (cached too) and one count.
    csb_client.get(reverse(url_name))
    with django_assert_num_queries(queries):
        assert csb_client.get(reverse(url_name)).status_code == 200


def test_search_host_coordinators_and_change_requests(csb_client):
    HostCoordinatorFactory(name="LI Hua", host_organisations=[HostOrganisationFactory()])
    HostCoordinatorFactory(name="ZHOU Min", host_organisations=[HostOrganisationFactory()])
    content = csb_client.get(
        reverse("admin:selection_hostcoordinator_changelist"), {"q": "Hua"}
    ).content.decode()
    assert "LI Hua" in content and "ZHOU Min" not in content
    change = _change_request()
    url = reverse("admin:selection_hostchangerequest_changelist")
    content = csb_client.get(url, {"q": change.placement.officer.name_en}).content.decode()
    assert f"/admin/selection/hostchangerequest/{change.pk}/change/" in content


def test_add_host_coordinator_puts_the_user_in_the_group(csb_client):
    user = UserFactory(username="host.test")
    organisation = HostOrganisationFactory()
    response = csb_client.post(
        reverse("admin:selection_hostcoordinator_add"),
        {
            "user": user.pk,
            "name": "LI Hua",
            "post": "Section chief",
            "email": "li.hua@gz.gov.cn",
            "host_organisations": [organisation.pk],
            "preferred_language": "zh-hans",
        },
    )
    assert response.status_code == 302
    coordinator = HostCoordinator.objects.get(user=user)
    assert list(coordinator.host_organisations.all()) == [organisation]
    assert user.groups.filter(name=HOST_COORDINATOR).exists()
    assert coordinator.history.count() >= 1


def test_add_nominating_officer_puts_the_user_in_the_group(csb_client):
    user = UserFactory(username="nominator.test")
    department = DepartmentFactory()
    response = csb_client.post(
        reverse("admin:selection_nominatingofficer_add"),
        {
            "user": user.pk,
            "name": "CHAN Tai-man",
            "post": "Departmental Secretary",
            "email": "tmchan@test.gov.hk",
            "departments": [department.pk],
            "preferred_language": "en",
        },
    )
    assert response.status_code == 302
    assert list(NominatingOfficer.objects.get(user=user).departments.all()) == [department]
    assert user.groups.filter(name=NOMINATING_OFFICER).exists()


def test_a_csb_staff_account_cannot_be_a_liaison(csb_client):
    staff = CsbStaffFactory(username="csb.other")
    response = csb_client.post(
        reverse("admin:selection_hostcoordinator_add"),
        {
            "user": staff.pk,
            "name": "LI Hua",
            "email": "li.hua@gz.gov.cn",
            "host_organisations": [HostOrganisationFactory().pk],
            "preferred_language": "en",
        },
    )
    assert response.status_code == 200
    assert "give the liaison an account of their own" in response.content.decode()
    assert not HostCoordinator.objects.exists()


def test_profile_service_refuses_an_empty_scope():
    from django.core.exceptions import ValidationError

    from selection.services.hosting import host_coordinator_save, nominating_officer_save

    with pytest.raises(ValidationError) as refused:
        host_coordinator_save(
            coordinator=HostCoordinator(user=UserFactory(), name="X", email="x@example.org"),
            host_organisations=[],
        )
    assert "host_organisations" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        nominating_officer_save(
            nominating_officer=NominatingOfficer(user=UserFactory(), name="Y", email="y@example.org"),
            departments=[],
        )
    assert "departments" in refused.value.message_dict


def test_resolve_a_change_request_in_the_admin(csb_client):
    coordinator = HostCoordinatorFactory(host_organisations=[HostOrganisationFactory()])
    placement = proposed_placement(host_organisation=coordinator.host_organisations.get())
    change = HostChangeRequestFactory(placement=placement, requested_by=coordinator.user)
    url = reverse("admin:selection_hostchangerequest_change", args=[change.pk])
    page = csb_client.get(url).content.decode()
    assert 'name="resolution"' in page
    response = csb_client.post(url, {"resolution": "Proposed another officer instead."})
    assert response.status_code == 302
    change.refresh_from_db()
    assert change.resolved_at is not None and change.resolved_by.username == "csb-staff"
    assert OutgoingEmail.objects.filter(to_address=coordinator.email).exists()
    assert 'name="resolution"' not in csb_client.get(url).content.decode()  # read-only once resolved


def test_resolving_with_an_empty_text_is_refused_on_the_form(csb_client):
    change = _change_request()
    response = csb_client.post(
        reverse("admin:selection_hostchangerequest_change", args=[change.pk]), {"resolution": ""}
    )
    assert response.status_code == 200
    change.refresh_from_db()
    assert change.resolved_at is None


def test_change_requests_cannot_be_added_or_deleted(csb_client):
    change = _change_request()
    assert csb_client.get(reverse("admin:selection_hostchangerequest_add")).status_code == 403
    assert (
        csb_client.get(reverse("admin:selection_hostchangerequest_delete", args=[change.pk])).status_code
        == 403
    )


def test_placements_awaiting_the_host(csb_client, django_assert_num_queries):
    waiting = [proposed_placement(host_organisation=HostOrganisationFactory()) for _ in range(4)]
    HostChangeRequestFactory(placement=waiting[0])
    confirmed = proposed_placement(host_organisation=HostOrganisationFactory(), status="confirmed")
    url = reverse("admin:selection_placements_awaiting_host")
    csb_client.get(url)
    # session, user, count, the placements with officer, department, host, batch, nomination and
    # whether a change request is open (the permissions are cached since the first view: issue 18)
    # ... and the user with their profiles, cached since the first request (participants.backends)
    with django_assert_num_queries(3):
        response = csb_client.get(url)
    content = response.content.decode()
    for placement in waiting:
        assert f"/admin/placements/placement/{placement.pk}/change/" in content
    assert f"/admin/placements/placement/{confirmed.pk}/change/" not in content
    assert content.count("Yes: resolve it") == 1
    changelist = csb_client.get(reverse("admin:selection_hostchangerequest_changelist")).content.decode()
    assert url in changelist


def test_placements_awaiting_the_host_is_for_csb_only(client):
    client.force_login(CoordinatorUserFactory(is_staff=True))
    assert client.get(reverse("admin:selection_placements_awaiting_host")).status_code == 403
    client.force_login(HostCoordinatorFactory(host_organisations=[HostOrganisationFactory()]).user)
    assert (
        client.get(reverse("admin:selection_placements_awaiting_host")).status_code == 302
    )  # to the admin's sign-in
