"""Forms of the participant portal: the checklist a coordinator sets, the participant's tick and report."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ChecklistItem, ExchangeReport


class ChecklistItemForm(forms.ModelForm):
    class Meta:
        model = ChecklistItem
        fields = ["title", "help_text", "phase", "due_date", "order"]
        widgets = {
            "help_text": forms.Textarea(attrs={"rows": 2}),
            "due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, batch, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.batch = batch


class ChecklistTickForm(forms.Form):
    """Tick or untick one item; only the items of the placement's own batch are valid choices."""

    item = forms.ModelChoiceField(queryset=ChecklistItem.objects.none(), widget=forms.HiddenInput)
    done = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, placement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = ChecklistItem.objects.filter(batch_id=placement.batch_id)


class ExchangeReportForm(forms.ModelForm):
    SAVE, SUBMIT = "save", "submit"

    class Meta:
        model = ExchangeReport
        fields = list(ExchangeReport.TEXT_FIELDS)
        widgets = {field: forms.Textarea(attrs={"rows": 6}) for field in ExchangeReport.TEXT_FIELDS}
        labels = {
            "learning": _("1. What I learnt, and how it applies to my work in Hong Kong"),
            "connections": _("2. Connections made with counterparts"),
            "goodwill": _("3. Goodwill-ambassador activities"),
            "highlights": _("Highlights"),
            "suggestions": _("Suggestions for the programme"),
        }
