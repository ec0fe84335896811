"""The dashboard's reads: every figure is aggregated by the database, one query per chart, so a page
costs the same number of queries whatever the number of batches and placements."""

from dataclasses import dataclass, field

from django.db.models import Count, F, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce, ExtractYear

from placements.models import Batch, ChecklistCompletion, ChecklistItem, ExchangeReport, Placement

FIRST_YEAR = 2002  # the older programme's first batch (Shanghai)


@dataclass
class DashboardFilters:
    programme: object = None
    direction: str = ""
    year_from: int | None = None
    year_to: int | None = None


@dataclass
class Figures:
    per_year: list = field(default_factory=list)  # [{"year", "direction", "count"}]
    departments: list = field(default_factory=list)  # [{"name_en", "name_zh", "count"}]
    grades: list = field(default_factory=list)
    municipalities: list = field(default_factory=list)
    areas: list = field(default_factory=list)
    focus_areas: list = field(default_factory=list)
    current_batches: list = field(default_factory=list)


def dashboard_batches(*, user, filters):
    """The batches `user` may see (CSB staff: all; coordinators: theirs), filtered by programme and
    direction."""
    batches = Batch.objects.visible_to(user)
    if filters.programme is not None:
        batches = batches.filter(programme=filters.programme)
    if filters.direction:
        batches = batches.filter(direction=filters.direction)
    return batches


def dashboard_placements(*, user, filters):
    """Active placements (withdrawn ones left out) in those batches, starting within the years chosen."""
    placements = Placement.objects.active().filter(
        batch__in=dashboard_batches(user=user, filters=filters).values("pk")
    )
    if filters.year_from:
        placements = placements.filter(start_date__year__gte=filters.year_from)
    if filters.year_to:
        placements = placements.filter(start_date__year__lte=filters.year_to)
    return placements


def _grouped(placements, **names):
    """Counts per group, the largest first; `names` maps the keys wanted to the fields that give them."""
    first = next(iter(names))
    rows = (
        placements.values(**{key: F(path) for key, path in names.items()})
        .annotate(count=Count("pk"))
        .order_by("-count", *names)
    )
    # Placements without one (an inbound officer has no home department) form a group of None: left out.
    return [row for row in rows if row[first] is not None]


def dashboard_figures(*, user, filters):
    """Every figure the dashboard draws, for what `user` may see (seven queries)."""
    placements = dashboard_placements(user=user, filters=filters)
    per_year = list(
        placements.annotate(year=ExtractYear("start_date"))
        .values("year", direction=F("batch__direction"))
        .annotate(count=Count("pk"))
        .order_by("year", "direction")
    )
    current = (
        dashboard_batches(user=user, filters=filters)
        .exclude(status=Batch.Status.COMPLETED)
        .with_list_related()
        .with_participant_counts()
        .order_by("start_date", "end_date", "pk")[:20]
    )
    return Figures(
        per_year=per_year,
        departments=_grouped(
            placements,
            abbreviation="home_department__abbreviation",
            name_en="home_department__name_en",
            name_zh="home_department__name_zh",
        ),
        grades=_grouped(
            placements, name_en="officer__rank__grade__name_en", name_zh="officer__rank__grade__name_zh"
        ),
        municipalities=_grouped(
            placements,
            name_en="batch__host_municipality__name_en",
            name_zh="batch__host_municipality__name_zh",
        ),
        areas=_grouped(
            placements,
            name_en="host_area__name_en",
            name_zh="host_area__name_zh",
            municipality_en="host_area__municipality__name_en",
            municipality_zh="host_area__municipality__name_zh",
        ),
        focus_areas=_grouped(placements, name_en="focus_areas__name_en", name_zh="focus_areas__name_zh"),
        current_batches=list(current),
    )


def _count_per_batch(rows, batch_path):
    """A subquery counting `rows` for the outer batch (keeps counts over different relations apart)."""
    counted = (
        rows.filter(**{batch_path: OuterRef("pk")})
        .order_by()
        .values(batch_path)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def completion_of_running_batches(*, user, filters):
    """Running batches with their checklist and report completion, in one query: `participants`
    (active placements), `items` (checklist items), `ticks` (items ticked by active participants) and
    `reports_submitted`."""
    active = Placement.objects.active()
    batches = (
        dashboard_batches(user=user, filters=filters)
        .filter(status=Batch.Status.IN_PROGRESS)
        .annotate(
            participants=_count_per_batch(active, "batch"),
            items=_count_per_batch(ChecklistItem.objects.all(), "batch"),
            ticks=_count_per_batch(
                ChecklistCompletion.objects.exclude(placement__status=Placement.Status.WITHDRAWN),
                "placement__batch",
            ),
            reports_submitted=_count_per_batch(
                ExchangeReport.objects.filter(status=ExchangeReport.Status.SUBMITTED).exclude(
                    placement__status=Placement.Status.WITHDRAWN
                ),
                "placement__batch",
            ),
        )
        .order_by("start_date", "pk")
    )
    rows = []
    for batch in batches:
        possible_ticks = batch.items * batch.participants
        rows.append(
            {
                "batch": batch,
                "checklist_percent": round(100 * batch.ticks / possible_ticks) if possible_ticks else None,
                "report_percent": (
                    round(100 * batch.reports_submitted / batch.participants) if batch.participants else None
                ),
            }
        )
    return rows
