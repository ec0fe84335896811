"""core.admin_inlines writes the admin's tabular inlines in Python: every page with such inlines is the
same as with Django's `admin/edit_inline/tabular.html`, in every language, with errors and without, for
CSB staff and for a staff member who may only view."""

import copy
import re
from collections import Counter

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.template import Context, Template
from django.template.loader import get_template
from django.test import override_settings

from core import admin_fieldsets
from core.admin_inlines import QuickTabularInline, SharedFieldsForm
from core.admin_widgets import QuickRelatedLinksMixin
from tests.factories import (
    BatchFactory,
    CallFactory,
    CallHostPlacesFactory,
    CallInvitationFactory,
    CsbStaffFactory,
    HostAreaFactory,
    HostOrganisationFactory,
    PlacementFactory,
    UserFactory,
)

LANGUAGES = ["en", "zh-hant", "zh-hans"]
DJANGO_TEMPLATE = "admin/edit_inline/tabular.html"
DJANGO_RENDERER = "django.forms.renderers.DjangoTemplates"


def _quick_inlines():
    return {
        inline
        for model_admin in admin.site._registry.values()
        for inline in model_admin.inlines
        if issubclass(inline, QuickTabularInline)
    }


def _both(client, url, data=None, monkeypatch=None):
    def page():
        response = client.post(url, data) if data is not None else client.get(url)
        assert response.status_code == 200, url
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())

    ours = page()
    with monkeypatch.context() as patched, override_settings(FORM_RENDERER=DJANGO_RENDERER):
        djangos_own(patched)
        theirs = page()
    return ours, theirs


def djangos_own(patched):
    """The quick inlines and forms as Django's own: its template, its InlineAdminFormSet, its formsets, its
    fieldsets, its pickers' links (and, with FORM_RENDERER set to Django's, its widgets' templates)."""
    for inline in _quick_inlines():
        patched.setattr(inline, "template", DJANGO_TEMPLATE)
    patched.setattr(QuickTabularInline, "admin_formset", None)
    patched.setattr(QuickTabularInline, "get_formset", admin.TabularInline.get_formset)
    patched.setattr(admin_fieldsets, "render_fieldsets", djangos_field_sets)
    patched.setattr(QuickRelatedLinksMixin, "related_wrapper", None)


# Django's change form's `field_sets` block (admin/change_form.html), which core.admin_fieldsets writes.
DJANGO_FIELD_SETS = (
    "{% block field_sets %}\n{% for fieldset in adminform %}\n"
    '  {% include "admin/includes/fieldset.html" with heading_level=2 prefix="fieldset" id_prefix=0 '
    "id_suffix=forloop.counter0 %}\n{% endfor %}\n{% endblock %}"
)


def djangos_field_sets(adminform):
    return Template(DJANGO_FIELD_SETS).render(Context({"adminform": adminform}))


def test_the_field_sets_compared_are_djangos():
    source = get_template("admin/change_form.html").template.source
    assert DJANGO_FIELD_SETS in source


def test_the_portals_tabular_inlines_are_written_in_python():
    names = {inline.__name__ for inline in _quick_inlines()}
    assert {"PlacementInline", "HostAreaInline", "CallInvitationInline", "CallHostPlacesInline"} <= names


@pytest.fixture
def rows():
    batch = BatchFactory()
    PlacementFactory(batch=batch)
    PlacementFactory(batch=batch)
    HostAreaFactory(municipality=batch.host_municipality)
    call = CallFactory()
    CallInvitationFactory(call=call)
    CallHostPlacesFactory(
        call=call, host_organisation=HostOrganisationFactory(municipality=call.batch.host_municipality)
    )
    return {
        "batch": f"/admin/placements/batch/{batch.pk}/change/",
        "new batch": "/admin/placements/batch/add/",
        "municipality": f"/admin/placements/municipality/{batch.host_municipality_id}/change/",
        "call": f"/admin/selection/call/{call.pk}/change/",
        "new call": "/admin/selection/call/add/",
    }


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_pages_with_inlines_are_the_same_either_way(client, rows, language, monkeypatch):
    client.force_login(CsbStaffFactory())
    client.cookies["django_language"] = language
    for name, url in rows.items():
        ours, theirs = _both(client, url, monkeypatch=monkeypatch)
        assert 'data-inline-type="tabular"' in ours, name
        assert ours == theirs, name


