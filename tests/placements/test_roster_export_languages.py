"""Roster exports follow the language of the request (headers, names, statuses), or the command's
--language: a zh-hans file has Simplified headers and names."""

import csv
import io

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.placements.roster_data import roster_batch

pytestmark = pytest.mark.django_db


@pytest.fixture
def batch(coordinator_user):
    return roster_batch(coordinator_user)


def rows_of(content):
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_a_zh_hans_csv_has_simplified_headers_and_names(coordinator_client, settings, batch):
    coordinator_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    response = coordinator_client.get(reverse("coordination:batch_roster_csv", args=[batch.pk]))
    header, *rows = rows_of(b"".join(response.streaming_content))
    assert header[:6] == ["人员姓名（英文）", "人员姓名（中文）", "职位名称", "职级", "职系", "所属部门"]
    assert header[-1] == "状态"
    chan, ng = (dict(zip(header, row, strict=True)) for row in rows[:2])
    assert chan["人员姓名（英文）"] == "CHAN Ka-ming"
    assert chan["人员姓名（中文）"] == "陈家明"
    assert chan["接待城市"] == "深圳"
    assert chan["接待单位"].startswith("测试局")
    assert chan["状态"] == "已确认"
    # The department as named during the batch, in Simplified script.
    assert ng["所属部门"] == "政府资讯科技总监办公室"


def test_a_zh_hant_print_view_has_traditional_headers_and_names(coordinator_client, settings, batch):
    coordinator_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hant"
    response = coordinator_client.get(reverse("coordination:batch_roster_print", args=[batch.pk]))
    page = b"".join(response.streaming_content).decode()
    assert '<th scope="col">人員姓名（中文）</th>' in page
    assert "陳家明" in page and "政府資訊科技總監辦公室" in page


def test_the_command_writes_the_language_asked_for(batch, tmp_path):
    english, simplified, workbook = tmp_path / "en.csv", tmp_path / "hans.csv", tmp_path / "hant.xlsx"
    call_command("export_roster", str(batch.pk), f"--output={english}", stdout=io.StringIO())
    call_command(
        "export_roster", str(batch.pk), f"--output={simplified}", "--language=zh-hans", stdout=io.StringIO()
    )
    call_command(
        "export_roster",
        str(batch.pk),
        "--format=xlsx",
        f"--output={workbook}",
        "--language=zh-hant",
        stdout=io.StringIO(),
    )
    assert rows_of(english.read_bytes())[0][0] == "Officer name (English)"
    assert rows_of(english.read_bytes())[1][1] == "陳家明"
    header, chan, *_rest = rows_of(simplified.read_bytes())
    assert header[0] == "人员姓名（英文）" and chan[1] == "陈家明"
    sheet = openpyxl.load_workbook(workbook).active
    assert sheet.title == "名冊"
    assert next(sheet.iter_rows(values_only=True))[0] == "人員姓名（英文）"


def test_the_command_refuses_an_unknown_language(batch, tmp_path):
    from django.core.management import CommandError

    with pytest.raises(CommandError):
        call_command("export_roster", str(batch.pk), "--language=fr", f"--output={tmp_path / 'x.csv'}")


def test_a_chinese_roster_joins_focus_areas_with_the_enumeration_comma_and_reads_roles_in_chinese(
    coordinator_client, settings, batch
):
    chan = batch.placements.get(officer__name_en="CHAN Ka-ming")
    chan.role_zh = "副區長特別助理"
    chan.save()
    coordinator_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    response = coordinator_client.get(reverse("coordination:batch_roster_csv", args=[batch.pk]))
    header, *rows = rows_of(b"".join(response.streaming_content))
    row = dict(zip(header, rows[0], strict=True))
    assert row["人员姓名（英文）"] == "CHAN Ka-ming"
    assert row["在接待单位的职务"] == "副区长特别助理"
    assert "、" in row["重点领域"] and ";" not in row["重点领域"]
    # A file for machines keeps ISO dates whatever the language.
    assert row["开始日期"] == "2023-12-18"
    # Where no Chinese role is given, the English one stands.
    assert dict(zip(header, rows[1], strict=True))["在接待单位的职务"].startswith("'=HYPERLINK")


def test_an_english_roster_keeps_semicolons_and_english_roles(coordinator_client, batch):
    chan = batch.placements.get(officer__name_en="CHAN Ka-ming")
    chan.role_zh = "副區長特別助理"
    chan.save()
    response = coordinator_client.get(reverse("coordination:batch_roster_csv", args=[batch.pk]))
    header, *rows = rows_of(b"".join(response.streaming_content))
    row = dict(zip(header, rows[0], strict=True))
    assert row["Role at host"] == "Special assistant"
    assert row["Focus areas"] == "A planning; B transport"


@pytest.mark.parametrize(
    ("language", "day", "title"),
    [
        ("en", "18 Dec 2023", "Roster: GBA test batch 2023-24"),
        ("zh-hant", "2023年12月18日", "大灣區測試批次 2023-24 名冊"),
        ("zh-hans", "2023年12月18日", "大湾区测试批次 2023-24 名册"),
    ],
)
def test_the_print_view_writes_dates_for_people_and_titles_the_batch_in_the_readers_script(
    coordinator_client, settings, batch, language, day, title
):
    batch.name_zh = "大灣區測試批次 2023-24"
    batch.save()
    coordinator_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = coordinator_client.get(reverse("coordination:batch_roster_print", args=[batch.pk]))
    html = b"".join(response.streaming_content).decode()
    assert f"<h1>{title}</h1>" in html
    assert f'<td><span class="text-nowrap">{day}</span></td>' in html
    assert "2023-12-18" not in html
