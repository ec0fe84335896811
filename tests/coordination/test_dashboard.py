import datetime
import re

import pytest
from django.urls import reverse

from coordination.dashboard.charts import horizontal_bars, nice_ticks, shorten, year_columns
from coordination.dashboard.selectors import DashboardFilters, completion_of_running_batches
from placements.models import Batch, ExchangeReport, FocusArea, Placement
from tests.factories import (
    BatchFactory,
    ChecklistCompletionFactory,
    ChecklistItemFactory,
    CoordinatorUserFactory,
    ExchangeReportFactory,
    HostAreaFactory,
    OfficerFactory,
    ParticipantUserFactory,
    PlacementFactory,
    ProgrammeFactory,
)

pytestmark = pytest.mark.django_db
URL = "/dashboard/"


def make_batch(
    n, *, direction=Batch.Direction.OUTBOUND, year=2010, coordinators=(), status="completed", **kw
):
    """A batch of `n` placements with host areas and focus areas, so every chart has rows."""
    area = HostAreaFactory()
    batch = BatchFactory(
        direction=direction,
        host_municipality=area.municipality,
        host_areas=[area],
        start_date=datetime.date(year, 3, 1),
        end_date=datetime.date(year, 5, 31),
        coordinators=list(coordinators),
        status=status,
        **kw,
    )
    focus = list(FocusArea.objects.all()[:2])
    for i in range(n):
        officer = OfficerFactory(mainland=True) if direction == Batch.Direction.INBOUND else OfficerFactory()
        PlacementFactory(batch=batch, officer=officer, host_area=area, focus_areas=[focus[i % 2]])
    return batch


def test_anonymous_users_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_participants_are_refused(client):
    client.force_login(ParticipantUserFactory())
    assert client.get(URL).status_code == 403


def test_csb_staff_see_every_batch(csb_client):
    make_batch(3, year=2005)
    make_batch(2, direction=Batch.Direction.INBOUND, year=2006)
    page = csb_client.get(URL).content.decode()
    assert re.search(r"<dt>Participants</dt><dd[^>]*>5</dd>", page)
    assert re.search(r"<dt>Inbound</dt><dd[^>]*>2</dd>", page)


def test_coordinators_see_only_their_batches(coordinator_client, coordinator_user):
    mine = make_batch(3, year=2012, coordinators=[coordinator_user])
    make_batch(4, year=2012, coordinators=[CoordinatorUserFactory()])
    response = coordinator_client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert re.search(r"<dt>Participants</dt><dd[^>]*>3</dd>", page)
    assert mine.host_municipality.name_en in page
    assert response.context["totals"]["all"] == 3


def test_withdrawn_placements_are_not_counted(csb_client):
    batch = make_batch(3)
    Placement.objects.filter(pk=batch.placements.first().pk).update(status=Placement.Status.WITHDRAWN)
    assert csb_client.get(URL).context["totals"]["all"] == 2


def test_the_query_count_does_not_grow_with_the_data(csb_client, django_assert_num_queries):
    make_batch(3, year=2004)
    make_batch(2, direction=Batch.Direction.INBOUND, year=2005)
    make_batch(2, year=2026, status="in_progress")
    # session, user, the user's permissions and their groups' permissions, the programmes of the filter,
    # then one query per figure: per year, departments (by department and start day, then those
    # departments and their former names: three), grades, municipalities, areas, focus areas, and the
    # current batches, the completion of running batches, the pipeline of running calls; and the
    # navigation's user.officer.
    with django_assert_num_queries(17):
        csb_client.get(URL)
    for year in range(2006, 2012):
        make_batch(4, year=year, status="in_progress" if year % 2 else "completed")
    with django_assert_num_queries(17):
        response = csb_client.get(URL)
    assert response.context["totals"]["all"] == 7 + 24


