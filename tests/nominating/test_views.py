"""The nominating officers' pages: the URL × role matrix, nominating (an officer of the department or a
new one), editing, withdrawing, query counts, the navigation and the home page's redirect."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from selection.models import Call, Nomination
from tests.factories import (
    CallFactory,
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
    RankFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """Departments X and Y both invited to one call; a second call invites X only. One nomination of X."""
    x, y = DepartmentFactory(abbreviation="XD"), DepartmentFactory(abbreviation="YD")
    call = CallFactory()
    CallInvitationFactory(call=call, department=x, quota=3)
    CallInvitationFactory(call=call, department=y, quota=2)
    only_x = CallFactory()
    CallInvitationFactory(call=only_x, department=x)
    draft = CallFactory(status=Call.Status.DRAFT)
    CallInvitationFactory(call=draft, department=x)
    nominee = OfficerFactory(home_department=x, user=ParticipantUserFactory())
    nomination = NominationFactory(call=call, officer=nominee, department_ranking=1)
    return {
        "x": x,
        "y": y,
        "call": call,
        "only_x": only_x,
        "draft": draft,
        "nomination": nomination,
        "nominator_x": NominatingOfficerFactory(departments=[x]),
        "nominator_y": NominatingOfficerFactory(departments=[y]),
    }


def _role_users(world):
    host_org_p, host_org_q = HostOrganisationFactory(), HostOrganisationFactory()
    return {
        "anonymous": None,
        "participant": OfficerFactory(user=ParticipantUserFactory()).user,
        "coordinator": CoordinatorUserFactory(),
        "csb": CsbStaffFactory(),
        "nominator_x": world["nominator_x"].user,
        "nominator_y": world["nominator_y"].user,
        "host_p": HostCoordinatorFactory(host_organisations=[host_org_p]).user,
        "host_q": HostCoordinatorFactory(host_organisations=[host_org_q]).user,
        "nominee": world["nomination"].officer.user,
    }


NOT_NOMINATORS = ("participant", "coordinator", "csb", "host_p", "host_q", "nominee")


def test_url_role_matrix(client, world):
    n = world["nomination"]
    urls = {
        "list": reverse("nominating:call_list"),
        "call": reverse("nominating:call_detail", args=[world["call"].pk]),
        "call_x_only": reverse("nominating:call_detail", args=[world["only_x"].pk]),
        "call_draft": reverse("nominating:call_detail", args=[world["draft"].pk]),
        "nominate": reverse("nominating:nomination_create", args=[world["call"].pk]),
        "nominate_x_only": reverse("nominating:nomination_create", args=[world["only_x"].pk]),
        "nomination": reverse("nominating:nomination_detail", args=[n.pk]),
        "edit": reverse("nominating:nomination_update", args=[n.pk]),
        "withdraw": reverse("nominating:nomination_withdraw", args=[n.pk]),
        "consent": reverse("portal:nomination_consent", args=[n.pk]),
    }
    expected = {
        "anonymous": dict.fromkeys(urls, 302),
        "nominator_x": {
            **dict.fromkeys(urls, 200),
            "call_draft": 404,
            "consent": 404,
        },
        "nominator_y": {
            **dict.fromkeys(urls, 404),
            "list": 200,
            "call": 200,
            "nominate": 200,
        },
        "nominee": {**dict.fromkeys(urls, 403), "consent": 200},
    }
    for role in NOT_NOMINATORS:
        expected.setdefault(role, {**dict.fromkeys(urls, 403), "consent": 404})
    for role, user in _role_users(world).items():
        client.logout()
        if user is not None:
            client.force_login(user)
        for name, url in urls.items():
            status = client.get(url).status_code
            assert status == expected[role][name], (role, name, status)
        # A POST is scoped the same way: nothing of another department is withdrawn.
        if role in ("nominator_y", "participant", "csb", "host_p"):
            client.post(urls["withdraw"])
            n.refresh_from_db()
            assert n.status == Nomination.Status.NOMINATED, role


def test_the_call_list_shows_only_the_nominators_calls(client, world):
    client.force_login(world["nominator_y"].user)
    response = client.get(reverse("nominating:call_list"))
    assert [c.pk for c in response.context["calls"]] == [world["call"].pk]
    client.force_login(world["nominator_x"].user)
    response = client.get(reverse("nominating:call_list"))
    assert {c.pk for c in response.context["calls"]} == {world["call"].pk, world["only_x"].pk}


def test_the_call_page_shows_only_the_departments_nominees(client, world):
    y_officer = OfficerFactory(home_department=world["y"])
    NominationFactory(call=world["call"], officer=y_officer, department_ranking=1)
    client.force_login(world["nominator_y"].user)
    page = client.get(reverse("nominating:call_detail", args=[world["call"].pk]))
    assert [n.officer for n in page.context["nominations"]] == [y_officer]
    assert world["nomination"].officer.name_en not in page.content.decode()
    assert [(r["invitation"].department, r["used"], r["left"]) for r in page.context["quota_rows"]] == [
        (world["y"], 1, 1)
    ]


def test_the_nomination_form_offers_only_the_departments_officers(client, world):
    other = OfficerFactory(home_department=world["y"])
    mine = OfficerFactory(home_department=world["x"])
    client.force_login(world["nominator_x"].user)
    form = client.get(reverse("nominating:nomination_create", args=[world["call"].pk])).context["form"]
    officers = set(form.fields["officer"].queryset)
    assert mine in officers and other not in officers
    assert list(form.fields["department"].queryset) == [world["x"]]


def _post(world, **overrides):
    data = {
        "department": world["x"].pk,
        "department_ranking": 2,
        "endorsed_by_name": "WONG Ka-ming",
        "endorsed_by_post": "Director",
        "endorsed_on": timezone.localdate().isoformat(),
        "statement": "Leads the department's Greater Bay Area projects.",
    }
    data.update(overrides)
    return data


def test_nominate_an_officer_of_the_department(client, world):
    focus = FocusAreaFactory()
    world["call"].batch.focus_areas.add(focus)
    officer = OfficerFactory(home_department=world["x"])
    client.force_login(world["nominator_x"].user)
    url = reverse("nominating:nomination_create", args=[world["call"].pk])
    response = client.post(url, _post(world, officer=officer.pk, focus_areas=[focus.pk]))
    nomination = Nomination.objects.get(officer=officer)
    assert response.status_code == 302
    assert response["Location"] == reverse("nominating:nomination_detail", args=[nomination.pk])
    assert nomination.nominated_by == world["nominator_x"].user
    assert list(nomination.focus_areas.all()) == [focus]
    page = client.get(response["Location"])
    assert "asked to confirm their consent" in page.content.decode()


def test_nominate_a_new_officer(client, world):
    rank = RankFactory()
    client.force_login(world["nominator_x"].user)
    url = reverse("nominating:nomination_create", args=[world["call"].pk])
    data = _post(
        world,
        new_name_en="LEE Siu-ming",
        new_name_zh="李小明",
        new_email="smlee@xd.gov.hk",
        new_post_title="Engineer",
        new_rank=rank.pk,
    )
    assert client.post(url, data).status_code == 302
    nomination = Nomination.objects.get(officer__email="smlee@xd.gov.hk")
    assert nomination.officer.home_department == world["x"]
    assert nomination.officer.rank == rank


def test_a_new_officer_with_a_chinese_english_name_is_refused_on_the_form(client, world):
    client.force_login(world["nominator_x"].user)
    url = reverse("nominating:nomination_create", args=[world["call"].pk])
    data = _post(
        world,
        new_name_en="李小明",
        new_email="smlee@xd.gov.hk",
        new_post_title="Engineer",
        new_rank=RankFactory().pk,
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors["new_name_en"] == ["The English name contains Chinese characters."]
    assert not Nomination.objects.filter(officer__email="smlee@xd.gov.hk").exists()


def test_the_form_asks_for_an_officer(client, world):
    client.force_login(world["nominator_x"].user)
    url = reverse("nominating:nomination_create", args=[world["call"].pk])
    response = client.post(url, _post(world))
    assert "Choose an officer, or add a new one below." in response.context["form"].errors["officer"]
    officer = OfficerFactory(home_department=world["x"])
    response = client.post(url, _post(world, officer=officer.pk, new_name_en="LEE Siu-ming"))
    assert "not both" in response.context["form"].errors["officer"][0]


def test_a_service_refusal_shows_on_the_form(client, world):
    officer = OfficerFactory(home_department=world["x"])
    client.force_login(world["nominator_x"].user)
    url = reverse("nominating:nomination_create", args=[world["call"].pk])
    response = client.post(url, _post(world, officer=officer.pk, department_ranking=1))
    assert response.status_code == 200
    assert "already has ranking 1" in response.context["form"].errors["department_ranking"][0]


def test_a_closed_call_takes_no_nomination(client, world):
    Call.objects.filter(pk=world["call"].pk).update(
        closes_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    client.force_login(world["nominator_x"].user)
    url = reverse("nominating:nomination_create", args=[world["call"].pk])
    assert client.get(url)["Location"] == reverse("nominating:call_detail", args=[world["call"].pk])
    page = client.get(reverse("nominating:call_detail", args=[world["call"].pk])).content.decode()
    assert "Only the Civil Service Bureau can reopen it" in page
    assert url not in page


def test_edit_a_nomination(client, world):
    client.force_login(world["nominator_x"].user)
    n = world["nomination"]
    url = reverse("nominating:nomination_update", args=[n.pk])
    data = _post(world, department_ranking=3, statement="Changed.")
    assert client.post(url, data).status_code == 302
    n.refresh_from_db()
    assert (n.department_ranking, n.statement) == (3, "Changed.")


def test_withdraw_a_nomination(client, world):
    client.force_login(world["nominator_x"].user)
    n = world["nomination"]
    url = reverse("nominating:nomination_withdraw", args=[n.pk])
    assert "Withdraw the nomination of" in client.get(url).content.decode()
    assert client.post(url)["Location"] == reverse("nominating:call_detail", args=[world["call"].pk])
    n.refresh_from_db()
    assert n.status == Nomination.Status.WITHDRAWN
    page = client.get(reverse("nominating:call_detail", args=[world["call"].pk]))
    assert page.context["withdrawn"] == [n]


def test_after_a_decision_the_nomination_is_read_only(client, world):
    n = world["nomination"]
    Nomination.objects.filter(pk=n.pk).update(
        status=Nomination.Status.DECLINED, decision_reason="Too junior."
    )
    client.force_login(world["nominator_x"].user)
    page = client.get(reverse("nominating:nomination_detail", args=[n.pk])).content.decode()
    assert "Too junior." in page
    assert reverse("nominating:nomination_update", args=[n.pk]) not in page
    edit = client.get(reverse("nominating:nomination_update", args=[n.pk]))
    assert edit["Location"] == reverse("nominating:nomination_detail", args=[n.pk])
    client.post(reverse("nominating:nomination_withdraw", args=[n.pk]))
    n.refresh_from_db()
    assert n.status == Nomination.Status.DECLINED


def test_call_list_query_count(client, world, django_assert_num_queries):
    for _i in range(3):
        call = CallFactory()
        CallInvitationFactory(call=call, department=world["x"])
        NominationFactory(call=call, officer=OfficerFactory(home_department=world["x"]))
    client.force_login(world["nominator_x"].user)
    url = reverse("nominating:call_list")
    # session, user with their profiles (officer, nominator, host coordinator: participants.backends,
    # issue 18), the nominator's departments, the paginator's count, the page of calls with batch,
    # programme and municipality, their invitations with department and nominations used; the
    # navigation's permissions (user, groups).
    with django_assert_num_queries(8):
        assert len(client.get(url).context["calls"]) == 5
    for _i in range(3):
        call = CallFactory()
        CallInvitationFactory(call=call, department=world["x"])
    # The same less the permissions and the user, cached after the first view (participants.backends): 5
    # for eight calls as for five.
    with django_assert_num_queries(5):
        assert len(client.get(url).context["calls"]) == 8


NOMINEE_LINK = re.compile(r'href="/nominations/[0-9]+/"')


def test_call_detail_query_count(client, world, django_assert_num_queries):
    focus = FocusAreaFactory()
    for ranking in (2, 3):
        NominationFactory(
            call=world["call"],
            officer=OfficerFactory(home_department=world["x"]),
            department_ranking=ranking,
            focus_areas=[focus],
        )
    client.force_login(world["nominator_x"].user)
    url = reverse("nominating:call_detail", args=[world["call"].pk])
    # session, user with their profiles (officer, nominator, host coordinator: participants.backends,
    # issue 18), the nominator's departments, the call with its batch, then for the page's content (not
    # cached yet): the invitations with used, the batch's focus areas, nominations (+ focus areas), the
    # eligible grades and ranks; the navigation's permissions (user, groups).
    with django_assert_num_queries(12):
        assert len(NOMINEE_LINK.findall(client.get(url).content.decode())) == 3
    NominationFactory(
        call=world["call"], officer=OfficerFactory(home_department=world["x"]), department_ranking=4
    )
    # The same less the permissions, cached after the first view (participants.backends): 10 for four
    # nominations as for three (the new nomination bumped the figures version: the content is read again).
    with django_assert_num_queries(10):
        assert len(NOMINEE_LINK.findall(client.get(url).content.decode())) == 4
    # The content cached (nominating.views.call_detail_view): session, user, departments, the call.
    # ... and the user with their profiles, cached since the first request (participants.backends)
    with django_assert_num_queries(3):
        assert len(NOMINEE_LINK.findall(client.get(url).content.decode())) == 4


def test_navigation_and_home_for_a_nominator(client, world):
    client.force_login(world["nominator_x"].user)
    assert client.get(reverse("home"))["Location"] == reverse("nominating:call_list")
    page = client.get(reverse("nominating:call_list")).content.decode()
    assert f'href="{reverse("nominating:call_list")}">Nominations</a>' in page


def test_no_nominations_navigation_for_others(client, world):
    client.force_login(CsbStaffFactory())
    assert reverse("nominating:call_list") not in client.get(reverse("calendar:settings")).content.decode()


def test_empty_state(client):
    client.force_login(NominatingOfficerFactory(departments=[DepartmentFactory()]).user)
    page = client.get(reverse("nominating:call_list")).content.decode()
    assert "No call for nominations invites your department yet." in page


def test_a_full_quota_sends_the_nominator_back_to_the_call(client, world):
    CallInvitationFactory._meta.model.objects.filter(call=world["call"], department=world["x"]).update(
        quota=1
    )
    client.force_login(world["nominator_x"].user)
    response = client.get(reverse("nominating:nomination_create", args=[world["call"].pk]))
    assert response["Location"] == reverse("nominating:call_detail", args=[world["call"].pk])
