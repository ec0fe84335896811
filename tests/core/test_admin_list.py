"""core.admin_list writes a changelist's rows once per page: the markup must be Django's own
(`admin_list.items_for_result`), cell for cell, on every changelist of the portal, in every language,
filtered (the change links keep the filters), sorted and in a picker's pop-up."""

from io import StringIO

import pytest
from django.contrib import admin
from django.contrib.admin.templatetags.admin_list import results
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import resolve, reverse
from django.utils import translation

from core.admin_list import quick_results
from tests.factories import DepartmentFactory, GradeFactory, OfficerFactory, RankFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command("load_demo", "--password", "pw", "--force", stdout=StringIO())
    # Names that need escaping, and an officer without rank or account (empty cells).
    department = DepartmentFactory(name_en="Dept <b>\"&'", abbreviation="<i>")
    rank = RankFactory(grade=GradeFactory(name_en="Grade & <grade>"), name_en="Rank <r>")
    OfficerFactory(name_en='Chan <script>"', home_department=department, rank=rank)
    OfficerFactory(name_en="No rank", home_department=department, rank=None, user=None)
    return get_user_model().objects.filter(is_superuser=True).first() or get_user_model().objects.create(
        username="root-for-lists", is_superuser=True, is_staff=True
    )


def _changelist(model_admin, user, query):
    opts = model_admin.model._meta
    path = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    request = RequestFactory().get(path, query)
    request.resolver_match = resolve(path)  # what the preserved filters are read by
    request.user = user
    cl = model_admin.get_changelist_instance(request)
    cl.formset = None  # as changelist_view leaves it without editable columns
    return cl


def _djangos(cl):
    return ["".join(str(cell) for cell in row) for row in results(cl)]


def _ours(cl):
    return ["".join(str(cell) for cell in row) for row in quick_results(cl)]


ADMINS = sorted(
    ((model._meta.label, model_admin) for model, model_admin in admin.site._registry.items()),
    key=lambda item: item[0],
)


@pytest.mark.parametrize("language", ["en", "zh-hant", "zh-hans"])
def test_every_changelist_row_is_djangos(demo, language):
    shown = 0
    with translation.override(language):
        for label, model_admin in ADMINS:
            if model_admin.list_editable:
                continue
            for query in ({}, {"o": "-1"}, {"q": "a"}, {"_popup": "1"}):
                cl = _changelist(model_admin, demo, query)
                ours = _ours(cl)
                assert ours == _djangos(cl), (label, query)
                shown += len(ours)
    assert shown > 500


def test_filtered_rows_link_with_their_filters(demo):
    from placements.models import Placement

    placement = Placement.objects.select_related("batch").first()
    model_admin = admin.site._registry[Placement]
    query = {"batch__programme__id__exact": str(placement.batch.programme_id), "status": placement.status}
    cl = _changelist(model_admin, demo, query)
    ours = _ours(cl)
    assert ours
    assert "_changelist_filters=" in ours[0]
    assert ours == _djangos(cl)


@pytest.mark.parametrize("language", ["en", "zh-hant", "zh-hans"])
def test_dates_are_written_as_django_writes_them(language):
    import datetime

    from django.contrib.admin.utils import display_for_field
    from django.db import models
    from django.utils import timezone

    from core.admin_list import _Dates

    date_field, datetime_field = models.DateField(), models.DateTimeField()
    dates = _Dates()
    with translation.override(language):
        for month in range(1, 13):
            for day in (1, 9, 10, 28):
                day = datetime.date(2026 if month % 2 else 1999, month, day)
                moment = timezone.make_aware(datetime.datetime(day.year, month, day.day, month, day.day * 2))
                assert dates.write(day, date_field) == display_for_field(day, date_field, "-")
                assert dates.write(moment, datetime_field) == display_for_field(moment, datetime_field, "-")
                # UTC, shown in the reader's time zone as Django's admin shows it.
                utc = moment.astimezone(datetime.UTC)
                assert dates.write(utc, datetime_field) == display_for_field(utc, datetime_field, "-")


def test_an_address_with_an_id_is_the_reversed_one():
    from core.admin_list import reverse_with_id

    for pk in (1, 20, 12345):
        for name in ("portal:document_file", "admin:placements_placement_change"):
            assert reverse_with_id(name, pk) == reverse(name, args=[pk])
    assert reverse_with_id("admin:placements_placement_change", "a/b") == reverse(
        "admin:placements_placement_change", args=["a/b"]
    )


@pytest.mark.parametrize("language", ["en", "zh-hant"])
def test_named_by_filters_offer_djangos_options(demo, language):
    from django.contrib.admin import RelatedFieldListFilter

    from placements.models import Placement

    model_admin = admin.site._registry[Placement]
    with translation.override(language):
        cl = _changelist(model_admin, demo, {})
        named = [spec for spec in cl.filter_specs if type(spec).__name__ == "NamedByFilter"]
        assert len(named) == 5
        for spec in named:
            field = spec.field
            request = RequestFactory().get("/admin/")
            request.user = demo
            djangos = RelatedFieldListFilter.field_choices(spec, field, request, model_admin)
            assert spec.lookup_choices == djangos
            assert len(djangos) > 1


def _djangos_filter(spec, cl):
    """A sidebar filter rendered by Django's own admin/filter.html (the portal's overrides it)."""
    from pathlib import Path

    import django
    from django.template import Context, engines

    source = Path(django.__file__).parent / "contrib/admin/templates/admin/filter.html"
    template = engines["django"].engine.from_string(source.read_text())
    return template.render(Context({"title": spec.title, "choices": list(spec.choices(cl)), "spec": spec}))


@pytest.mark.parametrize("language", ["en", "zh-hant", "zh-hans"])
def test_every_sidebar_filter_is_djangos(demo, language):
    from django.contrib.admin.templatetags.admin_list import admin_list_filter
    from django.template.loader import get_template

    from placements.models import Placement

    # The portal's admin/filter.html (its options written by core.admin_list.filter_options) is the one
    # the admin finds.
    assert "django/contrib" not in get_template("admin/filter.html").origin.name.replace("\\", "/")
    placement = Placement.objects.select_related("batch").first()
    placement_filters = {"batch__id__exact": str(placement.batch_id), "status__exact": placement.status}
    options = selected = 0
    with translation.override(language):
        for label, model_admin in ADMINS:
            queries = [{}, {"q": "a"}, {"_facets": "1"}, {"_popup": "1", "o": "-1"}]
            if label == "placements.Placement":
                queries.append({**placement_filters, "q": "a", "_facets": "1"})
            for query in queries:
                cl = _changelist(model_admin, demo, query)
                for spec in cl.filter_specs:
                    ours = admin_list_filter(cl, spec)
                    assert ours == _djangos_filter(spec, cl), (label, query, spec.title)
                    options += ours.count("<li")
                    selected += ours.count('<li class="selected">')
    # Every option of every filter, with and without counts (_facets), links keeping the list's filters.
    assert options > 1000
    assert selected > options // 100
