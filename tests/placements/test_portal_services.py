"""Services of the participant portal: notices when a placement changes (placement_save), checklist
ticks, exchange reports; and the selectors the batch page can use."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation

from placements.models import ChecklistCompletion, ExchangeReport, Notice, OutgoingEmail, Placement
from placements.selectors import (
    checklist_progress_for_batch,
    placement_current,
    placement_progress,
    report_status_for_batch,
)
from placements.services import checklist_item_set_done, placement_create, placement_save, report_save
from tests.factories import (
    BatchFactory,
    ChecklistCompletionFactory,
    ChecklistItemFactory,
    ExchangeReportFactory,
    HostOrganisationFactory,
    OfficerFactory,
    PlacementFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


# --- notices from placement_save -------------------------------------------------------------------------


def test_confirming_a_placement_sends_a_notice_and_an_email_after_commit(django_capture_on_commit_callbacks):
    placement = PlacementFactory(status=Placement.Status.NOMINATED)
    placement.status = Placement.Status.CONFIRMED
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        placement_save(placement=placement)
    notice = Notice.objects.get()
    assert (notice.officer, notice.placement) == (placement.officer, placement)
    assert notice.message.startswith(f"Your placement in {placement.batch.name} is confirmed.")
    assert "Status: Confirmed (was Nominated)." in notice.message
    assert len(callbacks) == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [f"{placement.officer.name_en} <{placement.officer.email}>"]
    assert "is confirmed" in mail.outbox[0].subject
    assert OutgoingEmail.objects.get().status == OutgoingEmail.Status.SENT


def test_no_email_is_sent_before_the_transaction_commits(django_capture_on_commit_callbacks):
    placement = PlacementFactory(status=Placement.Status.NOMINATED)
    placement.status = Placement.Status.CONFIRMED
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        placement_save(placement=placement)
    assert len(callbacks) == 1
    assert mail.outbox == []


def test_a_rolled_back_change_leaves_no_notice_and_no_email(django_capture_on_commit_callbacks):
    placement = PlacementFactory(status=Placement.Status.NOMINATED)
    placement.status = Placement.Status.CONFIRMED
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        placement_save(placement=placement)
        raise RuntimeError("something later failed")
    assert not Notice.objects.exists()
    assert mail.outbox == []


def test_changed_dates_and_host_are_listed_in_the_notice(django_capture_on_commit_callbacks):
    placement = PlacementFactory()
    new_host = HostOrganisationFactory(
        municipality=placement.batch.host_municipality, name_en="New Host Bureau"
    )
    placement.start_date += datetime.timedelta(days=7)
    placement.host_organisation = new_host
    with django_capture_on_commit_callbacks(execute=True):
        placement_save(placement=placement)
    message = Notice.objects.get().message
    assert "has changed" in message
    assert "Dates: 13 Jan 2025 to 4 Apr 2025 (were 6 Jan 2025 to 4 Apr 2025)." in message
    assert "Host organisation: New Host Bureau" in message
    assert len(mail.outbox) == 1


def test_saving_without_a_notified_change_sends_nothing(django_capture_on_commit_callbacks):
    placement = PlacementFactory()
    placement.role = "A new role title"
    placement.host_supervisor = "Ms LI"
    with django_capture_on_commit_callbacks(execute=True):
        placement_save(placement=placement)
    assert not Notice.objects.exists()
    assert mail.outbox == []


def test_a_new_placement_notifies_only_when_created_confirmed(django_capture_on_commit_callbacks):
    batch = BatchFactory()
    with django_capture_on_commit_callbacks(execute=True):
        placement_create(officer=OfficerFactory(), batch=batch, status=Placement.Status.NOMINATED)
        confirmed = placement_create(officer=OfficerFactory(), batch=batch, status=Placement.Status.CONFIRMED)
    notice = Notice.objects.get()
    assert notice.placement == confirmed
    assert "Dates: 6 Jan 2025 to 4 Apr 2025." in notice.message
    assert len(mail.outbox) == 1


def test_a_refused_placement_save_notifies_nobody(django_capture_on_commit_callbacks):
    placement = PlacementFactory(status=Placement.Status.NOMINATED)
    placement.status = Placement.Status.CONFIRMED
    placement.end_date = placement.batch.end_date + datetime.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        placement_save(placement=placement)
    assert not Notice.objects.exists()
    assert mail.outbox == []


# --- checklist and report services -----------------------------------------------------------------------


def test_ticking_records_who_and_when_and_twice_is_once():
    placement = PlacementFactory()
    item = ChecklistItemFactory(batch=placement.batch)
    user = UserFactory()
    checklist_item_set_done(placement=placement, item=item, done=True, actor=user)
    checklist_item_set_done(placement=placement, item=item, done=True, actor=user)
    completion = ChecklistCompletion.objects.get()
    assert completion.completed_by == user and completion.completed_at is not None


def test_ticking_an_item_of_another_batch_is_refused():
    placement = PlacementFactory()
    with pytest.raises(ValidationError) as error:
        checklist_item_set_done(placement=placement, item=ChecklistItemFactory(), done=True, actor=None)
    assert "item" in error.value.message_dict
    assert not ChecklistCompletion.objects.exists()


def test_report_save_keeps_a_draft_and_records_the_author_in_the_history():
    placement = PlacementFactory()
    user = UserFactory()
    report = report_save(
        placement=placement, data={"learning": "  Desks  ", "status": "submitted"}, actor=user
    )
    assert (report.learning, report.status) == ("Desks", ExchangeReport.Status.DRAFT)
    assert report.history.get().history_user == user


def test_report_submission_needs_the_three_expectations():
    placement = PlacementFactory()
    with pytest.raises(ValidationError) as error:
        report_save(placement=placement, data={"learning": "x", "goodwill": " "}, actor=None, submit=True)
    assert set(error.value.message_dict) == {"connections", "goodwill"}
    assert not ExchangeReport.objects.exists()


def test_a_submitted_report_cannot_be_changed():
    report = ExchangeReportFactory(submitted=True, learning="Original")
    with pytest.raises(ValidationError, match="can no longer be changed"):
        report_save(placement=report.placement, data={"learning": "Changed"}, actor=None)
    report.refresh_from_db()
    assert report.learning == "Original"


# --- selectors -------------------------------------------------------------------------------------------


def test_placement_current_prefers_current_then_next_then_latest():
    today = datetime.date(2025, 6, 1)
    batches = [
        BatchFactory(start_date=datetime.date(2024, 1, 1), end_date=datetime.date(2024, 3, 1)),
        BatchFactory(start_date=datetime.date(2025, 5, 1), end_date=datetime.date(2025, 7, 1)),
        BatchFactory(start_date=datetime.date(2026, 1, 1), end_date=datetime.date(2026, 3, 1)),
    ]
    officer = OfficerFactory()
    past, current, future = (PlacementFactory(officer=officer, batch=b) for b in batches)
    assert placement_current(placements=[past, current, future], today=today) == current
    assert placement_current(placements=[past, future], today=today) == future
    assert placement_current(placements=[past], today=today) == past
    assert placement_current(placements=[], today=today) is None


def test_checklist_progress_for_batch_counts_in_three_queries(django_assert_num_queries):
    today = timezone.localdate()
    batch = BatchFactory()
    late = ChecklistItemFactory(batch=batch, due_date=today - datetime.timedelta(days=1))
    later = ChecklistItemFactory(batch=batch, due_date=today + datetime.timedelta(days=1))
    ChecklistItemFactory(batch=batch, due_date=None)
    behind, on_track = PlacementFactory(batch=batch), PlacementFactory(batch=batch)
    ChecklistCompletionFactory(placement=behind, item=later)
    ChecklistCompletionFactory(placement=on_track, item=late)
    ChecklistCompletionFactory(placement=on_track, item=later)
    ChecklistCompletionFactory()  # another batch's
    with django_assert_num_queries(3):  # placements, item totals, ticks per placement
        rows = {
            p.pk: (p.checklist_done, p.checklist_total, p.checklist_overdue)
            for p in checklist_progress_for_batch(batch=batch, today=today)
        }
    assert rows == {behind.pk: (1, 3, 1), on_track.pk: (2, 3, 0)}


def test_report_status_for_batch_in_one_query(django_assert_num_queries):
    batch = BatchFactory()
    submitted = ExchangeReportFactory(placement=PlacementFactory(batch=batch), submitted=True).placement
    draft = ExchangeReportFactory(placement=PlacementFactory(batch=batch)).placement
    none = PlacementFactory(batch=batch)
    with django_assert_num_queries(1):
        rows = {p.pk: p.report_status for p in report_status_for_batch(batch=batch)}
    assert rows == {submitted.pk: "submitted", draft.pk: "draft", none.pk: None}


@pytest.mark.parametrize(
    ("language", "expected"),
    [("zh-hant", "你在%s的派駐已確認。"), ("zh-hans", "狀態"), ("en", "Your placement in %s is confirmed.")],
)
def test_the_notice_is_written_in_the_officers_language_not_the_savers(
    language, expected, django_capture_on_commit_callbacks
):
    placement = PlacementFactory(status=Placement.Status.NOMINATED, officer__preferred_language=language)
    placement.status = Placement.Status.CONFIRMED
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        placement_save(placement=placement)
    message = Notice.objects.get().message
    if language == "zh-hans":
        assert "状态" in message and "狀態" not in message
    else:
        assert message.startswith(expected % placement.batch.name)
    assert mail.outbox[0].body.startswith(message)


def test_the_batch_page_and_the_checklist_page_count_progress_alike():
    """One selector serves both pages: a tick on another batch's item counts on neither."""
    today = timezone.localdate()
    batch = BatchFactory()
    item = ChecklistItemFactory(batch=batch, due_date=today - datetime.timedelta(days=1))
    placement = PlacementFactory(batch=batch)
    ChecklistCompletionFactory(placement=placement, item=item)
    ChecklistCompletionFactory(placement=placement, item=ChecklistItemFactory())  # another batch's item
    [on_checklist_page] = checklist_progress_for_batch(batch=batch, today=today)
    on_batch_page = placement_progress(batch=batch, placements=[placement], today=today)[placement.pk]
    assert (on_checklist_page.checklist_done, on_checklist_page.checklist_overdue) == (1, 0)
    assert (on_batch_page["checklist_done"], on_batch_page["checklist_overdue"]) == (1, 0)
