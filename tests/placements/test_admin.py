"""The admin as CSB staff use it: every changelist at a fixed number of queries, search, add and change
pages, and saves that go through the services."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from participants.models import Department
from placements.admin import BatchAdmin
from placements.models import Batch, Placement
from tests.factories import (
    AgreementFactory,
    BatchFactory,
    DepartmentFactory,
    FocusAreaFactory,
    GradeFactory,
    HostAreaFactory,
    HostOrganisationFactory,
    MunicipalityFactory,
    OfficerFactory,
    PlacementFactory,
    ProgrammeFactory,
    RankFactory,
    RosterExportFactory,
)

pytestmark = pytest.mark.django_db

ADMIN_MODELS = {
    "participants.department": DepartmentFactory,
    "participants.grade": GradeFactory,
    "participants.rank": RankFactory,
    "participants.officer": OfficerFactory,
    "placements.municipality": MunicipalityFactory,
    "placements.hostarea": HostAreaFactory,
    "placements.hostorganisation": HostOrganisationFactory,
    "placements.focusarea": FocusAreaFactory,
    "placements.programme": ProgrammeFactory,
    "placements.agreement": AgreementFactory,
    "placements.batch": BatchFactory,
    "placements.placement": PlacementFactory,
    "placements.rosterexport": RosterExportFactory,
}


def changelist_url(label):
    app, model = label.split(".")
    return reverse(f"admin:{app}_{model}_changelist")


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("label", ADMIN_MODELS)
def test_changelist_queries_do_not_grow_with_rows(csb_client, label):
    factory = ADMIN_MODELS[label]
    factory.create_batch(3)
    url = changelist_url(label)
    count_queries(csb_client, url)  # warm the session and content-type caches
    with_three = count_queries(csb_client, url)
    factory.create_batch(5)
    count_queries(csb_client, url)  # new users change the permissions' version: cached again (issue 18)
    assert count_queries(csb_client, url) == with_three


def test_placement_changelist_query_count(csb_client, django_assert_num_queries):
    PlacementFactory.create_batch(6)
    url = changelist_url("placements.placement")
    csb_client.get(url)
    # session, a count, the rows with their related objects, the departments' former names. 15 before
    # issue 18: the user and the user's and the group's permissions (cached by the view before), a second
    # count for "(N total)" (core.admin.QuickChangelistMixin), one per sidebar filter (programmes,
    # batches, departments, grades, host areas: core.admin.named_by) and two for the date hierarchy (its
    # first and last dates, then its years: quick_date_hierarchy), both cached under the figures version.
    with django_assert_num_queries(4):
        assert csb_client.get(url).status_code == 200
    # After a write, the filters' options and the dates are read again, and the user (the new placements'
    # officers make the cached users stale): the same 12 for 16 placements as for 6 before.
    PlacementFactory.create_batch(10)
    with django_assert_num_queries(12):
        assert csb_client.get(url).status_code == 200
    with django_assert_num_queries(4):
        assert csb_client.get(url).status_code == 200


def _placement_in(year, **fields):
    start, end = datetime.date(year, 3, 1), datetime.date(year, 3, 30)
    return PlacementFactory(
        batch=BatchFactory(start_date=start, end_date=end), start_date=start, end_date=end, **fields
    )


def test_placement_changelist_dates_are_fresh_and_per_filter(csb_client, csb_user):
    from django.contrib import admin
    from django.contrib.admin.templatetags.admin_list import date_hierarchy
    from django.test import RequestFactory
    from django.urls import resolve

    from core.templatetags.quick_admin_list import quick_date_hierarchy

    url = changelist_url("placements.placement")
    _placement_in(2023)
    _placement_in(2025, status=Placement.Status.COMPLETED)
    page = csb_client.get(url).content.decode()  # cached from here on
    assert "start_date__year=2023" in page and "start_date__year=2025" in page
    assert "start_date__year=2027" not in page
    placement = _placement_in(2027)
    assert "start_date__year=2027" in csb_client.get(url).content.decode()
    placement.delete()
    assert "start_date__year=2027" not in csb_client.get(url).content.decode()
    # Each filter has its own: the completed placements are all of 2025 (its months are shown).
    completed = csb_client.get(url, {"status__exact": "completed"}).content.decode()
    assert "start_date__year=2023" not in completed
    assert "start_date__month=3" in completed
    assert "start_date__year=2023" in csb_client.get(url).content.decode()
    # What is kept is Django's own, cached or not.
    model_admin = admin.site._registry[Placement]
    for query in ({}, {"status__exact": "completed"}, {"start_date__year": "2025"}, {"q": "a"}):
        request = RequestFactory().get(url, query)
        request.resolver_match = resolve(url)
        request.user = csb_user
        for _ in range(2):
            cl = model_admin.get_changelist_instance(request)
            assert quick_date_hierarchy(cl) == date_hierarchy(cl), query


def _filter_options(client, title):
    """The option names of the placement list's sidebar filter `title`."""
    import re

    page = client.get(changelist_url("placements.placement")).content.decode()
    assert f'data-filter-title="{title}"' in page, re.findall(r'data-filter-title="([^"]*)"', page)
    block = page.split(f'data-filter-title="{title}"', 1)[1].split("</details>", 1)[0]
    return re.findall(r'<a href="[^"]*">([^<]*)</a>', block)


