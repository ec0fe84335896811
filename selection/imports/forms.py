from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from placements.models import Batch

from .reading import MAX_BYTES, MAX_ROWS


class NominationUploadForm(forms.Form):
    batch = forms.ModelChoiceField(
        label=_("Batch"),
        queryset=Batch.objects.outbound().select_related("programme").order_by("-start_date"),
        help_text=_("The outbound batch these officers are nominated for."),
    )
    file = forms.FileField(
        label=_("Nominations file"),
        error_messages={"empty": _("The file is empty."), "required": _("Choose the file to upload.")},
        help_text=_("An Excel workbook (.xlsx) or a CSV file, at most %(size)s and %(rows)s rows.")
        % {"size": f"{MAX_BYTES // 1024 // 1024} MB", "rows": f"{MAX_ROWS:,}"},
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,.csv,.txt,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)s; the limit is %(limit)s MB. Split it into smaller files.")
                % {"size": filesizeformat(upload.size), "limit": MAX_BYTES // 1024 // 1024}
            )
        return upload
