import pytest
from django.contrib.auth.models import Group

from core.roles import COORDINATOR, CSB_STAFF, PARTICIPANT
from participants.models import Department, Grade, Rank
from placements.models import FocusArea, HostArea, Municipality, Programme

pytestmark = pytest.mark.django_db

GBA_CITIES = {
    "Guangzhou",
    "Shenzhen",
    "Zhuhai",
    "Foshan",
    "Huizhou",
    "Dongguan",
    "Zhongshan",
    "Jiangmen",
    "Zhaoqing",
}


def test_the_nine_mainland_gba_municipalities_and_the_two_sars():
    assert (
        set(
            Municipality.objects.filter(region=Municipality.Region.GBA_MAINLAND).values_list(
                "name_en", flat=True
            )
        )
        == GBA_CITIES
    )
    assert set(Municipality.objects.filter(region="sar").values_list("name_en", flat=True)) == {
        "Hong Kong",
        "Macao",
    }
    assert Municipality.objects.filter(name_en__in=["Beijing", "Shanghai", "Hangzhou"]).count() == 3


def test_shenzhen_has_its_nine_districts_dapeng_and_qianhai():
    areas = HostArea.objects.filter(municipality__name_en="Shenzhen")
    assert areas.filter(kind=HostArea.Kind.DISTRICT).count() == 9
    assert areas.get(name_en="Dapeng New Area").kind == HostArea.Kind.FUNCTIONAL_AREA
    assert areas.get(name_zh="前海").full_name_zh == "前海深港現代服務業合作區"


def test_departments_of_the_first_batch_with_chinese_names():
    expected = {
        "CSB": "公務員事務局",
        "EPD": "環境保護署",
        "HyD": "路政署",
        "ITC": "創新科技署",
        "PlanD": "規劃署",
        "TD": "運輸署",
    }
    for abbreviation, name_zh in expected.items():
        assert Department.objects.get(abbreviation=abbreviation).name_zh == name_zh
    assert not Department.objects.filter(abbreviation="OGCIO").exists()  # a former name, not a current one
    assert Department.objects.get(name_en="Digital Policy Office").abbreviation == "DPO"


def test_grades_and_ranks():
    assert Grade.objects.get(abbreviation="AO").kind == Grade.Kind.GENERAL
    assert Grade.objects.get(name_en="Town Planner").department.abbreviation == "PlanD"
    senior_engineer = Rank.objects.get(name_en="Senior Engineer")
    assert senior_engineer.grade.name_en == "Engineer"
    assert (
        senior_engineer.seniority > Rank.objects.get(name_en="Engineer", grade__name_en="Engineer").seniority
    )


def test_focus_areas_and_programmes():
    assert FocusArea.objects.count() == 5
    gba = Programme.objects.get(short_name="GBA")
    agreement = gba.agreements.get()
    assert (agreement.signed_on.isoformat(), agreement.signed_at) == ("2023-09-12", "Guangzhou")
    assert len(agreement.party_list) == 2
    assert Programme.objects.get(short_name="CSSEP").started_on.year == 2002


def test_roles_exist_with_their_permissions():
    csb = Group.objects.get(name=CSB_STAFF)
    coordinator = Group.objects.get(name=COORDINATOR)
    assert csb.permissions.filter(codename="change_placement").exists()
    assert set(coordinator.permissions.values_list("codename", flat=True)) == {
        "view_batch",
        "export_roster",
        "view_placement",
        "view_officer",
        # The participant portal: their batches' checklists, progress and reports.
        "add_checklistitem",
        "change_checklistitem",
        "delete_checklistitem",
        "view_checklistitem",
        "view_checklistcompletion",
        "view_exchangereport",
        # Documents: their batches' requirements, and the review of what is handed in.
        "add_documentrequirement",
        "change_documentrequirement",
        "delete_documentrequirement",
        "view_documentrequirement",
        "view_document",
        "change_document",
    }
    assert not Group.objects.get(name=PARTICIPANT).permissions.exists()


def test_nansha_is_a_district_of_guangzhou_and_an_area_of_the_cooperation_zones(db):
    """Issue 14: its host is the Nansha District People's Government, and it is the Nansha area of the
    Guangdong-Hong Kong-Macao cooperation zones; labelled as both, not as a zone alone."""
    nansha = HostArea.objects.get(municipality__name_en="Guangzhou", name_en="Nansha")
    assert nansha.kind == HostArea.Kind.DISTRICT_AND_ZONE
    assert nansha.get_kind_display() == "District, also a cooperation zone"
    assert nansha.full_name_en.startswith("Nansha District, Guangzhou")
    assert "南沙區" in nansha.full_name_zh and "合作" in nansha.full_name_zh
    assert str(nansha) == "Nansha 南沙 (District, also a cooperation zone)"
    # Qianhai and Hengqin are zones, not districts.
    zones = HostArea.objects.filter(kind=HostArea.Kind.COOPERATION_ZONE).values_list("name_en", flat=True)
    assert set(zones) == {"Qianhai", "Hengqin"}


@pytest.mark.parametrize("language", ["en", "zh-hant", "zh-hans"])
def test_a_host_areas_name_shows_its_kind_as_get_kind_display_does(language):
    from django.utils import translation

    for kind in [*HostArea.Kind.values, "unknown"]:
        area = HostArea(name_en="Nansha", name_zh="南沙", kind=kind)
        with translation.override(language):
            assert str(area) == f"Nansha 南沙 ({area.get_kind_display()})"
