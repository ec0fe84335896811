"""Forms of the coordinators' pages: the items of a batch's checklist."""

from django import forms

from placements.models import ChecklistItem


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
