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


def _wrapped(**flags):
    from django.contrib.admin.widgets import RelatedFieldWidgetWrapper

    rel = Placement._meta.get_field("batch").remote_field
    return RelatedFieldWidgetWrapper(forms.Select(choices=CHOICES), rel, admin.site, **flags)


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("hidden", [False, True])
def test_a_related_widget_wrapper_is_written_as_djangos_template_writes_it(language, hidden):
    ours, theirs = PortalFormRenderer(), DjangoTemplates()
    flags = ["can_add_related", "can_change_related", "can_delete_related", "can_view_related"]
    with translation.override(language):
        for mask in range(16):
            wrapper = _wrapped(**{flag: bool(mask & (1 << bit)) for bit, flag in enumerate(flags)})
            if hidden:
                wrapper.widget = forms.HiddenInput()
            for value in [None, "a"]:
                mine = wrapper.render("field<1>", value, attrs={"id": "id_x"}, renderer=ours)
                django = wrapper.render("field<1>", value, attrs={"id": "id_x"}, renderer=theirs)
                assert mine == django, (mask, value)


@pytest.mark.parametrize("language", LANGUAGES)
def test_admin_dates_and_times_labels_and_errors_are_written_the_same(language):
    from django.contrib.admin.widgets import AdminDateWidget, AdminSplitDateTime, AdminTimeWidget
    from django.forms.utils import ErrorList

    ours, theirs = PortalFormRenderer(), DjangoTemplates()

    class Form(forms.Form):
        day = forms.DateField(widget=AdminDateWidget, label='Day <b>"one"</b>')
        hour = forms.TimeField(widget=AdminTimeWidget, label=gettext_lazy("Status"), label_suffix="")
        when = forms.SplitDateTimeField(widget=AdminSplitDateTime)
        safe = forms.CharField(label=mark_safe("<i>safe</i>?"))

    with translation.override(language):
        for data in [None, {"day": "not a day", "hour": "<25:00>", "when_0": "x"}]:
            for renderer in (ours, theirs):
                renderer.form = Form(data, renderer=renderer)
            mine, django = ours.form, theirs.form
            mine.is_bound and mine.add_error(None, ['Two <errors> & "more"', mark_safe("<b>safe</b>")])
            django.is_bound and django.add_error(None, ['Two <errors> & "more"', mark_safe("<b>safe</b>")])
            assert str(mine) == str(django)
            assert str(mine.non_field_errors()) == str(django.non_field_errors())
            for name in Form.base_fields:
                assert str(mine[name]) == str(django[name]), name
                assert mine[name].label_tag() == django[name].label_tag(), name
                assert mine[name].label_tag(attrs={"class": "required"}) == django[name].label_tag(
                    attrs={"class": "required"}
                )
                assert str(mine[name].errors) == str(django[name].errors), name
            for errors in [ErrorList(), ErrorList(["<x>"], error_class="nonfield", field_id="id_<x>")]:
                errors.renderer = ours
                mine_errors = str(errors)
                errors.renderer = theirs
                assert mine_errors == str(errors)


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_an_admin_form_with_errors_is_the_same_either_way(admin_client, language):
    batch = BatchFactory()
    PlacementFactory(batch=batch)
    admin_client.cookies["django_language"] = language
    url = f"/admin/placements/batch/{batch.pk}/change/"
    data = {"number": "x", "start_date": "not a date", "placements-TOTAL_FORMS": "0"}
    data.update({"placements-INITIAL_FORMS": "0", "placements-MIN_NUM_FORMS": "0"})
    data["placements-MAX_NUM_FORMS"] = "1000"

    def page():
        html = admin_client.post(url, data).content.decode()
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)

    ours = page()
    assert "errorlist" in ours
    with override_settings(FORM_RENDERER="django.forms.renderers.DjangoTemplates"):
        assert ours == page()


@pytest.mark.parametrize("language", LANGUAGES)
def test_quick_escape_is_conditional_escape(language):
    from django.utils.html import conditional_escape

    from core.form_renderer import quick_escape

    class Subclass(str):
        pass

    class Html:
        def __html__(self):
            return "<b>as is</b>"

    values = [
        "",
        "plain",
        "a <b>\"quoted\"</b> & 'co'",
        mark_safe("<i>safe</i> &amp;"),
        gettext_lazy("Status"),
        Subclass("<sub> & class"),
        Html(),
        0,
        12.5,
        None,
        datetime.date(2027, 3, 4),
    ]
    with translation.override(language):
        for value in values:
            assert quick_escape(value) == conditional_escape(value), repr(value)


