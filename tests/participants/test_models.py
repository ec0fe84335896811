import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from participants.models import Department, Grade, Officer
from participants.validators import validate_phone
from tests.factories import DepartmentFactory, DepartmentFormerNameFactory, GradeFactory, OfficerFactory

pytestmark = pytest.mark.django_db


def test_department_name_on_a_day_before_the_rename_is_the_former_name():
    department = DepartmentFactory(name_en="Digital Office", abbreviation="DO")
    DepartmentFormerNameFactory(
        department=department,
        name_en="Old IT Office",
        abbreviation="OITO",
        renamed_on=datetime.date(2024, 7, 25),
    )

    assert department.name_on(datetime.date(2024, 7, 24)).abbreviation == "OITO"
    assert department.name_on(datetime.date(2024, 7, 25)).abbreviation == "DO"
    assert department.name_on(None).name_en == "Digital Office"


def test_department_name_on_picks_the_name_in_force_among_several_renames():
    department = DepartmentFactory(abbreviation="NOW")
    DepartmentFormerNameFactory(
        department=department, abbreviation="FIRST", renamed_on=datetime.date(2010, 1, 1)
    )
    DepartmentFormerNameFactory(
        department=department, abbreviation="SECOND", renamed_on=datetime.date(2020, 1, 1)
    )

    assert department.name_on(datetime.date(2005, 6, 1)).abbreviation == "FIRST"
    assert department.name_on(datetime.date(2015, 6, 1)).abbreviation == "SECOND"
    assert department.name_on(datetime.date(2021, 6, 1)).abbreviation == "NOW"


def test_ogcio_became_the_digital_policy_office_on_25_july_2024():
    dpo = Department.objects.get(abbreviation="DPO")

    assert (
        dpo.name_on(datetime.date(2023, 12, 18)).name_en
        == "Office of the Government Chief Information Officer"
    )
    assert dpo.name_on(datetime.date(2023, 12, 18)).name_zh == "政府資訊科技總監辦公室"
    assert dpo.name_on(datetime.date(2024, 7, 25)).name_en == "Digital Policy Office"


def test_department_names_are_unique():
    DepartmentFactory(name_en="Same Name")
    with pytest.raises(IntegrityError):
        DepartmentFactory(name_en="Same Name")


def test_departmental_grade_needs_its_department():
    grade = GradeFactory.build(kind=Grade.Kind.DEPARTMENTAL, department=None)
    with pytest.raises(ValidationError) as error:
        grade.full_clean()
    assert "department" in error.value.message_dict


def test_general_grade_names_no_department():
    grade = GradeFactory.build(kind=Grade.Kind.GENERAL, department=DepartmentFactory())
    with pytest.raises(ValidationError) as error:
        grade.full_clean()
    assert error.value.message_dict["department"] == ["Only departmental grades belong to one department."]


def test_database_refuses_a_departmental_grade_without_department():
    with pytest.raises(IntegrityError):
        GradeFactory(kind=Grade.Kind.DEPARTMENTAL, department=None)


def test_hong_kong_officer_needs_a_home_department():
    officer = OfficerFactory.build(home_department=None)
    with pytest.raises(ValidationError) as error:
        officer.full_clean()
    assert error.value.message_dict["home_department"] == [
        "A Hong Kong officer needs a home bureau or department."
    ]


def test_mainland_officer_needs_the_body_they_come_from():
    officer = OfficerFactory.build(mainland=True, mainland_body_en="")
    with pytest.raises(ValidationError) as error:
        officer.full_clean()
    assert "mainland_body_en" in error.value.message_dict


def test_mainland_officer_has_no_hong_kong_department():
    officer = OfficerFactory.build(mainland=True, home_department=DepartmentFactory())
    with pytest.raises(ValidationError) as error:
        officer.full_clean()
    assert "home_department" in error.value.message_dict


def test_officer_grade_follows_from_the_rank():
    officer = OfficerFactory()
    assert officer.grade == officer.rank.grade
    assert Officer(rank=None).grade is None


def test_officer_email_is_unique_whatever_the_case():
    OfficerFactory(email="same@test.gov.hk")
    with pytest.raises(IntegrityError):
        OfficerFactory(email="SAME@test.gov.hk")


@pytest.mark.parametrize(
    "number",
    [
        "+852 2810 2000",
        "28102000",
        "9123 4567",
        "(852) 6123-4567",
        "+86 138 0013 8000",
        "13800138000",
        "0755-88888888",
    ],
)
def test_phone_numbers_of_hong_kong_and_the_mainland_are_accepted(number):
    validate_phone(number)


@pytest.mark.parametrize("number", ["12345", "1234 5678", "+1 415 555 0100", "phone me", "+852 123456789"])
def test_other_phone_numbers_are_refused_with_the_value_in_the_message(number):
    with pytest.raises(ValidationError) as error:
        validate_phone(number)
    assert number in error.value.messages[0]
