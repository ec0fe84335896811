"""includes/form_fields.html writes a form as `{% crispy %}` and `|crispy` do (Bootstrap 5 pack), compared as
tags with their attributes and the text between them: unbound, bound with field and form errors, in three
languages."""

from html.parser import HTMLParser

import pytest
from django import forms
from django.template import Context, Template
from django.utils import translation

from coordination.forms import ChecklistItemForm
from hosting.forms import HostAcceptForm, HostChangeRequestForm
from placements.models import HostOrganisation
from portal.forms import MyDetailsForm
from tests.factories import BatchFactory, HostOrganisationFactory, OfficerFactory

CRISPY = Template("{% load crispy_forms_tags %}{% crispy form %}")
OURS = Template('{% include "includes/form_fields.html" %}')


class _Canonical(HTMLParser):
    """The markup as a list of tags (attributes sorted: their order means nothing) and the text between
    them with its whitespace collapsed."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []

    def handle_starttag(self, tag, attrs):
        self.parts.append((tag, sorted(attrs)))

    def handle_endtag(self, tag):
        self.parts.append(("/" + tag,))

    def handle_data(self, data):
        if data.strip():
            self.parts.append(" ".join(data.split()))


def _canonical(html):
    parser = _Canonical()
    parser.feed(html)
    return parser.parts


def _both(make_form):
    """crispy's markup and ours, each of a form of its own (crispy sets classes on the form's widgets)."""
    return (
        _canonical(CRISPY.render(Context({"form": make_form()}))),
        _canonical(OURS.render(Context({"form": make_form()}))),
    )


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "zh-hant", "zh-hans"])
def test_the_host_forms_are_written_as_crispy_writes_them(language):
    HostOrganisationFactory.create_batch(2)
    organisations = HostOrganisation.objects.order_by("name_en")

    def unbound():
        return HostAcceptForm(organisations=organisations, prefix="accept")

    def bound():
        form = HostAcceptForm(
            {"accept-role": "", "accept-role_zh": "區長助理", "accept-host_supervisor": "<b>" + "x" * 300},
            organisations=organisations,
            prefix="accept",
        )
        form.is_valid()
        form.add_error(None, "The placement is no longer <awaiting> the host.")
        return form

    def change_unbound():
        return HostChangeRequestForm(prefix="change")

    def change_bound():
        form = HostChangeRequestForm({"change-reason": ""}, prefix="change")
        form.is_valid()
        return form

    with translation.override(language):
        for make_form in (unbound, bound, change_unbound, change_bound):
            crispy, ours = _both(make_form)
            assert ours == crispy
            assert len(ours) > 10  # a field at least: label, widget, help


def test_a_widget_it_does_not_write_is_refused():
    class WithFile(forms.Form):
        attachment = forms.FileField()

    with pytest.raises(TypeError, match="use crispy"):
        OURS.render(Context({"form": WithFile()}))


CRISPY_FILTER = Template("{% load crispy_forms_tags %}{{ form|crispy }}")
OURS_FOR_FILTER = Template('{% include "includes/form_fields.html" with block_errors=True %}')


def _assert_written_as_the_filter_writes(language, *make_forms):
    with translation.override(language):
        for make_form in make_forms:
            crispy = _canonical(CRISPY_FILTER.render(Context({"form": make_form()})))
            ours = _canonical(OURS_FOR_FILTER.render(Context({"form": make_form()})))
            assert ours == crispy
            assert len(ours) > 40


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "zh-hant", "zh-hans"])
def test_my_details_are_written_as_the_crispy_filter_writes_them(language):
    officer = OfficerFactory(mobile_phone="+852 9123 4567", dietary_access_needs="<Halal>")

    def unbound():
        return MyDetailsForm(instance=officer)

    def bound():
        form = MyDetailsForm(
            {"mobile_phone": "x" * 300, "dietary_access_needs": "<b>", "email_reminders": "on"},
            instance=officer,
        )
        form.is_valid()
        form.add_error("email_reminders", "Not <now>.")
        return form

    _assert_written_as_the_filter_writes(language, unbound, bound)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "zh-hant", "zh-hans"])
def test_a_checklist_item_is_written_as_the_crispy_filter_writes_it(language):
    batch = BatchFactory()

    def unbound():
        return ChecklistItemForm(batch=batch)

    def bound():
        form = ChecklistItemForm(
            {"title": "", "help_text": "<i>", "phase": "nope", "due_date": "31/02", "order": "x"}, batch=batch
        )
        form.is_valid()
        return form

    _assert_written_as_the_filter_writes(language, unbound, bound)
