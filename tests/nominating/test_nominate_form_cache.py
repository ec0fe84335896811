"""The nominate form's empty fields (nominating.views.nomination_create_view) are rendered once per call,
departments, language and day under the figures version: a nominator of another department never gets
another's officers, a new or renamed officer shows on the next view, and a form with errors is never kept."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import (
    CallFactory,
    CallInvitationFactory,
    DepartmentFactory,
    NominatingOfficerFactory,
    OfficerFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    x, y = DepartmentFactory(abbreviation="XD"), DepartmentFactory(abbreviation="YD")
    call = CallFactory()
    CallInvitationFactory(call=call, department=x, quota=3)
    CallInvitationFactory(call=call, department=y, quota=3)
    return {
        "call": call,
        "x_officer": OfficerFactory(home_department=x, name_en="CHAN Ex-one"),
        "y_officer": OfficerFactory(home_department=y, name_en="WONG Why-one"),
        "x": x,
        "nominator_x": NominatingOfficerFactory(departments=[x]).user,
        "nominator_y": NominatingOfficerFactory(departments=[y]).user,
    }


def _page(user, call, language=None):
    client = Client()
    client.force_login(user)
    if language:
        client.cookies["django_language"] = language
    response = client.get(reverse("nominating:nomination_create", args=[call.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_each_department_gets_its_own_officers(world):
    x_page = _page(world["nominator_x"], world["call"])
    assert "CHAN Ex-one" in x_page and "WONG Why-one" not in x_page
    y_page = _page(world["nominator_y"], world["call"])
    assert "WONG Why-one" in y_page and "CHAN Ex-one" not in y_page
    assert "CHAN Ex-one" in _page(world["nominator_x"], world["call"])


def test_a_new_or_renamed_officer_is_seen_next(world):
    assert "CHAN Ex-two" not in _page(world["nominator_x"], world["call"])
    OfficerFactory(home_department=world["x"], name_en="CHAN Ex-two")
    assert "CHAN Ex-two" in _page(world["nominator_x"], world["call"])
    officer = world["x_officer"]
    officer.name_en = "CHAN Ex-renamed"
    officer.save()
    page = _page(world["nominator_x"], world["call"])
    assert "CHAN Ex-renamed" in page and "CHAN Ex-one" not in page


def test_each_language_has_its_own(world):
    english = _page(world["nominator_x"], world["call"])
    assert "Nominating department" in english
    assert "Nominating department" not in _page(world["nominator_x"], world["call"], "zh-hant")


def test_a_form_with_errors_is_shown_and_not_kept(world):
    client = Client()
    client.force_login(world["nominator_x"])
    url = reverse("nominating:nomination_create", args=[world["call"].pk])
    client.get(url)
    response = client.post(url, {"department": world["x"].pk})
    assert response.status_code == 200
    assert "Choose an officer, or add a new one below." in response.content.decode()
    assert "Choose an officer, or add a new one below." not in _page(world["nominator_x"], world["call"])
