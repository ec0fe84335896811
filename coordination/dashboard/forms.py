from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from placements.models import Batch, Programme

from .selectors import FIRST_YEAR, DashboardFilters


def _year_choices():
    return [("", _("Any year"))] + [
        (year, str(year)) for year in range(FIRST_YEAR, timezone.localdate().year + 3)
    ]


class DashboardFilterForm(forms.Form):
    """The dashboard's filters (GET): programme, direction and a range of years."""

    programme = forms.ModelChoiceField(
        label=_("Programme"),
        queryset=Programme.objects.order_by("started_on", "name_en"),
        required=False,
        empty_label=_("All programmes"),
    )
    direction = forms.ChoiceField(
        label=_("Direction"), choices=[("", _("Both directions")), *Batch.Direction.choices], required=False
    )
    year_from = forms.TypedChoiceField(
        label=_("From year"), choices=_year_choices, coerce=int, empty_value=None, required=False
    )
    year_to = forms.TypedChoiceField(
        label=_("To year"), choices=_year_choices, coerce=int, empty_value=None, required=False
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("year_from"), cleaned.get("year_to")
        if start and end and end < start:
            self.add_error("year_to", _("The last year cannot be before the first."))
        return cleaned

    def filters(self):
        """The filters chosen (none when the form is invalid, so the page still shows everything)."""
        if not self.is_valid():
            return DashboardFilters()
        return DashboardFilters(**self.cleaned_data)
