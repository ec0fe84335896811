"""The batch roster: one row per participant of a batch, in the columns coordinators asked for."""

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from core.names import list_separator, local_name, local_text, script_of, to_simplified
from participants.models import Department

from ..models import FocusArea, Placement
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


# What one roster row reads from the database, as named columns of one query; the exporter turns ids into
# names (departments as named at the time, focus areas) from tables it loads once.
ROSTER_FIELDS = (
    "officer__name_en",
    "officer__name_zh",
    "officer__post_title",
    "officer__rank__name_en",
    "officer__rank__name_zh",
    "officer__rank__grade__name_en",
    "officer__rank__grade__name_zh",
    "home_department_id",
    "officer__mainland_body_en",
    "officer__mainland_body_zh",
    "officer__email",
    "host_area__name_en",
    "host_area__name_zh",
    "host_organisation__name_en",
    "host_organisation__name_zh",
    "role",
    "role_zh",
    "focus_area_ids",
    "start_date",
    "end_date",
    "status",
)


def roster_rows(*, batch, include_withdrawn=True):
    """A batch's roster as named tuples of plain values (ROSTER_FIELDS), withdrawn placements last: ONE
    query whatever the row count, cheap enough to stream 100,000 rows."""
    placements = Placement.objects.for_batch(batch)
    if not include_withdrawn:
        placements = placements.active()
    return (
        placements.with_focus_area_ids()
        .order_by(Placement.withdrawn_last(), "host_area__name_en", "officer__name_en", "pk")
        .values_list(*ROSTER_FIELDS, named=True)
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

    def cache_key(self, extension):
        # Everything the rows depend on is the batch's (its versions), the language, and this choice.
        return f"roster-{extension}:{self.batch.pk}:{self.language}:{self.include_withdrawn:d}"

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
        separator = list_separator(language)
        for row in rows:
            name_zh = row.officer__name_zh
            rank = row.officer__rank__name_en
            grade = row.officer__rank__grade__name_en
            mainland_body = row.officer__mainland_body_en
            area = row.host_area__name_en
            organisation = row.host_organisation__name_en
            start = row.start_date
            role = row.role
            if not english:
                # The Chinese name where there is one (Simplified script for zh-hans), else the English.
                rank = local_text(rank, row.officer__rank__name_zh, language)
                grade = local_text(grade, row.officer__rank__grade__name_zh, language)
                mainland_body = local_text(mainland_body, row.officer__mainland_body_zh, language)
                area = local_text(area, row.host_area__name_zh, language)
                organisation = local_text(organisation, row.host_organisation__name_zh, language)
                role = local_text(role, row.role_zh, language)
                if simplified and name_zh:
                    name_zh = to_simplified(name_zh)
            department_id = row.home_department_id
            if department_id is None:
                department = mainland_body
            else:
                # Many rows share a department and start day: resolve each pair once.
                department = name_cache.get((department_id, start))
                if department is None:
                    department = local_name(departments[department_id].name_on(start), language=language)
                    name_cache[department_id, start] = department
            if focus_ids := row.focus_area_ids:
                focus = separator.join(sorted(focus_names[int(pk)] for pk in focus_ids.split(",")))
            else:
                focus = ""
            yield (
                row.officer__name_en,
                name_zh,
                row.officer__post_title,
                rank,
                grade,
                department,
                row.officer__email,
                municipality,
                area,
                organisation,
                role,
                focus,
                start,
                row.end_date,
                statuses.get(row.status, row.status),
            )
