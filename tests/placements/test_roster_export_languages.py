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
