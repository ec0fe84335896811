"""The batch roster: one row per participant of a batch, in the columns coordinators asked for."""

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from core.names import local_name, local_text, script_of, to_simplified
from participants.models import Department

from ..models import FocusArea, Placement
from ..selectors import roster_rows
from .base import Exporter

# The CSV, the workbook and the print view share these headers, in this order.
ROSTER_COLUMNS = (
    _("Officer name (English)"),
    _("Officer name (Chinese)"),
    _("Post title"),
    _("Rank"),
    _("Grade"),
    _("Home department"),
    _("Official email"),
    _("Host municipality"),
    _("Host area"),
    _("Host organisation"),
    _("Role at host"),
    _("Focus areas"),
    _("Start date"),
    _("End date"),
    _("Status"),
)


class RosterExporter(Exporter):
    """A batch's participants with their home department as named during the placement, host, role,
    focus areas, dates and status; withdrawn placements last, or left out with include_withdrawn=False.

    Queries are fixed whatever the row count: departments with their former names, focus areas, then the
    rows as one streamed query (`.iterator()`: a server-side cursor on PostgreSQL)."""

    name = "roster"
    verbose_name = _("Batch roster")
    chunk_size = 2000

    def __init__(self, batch, *, include_withdrawn=True, language=None):
        self.batch = batch
        self.include_withdrawn = include_withdrawn
        # Headers and names follow the language of the request (or the command's --language), fixed
        # here because a streamed response is written after the view has returned.
        self.language = language or translation.get_language() or "en"

    def filename_stem(self):
        return f"roster-{self.batch.pk}-{self.batch.name}"

    def header(self):
        with translation.override(self.language):
            return tuple(str(title) for title in ROSTER_COLUMNS)

    @property
    def sheet_name(self):
        with translation.override(self.language):
            return str(_("Roster"))

    def iter_rows(self):
        yield self.header()
        # Reference tables are small: load them once instead of joining or querying per row.
        departments = Department.objects.with_former_names().in_bulk()
        focus_names = {
            pk: local_text(name_en, name_zh, self.language)
            for pk, name_en, name_zh in FocusArea.objects.values_list("pk", "name_en", "name_zh")
        }
        rows = roster_rows(batch=self.batch, include_withdrawn=self.include_withdrawn)
        # Inside a transaction PostgreSQL's server-side cursor streams; outside one Django declares it
        # WITH HOLD, which makes PostgreSQL build the whole result before the first row comes back.
        with transaction.atomic():
            yield from self._format(rows.iterator(chunk_size=self.chunk_size), departments, focus_names)

    def _format(self, rows, departments, focus_names):
        language = self.language
        with translation.override(language):
            statuses = {value: str(label) for value, label in Placement.Status.choices}
        municipality = local_name(self.batch.host_municipality, language=language)
        english = script_of(language) == "en"
        simplified = script_of(language) == "zh-hans"
        name_cache = {}
        for (
            name_en,
            name_zh,
            post_title,
            rank,
            grade,
            department_id,
            mainland_body,
            email,
            area,
            organisation,
            role,
            focus_ids,
            start,
            end,
            status,
            rank_zh,
            grade_zh,
            mainland_body_zh,
            area_zh,
            organisation_zh,
        ) in rows:
            if not english:
                # The Chinese name where there is one (Simplified script for zh-hans), else the English.
                rank = local_text(rank, rank_zh, language)
                grade = local_text(grade, grade_zh, language)
                mainland_body = local_text(mainland_body, mainland_body_zh, language)
                area = local_text(area, area_zh, language)
                organisation = local_text(organisation, organisation_zh, language)
                if simplified and name_zh:
                    name_zh = to_simplified(name_zh)
            if department_id is None:
                department = mainland_body
            else:
                # Many rows share a department and start day: resolve each pair once.
                department = name_cache.get((department_id, start))
                if department is None:
                    department = local_name(departments[department_id].name_on(start), language=language)
                    name_cache[department_id, start] = department
            if focus_ids:
                focus = "; ".join(sorted(focus_names[int(pk)] for pk in focus_ids.split(",")))
            else:
                focus = ""
            yield (
                name_en,
                name_zh,
                post_title,
                rank,
                grade,
                department,
                email,
                municipality,
                area,
                organisation,
                role,
                focus,
                start,
                end,
                statuses.get(status, status),
            )