def test_placement_changelist_filters_are_fresh_after_every_write(csb_client):
    from django.utils import translation

    from participants.models import Grade
    from placements.models import HostArea, Programme

    placement = PlacementFactory(host_area=HostAreaFactory(name_en="Old Area"))
    PlacementFactory()  # a filter with one option is not shown
    batch, area = placement.batch, placement.host_area
    assert batch.name in _filter_options(csb_client, "batch")  # cached from here on
    # Saves: a batch renamed, a new department, a grade renamed, a programme renamed.
    batch.name = "Renamed batch"
    batch.save()
    DepartmentFactory(name_en="New Department", abbreviation="ND")
    grade = placement.officer.rank.grade
    grade.name_en = "Renamed grade"
    grade.save()
    programme = batch.programme
    programme.name_en = "Renamed programme"
    programme.save()
    assert "Renamed batch" in _filter_options(csb_client, "batch")
    assert "New Department (ND)" in _filter_options(csb_client, "home bureau or department")
    assert any("Renamed grade" in name for name in _filter_options(csb_client, "grade"))
    assert "Renamed programme" in _filter_options(csb_client, "programme")
    # Deletes, one by one as the admin deletes: a host area, a department, a grade, a programme.
    spare = {
        "area": HostAreaFactory(municipality=area.municipality, name_en="Spare Area"),
        "department": DepartmentFactory(name_en="Spare Department", abbreviation="SD"),
        "grade": GradeFactory(name_en="Spare grade"),
        "programme": ProgrammeFactory(name_en="Spare programme"),
    }
    titles = {"area": "host area", "department": "home bureau or department", "grade": "grade"}
    titles["programme"] = "programme"
    for kind, row in spare.items():
        assert any(row.name_en in name for name in _filter_options(csb_client, titles[kind])), kind
    for model, row in zip((HostArea, Department, Grade, Programme), spare.values(), strict=True):
        model.objects.get(pk=row.pk).delete()
    for kind, row in spare.items():
        assert not any(row.name_en in name for name in _filter_options(csb_client, titles[kind])), kind
    # Each language has its own options (a host area is named with its kind, translated).
    english = _filter_options(csb_client, "host area")
    csb_client.cookies["django_language"] = "zh-hant"
    with translation.override("zh-hant"):
        title = str(Placement._meta.get_field("host_area").verbose_name)
    chinese = _filter_options(csb_client, title)
    assert len(chinese) == len(english) > 2
    assert not set(english[1:-1]) & set(chinese)  # but "All" and the empty choice
    del csb_client.cookies["django_language"]
    assert _filter_options(csb_client, "host area") == english


