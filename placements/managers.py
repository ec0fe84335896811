from django.db import models
from django.db.models import Count, Q


class MunicipalityQuerySet(models.QuerySet):
    def greater_bay_area(self):
        return self.filter(region=self.model.Region.GBA_MAINLAND)


class HostAreaQuerySet(models.QuerySet):
    def in_municipality(self, municipality):
        return self.filter(municipality=municipality)


class HostOrganisationQuerySet(models.QuerySet):
    def in_municipality(self, municipality):
        return self.filter(municipality=municipality)


class BatchQuerySet(models.QuerySet):
    def outbound(self):
        return self.filter(direction=self.model.Direction.OUTBOUND)

    def inbound(self):
        return self.filter(direction=self.model.Direction.INBOUND)

    def running(self):
        return self.filter(status=self.model.Status.IN_PROGRESS)

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
        return self.annotate(
            participant_count=Count("placements", filter=~Q(placements__status="withdrawn"), distinct=True)
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
        """CSB staff: all; coordinators: their batches' placements; participants: their own."""
        if not user.is_authenticated:
            return self.none()
        if user.is_staff:
            return self
        return self.filter(Q(batch__coordinators=user) | Q(officer__user=user)).distinct()

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
