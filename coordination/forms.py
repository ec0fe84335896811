"""Forms of the coordinators' pages: the items of a batch's checklist, its document requirements and the
review of documents."""

from django import forms
from django.utils.translation import gettext_lazy as _

from placements.models import Batch, ChecklistItem, DocumentRequirement


class ChecklistItemForm(forms.ModelForm):
    class Meta:
        model = ChecklistItem
        fields = ["title", "title_zh", "help_text", "phase", "kind", "due_date", "order"]
        widgets = {
            "help_text": forms.Textarea(attrs={"rows": 2}),
            "due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, batch, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.batch = batch
        # Left out, an item is one the participant ticks (the model's default).
        self.fields["kind"].required = False

    def clean_kind(self):
        return self.cleaned_data.get("kind") or ChecklistItem.Kind.MANUAL


class DocumentRequirementForm(forms.ModelForm):
    """A document the batch's participants hand in; the blank form is checked like any upload."""

    accepted_types = forms.MultipleChoiceField(
        label=_("File types accepted"),
        choices=DocumentRequirement.FILE_TYPE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        initial=["pdf", "jpeg", "png"],
    )
    blank_form_file = forms.FileField(label=_("Blank form to download (optional)"), required=False)
    remove_blank_form = forms.BooleanField(label=_("Remove the blank form"), required=False)

    class Meta:
        model = DocumentRequirement
        fields = [
            "name_en",
            "name_zh",
            "description",
            "required",
            "applies_to",
            "due_date",
            "checklist_item",
            "order",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, batch, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.batch = batch
        self.fields["checklist_item"].queryset = ChecklistItem.objects.filter(batch=batch)
        if self.instance.pk:
            self.initial["accepted_types"] = self.instance.type_list
        if not self.instance.blank_form:
            del self.fields["remove_blank_form"]

    def clean_accepted_types(self):
        return ",".join(self.cleaned_data["accepted_types"])

    def _post_clean(self):
        self.instance.accepted_types = self.cleaned_data.get("accepted_types", "")
        super()._post_clean()


class DocumentReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it is returned"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class RequirementsCopyForm(forms.Form):
    source = forms.ModelChoiceField(label=_("Copy the requirements of"), queryset=Batch.objects.none())

    def __init__(self, *args, batches, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = batches
