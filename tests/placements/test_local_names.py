"""The participant portal and the batch pages show reference and people's names in the reader's language:
English names in English, the Chinese name in Traditional or (converted) Simplified script."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from tests.factories import (
    BatchFactory,
    DepartmentFormerNameFactory,
    FocusAreaFactory,
    HostOrganisationFactory,
    MunicipalityFactory,
    OfficerFactory,
    PlacementFactory,
)


@pytest.fixture
def placement(officer_with_login, coordinator_user):
    city = MunicipalityFactory(name_en="Test City", name_zh="測試市")
    batch = BatchFactory(host_municipality=city, coordinators=[coordinator_user])
    host = HostOrganisationFactory(municipality=city, name_en="Test Ecology Bureau", name_zh="測試生態環境局")
    return PlacementFactory(
        officer=officer_with_login,
        batch=batch,
        host_organisation=host,
        focus_areas=[FocusAreaFactory(name_en="Test planning", name_zh="測試規劃")],
    )


@pytest.mark.parametrize(
    ("language", "expected", "absent"),
    [
        ("en", ["Test City", "Test Ecology Bureau", "Test planning"], ["測試市"]),
        ("zh-hant", ["測試市", "測試生態環境局", "測試規劃"], ["Test Ecology Bureau"]),
        ("zh-hans", ["测试市", "测试生态环境局", "测试规划"], ["測試生態環境局", "Test Ecology Bureau"]),
    ],
)
def test_my_placement_shows_names_in_the_readers_language(
    client, settings, placement, language, expected, absent
):
    client.force_login(placement.officer.user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get(reverse("portal:my_placement")).content.decode()
    for text in expected:
        assert text in page, text
    for text in absent:
        assert text not in page, text


@pytest.mark.parametrize(
    ("language", "department", "person"),
    [
        ("en", "Test Department", "陳測試"),
        ("zh-hant", "測試部門", "陳測試"),
        ("zh-hans", "测试部门", "陈测试"),
    ],
)
def test_the_batch_page_shows_names_in_the_readers_language(
    coordinator_client, settings, placement, language, department, person
):
    coordinator_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = coordinator_client.get(
        reverse("coordination:batch_detail", args=[placement.batch.pk])
    ).content.decode()
    assert department in page and person in page
    if language == "zh-hans":
        assert "測試部門" not in page and "陳測試" not in page


def test_a_department_name_in_force_reads_in_each_language(db):
    former = DepartmentFormerNameFactory(
        name_en="Office of the GCIO", name_zh="政府資訊科技總監辦公室", abbreviation="OGCIO"
    )
    name = former.department.name_on(former.renamed_on - datetime.timedelta(days=1))
    with translation.override("en"):
        assert str(name) == "Office of the GCIO (OGCIO)"
    with translation.override("zh-hant"):
        assert str(name) == "政府資訊科技總監辦公室"
    with translation.override("zh-hans"):
        assert str(name) == "政府资讯科技总监办公室"
    # Equality does not depend on the language it is compared in.
    assert name == former.department.name_on(former.renamed_on - datetime.timedelta(days=2))


def test_a_persons_names_read_in_the_readers_script(db):
    from core.names import person_name

    officer = OfficerFactory(name_en="CHAN Tai-man", name_zh="陳大文")
    assert person_name(officer, "en") == "CHAN Tai-man 陳大文"
    assert person_name(officer, "zh-hant") == "CHAN Tai-man 陳大文"
    assert person_name(officer, "zh-hans") == "CHAN Tai-man 陈大文"
    assert person_name(OfficerFactory(name_en="LEE Ka-yan", name_zh=""), "zh-hans") == "LEE Ka-yan"
