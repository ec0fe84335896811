"""The host's two answers to a proposed officer: accept (organisation, role, supervisor) or ask CSB for a
change (a reason). Input shape only; the rules are in selection.services.hosting."""

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from core.names import local_name
from placements.models import HostOrganisation
from selection.models import STATEMENT_MAX_LENGTH


def _helper():
    helper = FormHelper()
    helper.form_tag = False  # the template writes the <form> with its action button
    helper.disable_csrf = True
    return helper


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return local_name(obj)


class HostAcceptForm(forms.Form):
    host_organisation = OrganisationChoiceField(
        label=_("Host organisation"),
        queryset=HostOrganisation.objects.none(),
        empty_label=None,
        help_text=_("Where the officer will work: the organisation proposed, or another you answer for."),
    )
    role = forms.CharField(
        label=_("Role at the host"),
        max_length=250,
        help_text=_("e.g. Special assistant to a deputy district head."),
    )
    role_zh = forms.CharField(
        label=_("Role at the host (Chinese)"),
        max_length=120,
        required=False,
        help_text=_("Optional, e.g. 區長助理."),
    )
    host_supervisor = forms.CharField(
        label=_("Host supervisor"),
        max_length=200,
        help_text=_("Name and post of the officer's supervisor at the host, e.g. LI Ming, Deputy Director."),
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host_organisation"].queryset = organisations
        self.helper = _helper()

    def read_choices(self):
        """The organisations read once for the select, which asks for its first option (may it be
        required?) and then for all of them, a query each. A comprehension, not list(), which would COUNT
        them first. A submitted value is still checked against the queryset."""
        field = self.fields["host_organisation"]
        field.choices = [choice for choice in field.choices]  # noqa: C416
        return self


class HostChangeRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("What should change, and why"),
        max_length=STATEMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "e.g. The bureau's work this spring is in town planning; an officer with that background would "
            "fit better. CSB answers by e-mail."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()
