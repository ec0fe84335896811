"""The host coordinators' pages: the URL × role matrix, scoping (another organisation's officer is a 404,
and never the officer's contact details), the two answers through the forms, and the list's queries."""

import pytest
from django.urls import reverse

from placements.models import OutgoingEmail, Placement
from selection.models import HostChangeRequest
from tests.factories import (
    CoordinatorUserFactory,
    CsbStaffFactory,
    DepartmentFactory,
    FocusAreaFactory,
    HostChangeRequestFactory,
    HostCoordinatorFactory,
    HostOrganisationFactory,
    MunicipalityFactory,
    NominatingOfficerFactory,
    NominationFactory,
    OfficerFactory,
    ParticipantUserFactory,
    proposed_placement,
)

pytestmark = pytest.mark.django_db

PRIVATE = {
    "email": "private.address@test.gov.hk",
    "phone": "+852 2810 9999",
    "mobile_phone": "+852 9123 4567",
    "emergency_contact_name": "CHAN Emergency-contact",
    "emergency_contact_phone": "+852 9876 5432",
    "dietary_access_needs": "Vegetarian, no nuts",
    "notes": "Seen by CSB staff only: private note",
}


@pytest.fixture
def world():
    city = MunicipalityFactory()
    host_p = HostOrganisationFactory(municipality=city, name_en="Host P Bureau")
    host_q = HostOrganisationFactory(municipality=city, name_en="Host Q Bureau")
    department = DepartmentFactory()
    officer = OfficerFactory(home_department=department, name_en="PROPOSED Officer-p", **PRIVATE)
    placement = proposed_placement(
        host_organisation=host_p,
        nomination=NominationFactory(
            officer=officer,
            call__batch__host_municipality=city,
            consent="given",
            status="selected",
        ),
    )
    placement.focus_areas.set([FocusAreaFactory(name_en="Test town planning")])
    other = proposed_placement(host_organisation=host_q)
    participant = ParticipantUserFactory()
    OfficerFactory(user=participant)
    return {
        "placement": placement,
        "other": other,
        "department": department,
        "users": {
            "participant": participant,
            "coordinator": CoordinatorUserFactory(),
            "csb": CsbStaffFactory(),
            "nominator_x": NominatingOfficerFactory(departments=[department]).user,
            "nominator_y": NominatingOfficerFactory(departments=[DepartmentFactory()]).user,
            "host_p": HostCoordinatorFactory(host_organisations=[host_p]).user,
            "host_q": HostCoordinatorFactory(host_organisations=[host_q]).user,
        },
    }


# role → expected status of (the list, P's placement)
MATRIX = {
    "anonymous": (302, 302),
    "participant": (403, 403),
    "coordinator": (403, 403),
    "csb": (403, 403),
    "nominator_x": (403, 403),
    "nominator_y": (403, 403),
    "host_p": (200, 200),
    "host_q": (200, 404),
}


@pytest.mark.parametrize("role", MATRIX)
@pytest.mark.parametrize("method", ["get", "post"])
def test_url_role_matrix(client, world, role, method):
    if role != "anonymous":
        client.force_login(world["users"][role])
    placement = world["placement"]
    list_expected, detail_expected = MATRIX[role]
    response = getattr(client, method)(reverse("hosting:placement_list"))
    assert response.status_code == list_expected
    if role == "anonymous":
        assert response["Location"].startswith(reverse("login"))
    data = {
        "action": "accept",
        "accept-host_organisation": placement.host_organisation_id,
        "accept-role": "Assistant",
        "accept-host_supervisor": "LI Ming",
    }
    response = getattr(client, method)(reverse("hosting:placement_detail", args=[placement.pk]), data)
    expected = 302 if method == "post" and detail_expected == 200 else detail_expected
    assert response.status_code == expected
    placement.refresh_from_db()
    accepted = role == "host_p" and method == "post"
    assert (placement.status == Placement.Status.CONFIRMED) is accepted


def test_home_sends_a_host_coordinator_to_their_officers(client, world):
    client.force_login(world["users"]["host_p"])
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"] == reverse("hosting:placement_list")
    page = client.get(response["Location"])
    assert f'href="{reverse("hosting:placement_list")}"' in page.content.decode()


def test_other_roles_have_no_host_nav_item(client, world):
    for role in ("participant", "coordinator", "csb", "nominator_x"):
        client.force_login(world["users"][role])
        response = client.get(reverse("calendar:settings"))
        assert reverse("hosting:placement_list") not in response.content.decode(), role


def test_list_shows_only_the_coordinators_officers(client, world):
    client.force_login(world["users"]["host_q"])
    content = client.get(reverse("hosting:placement_list")).content.decode()
    assert "PROPOSED Officer-p" not in content
    assert world["other"].officer.name_en in content


@pytest.mark.parametrize("url_name", ["hosting:placement_list", "hosting:placement_detail"])
def test_pages_show_what_the_placement_needs_and_no_contact_details(client, world, url_name):
    client.force_login(world["users"]["host_p"])
    placement = world["placement"]
    args = [placement.pk] if url_name.endswith("detail") else []
    content = client.get(reverse(url_name, args=args), {"show": "all"}).content.decode()
    assert "PROPOSED Officer-p" in content
    assert placement.officer.rank.name_en in content
    assert world["department"].name_en in content
    for value in PRIVATE.values():
        assert value not in content
    if url_name.endswith("detail"):
        assert "Test town planning" in content and placement.officer.rank.grade.name_en in content


