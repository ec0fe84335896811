"""Forms of the participant's pages: a checklist tick, the exchange report and My details."""

from django import forms
from django.utils.translation import gettext_lazy as _

from participants.models import Officer
from participants.services import OFFICER_DETAILS_FIELDS
from placements.models import ChecklistItem, DocumentRequirement, ExchangeReport


class ChecklistTickForm(forms.Form):
    """Tick or untick one item; only the items of the placement's own batch are valid choices."""

    item = forms.ModelChoiceField(queryset=ChecklistItem.objects.none(), widget=forms.HiddenInput)
    done = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, placement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = ChecklistItem.objects.filter(batch_id=placement.batch_id)


class ExchangeReportForm(forms.ModelForm):
    # "submit" saves the draft and shows the confirmation page; "confirm" (from that page) submits.
    SAVE, SUBMIT, CONFIRM = "save", "submit", "confirm"

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


class MyDetailsForm(forms.ModelForm):
    """The details an officer keeps current themselves; every other field of their record is not here,
    so a tampered form cannot reach it (and the service ignores it too)."""

    class Meta:
        model = Officer
        fields = OFFICER_DETAILS_FIELDS
        widgets = {
            "mobile_phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
            "emergency_contact_phone": forms.TextInput(attrs={"inputmode": "tel"}),
            "dietary_access_needs": forms.Textarea(attrs={"rows": 3}),
        }


class DocumentUploadForm(forms.Form):
    """One file for one of the placement's document requirements; the file itself is judged by the
    service (placements/documents.py), not by its name or the browser's declared type."""

    requirement = forms.ModelChoiceField(
        queryset=DocumentRequirement.objects.none(), widget=forms.HiddenInput
    )
    file = forms.FileField(
        label=_("File (PDF, JPEG or PNG, up to 10 MB)"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )

    def __init__(self, *args, placement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requirement"].queryset = DocumentRequirement.objects.filter(batch_id=placement.batch_id)


class ConsentForm(forms.Form):
    """The officer's answer to a nomination: the button they press."""

    given = forms.TypedChoiceField(
        choices=[("yes", _("Yes")), ("no", _("No"))], coerce=lambda value: value == "yes"
    )