def test_placement_changelist_names_each_department_as_it_was(csb_client):
    from tests.factories import DepartmentFormerNameFactory

    department = DepartmentFactory(name_en="Test Renamed Office", abbreviation="TRO")
    DepartmentFormerNameFactory(
        department=department,
        name_en="Test Former Office",
        abbreviation="TFO",
        renamed_on=datetime.date(2024, 7, 25),
    )
    for year in (2023, 2025, 2023):
        PlacementFactory(
            home_department=department,
            batch=BatchFactory(start_date=datetime.date(year, 3, 1), end_date=datetime.date(year, 3, 30)),
            start_date=datetime.date(year, 3, 1),
            end_date=datetime.date(year, 3, 30),
        )
    page = csb_client.get(changelist_url("placements.placement")).content.decode()
    cells = [line for line in page.split("<td") if 'field-home_department_at_the_time"' in line]
    names = sorted(cell.split(">", 1)[1].split("<", 1)[0] for cell in cells)
    assert names == ["Test Former Office (TFO)", "Test Former Office (TFO)", "Test Renamed Office (TRO)"]


def test_batch_changelist_shows_participant_counts_without_withdrawn(csb_client):
    batch = BatchFactory(name="Counted batch")
    PlacementFactory.create_batch(2, batch=batch)
    PlacementFactory(batch=batch, status=Placement.Status.WITHDRAWN)
    response = csb_client.get(changelist_url("placements.batch"))
    row = next(line for line in response.content.decode().splitlines() if "field-participant_count" in line)
    assert ">2<" in row


@pytest.mark.parametrize(
    ("label", "term", "expected"),
    [
        ("participants.officer", "陳大文", "CHAN Tai-man"),
        ("participants.officer", "tm.chan@", "CHAN Tai-man"),
        ("participants.department", "OGCIO", "Digital Policy Office"),
        ("placements.hostarea", "前海", "Qianhai"),
        ("placements.municipality", "深圳", "Shenzhen"),
    ],
)
def test_admin_search_by_english_chinese_and_email(csb_client, label, term, expected):
    OfficerFactory(name_en="CHAN Tai-man", name_zh="陳大文", email="tm.chan@csb.gov.hk")
    response = csb_client.get(changelist_url(label), {"q": term})
    assert expected in response.content.decode()


@pytest.mark.parametrize("label", ADMIN_MODELS)
def test_add_and_change_pages_open(csb_client, label):
    app, model = label.split(".")
    row = ADMIN_MODELS[label]()
    if label != "placements.rosterexport":
        assert csb_client.get(reverse(f"admin:{app}_{model}_add")).status_code == 200
    assert csb_client.get(reverse(f"admin:{app}_{model}_change", args=[row.pk])).status_code == 200


def test_admin_refuses_a_placement_outside_its_batch_with_the_message_on_the_field(csb_client):
    batch = BatchFactory(start_date=datetime.date(2025, 1, 6), end_date=datetime.date(2025, 4, 4))
    officer = OfficerFactory()
    response = csb_client.post(
        reverse("admin:placements_placement_add"),
        {
            "officer": officer.pk,
            "batch": batch.pk,
            "start_date": "2025-01-06",
            "end_date": "2025-05-01",
            "status": "nominated",
        },
    )
    assert response.status_code == 200
    assert "after its batch ends (4 Apr 2025)" in response.content.decode()
    assert not Placement.objects.exists()


