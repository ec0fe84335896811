"""The selection pipeline of running calls: its figures, on the coordinator's batch page and the dashboard,
scoped like the batches, in a fixed number of queries."""

import datetime

import pytest
from django.urls import reverse

from placements.models import Placement
from selection.models import Call, Nomination
from selection.selectors.pipeline import batch_pipeline, running_calls_pipeline
from tests.factories import (
    BatchFactory,
    CallFactory,
    CallInvitationFactory,
    CoordinatorUserFactory,
    CsbStaffFactory,
    HostCoordinatorFactory,
    NominatingOfficerFactory,
    NominationFactory,
    PlacementFactory,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
GIVEN = Nomination.Consent.GIVEN


def pipeline_call(batch=None, **fields):
    """A call with every step filled: 7 departments invited (one without nominations, and each nominee's
    own), 6 nominations of which 1 withdrawn, so 5 nominated; 3 of those consented; 1 shortlisted; 2
    selected, 1 of them confirmed by the host."""
    call = CallFactory(
        batch=batch
        or BatchFactory(
            start_date=TODAY + datetime.timedelta(days=60), end_date=TODAY + datetime.timedelta(days=120)
        ),
        **fields,
    )
    CallInvitationFactory(call=call)
    NominationFactory(call=call)
    NominationFactory(call=call, status=Nomination.Status.WITHDRAWN, consent=GIVEN)
    NominationFactory(call=call, status=Nomination.Status.SHORTLISTED)
    for confirmed in (True, False):
        nomination = NominationFactory(call=call, status=Nomination.Status.SELECTED, consent=GIVEN)
        nomination.placement = PlacementFactory(
            officer=nomination.officer,
            batch=call.batch,
            status=Placement.Status.CONFIRMED if confirmed else Placement.Status.NOMINATED,
        )
        nomination.save()
    NominationFactory(call=call, consent=GIVEN)
    return call


def test_batch_pipeline_counts_each_step(django_assert_num_queries):
    call = pipeline_call()
    # The call with its counts: one query.
    with django_assert_num_queries(1):
        pipeline = batch_pipeline(batch=call.batch)
    assert pipeline.steps == [
        ("invited", 7),
        ("nominated", 5),
        ("consented", 3),
        ("shortlisted", 1),
        ("selected", 2),
        ("host_confirmed", 1),
    ]
    assert pipeline.places == call.places


def test_no_pipeline_without_a_call_or_for_a_draft():
    assert batch_pipeline(batch=BatchFactory()) is None
    assert batch_pipeline(batch=CallFactory(status=Call.Status.DRAFT).batch) is None


def test_running_calls_are_open_ones_and_finished_ones_before_their_batch_starts():
    open_call = pipeline_call()
    waiting = pipeline_call(status=Call.Status.CLOSED)
    started = CallFactory(
        status=Call.Status.CLOSED,
        batch=BatchFactory(
            start_date=TODAY - datetime.timedelta(days=1), end_date=TODAY + datetime.timedelta(days=30)
        ),
    )
    CallFactory(status=Call.Status.DRAFT)
    calls = [p.call for p in running_calls_pipeline(user=CsbStaffFactory())]
    assert open_call in calls and waiting in calls
    assert started not in calls and len(calls) == 2


def test_coordinators_see_only_their_batches_calls():
    coordinator = CoordinatorUserFactory()
    mine = pipeline_call(
        batch=BatchFactory(
            coordinators=[coordinator],
            start_date=TODAY + datetime.timedelta(days=9),
            end_date=TODAY + datetime.timedelta(days=99),
        )
    )
    pipeline_call()
    assert [p.call for p in running_calls_pipeline(user=coordinator)] == [mine]
    assert running_calls_pipeline(user=NominatingOfficerFactory().user) == []


def test_the_batch_page_shows_the_pipeline(coordinator_client, coordinator_user):
    call = pipeline_call(batch=BatchFactory(coordinators=[coordinator_user]))
    response = coordinator_client.get(reverse("coordination:batch_detail", args=[call.batch.pk]))
    html = response.content.decode()
    assert "Selection pipeline" in html
    assert response.context["pipeline"].selected == 2
    assert 'aria-labelledby="pipeline-' in html
    # Coordinators do not open CSB's selection page.
    assert reverse("admin:selection_call_selection", args=[call.pk]) not in html


def test_csb_staff_get_the_link_to_the_selection_page(csb_client):
    call = pipeline_call()
    html = csb_client.get(reverse("coordination:batch_detail", args=[call.batch.pk])).content.decode()
    assert reverse("admin:selection_call_selection", args=[call.pk]) in html


def test_a_batch_without_a_call_has_no_panel(csb_client):
    html = csb_client.get(reverse("coordination:batch_detail", args=[BatchFactory().pk])).content.decode()
    assert "Selection pipeline" not in html


def test_the_dashboard_lists_running_calls_in_a_fixed_number_of_queries(
    csb_client, django_assert_num_queries
):
    pipeline_call()
    csb_client.get("/dashboard/")
    # As tests/coordination/test_dashboard_cache.py counts a second view (the session, the user with their
    # officer, the pipeline of running calls; the figures cached): 3. Written as 17 before issue 18's
    # caches were merged, which counted every figure on every view.
    # ... and the user with their profiles, cached since the first request (participants.backends)
    with django_assert_num_queries(2):
        first = csb_client.get("/dashboard/")
    for _ in range(3):
        pipeline_call()
    # The new calls' batches bump the figures version: everything counted again, as
    # tests/coordination/test_dashboard.py counts a view after writes (14, the permissions still cached),
    # and still the one query for the calls however many there are.
    with django_assert_num_queries(14):
        response = csb_client.get("/dashboard/")
    assert len(response.context["running_calls"]) == 4
    assert len(first.context["running_calls"]) == 1
    html = response.content.decode()
    assert "Calls for nominations under way" in html and "Confirmed by the host" in html


def test_the_dashboard_without_running_calls_has_no_panel(csb_client):
    assert "Calls for nominations under way" not in csb_client.get("/dashboard/").content.decode()


@pytest.mark.parametrize(
    "make_user",
    [lambda: NominatingOfficerFactory().user, lambda: HostCoordinatorFactory().user],
    ids=["nominator", "host"],
)
def test_nominators_and_hosts_see_neither_batch_pages_nor_the_dashboard(client, make_user):
    call = pipeline_call()
    client.force_login(make_user())
    assert client.get(reverse("coordination:batch_detail", args=[call.batch.pk])).status_code == 403
    assert client.get("/dashboard/").status_code == 403


@pytest.mark.parametrize("language", ["zh-hant", "zh-hans"])
def test_the_pipeline_in_chinese(csb_client, language):
    call = pipeline_call()
    html = csb_client.get(
        reverse("coordination:batch_detail", args=[call.batch.pk]), HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()
    assert ("遴選" if language == "zh-hant" else "遴选") in html
