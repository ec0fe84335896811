"""The admin's officer list: the columns and filters it shows, from only the columns they name, in a fixed
number of queries whatever the rows; the filters' options cached, and fresh after any change to them."""

import pytest
from django.urls import reverse

from tests.factories import OfficerFactory, ParticipantUserFactory

pytestmark = pytest.mark.django_db

URL = reverse("admin:participants_officer_changelist")


def test_the_list_shows_every_column_in_a_fixed_number_of_queries(csb_client, django_assert_num_queries):
    officer = OfficerFactory(user=ParticipantUserFactory(username="officer-list-user"))
    OfficerFactory.create_batch(2, mainland=True)
    csb_client.get(URL)  # the user and the filters' options are cached from here
    # session; the count; the page of rows with their department, rank, grade and user joined
    with django_assert_num_queries(3) as queries:
        page = csb_client.get(URL).content.decode()
    # Not the columns the list does not show: the officer's emergency contact, the user's password.
    rows = queries.captured_queries[-1]["sql"]
    assert "emergency_contact_phone" not in rows and "password" not in rows
    department, rank = officer.home_department, officer.rank
    for shown in (officer.name_en, officer.name_zh, officer.email, "officer-list-user"):
        assert shown in page
    assert f"{department.name_en} ({department.abbreviation})" in page  # the column and the filter
    assert rank.name_en in page and rank.grade.name_en in page
    OfficerFactory.create_batch(6)
    csb_client.get(URL)
    with django_assert_num_queries(3):
        csb_client.get(URL)


def test_the_list_in_chinese(csb_client):
    officer = OfficerFactory()
    csb_client.cookies["django_language"] = "zh-hant"
    page = csb_client.get(URL).content.decode()
    assert 'lang="zh-hant"' in page and officer.name_zh in page
    department = officer.home_department
    assert page.count(f"{department.name_en} ({department.abbreviation})") >= 2  # the row and the sidebar


def test_the_filters_are_fresh_after_a_department_or_grade_changes(csb_client):
    officer = OfficerFactory()
    department, grade = officer.home_department, officer.rank.grade
    grade_link = f"?rank__grade__id__exact={grade.pk}"
    assert f"{department.name_en} ({department.abbreviation})" in csb_client.get(URL).content.decode()
    department.name_en = "Renamed Test Department"
    department.save()
    grade.name_en = "Renamed Test Grade"
    grade.save()
    page = csb_client.get(URL).content.decode()
    assert f"Renamed Test Department ({department.abbreviation})" in page
    assert grade_link in page and "Renamed Test Grade" in page
    officer.delete()
    officer.rank.delete()
    grade.delete()
    assert grade_link not in csb_client.get(URL).content.decode()
