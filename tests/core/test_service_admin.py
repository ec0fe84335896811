import pytest
from django import forms
from django.core.exceptions import ValidationError

from core.service_admin import add_refusal
from placements.models import FocusArea

pytestmark = pytest.mark.django_db  # the form checks that the name is unique


class FocusAreaNameForm(forms.ModelForm):
    class Meta:
        model = FocusArea
        fields = ["name_en"]


def test_a_refusal_shows_on_its_field_or_above_the_form_named_after_the_field():
    form = FocusAreaNameForm(data={"name_en": "Anything"})
    form.full_clean()
    add_refusal(
        form,
        ValidationError(
            {"name_en": "Taken.", "name_zh": "Also taken.", "__all__": "Not now.", "odd": "Odd."}
        ),
    )
    assert form.errors["name_en"] == ["Taken."]
    assert form.non_field_errors() == ["Chinese name: Also taken.", "Not now.", "odd: Odd."]
    assert "name_en" not in form.cleaned_data


def test_a_refusal_without_fields_shows_above_the_form():
    form = FocusAreaNameForm(data={"name_en": "Anything"})
    form.full_clean()
    add_refusal(form, ValidationError("Refused."))
    assert form.non_field_errors() == ["Refused."]
