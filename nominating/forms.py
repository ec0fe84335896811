"""The nominating officers' forms: nominate an officer of their department (or add one), edit a
nomination. Input shape only; every rule is the services' (selection/services/nominations.py)."""

from crispy_forms.helper import FormHelper
from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.names import local_name, local_text
from participants.models import Department, Officer, Rank
from placements.models import FocusArea
from selection.models import Nomination

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

# The new officer's form fields and the service's keyword for each.
NEW_OFFICER_FIELDS = {
    "new_name_en": "name_en",
    "new_name_zh": "name_zh",
    "new_email": "email",
    "new_post_title": "post_title",
    "new_rank": "rank",
}


class _RowChoiceIterator(ModelChoiceIterator):
    """The options of a picker from one plain query of the columns its labels need (`field.columns`,
    labelled by `field.label_from_row`), rather than a model instance per option read through a
    server-side cursor (a DECLARE, FETCHes and a CLOSE on PostgreSQL): the nominate form's officer picker
    lists a department's officers, and their instances were most of the page's time. The same values and
    labels as ModelChoiceIterator's (tests/nominating/test_forms.py); a submitted value is still checked
    against the field's queryset."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for pk, *row in self.queryset.values_list("pk", *self.field.columns):
            yield pk, self.field.label_from_row(*row)


class _NamedChoices:
    """A picker of rows with an English and a Chinese name, labelled in the reader's language."""

    iterator = _RowChoiceIterator
    columns = ("name_en", "name_zh")

    def label_from_instance(self, obj):
        return local_name(obj)

    def label_from_row(self, name_en, name_zh):
        return local_text(name_en, name_zh)


class DepartmentChoiceField(_NamedChoices, forms.ModelChoiceField):
    pass


class FocusAreaField(_NamedChoices, forms.ModelMultipleChoiceField):
    pass


class OfficerChoiceField(forms.ModelChoiceField):
    iterator = _RowChoiceIterator
    columns = (
        "name_en",
        "name_zh",
        "home_department__abbreviation",
        "mainland_body_en",
        "rank__name_en",
        "email",
    )

    def label_from_instance(self, officer):
        return officer.picker_label()

    def label_from_row(self, name_en, name_zh, department, mainland_body, rank, email):
        """Officer.picker_label() from the row's columns."""
        where = department if department is not None else mainland_body
        parts = [f"{name_en} {name_zh}".strip(), where, rank or "", email]
        return " · ".join(part for part in parts if part)


class RankChoiceField(forms.ModelChoiceField):
    iterator = _RowChoiceIterator
    columns = ("name_en", "name_zh", "grade__name_en", "grade__name_zh")

    def label_from_instance(self, rank):
        return f"{local_name(rank.grade)} · {local_name(rank)}"

    def label_from_row(self, name_en, name_zh, grade_en, grade_zh):
        return f"{local_text(grade_en, grade_zh)} · {local_text(name_en, name_zh)}"


class _NominationFields(forms.ModelForm):
    class Meta:
        model = Nomination
        fields = [
            "focus_areas",
            "statement",
            "department_ranking",
            "endorsed_by_name",
            "endorsed_by_post",
            "endorsed_on",
        ]
        widgets = {"statement": forms.Textarea(attrs={"rows": 4}), "endorsed_on": DATE_WIDGET}
        field_classes = {"focus_areas": FocusAreaField}
        help_texts = {
            "endorsed_by_name": _("The head of department or the officer who endorsed this nomination."),
            "endorsed_on": _("The date of the endorsement."),
        }

    def __init__(self, *args, call, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        focus = self.fields["focus_areas"]
        focus.queryset = FocusArea.objects.filter(batches=call.batch).order_by("name_en")
        focus.widget = forms.CheckboxSelectMultiple()
        focus.widget.choices = focus.choices
        focus.help_text = _("The officer's preferred areas among the batch's. Optional.")
        self.fields["endorsed_on"].initial = timezone.localdate


class NominationForm(_NominationFields):
    """Nominate: choose an officer of the department, or add a new one (the import's checks)."""

    department = DepartmentChoiceField(queryset=Department.objects.none(), label=_("Nominating department"))
    officer = OfficerChoiceField(
        queryset=Officer.objects.none(),
        required=False,
        label=_("Officer"),
        help_text=_("An officer of the department. Not listed? Leave this empty and add them below."),
    )
    new_name_en = forms.CharField(
        label=_("English name"),
        required=False,
        max_length=200,
        help_text=_("Surname first, e.g. CHAN Tai-man."),
    )
    new_name_zh = forms.CharField(label=_("Chinese name"), required=False, max_length=60)
    new_email = forms.EmailField(label=_("Official e-mail"), required=False)
    new_post_title = forms.CharField(label=_("Post title"), required=False, max_length=200)
    new_rank = RankChoiceField(queryset=Rank.objects.none(), required=False, label=_("Rank"))

    field_order = ["department", "officer", *NEW_OFFICER_FIELDS]

    def __init__(self, *args, call, departments, officers, **kwargs):
        """`departments`: the nominator's invited departments (a list of them, by abbreviation)."""
        super().__init__(*args, call=call, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(
            pk__in=[department.pk for department in departments]
        ).order_by("abbreviation")
        if len(departments) == 1:
            self.fields["department"].initial = departments[0].pk
        self.fields["officer"].queryset = officers
        self.fields["new_rank"].queryset = Rank.objects.select_related("grade").order_by(
            "grade__name_en", "-seniority", "name_en"
        )

    def clean(self):
        cleaned = super().clean()
        officer = cleaned.get("officer")
        new = {key: cleaned.get(key) for key in NEW_OFFICER_FIELDS}
        if officer is None and not any(new.values()):
            self.add_error("officer", _("Choose an officer, or add a new one below."))
        elif officer is not None and any(new.values()):
            self.add_error(
                "officer", _("Either choose an officer or add a new one, not both: clear one of them.")
            )
        elif (
            officer is not None
            and cleaned.get("department")
            and officer.home_department_id != cleaned["department"].pk
        ):
            self.add_error("officer", _("This officer is not of the nominating department."))
        return cleaned

    def new_officer(self):
        """The new officer's fields for nomination_officer_create, or None when one was chosen."""
        if self.cleaned_data.get("officer") is not None:
            return None
        return {service: self.cleaned_data.get(key) or "" for key, service in NEW_OFFICER_FIELDS.items()} | {
            "rank": self.cleaned_data.get("new_rank")
        }

    def add_service_errors(self, error):
        """A service's refusal on the fields it names (a new officer's on the new officer's fields)."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        back = {service: key for key, service in NEW_OFFICER_FIELDS.items()}
        for name, messages in error.message_dict.items():
            field = back.get(name, name)
            if field == "call" or field not in self.fields:
                field = None
            for message in messages:
                self.add_error(field, message)


class NominationEditForm(_NominationFields):
    def add_service_errors(self, error):
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for name, messages in error.message_dict.items():
            for message in messages:
                self.add_error(name if name in self.fields else None, message)
