"""The admin for calls and nominations: changelists, the call form through call_save, open / reopen /
close, the selection page (filters, counts, bulk decisions) and the single decision page."""

import datetime

import pytest
from django.urls import reverse

from placements.models import OutgoingEmail, Placement
from selection.models import Call, CallInvitation, Nomination
from tests.factories import (
    BatchFactory,
    CallFactory,
    CallHostPlacesFactory,
    CallInvitationFactory,
    CoordinatorUserFactory,
    CsbStaffFactory,
    DepartmentFactory,
    FocusAreaFactory,
    HostCoordinatorFactory,
    HostOrganisationFactory,
    NominatingOfficerFactory,
    NominationFactory,
    OfficerFactory,
    ParticipantUserFactory,
)

pytestmark = pytest.mark.django_db

GIVEN = Nomination.Consent.GIVEN


def _selection(call):
    return reverse("admin:selection_call_selection", args=[call.pk])


@pytest.fixture
def call():
    call = CallFactory(places=3)
    focus = FocusAreaFactory(name_en="Smart city")
    for ranking in (1, 2):
        NominationFactory(call=call, consent=GIVEN, department_ranking=ranking, focus_areas=[focus])
    NominationFactory(call=call, status=Nomination.Status.WITHDRAWN)
    return call


def test_call_changelist(csb_client, django_assert_num_queries):
    for _ in range(3):
        NominationFactory(call=CallFactory())
    # Session, user, the user's and the group's permissions; the filters' programmes; the count; the page
    # of calls with their batches and nomination counts (one query). No unfiltered count: the portal's
    # changelists link to the whole list instead (core.admin.QuickChangelistMixin, show_full_result_count,
    # since issue 18): 7, written as 8 before that was merged.
    with django_assert_num_queries(7):
        response = csb_client.get(reverse("admin:selection_call_changelist"))
    assert response.status_code == 200
    assert "Selection page" in response.content.decode()


def test_call_add_saves_through_call_save_with_invitations(csb_client):
    batch = BatchFactory()
    department = DepartmentFactory()
    host = HostOrganisationFactory(municipality=batch.host_municipality)
    data = {
        "batch": batch.pk,
        "places": 4,
        "opens_on": "2026-12-01",
        "closes_on": "2026-12-20",
        "invitations-TOTAL_FORMS": 1,
        "invitations-INITIAL_FORMS": 0,
        "invitations-0-department": department.pk,
        "invitations-0-quota": 2,
        "host_places-TOTAL_FORMS": 1,
        "host_places-INITIAL_FORMS": 0,
        "host_places-0-host_organisation": host.pk,
        "host_places-0-places": 2,
    }
    response = csb_client.post(reverse("admin:selection_call_add"), data)
    assert response.status_code == 302, response.context["errors"]
    call = Call.objects.get()
    assert call.status == Call.Status.DRAFT
    assert list(call.invitations.values_list("department", "quota")) == [(department.pk, 2)]


def test_call_add_refuses_host_places_over_the_places_on_the_form(csb_client):
    batch = BatchFactory()
    host = HostOrganisationFactory(municipality=batch.host_municipality)
    data = {
        "batch": batch.pk,
        "places": 1,
        "opens_on": "2026-12-01",
        "closes_on": "2026-12-20",
        "invitations-TOTAL_FORMS": 0,
        "invitations-INITIAL_FORMS": 0,
        "host_places-TOTAL_FORMS": 1,
        "host_places-INITIAL_FORMS": 0,
        "host_places-0-host_organisation": host.pk,
        "host_places-0-places": 2,
    }
    response = csb_client.post(reverse("admin:selection_call_add"), data)
    assert response.status_code == 200
    assert "more than the call" in response.content.decode()
    assert not Call.objects.exists()


def test_call_open_button_opens_and_emails(csb_client):
    call = CallFactory(status=Call.Status.DRAFT, opened_at=None)
    department = CallInvitationFactory(call=call).department
    NominatingOfficerFactory(departments=[department])
    url = reverse("admin:selection_call_open", args=[call.pk])
    assert csb_client.get(url).status_code == 200
    response = csb_client.post(url)
    assert response.status_code == 302
    call.refresh_from_db()
    assert call.status == Call.Status.OPEN
    assert OutgoingEmail.objects.count() == 1


