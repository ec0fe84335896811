import pytest
from django.core.exceptions import ValidationError

from participants.models import Officer
from participants.services import officer_create, officer_save
from tests.factories import DepartmentFactory, OfficerFactory, RankFactory

pytestmark = pytest.mark.django_db


def test_officer_create_stores_the_email_lower_case():
    officer = officer_create(
        name_en="CHAN Tai-man",
        email="  TM.Chan@CSB.gov.hk ",
        home_department=DepartmentFactory(),
        rank=RankFactory(),
    )
    assert Officer.objects.get(pk=officer.pk).email == "tm.chan@csb.gov.hk"


def test_officer_create_refuses_a_duplicate_email_whatever_the_case():
    OfficerFactory(email="tm.chan@csb.gov.hk")
    with pytest.raises(ValidationError):
        officer_create(name_en="Another", email="TM.CHAN@csb.gov.hk", home_department=DepartmentFactory())
    assert Officer.objects.filter(name_en="Another").count() == 0


def test_officer_save_refuses_a_bad_phone_number_and_writes_nothing():
    officer = OfficerFactory()
    officer.phone = "12345"
    with pytest.raises(ValidationError) as error:
        officer_save(officer=officer)
    assert "phone" in error.value.message_dict
    assert Officer.objects.get(pk=officer.pk).phone == "+852 2810 2000"
