"""Reads shared by views, exports and commands. Access scoping is a queryset filter: what a user may not
see is simply not found."""

from collections import Counter

from django.db.models import Count, F

from .models import Batch, Placement


def batch_list(*, user):
    """The batches `user` may see, with what a list shows and participant counts."""
    return (
        Batch.objects.visible_to(user)
        .with_list_related()
        .with_participant_counts()
        # Meta.ordering is dropped from aggregating queries; pagination needs a stable order.
        .order_by("-start_date", "programme__short_name", "number", "pk")
    )


def batch_get(*, user, pk):
    """One batch `user` may see (raises Batch.DoesNotExist otherwise)."""
    return Batch.objects.visible_to(user).with_list_related().get(pk=pk)


def placement_list_for_batch(*, batch, include_withdrawn=True):
    """A batch's placements with everything a roster row needs, withdrawn ones last."""
    placements = Placement.objects.for_batch(batch).with_roster_related()
    if not include_withdrawn:
        placements = placements.active()
    return placements.order_by(Placement.withdrawn_last(), "host_area__name_en", "officer__name_en", "pk")


def placement_overlapping(*, officer, start_date, end_date, exclude_pk=None):
    """The officer's active placements that overlap the given dates."""
    placements = Placement.objects.active().for_officer(officer).overlapping(start_date, end_date)
    if exclude_pk:
        placements = placements.exclude(pk=exclude_pk)
    return placements.select_related("batch__programme")


# --- Batch pages and roster exports (coordinators) ---

# The columns roster_rows() yields, in order; the roster exporter turns ids into names.
ROSTER_FIELDS = (
    "officer__name_en",
    "officer__name_zh",
    "officer__post_title",
    "officer__rank__name_en",
    "officer__rank__grade__name_en",
    "home_department_id",
    "officer__mainland_body_en",
    "officer__email",
    "host_area__name_en",
    "host_organisation__name_en",
    "role",
    "focus_area_ids",
    "start_date",
    "end_date",
    "status",
)


def roster_rows(*, batch, include_withdrawn=True):
    """A batch's roster as tuples of plain values (ROSTER_FIELDS), withdrawn placements last: ONE query
    whatever the row count, cheap enough to stream 100,000 rows. Department names in force and focus
    area names are resolved by the exporter from tables it loads once."""
    from .managers import focus_area_ids_subquery

    placements = Placement.objects.for_batch(batch)
    if not include_withdrawn:
        placements = placements.active()
    return (
        placements.annotate(focus_area_ids=focus_area_ids_subquery())
        .order_by(Placement.withdrawn_last(), "host_area__name_en", "officer__name_en", "pk")
        .values_list(*ROSTER_FIELDS)
    )


def batch_placements_by_area(*, batch):
    """A batch's placements for its page, grouped by host area then host organisation (placements with
    no area last), withdrawn ones last within each organisation; everything a row shows is loaded."""
    return Placement.objects.for_batch(batch).with_roster_related().order_by(
        F("host_area__name_en").asc(nulls_last=True),
        F("host_organisation__name_en").asc(nulls_last=True),
        Placement.withdrawn_last(),
        "officer__name_en",
        "pk",
    )


def batch_totals(*, batch):
    """Counts of a batch's active participants by home department (the name in force when each placement
    started), by grade and by focus area, plus the number withdrawn: a fixed few aggregate queries."""
    from participants.models import Department

    active = Placement.objects.for_batch(batch).active()
    by_department = Counter()
    # Grouped by department and start day, since the name in force depends on the day; Mainland officers
    # (inbound batches) count under the body they come from.
    rows = list(
        active.values_list("home_department_id", "officer__mainland_body_en", "start_date")
        .annotate(n=Count("pk"))
        .order_by()
    )
    departments = Department.objects.with_former_names().in_bulk(
        {department_id for department_id, _body, _day, _n in rows if department_id}
    )
    for department_id, mainland_body, day, n in rows:
        department = departments.get(department_id)
        by_department[department.name_on(day).name_en if department else (mainland_body or None)] += n
    by_grade = Counter(
        dict(
            active.values_list("officer__rank__grade__name_en")
            .annotate(n=Count("pk"))
            .order_by()
            .values_list("officer__rank__grade__name_en", "n")
        )
    )
    by_focus_area = Counter(
        dict(
            active.values_list("focus_areas__name_en")
            .annotate(n=Count("pk"))
            .order_by()
            .values_list("focus_areas__name_en", "n")
        )
    )
    return {
        "participants": sum(by_department.values()),
        "withdrawn": Placement.objects.for_batch(batch).filter(status=Placement.Status.WITHDRAWN).count(),
        "by_department": _sorted_counts(by_department),
        "by_grade": _sorted_counts(by_grade),
        "by_focus_area": _sorted_counts(by_focus_area),
    }


def _sorted_counts(counter):
    """(name, count) pairs, most first then by name; the unnamed group (None) last."""
    named = sorted(((k, v) for k, v in counter.items() if k is not None), key=lambda kv: (-kv[1], kv[0]))
    return named + ([(None, counter[None])] if counter.get(None) else [])
