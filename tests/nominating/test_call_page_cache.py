"""The nominator's call page (nominating.views.call_detail_view) is rendered once per reader, departments,
call, language and day under the figures version: a nominator never gets another department's quota or
nominees, another department's call is still not found, and every write to what the page shows (a
nomination made, changed, withdrawn or decided, a consent, a quota, the call, its eligibility, an officer's
name) is seen on the next view."""

import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from selection.models import Nomination
from selection.services.calls import call_save
from selection.services.decisions import nomination_decline
from selection.services.nominations import nomination_consent, nomination_update, nomination_withdraw
from tests.factories import (
    CallFactory,
    CallInvitationFactory,
    CsbStaffFactory,
    DepartmentFactory,
    FocusAreaFactory,
    GradeFactory,
    NominatingOfficerFactory,
    NominationFactory,
    OfficerFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    x, y = DepartmentFactory(abbreviation="XD"), DepartmentFactory(abbreviation="YD")
    call = CallFactory()
    CallInvitationFactory(call=call, department=x, quota=3)
    CallInvitationFactory(call=call, department=y, quota=2)
    only_y = CallFactory()
    CallInvitationFactory(call=only_y, department=y)
    x_nominee = OfficerFactory(home_department=x, name_en="CHAN Ex-one")
    y_nominee = OfficerFactory(home_department=y, name_en="WONG Why-one")
    nominator_x = NominatingOfficerFactory(departments=[x])
    return {
        "x": x,
        "y": y,
        "call": call,
        "only_y": only_y,
        "x_nomination": NominationFactory(call=call, officer=x_nominee, department=x, department_ranking=1),
        "y_nomination": NominationFactory(call=call, officer=y_nominee, department=y, department_ranking=1),
        "nominator_x": nominator_x.user,
        "nominator_x2": NominatingOfficerFactory(departments=[x]).user,
        "nominator_y": NominatingOfficerFactory(departments=[y]).user,
    }


def _client(user, language=None):
    client = Client()
    client.force_login(user)
    if language:
        client.cookies["django_language"] = language
    return client


def _page(user, call, language=None):
    response = _client(user, language).get(reverse("nominating:call_detail", args=[call.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_each_reader_gets_their_departments_quota_and_nominees(world):
    call = world["call"]
    x_page = _page(world["nominator_x"], call)  # cached from here on
    assert "CHAN Ex-one" in x_page and "WONG Why-one" not in x_page
    y_page = _page(world["nominator_y"], call)
    assert "WONG Why-one" in y_page and "CHAN Ex-one" not in y_page
    assert world["y"].name_en in y_page and world["x"].name_en not in y_page
    # Another nominator of the same department has their own entry, with the same content.
    x2_page = _page(world["nominator_x2"], call)
    assert "CHAN Ex-one" in x2_page and "WONG Why-one" not in x2_page
    assert "CHAN Ex-one" in _page(world["nominator_x"], call)
    # A call not inviting the reader's department is still not found, cached or not.
    only_y = world["only_y"]
    _page(world["nominator_y"], only_y)
    url = reverse("nominating:call_detail", args=[only_y.pk])
    assert _client(world["nominator_x"]).get(url).status_code == 404
    # A reader who is not a nominating officer gets no page.
    assert (
        _client(CsbStaffFactory()).get(reverse("nominating:call_detail", args=[call.pk])).status_code == 403
    )


def test_a_department_added_to_the_reader_shows_its_nominees(world):
    call = world["call"]
    assert "WONG Why-one" not in _page(world["nominator_x"], call)
    world["nominator_x"].nominating_officer.departments.add(world["y"])
    assert "WONG Why-one" in _page(world["nominator_x"], call)


def test_every_write_to_the_nominations_is_seen_next(world):
    call, user = world["call"], world["nominator_x"]
    nomination = world["x_nomination"]
    _page(user, call)
    # A new nomination.
    NominationFactory(
        call=call,
        officer=OfficerFactory(home_department=world["x"], name_en="CHAN Ex-two"),
        department_ranking=2,
    )
    assert "CHAN Ex-two" in _page(user, call)
    # Its focus areas changed, then its ranking.
    area = FocusAreaFactory(name_en="Test harbour planning")
    call.batch.focus_areas.add(area)
    nomination_update(nomination=nomination, actor=user, focus_areas=[area], department_ranking=3)
    page = _page(user, call)
    assert "Test harbour planning" in page.split('id="nominees-heading"')[1]
    # The officer's consent (its badge links to its glossary entry).
    assert "#consent-pending" in page
    nomination_consent(nomination=nomination, officer=nomination.officer, given=True)
    assert "#consent-given" in _page(user, call)
    # CSB's decision.
    nomination.refresh_from_db()
    nomination_decline(nomination=nomination, actor=CsbStaffFactory(), reason="Too junior.")
    assert "#nomination-declined" in _page(user, call)


def test_a_withdrawal_frees_the_quota_on_the_next_view(world):
    call, user = world["call"], world["nominator_x"]
    for ranking in (2, 3):
        NominationFactory(
            call=call, officer=OfficerFactory(home_department=world["x"]), department_ranking=ranking
        )
    page = _page(user, call)
    assert reverse("nominating:nomination_create", args=[call.pk]) not in page  # the quota (3) is used
    nomination_withdraw(nomination=world["x_nomination"], actor=user)
    page = _page(user, call)
    assert reverse("nominating:nomination_create", args=[call.pk]) in page
    assert "1 withdrawn nomination" in page
    assert Nomination.objects.get(pk=world["x_nomination"].pk).status == Nomination.Status.WITHDRAWN


def test_the_call_its_quotas_and_its_eligibility_are_seen_next(world):
    call, user = world["call"], world["nominator_x"]
    assert "Test notes changed" not in _page(user, call)
    call.notes_en = "Test notes changed"
    call.save()
    assert "Test notes changed" in _page(user, call)
    grade = GradeFactory(name_en="Test eligible grade")
    z = DepartmentFactory(abbreviation="ZD")
    call_save(call=call, eligible_grades=[grade], invitations=[(world["x"], 5), (world["y"], 2), (z, 1)])
    page = _page(user, call)
    assert "Test eligible grade" in page
    assert '<td data-label="Quota" class="text-end">5</td>' in page
    # An invitation dropped (a queryset delete): Z's nominator no longer finds the call.
    z_user = NominatingOfficerFactory(departments=[z]).user
    assert z.name_en in _page(z_user, call)
    call_save(call=call, invitations=[(world["x"], 4), (world["y"], 2)])
    assert _client(z_user).get(reverse("nominating:call_detail", args=[call.pk])).status_code == 404
    assert '<td data-label="Quota" class="text-end">4</td>' in _page(user, call)


def test_an_officer_renamed_and_the_day_and_language(world):
    call, user = world["call"], world["nominator_x"]
    officer = world["x_nomination"].officer
    _page(user, call)
    officer.name_en = "CHAN Ex-renamed"
    officer.save()
    assert "CHAN Ex-renamed" in _page(user, call)
    english = _page(user, call)
    chinese = _page(user, call, "zh-hant")
    assert chinese != english and 'lang="zh-hant"' in chinese
    assert "Your nominees" in english and "Your nominees" not in chinese
    # The day is in the key: a call closing today shows as closed tomorrow, with no write between.
    call.closes_on = timezone.localdate()
    call.save()
    assert "Open for nominations" in _page(user, call)
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    with time_machine.travel(tomorrow, tick=False):
        assert "Closed for nominations" in _page(user, call)


def test_many_to_many_changes_alone_are_seen_next(world):
    # Without a save of the call or the nomination: the many-to-many fields' own signal.
    from tests.factories import RankFactory

    call, user = world["call"], world["nominator_x"]
    # Made first: saving a rank, a grade or a focus area bumps the version itself.
    rank = RankFactory(name_en="Test eligible rank")
    grade = GradeFactory(name_en="Test eligible grade")
    area = FocusAreaFactory(name_en="Test river works")
    _page(user, call)
    call.eligible_ranks.add(rank)
    assert "Test eligible rank" in _page(user, call)
    call.eligible_grades.add(grade)
    assert "Test eligible grade" in _page(user, call)
    world["x_nomination"].focus_areas.add(area)
    assert "Test river works" in _page(user, call).split('id="nominees-heading"')[1]
