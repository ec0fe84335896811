"""The dashboard's reads: every figure is aggregated by the database, one query per chart, so a page
costs the same number of queries whatever the number of batches and placements."""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, F, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce, ExtractYear

from participants.models import Department
from placements.figures import figures_cached
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
    # [{"year", "direction", "count"}]: a placement counts in every year it runs (Dec 2023 to Mar 2024: in
    # 2023 and in 2024), so the years add up to more than `totals`, which counts each placement once.
    per_year: list = field(default_factory=list)
    totals: dict = field(default_factory=dict)  # direction -> placements
    # [{"name_en", "name_zh", "abbreviation", "now", "count"}]: the name in force when each placement
    # started; `now` the current name (a DepartmentName) when it differs (OGCIO, now the Digital Policy
    # Office), else None.
    departments: list = field(default_factory=list)
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
    """Active placements (withdrawn ones left out) in those batches, running in any of the years chosen
    (as /batches/?year= lists a batch in every year it runs)."""
    placements = Placement.objects.active().filter(
        batch__in=dashboard_batches(user=user, filters=filters).values("pk")
    )
    if filters.year_from:
        placements = placements.filter(end_date__year__gte=filters.year_from)
    if filters.year_to:
        placements = placements.filter(start_date__year__lte=filters.year_to)
    return placements


def _per_year(placements, filters):
    """Placements per year and direction, each counted in every year it runs (within the years chosen),
    and the placements per direction counted once: one query, grouped by first year, last year and
    direction."""
    rows = (
        placements.annotate(first=ExtractYear("start_date"), last=ExtractYear("end_date"))
        .values("first", "last", direction=F("batch__direction"))
        .annotate(count=Count("pk"))
        .order_by()
    )
    per_year, totals = Counter(), Counter()
    for row in rows:
        totals[row["direction"]] += row["count"]
        first = max(row["first"], filters.year_from or row["first"])
        last = min(row["last"], filters.year_to or row["last"])
        for year in range(first, last + 1):
            per_year[year, row["direction"]] += row["count"]
    return (
        [{"year": y, "direction": d, "count": n} for (y, d), n in sorted(per_year.items())],
        dict(totals),
    )


def _departments_as_named(placements):
    """Placements by home department as named when each placement started, with the current name beside
    a former one; two queries (the counts by department and start day; the departments with their former
    names). Inbound officers have no home department: left out, as the other charts leave out a None."""
    rows = list(
        placements.filter(home_department__isnull=False)
        .values("home_department_id", "start_date")
        .annotate(count=Count("pk"))
        .order_by()
    )
    departments = Department.objects.with_former_names().in_bulk({row["home_department_id"] for row in rows})
    counts = Counter()
    for row in rows:
        department = departments[row["home_department_id"]]
        then, now = department.name_on(row["start_date"]), department.name_on(None)
        counts[then, None if then == now else now] += row["count"]
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0][0].name_en))
    return [
        {
            "name_en": then.name_en,
            "name_zh": then.name_zh,
            "abbreviation": then.abbreviation,
            "now": now,  # a DepartmentName, or None when the name has not changed
            "count": n,
        }
        for (then, now), n in ordered
    ]


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
    """Every figure the dashboard draws, for what `user` may see (eight queries)."""
    placements = dashboard_placements(user=user, filters=filters)
    per_year, totals = _per_year(placements, filters)
    current = (
        dashboard_batches(user=user, filters=filters)
        .exclude(status=Batch.Status.COMPLETED)
        .with_list_related()
        .with_participant_counts()
        .order_by("start_date", "end_date", "pk")[:20]
    )
    return Figures(
        per_year=per_year,
        totals=totals,
        departments=_departments_as_named(placements),
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


def dashboard_key(*, user, filters):
    """What the dashboard's figures depend on: who reads them (CSB staff see every batch and share one
    entry; a coordinator has their own) and the filters."""
    scope = "staff" if user.is_staff else f"user-{user.pk}"
    programme = filters.programme.pk if filters.programme is not None else ""
    return f"dashboard:{scope}:{programme}:{filters.direction}:{filters.year_from}:{filters.year_to}"


def dashboard_cached(*, user, filters):
    """`dashboard_figures()` and `completion_of_running_batches()`, cached under the figures version
    (placements.figures): a write that changes any figure bumps it, so a cached page is never staler
    than the last write."""
    return figures_cached(
        dashboard_key(user=user, filters=filters),
        lambda: (
            dashboard_figures(user=user, filters=filters),
            completion_of_running_batches(user=user, filters=filters),
        ),
    )