def test_accept_through_the_page(client, world):
    client.force_login(world["users"]["host_p"])
    placement = world["placement"]
    url = reverse("hosting:placement_detail", args=[placement.pk])
    response = client.post(
        url,
        {
            "action": "accept",
            "accept-host_organisation": placement.host_organisation_id,
            "accept-role": "Special assistant to the deputy district head",
            "accept-role_zh": "副區長特別助理",
            "accept-host_supervisor": "LI Ming, Deputy District Head",
        },
        follow=True,
    )
    placement.refresh_from_db()
    assert placement.status == Placement.Status.CONFIRMED
    assert placement.host_supervisor == "LI Ming, Deputy District Head"
    content = response.content.decode()
    assert "is accepted" in content and "Special assistant to the deputy district head" in content
    assert 'name="accept-role"' not in content  # answered: the forms are gone


def test_accept_with_an_empty_supervisor_shows_the_error(client, world):
    client.force_login(world["users"]["host_p"])
    placement = world["placement"]
    response = client.post(
        reverse("hosting:placement_detail", args=[placement.pk]),
        {"action": "accept", "accept-host_organisation": placement.host_organisation_id, "accept-role": "X"},
    )
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()


def test_accept_refused_by_the_service_comes_back_on_the_form(client, world):
    client.force_login(world["users"]["host_p"])
    placement = world["placement"]
    HostChangeRequestFactory(placement=placement, requested_by=world["users"]["host_p"])
    response = client.post(
        reverse("hosting:placement_detail", args=[placement.pk]),
        {
            "action": "accept",
            "accept-host_organisation": placement.host_organisation_id,
            "accept-role": "Assistant",
            "accept-host_supervisor": "LI Ming",
        },
    )
    assert response.status_code == 200
    assert "CSB has not resolved it yet" in response.content.decode()
    placement.refresh_from_db()
    assert placement.status == Placement.Status.NOMINATED


def test_organisation_choices_are_only_the_coordinators(client, world):
    client.force_login(world["users"]["host_p"])
    placement = world["placement"]
    content = client.get(reverse("hosting:placement_detail", args=[placement.pk])).content.decode()
    assert "Host P Bureau" in content and "Host Q Bureau" not in content
    response = client.post(
        reverse("hosting:placement_detail", args=[placement.pk]),
        {
            "action": "accept",
            "accept-host_organisation": world["other"].host_organisation_id,
            "accept-role": "Assistant",
            "accept-host_supervisor": "LI Ming",
        },
    )
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()


def test_change_request_through_the_page(client, world):
    client.force_login(world["users"]["host_p"])
    CsbStaffFactory(email="csb.desk@csb.gov.hk")
    placement = world["placement"]
    url = reverse("hosting:placement_detail", args=[placement.pk])
    response = client.post(url, {"action": "change", "change-reason": "We need a town planner."}, follow=True)
    change = HostChangeRequest.objects.get()
    assert change.placement == placement and change.requested_by == world["users"]["host_p"]
    assert "csb.desk@csb.gov.hk" in set(OutgoingEmail.objects.values_list("to_address", flat=True))
    content = response.content.decode()
    assert "We need a town planner." in content and "not answered yet" in content
    empty = client.post(url, {"action": "change", "change-reason": ""})
    assert empty.status_code == 200 and HostChangeRequest.objects.count() == 1


def test_list_filters_awaiting_and_answered(client, world):
    client.force_login(world["users"]["host_p"])
    placement = world["placement"]
    Placement.objects.filter(pk=placement.pk).update(status=Placement.Status.CONFIRMED)
    awaiting = client.get(reverse("hosting:placement_list")).content.decode()
    assert "PROPOSED Officer-p" not in awaiting and "No officer is awaiting your answer" in awaiting
    answered = client.get(reverse("hosting:placement_list"), {"show": "answered"}).content.decode()
    assert "PROPOSED Officer-p" in answered


def test_list_query_count(client, world, django_assert_num_queries):
    coordinator = world["users"]["host_p"].host_coordinator
    host = world["placement"].host_organisation
    for _ in range(4):
        proposed_placement(host_organisation=host, call=world["placement"].nomination.call).focus_areas.add(
            FocusAreaFactory()
        )
    client.force_login(coordinator.user)
    # session, user with their profiles (officer: none, host coordinator: participants.backends, issue
    # 18), count, the user's own and group permissions (nav), the organisations (lead),
    # the placements with officer, rank, grade, department, host, batch and whether a change request is
    # open (the list shows no focus areas: not read, issue 18)
    with django_assert_num_queries(7):
        response = client.get(reverse("hosting:placement_list"))
    assert response.content.decode().count('href="/host/placements/') == 5


def test_with_a_change_request_open_the_page_says_so_instead_of_the_forms(client, world):
    client.force_login(world["users"]["host_p"])
    placement = world["placement"]
    HostChangeRequestFactory(placement=placement, requested_by=world["users"]["host_p"])
    content = client.get(reverse("hosting:placement_detail", args=[placement.pk])).content.decode()
    assert "Your change request is with CSB" in content
    assert 'name="accept-role"' not in content and 'name="change-reason"' not in content


def test_a_host_coordinator_sees_no_other_page_of_the_portal(client, world):
    client.force_login(world["users"]["host_p"])
    placement = world["placement"]
    for url in (
        reverse("coordination:batch_list"),
        reverse("coordination:batch_detail", args=[placement.batch_id]),
        reverse("coordination:dashboard"),
        reverse("portal:my_placement"),
        reverse("portal:placement_detail", args=[placement.pk]),
        reverse("admin:index"),
        reverse("admin:selection_placements_awaiting_host"),
    ):
        response = client.get(url)
        assert response.status_code in (302, 403, 404), url
        if response.status_code == 302:
            assert "login" in response["Location"], url