def test_the_query_count_for_a_coordinator_with_filters(
    coordinator_client, coordinator_user, django_assert_num_queries
):
    programme = ProgrammeFactory()
    for year in (2010, 2011, 2012):
        make_batch(3, year=year, programme=programme, coordinators=[coordinator_user])
    # As above, plus the chosen programme checked by the form.
    with django_assert_num_queries(18):
        response = coordinator_client.get(
            URL, {"programme": programme.pk, "direction": "outbound", "year_from": 2011, "year_to": 2012}
        )
    assert response.context["totals"]["all"] == 6


def test_filters_by_programme_direction_and_years(csb_client):
    programme = ProgrammeFactory()
    make_batch(3, year=2008, programme=programme)
    make_batch(2, year=2015, programme=programme)
    make_batch(4, direction=Batch.Direction.INBOUND, year=2015, programme=programme)
    make_batch(5, year=2015)
    get = lambda **q: csb_client.get(URL, q).context["totals"]  # noqa: E731
    assert get(programme=programme.pk)["all"] == 9
    assert get(programme=programme.pk, direction="inbound")["all"] == 4
    assert get(programme=programme.pk, year_from=2010)["all"] == 6
    assert get(year_to=2010)["all"] == 3


def test_a_reversed_year_range_is_refused_and_everything_shown(csb_client):
    make_batch(2, year=2010)
    response = csb_client.get(URL, {"year_from": 2015, "year_to": 2010})
    assert response.context["form"].errors["year_to"]
    assert response.context["totals"]["all"] == 2


def test_charts_are_svg_with_their_figures_as_tables_and_no_inline_styles(csb_client):
    make_batch(3, year=2010)
    make_batch(2, year=2026, status="in_progress")
    page = csb_client.get(URL).content.decode()
    assert page.count('<svg class="chart"') == 8  # per year, 5 categories, timeline, completion
    assert page.count('<details class="chart-table">') == 8
    assert 'role="img"' in page
    assert "style=" not in page and "<script>" not in page
    # Numbers in SVG attributes are never localised (no decimal commas).
    assert not re.search(r'(x|y|width|height)="\d+,\d', page)


def test_empty_dashboard_says_so(csb_client):
    page = csb_client.get(URL, {"year_from": 2002, "year_to": 2002}).content.decode()
    assert "No placements match these filters yet." in page


def test_the_demo_makes_the_dashboard_meaningful(csb_client, settings):
    from io import StringIO

    from django.core.management import call_command

    settings.DEBUG = True
    call_command("load_demo", "--password", "pw", stdout=StringIO())
    response = csb_client.get(URL)
    years = {column.label for column in response.context["per_year"].columns if column.total}
    assert {"2002", "2003", "2024"} <= years
    assert len(response.context["timeline"].lanes) >= 3


def test_a_placement_counts_in_every_year_it_runs(csb_client):
    """Issue 14: the 2023-24 batch counts in 2023 and in 2024 (as /batches/?year=2024 lists it); the
    totals count each placement once, and the chart says so."""
    batch = make_batch(3, year=2023)
    batch.placements.update(end_date=datetime.date(2024, 3, 8))
    Batch.objects.filter(pk=batch.pk).update(end_date=datetime.date(2024, 3, 8))
    response = csb_client.get(URL)
    columns = {column.label: column.total for column in response.context["per_year"].columns}
    assert columns["2023"] == columns["2024"] == 3
    assert response.context["totals"]["all"] == 3
    assert "counted in every year it runs" in response.content.decode()
    only_2024 = csb_client.get(URL, {"year_from": 2024, "year_to": 2024})
    assert only_2024.context["totals"]["all"] == 3
    assert {c.label: c.total for c in only_2024.context["per_year"].columns} == {"2024": 3}


