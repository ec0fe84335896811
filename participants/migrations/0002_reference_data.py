"""Reference data every database needs: the bureaux and departments the programmes involve (with the
OGCIO -> Digital Policy Office rename of 25 July 2024), and the grades and ranks of the first batch."""

import datetime

from django.db import migrations

DEPARTMENTS = [
    # (abbreviation, English, Chinese, kind, active)
    ("CSB", "Civil Service Bureau", "公務員事務局", "bureau", True),
    ("CMAB", "Constitutional and Mainland Affairs Bureau", "政制及內地事務局", "bureau", True),
    ("DEVB", "Development Bureau", "發展局", "bureau", True),
    ("EEB", "Environment and Ecology Bureau", "環境及生態局", "bureau", True),
    ("TLB", "Transport and Logistics Bureau", "運輸及物流局", "bureau", True),
    ("ITIB", "Innovation, Technology and Industry Bureau", "創新科技及工業局", "bureau", True),
    ("EPD", "Environmental Protection Department", "環境保護署", "department", True),
    ("HyD", "Highways Department", "路政署", "department", True),
    ("ITC", "Innovation and Technology Commission", "創新科技署", "department", True),
    ("PlanD", "Planning Department", "規劃署", "department", True),
    ("TD", "Transport Department", "運輸署", "department", True),
    ("DPO", "Digital Policy Office", "數字政策辦公室", "office", True),
    ("EffO", "Efficiency Office", "效率促進辦公室", "office", False),
]

FORMER_NAMES = [
    # (current abbreviation, former English, former Chinese, former abbreviation, renamed on)
    (
        "DPO",
        "Office of the Government Chief Information Officer",
        "政府資訊科技總監辦公室",
        "OGCIO",
        datetime.date(2024, 7, 25),
    ),
]

GRADES = [
    # (English, Chinese, abbreviation, kind, department abbreviation, [(rank English, Chinese, pay scale)])
    (
        "Administrative Officer", "政務主任", "AO", "general", None,
        [
            ("Administrative Officer", "政務主任", "MPS 27-44"),
            ("Senior Administrative Officer", "高級政務主任", "MPS 45-49"),
            ("Administrative Officer Staff Grade C", "首長級丙級政務官", "D2"),
            ("Administrative Officer Staff Grade B", "首長級乙級政務官", "D3"),
        ],
    ),
    (
        "Executive Officer", "行政主任", "EO", "general", None,
        [
            ("Executive Officer II", "二級行政主任", "MPS 15-27"),
            ("Executive Officer I", "一級行政主任", "MPS 28-33"),
            ("Senior Executive Officer", "高級行政主任", "MPS 34-44"),
            ("Chief Executive Officer", "總行政主任", "MPS 45-49"),
            ("Principal Executive Officer", "首席行政主任", "D1"),
        ],
    ),
    (
        "Engineer", "工程師", "Engr", "common", None,
        [
            ("Assistant Engineer", "助理工程師", "MPS 14-27"),
            ("Engineer", "工程師", "MPS 28-44"),
            ("Senior Engineer", "高級工程師", "MPS 45-49"),
            ("Chief Engineer", "總工程師", "D1"),
        ],
    ),
    (
        "Town Planner", "城市規劃師", "TP", "departmental", "PlanD",
        [
            ("Assistant Town Planner", "助理城市規劃師", "MPS 14-27"),
            ("Town Planner", "城市規劃師", "MPS 28-44"),
            ("Senior Town Planner", "高級城市規劃師", "MPS 45-49"),
            ("Chief Town Planner", "總城市規劃師", "D1"),
        ],
    ),
    (
        "Environmental Protection Officer", "環境保護主任", "EPO", "departmental", "EPD",
        [
            ("Assistant Environmental Protection Officer", "助理環境保護主任", "MPS 14-27"),
            ("Environmental Protection Officer", "環境保護主任", "MPS 28-44"),
            ("Senior Environmental Protection Officer", "高級環境保護主任", "MPS 45-49"),
            ("Principal Environmental Protection Officer", "首席環境保護主任", "D1"),
        ],
    ),
    (
        "Analyst/Programmer", "電腦主任", "AP", "departmental", "DPO",
        [
            ("Analyst/Programmer I", "一級電腦主任", "MPS 28-33"),
            ("Systems Manager", "系統經理", "MPS 34-44"),
            ("Senior Systems Manager", "高級系統經理", "MPS 45-49"),
            ("Chief Systems Manager", "總系統經理", "D1"),
        ],
    ),
]


def load(apps, schema_editor):
    Department = apps.get_model("participants", "Department")
    DepartmentFormerName = apps.get_model("participants", "DepartmentFormerName")
    Grade = apps.get_model("participants", "Grade")
    Rank = apps.get_model("participants", "Rank")
    departments = {}
    for abbreviation, name_en, name_zh, kind, active in DEPARTMENTS:
        departments[abbreviation], _ = Department.objects.update_or_create(
            abbreviation=abbreviation,
            defaults={"name_en": name_en, "name_zh": name_zh, "kind": kind, "is_active": active},
        )
    for current, name_en, name_zh, abbreviation, renamed_on in FORMER_NAMES:
        DepartmentFormerName.objects.update_or_create(
            department=departments[current],
            renamed_on=renamed_on,
            defaults={"name_en": name_en, "name_zh": name_zh, "abbreviation": abbreviation},
        )
    for name_en, name_zh, abbreviation, kind, department, ranks in GRADES:
        grade, _ = Grade.objects.update_or_create(
            name_en=name_en,
            defaults={
                "name_zh": name_zh,
                "abbreviation": abbreviation,
                "kind": kind,
                "department": departments.get(department),
            },
        )
        for seniority, (rank_en, rank_zh, pay_scale) in enumerate(ranks, start=1):
            Rank.objects.update_or_create(
                grade=grade,
                name_en=rank_en,
                defaults={"name_zh": rank_zh, "seniority": seniority, "pay_scale": pay_scale},
            )


class Migration(migrations.Migration):
    dependencies = [("participants", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
