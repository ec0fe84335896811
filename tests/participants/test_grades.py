"""The grades and ranks as the government publishes them (issue 14, participants migration 0005)."""

import pytest

from participants.models import Grade, Rank

pytestmark = pytest.mark.django_db


def test_analyst_programmer_is_a_common_grade_with_its_government_names():
    grade = Grade.objects.get(name_en="Analyst/Programmer")
    assert grade.name_zh == "系統分析/程序編製主任"
    assert grade.kind == Grade.Kind.COMMON and grade.department is None
    ranks = list(grade.ranks.order_by("seniority").values_list("name_en", "name_zh"))
    assert ranks == [
        ("Analyst/Programmer II", "二級系統分析/程序編製主任"),
        ("Analyst/Programmer I", "一級系統分析/程序編製主任"),
        ("Systems Manager", "系統經理"),
        ("Senior Systems Manager", "高級系統經理"),
        ("Chief Systems Manager", "總系統經理"),
    ]
    assert not Rank.objects.filter(name_zh__contains="電腦主任").exists()


def test_every_grade_has_its_classification():
    kinds = dict(Grade.objects.values_list("name_en", "kind"))
    assert kinds["Administrative Officer"] == kinds["Executive Officer"] == Grade.Kind.GENERAL
    assert kinds["Engineer"] == kinds["Analyst/Programmer"] == Grade.Kind.COMMON
    departmental = Grade.objects.filter(kind=Grade.Kind.DEPARTMENTAL).values_list(
        "name_en", "department__abbreviation"
    )
    assert dict(departmental) == {"Town Planner": "PlanD", "Environmental Protection Officer": "EPD"}


def test_ranks_rise_in_seniority_within_each_grade():
    for grade in Grade.objects.prefetch_related("ranks"):
        seniorities = [rank.seniority for rank in grade.ranks.all()]
        assert seniorities == list(range(1, len(seniorities) + 1)), grade.name_en