@pytest.mark.django_db
def test_a_viewer_gets_the_same_read_only_rows(client, rows, monkeypatch):
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.set(
        Permission.objects.filter(
            codename__in=[
                "view_batch",
                "view_placement",
                "view_call",
                "view_callinvitation",
                "view_municipality",
            ]
        )
    )
    client.force_login(viewer)
    for name in ["batch", "call", "municipality"]:
        ours, theirs = _both(client, rows[name], monkeypatch=monkeypatch)
        assert ours == theirs, name


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_rows_with_errors_are_the_same_either_way(client, rows, language, monkeypatch):
    client.force_login(CsbStaffFactory())
    client.cookies["django_language"] = language
    html = client.get(rows["batch"]).content.decode()
    data = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))
    data.update({"number": "x", "placements-0-start_date": "not a date", "placements-1-officer": "999999"})
    data["placements-0-end_date"] = "2020-01-01"
    data["placements-__prefix__-status"] = "x"
    ours, theirs = _both(client, rows["batch"], data, monkeypatch=monkeypatch)
    assert "errorlist" in ours
    assert ours == theirs


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_the_batch_and_call_forms_queries_do_not_grow_with_rows(client):
    client.force_login(CsbStaffFactory())
    batch = BatchFactory(coordinators=[UserFactory()])
    call = CallFactory()
    organisations = HostOrganisationFactory.create_batch(3, municipality=call.batch.host_municipality)
    batch_url = f"/admin/placements/batch/{batch.pk}/change/"
    call_url = f"/admin/selection/call/{call.pk}/change/"

    def add_rows(count):
        for _ in range(count):
            PlacementFactory(batch=batch)
            CallInvitationFactory(call=call)
        for organisation in organisations[call.host_places.count() :][:count]:
            CallHostPlacesFactory(call=call, host_organisation=organisation)

    add_rows(1)
    _queries(client, batch_url)  # warm the session, the permissions and the content types
    # The session and user; the batch with its programme and municipality and its placements' count
    # (BatchAdmin.object_annotations); its host areas, focus areas and coordinators (the form's initial
    # values, which the pickers show); the rows with their officers. The rows' host areas and organisations
    # and the batch's host area and focus area pickers' choices are cached since the warm-up
    # (placements.reference_choices), 4 queries fewer.
    # (The user is cached since the warm-up: participants.backends.)
    assert _queries(client, batch_url) == 6
    # The session and user; the call with its batch; its grades and ranks; the batch's municipality; the
    # invitations with their departments; the host places with their organisations; the organisations
    # (once for all rows). The grade and rank pickers' choices are cached (reference_choices), 2 fewer.
    _queries(client, call_url)  # warm the grade and rank pickers' choices
    assert _queries(client, call_url) == 8
    add_rows(2)
    # Warm again: the new rows' officers and organisations made the cached users and choices stale.
    _queries(client, batch_url)
    _queries(client, call_url)
    assert _queries(client, batch_url) == 6
    assert _queries(client, call_url) == 8


def _count_building(monkeypatch):
    """Counts, by formset prefix, the empty forms built and the rows wrapped (InlineAdminForm)."""
    from django.contrib.admin import helpers
    from django.forms.formsets import BaseFormSet

    empty, wrapped = Counter(), Counter()
    djangos_empty_form = BaseFormSet.empty_form
    djangos_wrap = helpers.InlineAdminForm.__init__

    def empty_form(self):
        empty[self.prefix] += 1
        return djangos_empty_form.fget(self)

    def wrap(self, formset, *args, **kwargs):
        wrapped[formset.prefix] += 1
        djangos_wrap(self, formset, *args, **kwargs)

    monkeypatch.setattr(BaseFormSet, "empty_form", property(empty_form))
    monkeypatch.setattr(helpers.InlineAdminForm, "__init__", wrap)
    return empty, wrapped