def test_admin_adds_a_placement_through_the_service(csb_client):
    batch = BatchFactory()
    officer = OfficerFactory()
    response = csb_client.post(
        reverse("admin:placements_placement_add"),
        {"officer": officer.pk, "batch": batch.pk, "status": "nominated", "start_date": "", "end_date": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    placement = Placement.objects.get()
    assert placement.start_date == batch.start_date
    assert placement.home_department == officer.home_department


def test_admin_refuses_batch_host_areas_outside_its_municipality(csb_client):
    city = MunicipalityFactory()
    elsewhere = HostAreaFactory(name_en="Elsewhere District")
    response = csb_client.post(
        reverse("admin:placements_batch_add"),
        {
            "programme": ProgrammeFactory().pk,
            "number": 1,
            "name": "New batch",
            "direction": "outbound",
            "status": "planned",
            "host_municipality": city.pk,
            "host_areas": [elsewhere.pk],
            "start_date": "2025-01-06",
            "end_date": "2025-04-04",
            "placements-TOTAL_FORMS": 0,
            "placements-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200
    assert "Elsewhere District not in" in response.content.decode()
    assert not Batch.objects.filter(name="New batch").exists()


def test_participants_and_coordinators_cannot_open_the_admin(client, coordinator_user, officer_with_login):
    for user in (coordinator_user, officer_with_login.user):
        client.force_login(user)
        response = client.get(reverse("admin:index"))
        assert response.status_code == 302
        assert "/admin/login/" in response.url


def test_placement_changelist_shows_the_department_name_in_force_at_the_time(csb_client):
    dpo = Department.objects.get(abbreviation="DPO")
    PlacementFactory(
        home_department=dpo,
        batch=BatchFactory(start_date=datetime.date(2023, 12, 18), end_date=datetime.date(2024, 3, 8)),
    )
    response = csb_client.get(changelist_url("placements.placement"))
    assert "Office of the Government Chief Information Officer (OGCIO)" in response.content.decode()


def test_a_large_batch_links_to_its_placements_instead_of_listing_them_inline(csb_client, monkeypatch):
    monkeypatch.setattr(BatchAdmin, "max_inline_placements", 3)
    small, large = BatchFactory(), BatchFactory()
    PlacementFactory.create_batch(2, batch=small)
    PlacementFactory.create_batch(3, batch=large)
    PlacementFactory(batch=large, status=Placement.Status.WITHDRAWN)  # counted too

    small_page = csb_client.get(reverse("admin:placements_batch_change", args=[small.pk])).content.decode()
    large_page = csb_client.get(reverse("admin:placements_batch_change", args=[large.pk])).content.decode()

    assert 'id="placements-group"' in small_page
    assert 'id="placements-group"' not in large_page
    assert f"?batch__id__exact={large.pk}" in large_page
    assert "All 4 placements of this batch" in large_page


def test_the_admin_writes_dates_as_pages_do_and_takes_chinese_batch_names(csb_client, settings):
    BatchFactory(
        name="Dated batch",
        name_zh="日期批次",
        start_date=datetime.date(2023, 12, 18),
        end_date=datetime.date(2024, 3, 8),
    )
    content = csb_client.get(changelist_url("placements.batch")).content.decode()
    assert "18 Dec 2023" in content and "Dec. 18, 2023" not in content
    assert "Dated batch" in csb_client.get(changelist_url("placements.batch") + "?q=日期").content.decode()
    csb_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hant"
    assert "2023年12月18日" in csb_client.get(changelist_url("placements.batch")).content.decode()


def test_the_admin_welcomes_the_user_surname_first(csb_client, csb_user):
    csb_user.first_name, csb_user.last_name = "Siu-ming", "Lee"
    csb_user.save()
    assert "<strong>LEE Siu-ming</strong>" in csb_client.get("/admin/").content.decode()


@pytest.mark.django_db
def test_placement_change_form_query_count(csb_client):
    placement = PlacementFactory()
    url = reverse("admin:placements_placement_change", args=[placement.pk])
    count_queries(csb_client, url)  # warm the session, the permissions, the user and the content types
    # The session; the placement with its officer (department, rank), batch and department; its focus
    # areas; the host organisation, host area and focus area pickers' choices. The officer, batch and
    # department pickers show the objects read with the placement. (8 before: the department's former
    # names, which the form does not show, were read for the list's column; the list reads them itself
    # now, PlacementAdmin.list_rows; and the user, cached since the warm-up: participants.backends.)
    assert count_queries(csb_client, url) == 6
