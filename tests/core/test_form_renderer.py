"""core.form_renderer writes a <select> in Python: the same markup as Django's templates, in every
language, for the widgets the portal uses, and whole admin forms render the same either way."""

import datetime
import re

import pytest
from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect, FilteredSelectMultiple
from django.forms.renderers import DjangoTemplates
from django.test import Client, override_settings
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from core.form_renderer import PortalFormRenderer
from placements.models import Batch, Placement
from tests.factories import BatchFactory, PlacementFactory

LANGUAGES = ["en", "zh-hant", "zh-hans"]

CHOICES = [
    ("", "---------"),
    ("a", 'A <b>"bold"</b> & co'),
    (1, gettext_lazy("Planned")),
    ("safe", mark_safe("<i>safe</i>")),
    (gettext_lazy("Status"), [("x<", "x & y"), (2, "two")]),
    ("", [("n", "no group name")]),
]


def widgets():
    return [
        forms.Select(choices=CHOICES),
        forms.Select(choices=CHOICES, attrs={"class": 'a"b', "disabled": True, "data-x": 3, "hidden": False}),
        forms.SelectMultiple(choices=CHOICES),
        FilteredSelectMultiple(gettext_lazy("permissions"), is_stacked=False, choices=CHOICES),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("value", [None, "a", 1, ["a", "x<"], "", "nothing"])
def test_a_select_is_written_as_djangos_templates_write_it(language, value):
    ours, theirs = PortalFormRenderer(), DjangoTemplates()
    with translation.override(language):
        for widget in widgets():
            mine = widget.render("field<1>", value, attrs={"id": "id_x"}, renderer=ours)
            django = widget.render("field<1>", value, attrs={"id": "id_x"}, renderer=theirs)
            assert mine == django, type(widget)
        if not isinstance(value, list):
            yes_no = forms.NullBooleanSelect()
            assert yes_no.render("f", value, renderer=ours) == yes_no.render("f", value, renderer=theirs)


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_an_autocomplete_picker_is_written_the_same(language):
    batch = BatchFactory(name='Batch <one> & "two"')
    field = forms.ModelChoiceField(
        Batch.objects.all(), widget=AutocompleteSelect(Placement._meta.get_field("batch"), admin.site)
    )
    with translation.override(language):
        for value in [None, batch.pk]:
            ours = field.widget.render("batch", value, renderer=PortalFormRenderer())
            assert ours == field.widget.render("batch", value, renderer=DjangoTemplates())
            assert value is None or "&lt;one&gt;" in ours


INPUTS = [
    forms.TextInput(attrs={"placeholder": 'Say "hi" <now>', "maxlength": 20, "required": True}),
    forms.HiddenInput(),
    forms.CheckboxInput(),
    forms.DateInput(),
    forms.DateTimeInput(),
    forms.TimeInput(),
    forms.NumberInput(attrs={"step": "0.5", "min": 0}),
    forms.EmailInput(),
    forms.PasswordInput(render_value=True),
    forms.URLInput(),
    forms.Textarea(attrs={"rows": 3}),
    forms.Textarea(),
]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        "plain",
        'a <b>"quoted"</b> & co',
        mark_safe("<i>safe</i>"),
        0,
        12345,
        True,
        False,
        datetime.date(2027, 3, 4),
        datetime.datetime(2027, 3, 4, 5, 6),
        "line\nbreak",
    ],
)
def test_inputs_and_textareas_are_written_as_djangos_templates_write_them(language, value):
    ours, theirs = PortalFormRenderer(), DjangoTemplates()
    with translation.override(language):
        for widget in INPUTS:
            mine = widget.render("field<1>", value, attrs={"id": "id_x", "class": "a&b"}, renderer=ours)
            django = widget.render("field<1>", value, attrs={"id": "id_x", "class": "a&b"}, renderer=theirs)
            assert mine == django, (type(widget), value)


def test_anything_else_goes_to_the_templates():
    ours, theirs = PortalFormRenderer(), DjangoTemplates()
    for widget in [
        forms.RadioSelect(choices=CHOICES),
        forms.TextInput(),
        forms.CheckboxSelectMultiple(choices=CHOICES),
    ]:
        assert widget.render("f", "a", renderer=ours) == widget.render("f", "a", renderer=theirs)
    odd = forms.Select(choices=[((1, 2), "a tuple"), ("d", 5)], attrs={"data-list": (1, 2)})
    assert odd.render("f", None, renderer=ours) == odd.render("f", None, renderer=theirs)


def _page(client, url):
    html = client.get(url).content.decode()
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_admin_forms_are_the_same_either_way(admin_client, language):
    batch = BatchFactory()
    placement = PlacementFactory(batch=batch)
    PlacementFactory(batch=batch)
    admin_client.cookies["django_language"] = language
    urls = [
        f"/admin/placements/batch/{batch.pk}/change/",
        f"/admin/placements/placement/{placement.pk}/change/",
        "/admin/auth/user/add/",
        f"/admin/auth/user/{admin_client.session['_auth_user_id']}/change/",
        "/admin/placements/placement/",
        "/admin/placements/batch/add/",
    ]
    for url in urls:
        ours = _page(admin_client, url)
        with override_settings(FORM_RENDERER="django.forms.renderers.DjangoTemplates"):
            theirs = _page(admin_client, url)
        assert ours == theirs, url


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_portal_forms_are_the_same_either_way(client, officer_with_login, language):
    from tests.factories import CallFactory, NominatingOfficerFactory

    placement = PlacementFactory(officer=officer_with_login)
    client.force_login(officer_with_login.user)
    client.cookies["django_language"] = language
    pages = [(client, "/my/details/"), (client, f"/placements/{placement.pk}/report/")]
    nominator = NominatingOfficerFactory(departments=[officer_with_login.home_department])
    call = CallFactory()
    call.invitations.create(department=officer_with_login.home_department, quota=3)
    nominating = Client()
    nominating.force_login(nominator.user)
    nominating.cookies["django_language"] = language
    pages.append((nominating, f"/nominations/calls/{call.pk}/nominate/"))
    for who, url in pages:
        ours = _page(who, url)
        assert "<input" in ours or "<textarea" in ours, url
        with override_settings(FORM_RENDERER="django.forms.renderers.DjangoTemplates"):
            theirs = _page(who, url)
        assert ours == theirs, url
