"""The grades and ranks of 0002_reference_data checked against the government's published grade lists
(issue 14), and the one that was wrong corrected.

Sources (checked November 2026):
- Analyst/Programmer grade: the head of grade's own pages, "Grade Structure" of the Analyst/Programmer Grade,
  https://www.ogcio.gov.hk/en/about_us/work_force/government_it_staff/ap_grade/ap_grade_structure/ and
  https://www.ogcio.gov.hk/tc/about_us/work_force/government_it_staff/ap_grade/ap_grade_structure/
  (系統分析/程序編製主任職系): seven ranks; as at 30 June 2024, 27% of its 1 447 officers were on the
  establishment of the OGCIO (since 25 July 2024 the Digital Policy Office) and 73% on that of 65 other
  bureaux and departments. So it is a common grade (one head of grade, many departments), not a
  departmental grade of the DPO; its Chinese names are 系統分析/程序編製主任 (grade), 二級 and 一級系統分析/
  程序編製主任, then 系統經理, 高級系統經理 and 總系統經理, not 電腦主任 / 一級電腦主任. Analyst/Programmer II, the
  entry rank, was missing. Its pay scale is left empty here rather than guessed.
- Administrative Officer and Executive Officer: the Civil Service Bureau's grade pages
  (https://www.csb.gov.hk/english/grade/ao/426.html for the Administrative Service, and the Executive Officer
  grade's page in the same section): general grades, managed by the CSB and posted across bureaux and
  departments. Names, Chinese names and ranks as in 0002: correct.
- Engineer (工程師, a common grade serving many works departments), Town Planner (城市規劃師, departmental,
  Planning Department) and Environmental Protection Officer (環境保護主任, departmental, Environmental
  Protection Department): kept as 0002 has them. They agree with how the departments describe their
  grades, but no CSB grade-list page for them was at hand in this check: check them against the CSB's
  grade list when it is, and correct them with a new migration if it disagrees.
"""

from django.db import migrations

AP_GRADE = {"name_zh": "系統分析/程序編製主任", "kind": "common", "department": None}
AP_RANKS = [
    # (English, Chinese, seniority, pay scale or None to leave as it is)
    ("Analyst/Programmer II", "二級系統分析/程序編製主任", 1, ""),
    ("Analyst/Programmer I", "一級系統分析/程序編製主任", 2, None),
    ("Systems Manager", "系統經理", 3, None),
    ("Senior Systems Manager", "高級系統經理", 4, None),
    ("Chief Systems Manager", "總系統經理", 5, None),
]


def correct(apps, schema_editor):
    Grade = apps.get_model("participants", "Grade")
    Rank = apps.get_model("participants", "Rank")
    grade = Grade.objects.filter(name_en="Analyst/Programmer").first()
    if grade is None:
        return
    Grade.objects.filter(pk=grade.pk).update(**AP_GRADE)
    for name_en, name_zh, seniority, pay_scale in AP_RANKS:
        defaults = {"name_zh": name_zh, "seniority": seniority}
        if pay_scale is not None:
            defaults["pay_scale"] = pay_scale
        Rank.objects.update_or_create(grade=grade, name_en=name_en, defaults=defaults)


def restore(apps, schema_editor):
    Grade = apps.get_model("participants", "Grade")
    Rank = apps.get_model("participants", "Rank")
    Department = apps.get_model("participants", "Department")
    grade = Grade.objects.filter(name_en="Analyst/Programmer").first()
    if grade is None:
        return
    Grade.objects.filter(pk=grade.pk).update(
        name_zh="電腦主任", kind="departmental", department=Department.objects.get(abbreviation="DPO")
    )
    Rank.objects.filter(grade=grade, name_en="Analyst/Programmer II", officers__isnull=True).delete()
    Rank.objects.filter(grade=grade, name_en="Analyst/Programmer I").update(name_zh="一級電腦主任")
    for name_en, seniority in [
        ("Analyst/Programmer I", 1),
        ("Systems Manager", 2),
        ("Senior Systems Manager", 3),
        ("Chief Systems Manager", 4),
    ]:
        Rank.objects.filter(grade=grade, name_en=name_en).update(seniority=seniority)


class Migration(migrations.Migration):
    dependencies = [("participants", "0005_issue15_officer_email_reminders")]
    operations = [migrations.RunPython(correct, restore)]