def test_call_open_button_shows_the_refusal(csb_client):
    call = CallFactory(status=Call.Status.DRAFT, opened_at=None)
    response = csb_client.post(reverse("admin:selection_call_open", args=[call.pk]), follow=True)
    assert "Invite at least one department" in response.content.decode()


def test_call_close_and_reopen(csb_client):
    call = CallFactory()
    csb_client.post(reverse("admin:selection_call_close", args=[call.pk]))
    call.refresh_from_db()
    assert call.status == Call.Status.CLOSED
    url = reverse("admin:selection_call_reopen", args=[call.pk])
    past = (datetime.date.today() - datetime.timedelta(days=1)).isoformat()
    response = csb_client.post(url, {"closes_on": past})
    assert response.status_code == 200 and "today or later" in response.content.decode()
    later = datetime.date.today() + datetime.timedelta(days=3)
    assert csb_client.post(url, {"closes_on": later.isoformat()}).status_code == 302
    call.refresh_from_db()
    assert (call.status, call.closes_on) == (Call.Status.OPEN, later)


def test_call_actions_open_and_close(csb_client):
    draft = CallFactory(status=Call.Status.DRAFT, opened_at=None)
    CallInvitationFactory(call=draft)
    csb_client.post(
        reverse("admin:selection_call_changelist"),
        {"action": "open_calls", "_selected_action": [draft.pk]},
    )
    draft.refresh_from_db()
    assert draft.status == Call.Status.OPEN


def test_selection_page_lists_counts_and_filters(csb_client, call, django_assert_num_queries):
    # Session, user, the user's and the group's permissions; the call with its batch; the nominations'
    # count; the counts: invitations, nominations per department, the departments, grades, focus areas,
    # host places; the filter form's departments, grades and focus areas; the page of nominations (officer,
    # rank, grade, department, host, placement in one query) and their focus areas; the bulk form's hosts.
    with django_assert_num_queries(18):
        response = csb_client.get(_selection(call))
    assert response.status_code == 200
    html = response.content.decode()
    assert "0</strong> of 3 places taken" in html
    assert "2 officers nominated" in html
    counts = response.context["counts"]
    assert [row["nominated"] for row in counts.departments] == [1, 1, 0]
    assert counts.focus_areas[0]["name"] == "Smart city" and counts.focus_areas[0]["nominated"] == 2
    assert len(response.context["nominations"]) == 3
    status = csb_client.get(_selection(call), {"status": Nomination.Status.WITHDRAWN})
    assert len(status.context["nominations"]) == 1


def test_selection_page_query_count_does_not_grow_with_nominations(
    csb_client, call, django_assert_num_queries
):
    for _ in range(5):
        NominationFactory(call=call, focus_areas=[FocusAreaFactory()])
    with django_assert_num_queries(18):
        csb_client.get(_selection(call))


def test_selection_page_filters_by_name_department_and_focus(csb_client, call):
    first = call.nominations.order_by("pk").first()
    by_name = csb_client.get(_selection(call), {"q": first.officer.name_en})
    assert list(by_name.context["nominations"]) == [first]
    by_department = csb_client.get(_selection(call), {"department": first.department_id})
    assert list(by_department.context["nominations"]) == [first]
    focus = first.focus_areas.get()
    assert len(csb_client.get(_selection(call), {"focus_area": focus.pk}).context["nominations"]) == 2


def test_bulk_select_creates_the_placements(csb_client, call):
    ready = list(call.nominations.filter(consent=GIVEN))
    response = csb_client.post(
        _selection(call),
        {"nominations": [n.pk for n in ready], "decision": Nomination.Status.SELECTED, "reason": ""},
    )
    assert response.status_code == 302
    assert Placement.objects.filter(status=Placement.Status.NOMINATED).count() == 2


def test_bulk_refusal_is_shown_and_nothing_changes(csb_client, call):
    withdrawn = call.nominations.get(status=Nomination.Status.WITHDRAWN)
    ready = call.nominations.filter(consent=GIVEN).first()
    response = csb_client.post(
        _selection(call),
        {"nominations": [ready.pk, withdrawn.pk], "decision": Nomination.Status.SELECTED},
    )
    assert response.status_code == 200
    assert f"{withdrawn.officer.name_en}: The department withdrew" in response.content.decode()
    assert not Placement.objects.exists()


