"""The portal's demo data (checklists, reports in every state, notices) and the admin of its models."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.http import HttpRequest
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from participants.models import Officer
from placements.models import Batch, ChecklistCompletion, ChecklistItem, ExchangeReport, Notice
from tests.factories import ChecklistCompletionFactory, ExchangeReportFactory, NoticeFactory

pytestmark = pytest.mark.django_db

PORTAL_TABLES = [ChecklistItem, ChecklistCompletion, ExchangeReport, Notice]


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("load_demo", "--password", "pw-demo", stdout=StringIO())


def test_demo_gives_the_officers_checklists_and_reports_in_every_state(demo):
    first = Batch.objects.get(programme__short_name="GBA", number=1)
    nxt = Batch.objects.get(programme__short_name="GBA", number=2)
    assert first.checklist_items.count() == 8
    # The first batch has completed: most items ticked off, a few stragglers.
    ticks = ChecklistCompletion.objects.filter(item__batch=first).count()
    assert 70 <= ticks < 80
    # The 2027 batch's pre-departure items are still pending, but for the emergency contact, which the
    # portal ticked itself for the two nominees who had given one.
    assert nxt.checklist_items.filter(phase=ChecklistItem.Phase.PRE_DEPARTURE).exists()
    ticked = ChecklistCompletion.objects.filter(item__batch=nxt)
    assert set(ticked.values_list("item__kind", flat=True)) == {ChecklistItem.Kind.DETAILS_GIVEN}
    assert ticked.count() == 2
    statuses = set(ExchangeReport.objects.values_list("status", flat=True))
    assert statuses == {ExchangeReport.Status.DRAFT, ExchangeReport.Status.SUBMITTED}
    assert ExchangeReport.objects.get(placement__officer__user__username="officer01").is_submitted
    assert Notice.objects.filter(officer__user__username="officer01", read_at__isnull=True).exists()


def test_the_demo_is_consistent_with_the_rules_it_shows(demo):
    """Issue 14: an automatic item is ticked exactly where its fact holds; no tick before the event; no
    2023 notice dated today."""
    first = Batch.objects.get(programme__short_name="GBA", number=1)
    for completion in ChecklistCompletion.objects.filter(item__batch=first).select_related(
        "item", "placement__officer", "placement__report"
    ):
        officer, item = completion.placement.officer, completion.item
        if item.kind == ChecklistItem.Kind.DETAILS_GIVEN:
            assert officer.emergency_contact_name and officer.emergency_contact_phone
        if item.kind == ChecklistItem.Kind.REPORT_SUBMITTED:
            assert completion.placement.report.is_submitted
        if item.kind == ChecklistItem.Kind.MANUAL and item.phase == ChecklistItem.Phase.DURING:
            assert completion.completed_at.date() >= item.due_date  # the ceremony is ticked after it
    submitted = ExchangeReport.objects.filter(placement__batch=first, status=ExchangeReport.Status.SUBMITTED)
    report_item = first.checklist_items.get(kind=ChecklistItem.Kind.REPORT_SUBMITTED)
    assert report_item.completions.count() == submitted.count() == 7
    officer01 = Officer.objects.get(user__username="officer01")
    assert officer01.emergency_contact_name and officer01.emergency_contact_phone
    officer09 = Officer.objects.get(user__username="officer09")
    details = first.checklist_items.get(kind=ChecklistItem.Kind.DETAILS_GIVEN)
    assert not details.completions.filter(placement__officer=officer09).exists()
    for notice in Notice.objects.filter(placement__batch=first):
        assert notice.created_at.year in (2023, 2024)
    assert Notice.objects.filter(officer=officer01).count() >= 3  # a history on /my/notices/


def test_loading_the_demo_twice_adds_no_portal_rows(demo):
    before = {model.__name__: model.objects.count() for model in PORTAL_TABLES}
    call_command("load_demo", "--password", "pw-demo", stdout=StringIO())
    assert {model.__name__: model.objects.count() for model in PORTAL_TABLES} == before


def test_officer01_sees_their_placement_checklist_and_report(demo, client):
    assert client.login(request=HttpRequest(), username="officer01", password="pw-demo")
    response = client.get(reverse("portal:my_placement"))
    content = response.content.decode()
    assert "GBA first batch" in content and "8 of 8 done" in content and "Submitted on 20 Mar 2024" in content


def _rows(count):
    ChecklistCompletionFactory.create_batch(count)
    ExchangeReportFactory.create_batch(count)
    NoticeFactory.create_batch(count)


@pytest.mark.parametrize("model", ["checklistitem", "checklistcompletion", "exchangereport", "notice"])
def test_admin_changelists_have_a_fixed_query_count(csb_client, model):
    url = reverse(f"admin:placements_{model}_changelist")
    _rows(3)
    csb_client.get(url)  # the permissions are cached from here (issue 18); new users change their version
    with CaptureQueriesContext(connection) as few:
        assert csb_client.get(url).status_code == 200
    _rows(6)
    csb_client.get(url)
    # session, user, permissions, counts, the page of rows with related rows joined, filters' choices:
    # the same number whatever the rows (filter choices list batches, not rows).
    with CaptureQueriesContext(connection) as more:
        assert csb_client.get(url).status_code == 200
    assert len(more) == len(few) <= 12
    assert csb_client.get(url, {"q": "zzz-nothing"}).status_code == 200


def test_admin_report_change_page_and_history(csb_client):
    report = ExchangeReportFactory(submitted=True)
    assert (
        csb_client.get(reverse("admin:placements_exchangereport_change", args=[report.pk])).status_code == 200
    )
    assert (
        csb_client.get(reverse("admin:placements_exchangereport_history", args=[report.pk])).status_code
        == 200
    )


def test_admin_adds_a_checklist_item_through_the_service(csb_client):
    batch = ChecklistCompletionFactory().placement.batch
    response = csb_client.post(
        reverse("admin:placements_checklistitem_add"),
        {
            "batch": batch.pk,
            "title": "Host contact made",
            "help_text": "",
            "phase": "during",
            "kind": "manual",
            "order": 3,
        },
    )
    assert response.status_code == 302
    assert ChecklistItem.objects.filter(batch=batch, title="Host contact made").exists()


def test_sync_roles_skips_models_a_migration_does_not_have_yet():
    """Older migrations call sync_roles with today's ROLE_PERMISSIONS; models added later are skipped."""
    from django.apps import apps

    from core.roles import _model_exists

    assert _model_exists(apps, "placements", "exchangereport")
    assert not _model_exists(apps, "placements", "no_such_model")
