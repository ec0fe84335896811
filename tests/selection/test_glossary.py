"""The status glossary: an entry for every status, in three languages; the badge tag and /statuses/."""

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from placements.models import Placement
from selection.glossary import GLOSSARY
from selection.models import Nomination
from tests.factories import (
    CoordinatorUserFactory,
    CsbStaffFactory,
    HostCoordinatorFactory,
    NominatingOfficerFactory,
    OfficerFactory,
    ParticipantUserFactory,
)

KINDS = {"nomination": Nomination.Status, "consent": Nomination.Consent, "placement": Placement.Status}


@pytest.mark.parametrize("kind", KINDS)
def test_every_status_has_a_label_and_an_explanation(kind):
    assert set(GLOSSARY[kind]) == set(KINDS[kind].values)
    for label, explanation in GLOSSARY[kind].values():
        assert str(label) and str(explanation).endswith(".")


@pytest.mark.parametrize("language", ["zh-hant", "zh-hans"])
def test_every_explanation_is_translated(language):
    for entries in GLOSSARY.values():
        for _label, explanation in entries.values():
            english = str(explanation)
            with translation.override(language):
                assert str(explanation) != english, english


def test_traditional_and_simplified_differ():
    _label, explanation = GLOSSARY["consent"][Nomination.Consent.PENDING]
    with translation.override("zh-hant"):
        traditional = str(explanation)
    with translation.override("zh-hans"):
        simplified = str(explanation)
    assert traditional != simplified


def _badge(value, kind):
    return Template("{% load selection_status %}{% status_badge value kind %}").render(
        Context({"value": value, "kind": kind})
    )


def test_the_badge_explains_itself_and_links_to_the_glossary():
    html = _badge("shortlisted", "nomination")
    assert 'href="/statuses/#nomination-shortlisted"' in html
    assert ">Shortlisted<" in html
    assert 'title="CSB is considering the officer' in html
    assert '<span class="visually-hidden">: CSB is considering' in html


def test_the_badge_of_in_progress_uses_a_dashed_anchor():
    assert 'href="/statuses/#placement-in-progress"' in _badge("in_progress", "placement")


def test_the_badge_reads_in_the_active_language():
    with translation.override("zh-hant"):
        html = _badge("declined", "nomination")
    assert "未獲選" in html


def test_the_badge_of_an_unknown_value_shows_the_value():
    assert ">mystery<" in _badge("mystery", "nomination")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "make_user",
    [
        lambda: OfficerFactory(user=ParticipantUserFactory()).user,
        CoordinatorUserFactory,
        CsbStaffFactory,
        lambda: NominatingOfficerFactory().user,
        lambda: HostCoordinatorFactory().user,
    ],
    ids=["participant", "coordinator", "csb", "nominator", "host"],
)
def test_the_glossary_page_is_for_every_role(client, make_user, django_assert_max_num_queries):
    client.force_login(make_user())
    # The session, the user and the navigation's role checks; the glossary itself is in code.
    with django_assert_max_num_queries(6):
        response = client.get(reverse("statuses"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="nomination-declined"' in html and 'id="placement-in-progress"' in html
    assert 'id="consent-pending"' in html


@pytest.mark.django_db
def test_the_glossary_page_asks_anonymous_visitors_to_sign_in(client):
    response = client.get(reverse("statuses"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hant", "zh-hans"])
def test_the_glossary_page_in_chinese(client, language):
    client.force_login(CsbStaffFactory())
    html = client.get(reverse("statuses"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert ("已獲選" if language == "zh-hant" else "已获选") in html
