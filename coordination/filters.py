"""Filters for the coordinators' list pages (django-filter)."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from placements.models import Batch, Municipality, Programme

# The years a date can hold: past them the database lookup fails. The form suggests 2000-2100.
YEAR_MIN, YEAR_MAX = 1, 9999


class BatchFilter(django_filters.FilterSet):
    programme = django_filters.ModelChoiceFilter(
        queryset=Programme.objects.order_by("name_en"), label=_("Programme"), empty_label=_("All programmes")
    )
    direction = django_filters.ChoiceFilter(
        choices=Batch.Direction.choices, label=_("Direction"), empty_label=_("Both directions")
    )
    # Bounded: a year past 9999 (or before 1) cannot be a date, and the database lookup would fail.
    year = django_filters.NumberFilter(
        method="filter_year",
        label=_("Year"),
        help_text=_("Batches running at any time in that year."),
        min_value=YEAR_MIN,
        max_value=YEAR_MAX,
        decimal_places=0,
        widget=forms.NumberInput(attrs={"min": 2000, "max": 2100, "step": 1}),
    )
    host_municipality = django_filters.ModelChoiceFilter(
        queryset=Municipality.objects.filter(batches__isnull=False).distinct().order_by("name_en"),
        label=_("Host municipality"),
        empty_label=_("All municipalities"),
    )
    status = django_filters.ChoiceFilter(
        choices=Batch.Status.choices, label=_("Status"), empty_label=_("Any status")
    )

    class Meta:
        model = Batch
        fields = ["programme", "direction", "year", "host_municipality", "status"]

    def filter_year(self, queryset, name, value):
        year = int(value)
        return queryset.filter(Q(start_date__year__lte=year) & Q(end_date__year__gte=year))
