import pytest
from django.template import Context, Template
from django.utils import translation

from core.names import local_name, local_text, to_simplified
from participants.models import Department
from tests.factories import DepartmentFormerNameFactory, OfficerFactory


def test_traditional_names_read_in_simplified_script():
    assert to_simplified("環境保護署") == "环境保护署"
    assert to_simplified("政府資訊科技總監辦公室") == "政府资讯科技总监办公室"
    assert to_simplified("深圳市前海深港現代服務業合作區管理局") == "深圳市前海深港现代服务业合作区管理局"
    assert to_simplified("") == ""


def test_conversions_are_cached():
    to_simplified.cache_clear()
    to_simplified("規劃署")
    to_simplified("規劃署")
    assert to_simplified.cache_info().hits == 1


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "Environmental Protection Department"), ("zh-hant", "環境保護署"), ("zh-hans", "环境保护署")],
)
def test_a_department_reads_in_each_language(db, language, expected):
    epd = Department.objects.get(abbreviation="EPD")
    assert local_name(epd, language=language) == expected
    with translation.override(language):
        assert local_name(epd) == expected
        rendered = Template("{% load portal_names %}{{ department|local_name }}").render(
            Context({"department": epd})
        )
    assert rendered == expected


def test_without_a_chinese_name_every_reader_gets_the_english_one():
    assert local_text("Hetao", "", "zh-hans") == "Hetao"
    assert local_text("Hetao", None, "zh-hant") == "Hetao"
    assert local_name(None) == ""


def test_browser_style_codes_pick_the_right_script():
    assert local_text("Futian", "福田區", "zh-cn") == "福田区"
    assert local_text("Futian", "福田區", "zh-hk") == "福田區"
    assert local_text("Futian", "福田區", "fr") == "Futian"


@pytest.mark.django_db
def test_other_fields_and_historical_names_read_in_each_language():
    officer = OfficerFactory(
        mainland=True, mainland_body_en="Shenzhen Ecology Bureau", mainland_body_zh="深圳市生態環境局"
    )
    assert local_name(officer, "mainland_body", "zh-hans") == "深圳市生态环境局"
    former = DepartmentFormerNameFactory(name_en="Office of the GCIO", name_zh="政府資訊科技總監辦公室")
    name = former.department.name_on(former.renamed_on.replace(year=2023))
    assert local_name(name, language="zh-hans") == "政府资讯科技总监办公室"
    with translation.override("zh-hans"):
        rendered = Template("{% load portal_names %}{{ text|simplified_if_read }}").render(
            Context({"text": "職系"})
        )
    assert rendered == "职系"
