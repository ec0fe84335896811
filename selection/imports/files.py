"""The files of the nominations import: the xlsx template and the error report (CSV)."""

import datetime
import io

import defusedcsv.csv as safe_csv
import xlsxwriter
from django.utils import timezone
from django.utils.translation import gettext as _

from participants.models import Department, Rank
from placements.models import FocusArea, HostOrganisation

from .columns import COLUMNS
from .plan import EXAMPLE_EMAIL


def template_xlsx(*, batch=None) -> bytes:
    """The template: the headers and an example row on the first sheet, then a sheet explaining each
    column and one listing the values reference columns accept (for `batch`'s city when given)."""
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(output, {"in_memory": True})
    bold = workbook.add_format({"bold": True, "bg_color": "#DDE6F0", "border": 1})
    required = workbook.add_format({"bold": True, "bg_color": "#F6D8AE", "border": 1})
    example = workbook.add_format({"italic": True, "font_color": "#555555"})
    day = workbook.add_format({"num_format": "yyyy-mm-dd", "italic": True, "font_color": "#555555"})

    sheet = workbook.add_worksheet(_("Nominations"))
    for index, column in enumerate(COLUMNS):
        sheet.write_string(0, index, column.header, required if column.required else bold)
        sheet.set_column(index, index, 26 if column.key != "statement" else 40)
    sheet.freeze_panes(1, 0)
    host = None
    focus = FocusArea.objects.order_by("name_en").first()
    if batch is not None:
        host = (
            HostOrganisation.objects.filter(municipality_id=batch.host_municipality_id)
            .order_by("name_en")
            .first()
        )
        focus = batch.focus_areas.order_by("name_en").first() or focus
    values = {
        "name_en": "CHAN Tai-man",
        "name_zh": "陳大文",
        "email": EXAMPLE_EMAIL,
        "post_title": "Senior Engineer (Cross-boundary Infrastructure)",
        "rank": "Senior Engineer",
        "grade": "Engineer",
        "department": "HyD",
        "ranking": "1",
        "host_organisation": host.name_en if host else "",
        "focus_areas": focus.name_en if focus else "",
        "statement": "Leads the department's cross-boundary infrastructure projects.",
        "endorsed_by_name": "WONG Ka-ming",
        "endorsed_by_post": "Director of Highways",
    }
    for index, column in enumerate(COLUMNS):
        if column.key == "endorsed_on":
            sheet.write_datetime(
                1, index, datetime.datetime.combine(timezone.localdate(), datetime.time()), day
            )
        else:
            sheet.write_string(1, index, values.get(column.key, ""), example)
    sheet.write_comment(
        "C2", _("The example row: replace it with your nominations (a row with this e-mail is refused).")
    )

    guide = workbook.add_worksheet(_("Columns"))
    guide.set_column(0, 0, 24)
    guide.set_column(1, 2, 70)
    for index, text in enumerate([_("Column"), _("Required"), _("What to write")]):
        guide.write_string(0, index, text, bold)
    for row, column in enumerate(COLUMNS, start=1):
        guide.write_string(row, 0, column.header)
        guide.write_string(row, 1, _("yes") if column.required else _("no"))
        guide.write_string(row, 2, str(column.help))
    guide.write_string(
        len(COLUMNS) + 2,
        0,
        _(
            "The first visible sheet with these headers is read. Department, grade, rank, host and "
            "focus-area cells accept the English name, the Chinese name or the abbreviation, in any case."
        ),
    )

    lists = workbook.add_worksheet(_("Accepted values"))
    headers = [
        _("Bureau or department"),
        _("Grade"),
        _("Rank"),
        _("Host organisation"),
        _("Focus area"),
    ]
    for index, text in enumerate(headers):
        lists.write_string(0, index, text, bold)
        lists.set_column(index, index, 40)
    hosts = HostOrganisation.objects.order_by("name_en")
    focus_areas = FocusArea.objects.order_by("name_en")
    if batch is not None:
        hosts = hosts.filter(municipality_id=batch.host_municipality_id)
        if batch.focus_areas.exists():
            focus_areas = batch.focus_areas.order_by("name_en")
    columns = [
        [f"{d.name_en} | {d.name_zh} | {d.abbreviation}" for d in Department.objects.filter(is_active=True)],
        sorted(
            {
                f"{r.grade.name_en} | {r.grade.name_zh} | {r.grade.abbreviation}"
                for r in Rank.objects.select_related("grade")
            }
        ),
        [f"{r.name_en} | {r.name_zh} ({r.grade.name_en})" for r in Rank.objects.select_related("grade")],
        [f"{h.name_en} | {h.name_zh}" for h in hosts],
        [f"{f.name_en} | {f.name_zh}" for f in focus_areas],
    ]
    for index, items in enumerate(columns):
        for row, item in enumerate(items, start=1):
            lists.write_string(row, index, item)
    sheet.activate()
    workbook.close()
    return output.getvalue()


def problems_csv(problems) -> bytes:
    """The error report: one line per problem, with a BOM so that Excel shows Chinese correctly. Cells are
    written through defusedcsv, so a refused formula cannot run when the report is opened."""
    output = io.StringIO()
    writer = safe_csv.writer(output)
    writer.writerow([_("Row"), _("Column"), _("Value"), _("Problem"), _("Suggestion")])
    for problem in problems:
        writer.writerow(
            [problem.row or "", problem.column_header, problem.value, problem.message, problem.suggestion]
        )
    return ("\ufeff" + output.getvalue()).encode("utf-8")
