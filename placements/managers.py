from django.db import models
from django.db.models import Count, Q


class BatchQuerySet(models.QuerySet):
    def outbound(self):
        return self.filter(direction=self.model.Direction.OUTBOUND)

    def inbound(self):
        return self.filter(direction=self.model.Direction.INBOUND)

    def coordinated_by(self, user):
        return self.filter(coordinators=user)

    def visible_to(self, user):
        """CSB staff see every batch; coordinators the batches they coordinate; others none."""
        if not user.is_authenticated:
            return self.none()
        if user.is_staff:
            return self
        return self.coordinated_by(user)

    def with_list_related(self):
        return self.select_related("programme", "host_municipality")

    def with_participant_counts(self):
        """`participant_count`: the batch's active placements (withdrawn ones left out)."""
        withdrawn = self.model._meta.get_field("placements").related_model.Status.WITHDRAWN
        return self.annotate(
            participant_count=Count("placements", filter=~Q(placements__status=withdrawn), distinct=True)
        )


class PlacementQuerySet(models.QuerySet):
    def active(self):
        """Placements that still hold the officer: everything except withdrawn ones."""
        return self.exclude(status=self.model.Status.WITHDRAWN)

    def for_batch(self, batch):
        return self.filter(batch=batch)

    def for_officer(self, officer):
        return self.filter(officer=officer)

    def overlapping(self, start, end):
        return self.filter(start_date__lte=end, end_date__gte=start)

    def visible_to(self, user):
        """CSB staff: all; coordinators: their batches' placements; participants: their own.

        The batches as a subquery, not a join on their coordinators: the join repeats a placement once per
        coordinator, so it needed DISTINCT over every column a page selects, and PostgreSQL spent more
        time planning that query (8-17 ms for a placement page, under load) than running it."""
        if not user.is_authenticated:
            return self.none()
        if user.is_staff:
            return self
        coordinated = self.model.batch.field.related_model.coordinators.through.objects.filter(user=user)
        return self.filter(Q(batch__in=coordinated.values("batch_id")) | Q(officer__user=user))

    def with_focus_area_ids(self):
        """Each placement's focus area ids as "3,1,4" (`focus_area_ids`), from a correlated subquery, so a
        roster needs no query per row (nor per chunk) for its focus areas."""
        through = self.model.focus_areas.through
        return self.annotate(
            focus_area_ids=models.Subquery(
                through.objects.filter(placement_id=models.OuterRef("pk"))
                .values("placement_id")
                .annotate(ids=JoinedIds("focusarea_id"))
                .values("ids")
            )
        )

    def with_roster_related(self):
        """Everything a roster row shows, in a fixed number of queries."""
        return self.select_related(
            "officer__rank__grade",
            "home_department",
            "batch__host_municipality",
            "batch__programme",
            "host_area",
            "host_organisation",
        ).prefetch_related("focus_areas", "home_department__former_names")


class JoinedIds(models.Aggregate):
    """The ids of a group joined with commas, in one column: STRING_AGG on PostgreSQL, GROUP_CONCAT on
    SQLite (Django 5.2 has no database-neutral string aggregate). Order is not guaranteed; callers sort."""

    function = "STRING_AGG"
    template = "%(function)s(CAST(%(expressions)s AS TEXT), ',')"
    output_field = models.TextField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler, connection, function="GROUP_CONCAT", template="%(function)s(%(expressions)s, ',')"
        )