@pytest.mark.django_db
def test_each_inline_builds_its_empty_row_and_wraps_its_rows_once_a_page(client, rows, monkeypatch):
    client.force_login(CsbStaffFactory())
    empty, wrapped = _count_building(monkeypatch)
    assert client.get(rows["batch"]).status_code == 200
    # Two placements and the empty row; Django's own builds the empty row several times and wraps each
    # row three times (for the media, the prepopulated fields' script and the table).
    assert empty == {"placements": 1}
    assert wrapped == {"placements": 3}
    empty.clear()
    wrapped.clear()
    assert client.get(rows["call"]).status_code == 200
    # One invitation, one extra row and the empty row; one host places row and the empty row.
    assert empty == {"invitations": 1, "host_places": 1}
    assert wrapped == {"invitations": 3, "host_places": 2}
    with monkeypatch.context() as patched:
        djangos_own(patched)
        empty.clear()
        wrapped.clear()
        assert client.get(rows["batch"]).status_code == 200
        assert empty["placements"] > 1
        assert wrapped["placements"] > 3


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("bound", [False, True])
def test_fieldsets_of_every_shape_are_written_as_djangos_template_writes_them(language, bound):
    """Lines of one field and of several, checkboxes, hidden and read-only fields, help texts, descriptions,
    collapsible fieldsets (not collapsed when they hold an error), errors on single and shared lines."""
    from django import forms
    from django.contrib.admin import helpers
    from django.utils import translation
    from django.utils.translation import gettext_lazy

    from placements.models import Batch

    class Form(forms.ModelForm):
        agree = forms.BooleanField(required=False, help_text='Tick <b>"it"</b>')
        secret = forms.CharField(widget=forms.HiddenInput, required=False)

        class Meta:
            model = Batch
            fields = ["name", "name_zh", "number", "notes", "start_date"]

        def _post_clean(self):
            pass  # the fields' own errors only

    fieldsets = [
        (None, {"fields": ["name", ("name_zh", "number"), "agree"]}),
        (
            "Dates <&>",
            {
                "fields": [("start_date", "created_at"), "secret"],
                "classes": ["collapse", "wide"],
                "description": "Some <i>text</i>",
            },
        ),
        (gettext_lazy("Status"), {"fields": ["notes", "placements_link", ("agree", "created_at")]}),
        (gettext_lazy("Status"), {"fields": ["name_zh"], "classes": ["collapse"]}),
    ]
    data = {"name": "", "number": "x", "start_date": "no", "agree": "on"} if bound else None
    with translation.override(language):
        form = Form(data, instance=Batch())
        adminform = helpers.AdminForm(
            form,
            fieldsets,
            {},
            readonly_fields=["created_at", "placements_link"],
            model_admin=admin.site._registry[Batch],
        )
        ours = admin_fieldsets.render_fieldsets(adminform)
        assert "field-placements_link" in ours and "checkbox-row" in ours and "form-multiline" in ours
        assert "<details><summary>" in ours and "description" in ours
        assert ("errorlist" in ours) == bound
        assert ours == djangos_field_sets(adminform)


def _rows_with_fields_of_their_own(patched):
    """Each row of a SharedFieldsFormSet with a deep copy of the shared fields, as Django's rows have."""
    shared_init = SharedFieldsForm.__init__

    def own_copy(self, *args, shared_fields=None, **kwargs):
        shared_init(self, *args, shared_fields=copy.deepcopy(shared_fields), **kwargs)

    patched.setattr(SharedFieldsForm, "__init__", own_copy)


@pytest.mark.django_db
def test_rows_sharing_their_fields_are_shown_and_checked_as_rows_with_fields_of_their_own(
    client, monkeypatch
):
    client.force_login(CsbStaffFactory())
    batch = BatchFactory()
    first, second = PlacementFactory(batch=batch), PlacementFactory(batch=batch)
    url = f"/admin/placements/batch/{batch.pk}/change/"

    def both(data=None):
        def page():
            response = client.post(url, data) if data is not None else client.get(url)
            assert response.status_code == 200
            html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())
            return html, response.context["inline_admin_formset"].formset.forms

        shared = page()
        with monkeypatch.context() as patched:
            _rows_with_fields_of_their_own(patched)
            own = page()
        assert shared[0] == own[0]
        return shared

    html, rows = both()
    assert rows[0].fields["officer"] is rows[1].fields["officer"]
    # The fields the formset adds to each row are that row's.
    for name in ["id", "batch", "DELETE"]:
        assert rows[0].fields[name] is not rows[1].fields[name], name
    for row, placement in zip(rows, [first, second], strict=True):
        assert row.instance == placement
        assert f'value="{placement.pk}"' in str(row["id"])
        assert f'<option value="{placement.host_organisation_id}" selected>' in str(row["host_organisation"])

    # An error on the first row only; the second row's new host is shown as posted.
    data = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))
    for index, placement in enumerate([first, second]):
        data.update(
            {
                f"placements-{index}-officer": placement.officer_id,
                f"placements-{index}-host_organisation": placement.host_organisation_id,
                f"placements-{index}-start_date": placement.start_date.isoformat(),
                f"placements-{index}-end_date": placement.end_date.isoformat(),
                f"placements-{index}-status": placement.status,
            }
        )
    data["placements-0-start_date"] = "not a date"
    data["placements-1-host_organisation"] = first.host_organisation_id
    data["number"] = "x"  # the batch refused too: the page comes back with every row as posted
    html, rows = both(data)
    assert rows[0].errors and "start_date" in rows[0].errors
    assert "start_date" not in rows[1].errors
    assert f'<option value="{first.host_organisation_id}" selected>' in str(rows[1]["host_organisation"])