def test_bulk_decline_needs_a_reason(csb_client, call):
    nomination = call.nominations.first()
    response = csb_client.post(
        _selection(call), {"nominations": [nomination.pk], "decision": Nomination.Status.DECLINED}
    )
    assert "Give the reason" in response.content.decode()


def test_bulk_select_at_a_host_over_its_places(csb_client, call):
    offered = CallHostPlacesFactory(call=call, places=1)
    ready = list(call.nominations.filter(consent=GIVEN))
    response = csb_client.post(
        _selection(call),
        {
            "nominations": [n.pk for n in ready],
            "decision": Nomination.Status.SELECTED,
            "host_organisation": offered.host_organisation.pk,
        },
    )
    assert "places at" in response.content.decode()
    assert not Placement.objects.exists()


def test_single_decision_page(csb_client, call):
    nomination = call.nominations.filter(consent=GIVEN).first()
    url = reverse("admin:selection_nomination_decide", args=[call.pk, nomination.pk])
    page = csb_client.get(url)
    assert page.status_code == 200 and "cross-boundary projects" in page.content.decode()
    refused = csb_client.post(url, {"decision": Nomination.Status.DECLINED, "reason": ""})
    assert "Give the reason" in refused.content.decode()
    response = csb_client.post(url, {"decision": Nomination.Status.DECLINED, "reason": "Fewer places."})
    assert response.status_code == 302
    nomination.refresh_from_db()
    assert (nomination.status, nomination.decision_reason) == (Nomination.Status.DECLINED, "Fewer places.")


def test_single_decision_refusal_is_on_the_form(csb_client, call):
    pending = NominationFactory(call=call)
    url = reverse("admin:selection_nomination_decide", args=[call.pk, pending.pk])
    response = csb_client.post(url, {"decision": Nomination.Status.SELECTED})
    html = response.content.decode()
    assert response.status_code == 200 and "has not given their consent" in html


def test_a_nomination_of_another_call_is_not_found(csb_client, call):
    other = NominationFactory()
    url = reverse("admin:selection_nomination_decide", args=[call.pk, other.pk])
    assert csb_client.get(url).status_code == 404
    assert csb_client.get(reverse("admin:selection_call_selection", args=[999999])).status_code == 404


def test_nomination_changelist_and_read_only_page(csb_client, call, django_assert_num_queries):
    # Session, user, the user's and the group's permissions; the filters' calls (with their batches) and
    # departments; the count; the page with officer, call, batch and department. No unfiltered count
    # (core.admin.QuickChangelistMixin's show_full_result_count, since issue 18): 8, written as 9 before.
    with django_assert_num_queries(8):
        response = csb_client.get(reverse("admin:selection_nomination_changelist"))
    assert response.status_code == 200
    search = csb_client.get(
        reverse("admin:selection_nomination_changelist"), {"q": call.nominations.first().officer.name_en}
    )
    assert search.context["cl"].result_count == 1
    nomination = call.nominations.first()
    page = csb_client.get(reverse("admin:selection_nomination_change", args=[nomination.pk]))
    assert page.status_code == 200 and "Decide on this nomination" in page.content.decode()
    # CSB adds a nomination the nominating side sent (tests/selection/test_nomination_admin_add.py).
    assert csb_client.get(reverse("admin:selection_nomination_add")).status_code == 200


@pytest.mark.parametrize("make_user", [CoordinatorUserFactory, lambda: NominatingOfficerFactory().user])
def test_other_roles_have_no_selection_page(client, call, make_user):
    client.force_login(make_user())
    response = client.get(_selection(call))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_the_call_page_has_its_buttons(csb_client):
    draft = CallFactory(status=Call.Status.DRAFT)
    html = csb_client.get(reverse("admin:selection_call_change", args=[draft.pk])).content.decode()
    assert reverse("admin:selection_call_open", args=[draft.pk]) in html
    assert reverse("admin:selection_call_selection", args=[draft.pk]) in html
    open_call = CallFactory()
    html = csb_client.get(reverse("admin:selection_call_change", args=[open_call.pk])).content.decode()
    assert reverse("admin:selection_call_close", args=[open_call.pk]) in html


