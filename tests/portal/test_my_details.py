"""My details: the participant edits only their mobile, emergency contact and dietary or access needs."""

import pytest
from django.urls import reverse

from participants.models import Officer
from participants.services import officer_update_details
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer_client(client, officer_with_login):
    client.force_login(officer_with_login.user)
    return client


DETAILS = {
    "mobile_phone": "+852 9123 4567",
    "emergency_contact_name": "CHAN Mei-ling",
    "emergency_contact_relationship": "Spouse",
    "emergency_contact_phone": "+86 138 0013 8000",
    "dietary_access_needs": "Vegetarian",
    "preferred_language": "zh-hant",
    "email_reminders": False,  # turns the checklist reminders off (on by default)
}


def test_participant_saves_their_details_and_sees_the_change_recorded(officer_client, officer_with_login):
    response = officer_client.post(reverse("portal:my_details"), DETAILS)
    assert response.status_code == 302
    officer = Officer.objects.get(pk=officer_with_login.pk)
    assert {field: getattr(officer, field) for field in DETAILS} == DETAILS
    record = officer.history.latest()
    assert record.history_user == officer_with_login.user
    content = officer_client.get(reverse("portal:my_details")).content.decode()
    assert "by you" in content
    assert "Mobile phone: — → +852 9123 4567" in content


@pytest.mark.parametrize("phone", ["12345", "+1 415 555 0100", "abc"])
def test_a_phone_number_that_is_not_hong_kong_or_mainland_is_refused_on_its_field(officer_client, phone):
    response = officer_client.post(reverse("portal:my_details"), {**DETAILS, "mobile_phone": phone})
    assert response.status_code == 200
    assert "mobile_phone" in response.context["form"].errors
    assert 'aria-invalid="true"' in response.content.decode() or "is-invalid" in response.content.decode()
    assert Officer.objects.get().mobile_phone == ""


def test_fields_that_are_not_the_participants_to_edit_are_ignored(officer_client, officer_with_login):
    before = Officer.objects.filter(pk=officer_with_login.pk).values().get()
    tampered = {
        **DETAILS,
        "name_en": "Hacked",
        "email": "hacker@example.com",
        "notes": "promote me",
        "user": UserFactory().pk,
        "home_side": "mainland",
        "rank": "",
    }
    officer_client.post(reverse("portal:my_details"), tampered)
    after = Officer.objects.filter(pk=officer_with_login.pk).values().get()
    changed = {key for key in after if after[key] != before[key]}
    assert changed == set(DETAILS) | {"updated_at"}


def test_changes_to_staff_only_fields_are_not_shown_to_the_participant(officer_client, officer_with_login):
    officer_with_login.notes = "Confidential staff note"
    officer_with_login.save()
    content = officer_client.get(reverse("portal:my_details")).content.decode()
    assert "Confidential" not in content
    assert "No changes yet." in content


def test_officer_update_details_takes_only_the_details_fields():
    from tests.factories import OfficerFactory

    officer = OfficerFactory(name_en="CHAN Tai-man")
    actor = UserFactory()
    officer_update_details(officer=officer, data={"mobile_phone": " 9123 4567 ", "name_en": "X"}, actor=actor)
    officer.refresh_from_db()
    assert (officer.mobile_phone, officer.name_en) == ("9123 4567", "CHAN Tai-man")
    assert officer.history.latest().history_user == actor


def test_my_details_query_count(officer_client, django_assert_num_queries):
    for n in range(3):
        officer_client.post(reverse("portal:my_details"), {**DETAILS, "dietary_access_needs": f"v{n}"})
    # session, user with the navigation's officer (a query of its own before issue 18: 7), its recent
    # history with authors, permissions (user, groups; cached after this first view). The page's officer
    # is the one read with the user (portal.views._own_officer; a query of its own before: 6).
    with django_assert_num_queries(5):
        assert officer_client.get(reverse("portal:my_details")).status_code == 200
