"""Checklist reminders and the coordinators' weekly digest, on frozen dates: once per item and stage
whatever the number of runs, in the officer's language, opted out on My details, every send logged."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase
from django.urls import reverse

from placements.models import OutgoingEmail, Placement, ReminderSent
from placements.services import coordinator_digest_send, reminders_send
from tests.factories import (
    BatchFactory,
    ChecklistCompletionFactory,
    ChecklistItemFactory,
    CoordinatorUserFactory,
    OfficerFactory,
    ParticipantUserFactory,
    PlacementFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date
# The batch runs from 6 January to 4 April 2025 (the factory's dates).
MONDAY = D(2024, 12, 30)


@pytest.fixture
def batch():
    return BatchFactory(coordinators=[CoordinatorUserFactory(email="coord@csb.gov.hk", first_name="Mei")])


@pytest.fixture
def items(batch):
    return {
        "medical": ChecklistItemFactory(batch=batch, title="Medical check", due_date=D(2025, 1, 3)),
        "briefing": ChecklistItemFactory(batch=batch, title="Briefing", due_date=D(2024, 12, 20)),
        "later": ChecklistItemFactory(batch=batch, title="Report", due_date=D(2025, 4, 30)),
        "undated": ChecklistItemFactory(batch=batch, title="Undated", due_date=None),
    }


def run_on(day, function=reminders_send):
    """Run `function` as on `day`, delivering its e-mails as after a commit."""
    moment = datetime.datetime.combine(day, datetime.time(8))
    with time_machine.travel(moment, tick=False), TestCase.captureOnCommitCallbacks(execute=True):
        return function(today=day)


def test_one_email_for_items_due_within_a_week_and_one_for_overdue(batch, items):
    placement = PlacementFactory(batch=batch)
    assert run_on(MONDAY) == 2
    assert len(mail.outbox) == 2
    due, overdue = sorted(mail.outbox, key=lambda m: "overdue" in m.subject)
    assert "due within a week" in due.subject and "Medical check" in due.body and "Briefing" not in due.body
    assert "overdue" in overdue.subject and "Briefing" in overdue.body and "Medical check" not in overdue.body
    assert "Report" not in due.body + overdue.body and "Undated" not in due.body + overdue.body
    assert due.to == [f"{placement.officer.name_en} <{placement.officer.email}>"]
    logged = OutgoingEmail.objects.order_by("kind")
    assert [(e.kind, e.status, e.officer_id) for e in logged] == [
        ("reminder_due", "sent", placement.officer_id),
        ("reminder_overdue", "sent", placement.officer_id),
    ]
    assert set(ReminderSent.objects.values_list("item__title", "stage", "email__kind")) == {
        ("Medical check", "due_soon", "reminder_due"),
        ("Briefing", "overdue", "reminder_overdue"),
    }


def test_each_item_is_reminded_once_per_stage_whatever_the_number_of_runs(batch, items):
    PlacementFactory(batch=batch)
    run_on(MONDAY)
    assert run_on(MONDAY) == 0  # the same day again
    assert run_on(MONDAY + datetime.timedelta(days=1)) == 0  # the next day: nothing new
    assert len(mail.outbox) == 2
    # On 4 January the medical check is overdue: a new stage, one more e-mail, then nothing again.
    assert run_on(D(2025, 1, 4)) == 1
    assert "Medical check" in mail.outbox[-1].body and "Briefing" not in mail.outbox[-1].body
    assert run_on(D(2025, 1, 5)) == 0
    assert ReminderSent.objects.count() == 3


def test_ticked_items_withdrawn_placements_and_opted_out_officers_get_nothing(batch, items):
    ticked = PlacementFactory(batch=batch)
    ChecklistCompletionFactory(placement=ticked, item=items["medical"])
    ChecklistCompletionFactory(placement=ticked, item=items["briefing"])
    PlacementFactory(batch=batch, status=Placement.Status.WITHDRAWN)
    PlacementFactory(batch=batch, officer=OfficerFactory(email_reminders=False))
    assert run_on(MONDAY) == 0
    assert mail.outbox == []


def test_reminders_are_in_the_officers_language(batch, items):
    PlacementFactory(batch=batch, officer=OfficerFactory(preferred_language="zh-hant"))
    PlacementFactory(batch=batch, officer=OfficerFactory(preferred_language="zh-hans"))
    run_on(MONDAY)
    by_language = {e.language: e for e in OutgoingEmail.objects.filter(kind="reminder_due")}
    assert set(by_language) == {"zh-hant", "zh-hans"}
    assert "一星期內到期" in by_language["zh-hant"].subject
    assert "一周内到期" in by_language["zh-hans"].subject


def test_an_old_batch_is_not_nagged(items, batch):
    PlacementFactory(batch=batch)
    assert run_on(D(2025, 9, 1)) == 0


def test_participants_turn_reminders_off_on_my_details(client, batch, items):
    officer = OfficerFactory(user=ParticipantUserFactory())
    PlacementFactory(batch=batch, officer=officer)
    client.force_login(officer.user)
    page = client.get(reverse("portal:my_details"))
    assert 'name="email_reminders"' in page.content.decode()
    client.post(reverse("portal:my_details"), {"preferred_language": "en"})  # the box left unticked
    officer.refresh_from_db()
    assert officer.email_reminders is False
    assert run_on(MONDAY) == 0


def test_the_weekly_digest_lists_who_is_behind_once_a_week(batch, items):
    behind = PlacementFactory(batch=batch, officer=OfficerFactory(name_en="WONG Siu-ming"))
    done = PlacementFactory(batch=batch, officer=OfficerFactory(name_en="LEE Ka-yan"))
    ChecklistCompletionFactory(placement=done, item=items["briefing"])
    assert run_on(MONDAY, coordinator_digest_send) == 1
    digest = OutgoingEmail.objects.get(kind="digest")
    assert digest.to_address == "coord@csb.gov.hk"
    assert batch.name in digest.body and "WONG Siu-ming: 1 overdue" in digest.body
    assert "LEE Ka-yan" not in digest.body
    assert behind.officer.email not in digest.body
    assert run_on(MONDAY + datetime.timedelta(days=3), coordinator_digest_send) == 0  # same week
    assert run_on(MONDAY + datetime.timedelta(days=7), coordinator_digest_send) == 1  # the next week


def test_the_daily_command_runs_everything_and_refuses_a_bad_date(batch, items, capsys):
    PlacementFactory(batch=batch)
    with time_machine.travel(datetime.datetime(2024, 12, 30, 8, tzinfo=datetime.UTC), tick=False):
        call_command("send_reminders", "--date", "2024-12-30")
        call_command("send_reminders", "--date", "2024-12-30")
    out = capsys.readouterr().out
    assert "Reminders: 2, coordinator digests: 1" in out and "Reminders: 0, coordinator digests: 0" in out
    with pytest.raises(CommandError):
        call_command("send_reminders", "--date", "30/12/2024")


def test_the_clock_enqueues_the_daily_job(batch, items, capsys):
    PlacementFactory(batch=batch)
    with time_machine.travel(datetime.datetime(2024, 12, 30, 1, tzinfo=datetime.UTC), tick=False):
        call_command("run_clock", "--once")
    assert "daily job enqueued" in capsys.readouterr().out
    assert OutgoingEmail.objects.filter(kind__startswith="reminder").count() == 2