def test_departments_are_named_as_at_the_time_with_the_current_name_beside(csb_client):
    """Issue 14: filtered to a 2023-24 batch, the chart and its table say OGCIO, now the DPO; a placement
    after the rename says the Digital Policy Office alone."""
    from participants.models import Department

    dpo = Department.objects.get(abbreviation="DPO")
    old = make_batch(0, year=2023)
    new = make_batch(0, year=2025)
    for batch in (old, new):
        PlacementFactory(batch=batch, officer=OfficerFactory(home_department=dpo))
    html = csb_client.get(URL).content.decode()
    assert "Office of the Government Chief Information Officer (now Digital Policy Office)" in html
    bars = csb_client.get(URL).context["departments"].bars
    assert [bar.full_label for bar in bars].count("Digital Policy Office") == 1
    assert "OGCIO (now DPO)" in [bar.label for bar in bars]  # the bar's own label is short
    response = csb_client.get(URL, {"year_from": 2023, "year_to": 2023}, HTTP_ACCEPT_LANGUAGE="zh-hant")
    [bar] = response.context["departments"].bars
    assert "政府資訊科技總監辦公室" in bar.full_label and "數字政策辦公室" in bar.full_label


def test_nice_ticks_and_shortening():
    assert nice_ticks(0) == [0, 1]
    assert nice_ticks(17) == [0, 5, 10, 15, 20]
    assert nice_ticks(3) == [0, 1, 2, 3]
    assert shorten("Environmental Protection Department", 20) == "Environmental Prote…"
    assert shorten("環境保護署", 10) == "環境保護署"
    assert shorten("深圳市前海深港現代服務業合作區管理局", 10) == "深圳市前…"


def test_geometry_stacks_directions_and_groups_the_rest():
    chart = year_columns(
        [
            {"year": 2003, "direction": "outbound", "count": 4},
            {"year": 2003, "direction": "inbound", "count": 2},
        ],
        series=[("outbound", "a", "Out"), ("inbound", "b", "In")],
        first_year=2002,
        last_year=2004,
    )
    column = chart.columns[1]
    assert column.total == 6 and column.values == [4, 2]
    low, high = column.segments
    assert high.y + high.height == pytest.approx(low.y)
    rows = [{"name_en": f"D{i}", "name_zh": "", "count": 20 - i} for i in range(15)]
    bars = horizontal_bars(rows, language="en", limit=12, other_label="Others")
    assert len(bars.bars) == 13 and bars.bars[-1].label == "Others"
    assert bars.others == 8 + 7 + 6 and bars.total == sum(r["count"] for r in rows)


def test_completion_of_running_batches_counts_ticks_and_submitted_reports(csb_user):
    batch = make_batch(4, year=2026, status="in_progress")
    placements = list(batch.placements.order_by("pk"))
    items = ChecklistItemFactory.create_batch(2, batch=batch)
    for placement in placements[:2]:
        for item in items:
            ChecklistCompletionFactory(placement=placement, item=item)
    ExchangeReportFactory(placement=placements[0], status=ExchangeReport.Status.SUBMITTED)
    ExchangeReportFactory(placement=placements[1], status=ExchangeReport.Status.DRAFT)
    withdrawn = placements[3]
    withdrawn.status = Placement.Status.WITHDRAWN
    withdrawn.save()
    make_batch(2, year=2026, status="completed")  # not running: left out

    rows = completion_of_running_batches(user=csb_user, filters=DashboardFilters())

    assert [row["batch"].pk for row in rows] == [batch.pk]
    # 3 active participants x 2 items = 6 possible ticks, 4 done; 1 of 3 reports submitted.
    assert (rows[0]["checklist_percent"], rows[0]["report_percent"]) == (67, 33)


def test_completion_shows_on_the_dashboard_with_its_table(csb_client):
    batch = make_batch(2, year=2026, status="in_progress")
    ChecklistItemFactory(batch=batch)
    content = csb_client.get(URL).content.decode()
    assert "Checklists and reports of running batches" in content
    assert batch.name in content


def test_a_coordinator_sees_the_completion_of_their_batches_only(coordinator_client, coordinator_user):
    mine = make_batch(2, year=2026, status="in_progress", coordinators=[coordinator_user])
    other = make_batch(2, year=2026, status="in_progress")
    content = coordinator_client.get(URL).content.decode()
    assert mine.name in content
    assert other.name not in content