def test_invitations_are_edited_through_the_call(csb_client):
    call = CallFactory(status=Call.Status.DRAFT)
    invitation = CallInvitationFactory(call=call, quota=1)
    url = reverse("admin:selection_call_change", args=[call.pk])
    data = {
        "batch": call.batch.pk,
        "places": call.places,
        "opens_on": call.opens_on.isoformat(),
        "closes_on": call.closes_on.isoformat(),
        "invitations-TOTAL_FORMS": 1,
        "invitations-INITIAL_FORMS": 1,
        "invitations-0-id": invitation.pk,
        "invitations-0-call": call.pk,
        "invitations-0-department": invitation.department.pk,
        "invitations-0-quota": 3,
        "host_places-TOTAL_FORMS": 0,
        "host_places-INITIAL_FORMS": 0,
    }
    response = csb_client.post(url, data)
    assert response.status_code == 302, response.context["errors"]
    assert CallInvitation.objects.get().quota == 3


# --- The URL × role matrix of 16A's pages -------------------------------------------------------------

ROLES = [
    "anonymous",
    "participant",
    "coordinator",
    "other_coordinator",
    "csb",
    "nominator_x",
    "nominator_y",
    "host_p",
    "host_q",
]


@pytest.fixture
def world():
    coordinator = CoordinatorUserFactory()
    call = CallFactory(batch=BatchFactory(coordinators=[coordinator]))
    nomination = NominationFactory(call=call, consent=GIVEN)
    host = HostOrganisationFactory(municipality=call.batch.host_municipality)
    users = {
        "anonymous": None,
        "participant": OfficerFactory(user=ParticipantUserFactory()).user,
        "coordinator": coordinator,
        "other_coordinator": CoordinatorUserFactory(),
        "csb": CsbStaffFactory(),
        "nominator_x": NominatingOfficerFactory(departments=[nomination.department]).user,
        "nominator_y": NominatingOfficerFactory(departments=[DepartmentFactory()]).user,
        "host_p": HostCoordinatorFactory(host_organisations=[host]).user,
        "host_q": HostCoordinatorFactory(host_organisations=[HostOrganisationFactory()]).user,
    }
    return {"call": call, "nomination": nomination, "users": users}


def _expected(role, page):
    if role == "anonymous":
        return "login"
    if page == "statuses":
        return 200
    if page.startswith("admin"):
        return 200 if role == "csb" else "admin-login"
    # The batch page and the dashboard: coordinators' pages (a batch of another coordinator is not found).
    if role == "csb" or role == "coordinator":
        return 200
    if role == "other_coordinator":
        return 404 if page == "batch" else 200
    return 403


def _url(page, world):
    call, nomination = world["call"], world["nomination"]
    return {
        "statuses": reverse("statuses"),
        "admin-selection": reverse("admin:selection_call_selection", args=[call.pk]),
        "admin-decide": reverse("admin:selection_nomination_decide", args=[call.pk, nomination.pk]),
        "admin-call": reverse("admin:selection_call_change", args=[call.pk]),
        "admin-reopen": reverse("admin:selection_call_reopen", args=[call.pk]),
        "admin-nominations": reverse("admin:selection_nomination_changelist"),
        "batch": reverse("coordination:batch_detail", args=[call.batch.pk]),
        "dashboard": reverse("coordination:dashboard"),
    }[page]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    # Not "page": that name is pytest-playwright's browser fixture, which would reorder the suite.
    "page_name",
    [
        "statuses",
        "admin-selection",
        "admin-decide",
        "admin-call",
        "admin-reopen",
        "admin-nominations",
        "batch",
        "dashboard",
    ],
)
def test_url_role_matrix(client, world, role, page_name):
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    response = client.get(_url(page_name, world))
    expected = _expected(role, page_name)
    if expected == "login":
        assert response.status_code == 302 and "login" in response["Location"], page_name
    elif expected == "admin-login":
        assert response.status_code == 302 and "/admin/login/" in response["Location"], page_name
    else:
        assert response.status_code == expected, page_name


@pytest.mark.parametrize("role", ["coordinator", "nominator_x", "host_p"])
def test_no_role_but_csb_can_post_a_decision(client, world, role):
    client.force_login(world["users"][role])
    client.post(
        _selection(world["call"]),
        {"nominations": [world["nomination"].pk], "decision": Nomination.Status.SELECTED},
    )
    world["nomination"].refresh_from_db()
    assert world["nomination"].status == Nomination.Status.NOMINATED
    assert not Placement.objects.exists()
