import pytest
from django.contrib.auth import get_user_model
from django.template import Context, Template
from django.utils import translation

from core.names import (
    bracketed,
    join_local,
    local_field,
    local_name,
    local_text,
    spaced,
    to_simplified,
    user_name,
)
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


# --- issue 13: Chinese forms of English fields, separators, brackets, spacing, names ------------------


class _Named:
    def __init__(self, name, name_zh=""):
        self.name, self.name_zh = name, name_zh


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "GBA first batch"), ("zh-hant", "大灣區第一批"), ("zh-hans", "大湾区第一批")],
)
def test_a_field_with_a_chinese_form_reads_in_the_readers_script(language, expected):
    assert local_field(_Named("GBA first batch", "大灣區第一批"), "name", language) == expected


def test_a_field_without_a_chinese_form_reads_in_english_for_everyone():
    assert local_field(_Named("GBA first batch"), "name", "zh-hant") == "GBA first batch"
    assert local_field(None, "name") == ""


def test_lists_are_joined_as_each_language_joins_them():
    assert join_local(["Town planning", "Transportation"], "en") == "Town planning; Transportation"
    assert join_local(["城市規劃", "交通運輸"], "zh-hant") == "城市規劃、交通運輸"
    assert join_local(["城市规划", "", "交通运输"], "zh-hans") == "城市规划、交通运输"


def test_brackets_are_full_width_in_chinese():
    assert bracketed("District", "en") == " (District)"
    assert bracketed("區", "zh-hant") == "（區）"
    assert bracketed("", "zh-hant") == ""


def test_chinese_and_latin_are_spaced_apart():
    assert spaced("大灣區第一批 · 深圳 2023-24名冊") == "大灣區第一批 · 深圳 2023-24 名冊"
    assert spaced("第1批GBA") == "第 1 批 GBA"
    assert spaced("Roster: GBA 2023-24") == "Roster: GBA 2023-24"
    assert spaced("") == ""


@pytest.mark.parametrize(
    ("first", "last", "username", "expected"),
    [("Ka-ming", "Chan", "kmchan", "CHAN Ka-ming"), ("", "", "csb", "csb"), ("Mei", "", "mei1", "Mei")],
)
def test_a_user_is_named_surname_first_in_capitals(first, last, username, expected):
    user = get_user_model()(username=username, first_name=first, last_name=last)
    assert user_name(user) == expected


def test_the_template_filters_use_the_active_language():
    template = Template(
        '{% load portal_names %}{{ batch|local_field:"name" }}|{{ kind|bracketed }}|{{ title|spaced }}'
    )
    context = Context({"batch": _Named("GBA first batch", "大灣區第一批"), "kind": "區", "title": "深圳2023"})
    with translation.override("zh-hant"):
        assert template.render(context) == "大灣區第一批|（區）|深圳 2023"
    with translation.override("en"):
        assert template.render(context) == "GBA first batch| (區)|深圳 2023"


def test_hyphenated_years_and_names_are_kept_together_and_escaped():
    rendered = Template("{% load portal_names %}{{ title|keep_together }}").render(
        Context({"title": "深圳 <b> 2023-24 · CHAN Ka-ming"})
    )
    nowrap = '<span class="text-nowrap">'
    assert rendered == f"深圳 &lt;b&gt; {nowrap}2023-24</span> · CHAN {nowrap}Ka-ming</span>"
