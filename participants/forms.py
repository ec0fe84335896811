from django import forms

from .models import Officer
from .services import OFFICER_DETAILS_FIELDS


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