PLAIN_CHOICES = [
    ("", "---------"),
    ("a", 'A <b>"bold"</b> & co'),
    (1, gettext_lazy("Planned")),
    ("safe", mark_safe("<i>safe</i>")),
    ("a", "the same value again"),
    (None, "none"),
]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("value", [None, "", "a", 1, "1", "safe", "nothing", ["a", 1]])
def test_a_select_with_written_choices_is_written_as_djangos_templates_write_it(language, value):
    import copy

    from core.form_renderer import QuickSelect, WrittenChoices

    written = WrittenChoices(PLAIN_CHOICES)
    with translation.override(language):
        for attrs in [{"id": "id_x"}, {"id": "id_x", "class": 'a"b', "required": True, "disabled": False}]:
            djangos = forms.Select(choices=PLAIN_CHOICES)
            django = djangos.render("f<1>", value, attrs, renderer=DjangoTemplates())
            quick = QuickSelect(choices=written)
            assert quick.render("f<1>", value, attrs, renderer=PortalFormRenderer()) == django
            # A row's copy shares what was written; Django's templates write it as Django's Select does.
            row = copy.deepcopy(quick)
            assert row.choices._written is written._written
            assert row.render("f<1>", value, attrs, renderer=PortalFormRenderer()) == django
            assert row.render("f<1>", value, attrs, renderer=DjangoTemplates()) == django
    assert set(written._written) == {language}


@pytest.mark.parametrize("language", LANGUAGES)
def test_choices_that_cannot_be_written_once_go_to_the_templates(language):
    from core.form_renderer import QuickSelect, WrittenChoices

    with translation.override(language):
        for choices in [CHOICES, [("a", 5), ("b", "b")], [], [(("t", 1), "tuple")]]:
            for value in [None, "a", "x<"]:
                django = forms.Select(choices=choices).render("f", value, renderer=DjangoTemplates())
                quick = QuickSelect(choices=WrittenChoices(choices))
                assert quick.render("f", value, renderer=PortalFormRenderer()) == django, choices


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_pickers_links_reversed_once_are_djangos(language):
    from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
    from django.urls import reverse

    from core.admin_widgets import QuickRelatedFieldWidgetWrapper, SafeAutocompleteSelect, cached_reverse

    rel = Placement._meta.get_field("batch").remote_field
    flags = ["can_add_related", "can_change_related", "can_delete_related", "can_view_related"]
    with translation.override(language):
        for mask in range(16):
            kwargs = {flag: bool(mask & (1 << bit)) for bit, flag in enumerate(flags)}
            for _ in range(2):  # reversed, then kept
                ours = QuickRelatedFieldWidgetWrapper(forms.Select(), rel, admin.site, **kwargs)
                django = RelatedFieldWidgetWrapper(forms.Select(), rel, admin.site, **kwargs)
                assert ours.get_context("batch", None, {}) == django.get_context("batch", None, {})
        picker = SafeAutocompleteSelect(Placement._meta.get_field("batch"), admin.site)
        assert picker.get_url() == reverse("admin:autocomplete")
        assert cached_reverse("admin:placements_batch_change", ["7"]) == reverse(
            "admin:placements_batch_change", args=["7"]
        )


@pytest.mark.django_db
@pytest.mark.parametrize("required", [False, True])
def test_an_autocomplete_picker_with_nothing_chosen_is_djangos_without_its_query(required, monkeypatch):
    from django.contrib.admin.widgets import AutocompleteMixin, AutocompleteSelectMultiple

    from core.admin_widgets import SafeAutocompleteSelect, SafeAutocompleteSelectMultiple

    djangos_optgroups = AutocompleteMixin.optgroups
    queried = []

    def optgroups(self, *args, **kwargs):
        queried.append(type(self))
        return djangos_optgroups(self, *args, **kwargs)

    monkeypatch.setattr(AutocompleteMixin, "optgroups", optgroups)
    field = Placement._meta.get_field("batch")
    for ours, djangos in [
        (SafeAutocompleteSelect, AutocompleteSelect),
        (SafeAutocompleteSelectMultiple, AutocompleteSelectMultiple),
    ]:
        for value in [None, "", [], [""]]:
            widgets = []
            for kind in [ours, djangos]:
                widget = kind(field, admin.site)
                widget.choices = forms.ModelChoiceField(Batch.objects.all(), required=required).choices
                widget.is_required = required
                widgets.append(widget)
            assert widgets[0].render("batch", value) == widgets[1].render("batch", value), (ours, value)
    assert queried and ours not in queried and SafeAutocompleteSelect not in queried
