"""E-mail through the task queue, delivered to a real SMTP server (aiosmtpd) in the test's process."""

import datetime

import django_rq
import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from placements.models import OutgoingEmail, Placement
from placements.services import email_queue, notice_create, placement_save
from placements.tasks import email_send_due
from tests.factories import OfficerFactory, PlacementFactory

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 11, 2, 9, 0, tzinfo=datetime.UTC)


def test_a_notice_is_delivered_with_one_line_headers(smtp_server, django_capture_on_commit_callbacks):
    placement = PlacementFactory(status=Placement.Status.NOMINATED, officer__name_en="CHAN Tai-man")
    placement.status = Placement.Status.CONFIRMED
    with django_capture_on_commit_callbacks(execute=True):
        placement_save(placement=placement)
    assert len(smtp_server.messages) == 1
    envelope, message = smtp_server.messages[0]
    assert envelope.rcpt_tos == [placement.officer.email]
    assert message["To"] == f"CHAN Tai-man <{placement.officer.email}>"
    assert "is confirmed" in message["Subject"]
    email = OutgoingEmail.objects.get()
    assert (email.status, email.attempts, email.kind) == ("sent", 1, "notice")
    assert email.sent_at is not None


def test_line_breaks_in_a_name_or_subject_cannot_add_headers(smtp_server, django_capture_on_commit_callbacks):
    officer = OfficerFactory(name_en="CHAN\r\nBcc: thief@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        email_queue(
            to_address=officer.email,
            to_name=officer.name_en,
            subject="Your placement\nBcc: thief@example.com",
            body="Hello",
            officer=officer,
        )
    envelope, message = smtp_server.messages[0]
    assert envelope.rcpt_tos == [officer.email]
    assert message["Bcc"] is None
    assert message["Subject"] == "Your placement Bcc: thief@example.com"
    assert "\n" not in message["To"] and "\r" not in message["To"]
    raw = envelope.content.decode()
    assert "\nBcc:" not in raw


def test_a_refusal_is_retried_with_backoff_then_delivered(smtp_server, django_capture_on_commit_callbacks):
    officer = OfficerFactory()
    smtp_server.handler.refuse = 1
    with time_machine.travel(START, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            notice_create(officer=officer, message="Your dates changed.")
        email = OutgoingEmail.objects.get()
        assert (email.status, email.attempts) == (OutgoingEmail.Status.RETRYING, 1)
        assert "451" in email.last_error
        assert email.next_attempt_at == START + datetime.timedelta(minutes=1)
        assert smtp_server.messages == []
        assert email_send_due() == 0  # not due yet
    with time_machine.travel(START + datetime.timedelta(minutes=2), tick=False):
        assert email_send_due() == 1
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutgoingEmail.Status.SENT, 2)
    assert len(smtp_server.messages) == 1


def test_with_the_server_down_mail_waits_and_none_is_lost(smtp_server, django_capture_on_commit_callbacks):
    officer = OfficerFactory()
    smtp_server.stop()
    with time_machine.travel(START, tick=False), django_capture_on_commit_callbacks(execute=True):
        notice_create(officer=officer, message="Your dates changed.")
    email = OutgoingEmail.objects.get()
    assert email.status == OutgoingEmail.Status.RETRYING
    assert "Connection" in email.last_error or "Errno" in email.last_error
    smtp_server.start()
    with time_machine.travel(START + datetime.timedelta(minutes=5), tick=False):
        email_send_due()
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT
    assert len(smtp_server.messages) == 1


def test_after_the_last_try_the_mail_is_failed_and_csb_staff_resend_it(
    smtp_server, csb_client, django_capture_on_commit_callbacks
):
    officer = OfficerFactory()
    smtp_server.stop()
    now = START
    with time_machine.travel(now, tick=False), django_capture_on_commit_callbacks(execute=True):
        notice_create(officer=officer, message="Your dates changed.")
    for minutes in (1, 5, 30, 120):
        now += datetime.timedelta(minutes=minutes, seconds=1)
        with time_machine.travel(now, tick=False):
            email_send_due()
    email = OutgoingEmail.objects.get()
    assert (email.status, email.attempts) == (OutgoingEmail.Status.FAILED, 5)
    with time_machine.travel(now + datetime.timedelta(days=1), tick=False):
        assert email_send_due() == 0  # failed mail waits for a person

    changelist = reverse("admin:placements_outgoingemail_changelist")
    response = csb_client.get(changelist, {"status__exact": "failed"})
    assert response.status_code == 200
    assert officer.email in response.content.decode()

    smtp_server.start()
    with django_capture_on_commit_callbacks(execute=True):
        response = csb_client.post(
            changelist, {"action": "resend", "_selected_action": [email.pk]}, follow=True
        )
    assert response.status_code == 200
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT
    assert len(smtp_server.messages) == 1


def test_a_coordinator_cannot_see_the_mail_log(coordinator_client):
    response = coordinator_client.get(reverse("admin:placements_outgoingemail_changelist"))
    assert response.status_code in (302, 403)


def test_nothing_is_sent_before_the_transaction_commits(smtp_server, django_capture_on_commit_callbacks):
    officer = OfficerFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notice_create(officer=officer, message="x")
    assert len(callbacks) == 1
    assert smtp_server.messages == []
    assert OutgoingEmail.objects.get().status == OutgoingEmail.Status.QUEUED


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_worker_delivers_queued_mail(smtp_server, run_worker):
    officer = OfficerFactory()
    notice_create(officer=officer, message="Your dates changed.")
    email = OutgoingEmail.objects.get()
    assert email.status == OutgoingEmail.Status.QUEUED
    assert smtp_server.messages == []
    run_worker()
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT
    assert len(smtp_server.messages) == 1
    assert timezone.now() >= email.sent_at


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_on_the_worker_a_refused_mail_is_scheduled_again_not_lost(smtp_server, run_worker, settings):
    smtp_server.handler.refuse = 1
    officer = OfficerFactory()
    notice_create(officer=officer, message="Your dates changed.")
    run_worker()
    email = OutgoingEmail.objects.get()
    assert (email.status, email.attempts) == (OutgoingEmail.Status.RETRYING, 1)
    # The retry waits in the queue for its time (a minute on), on whichever backend runs.
    if settings.TASKS_BACKEND == "redis":
        scheduled = django_rq.get_queue("default").scheduled_job_registry
        assert scheduled.count == 1
    else:
        waiting = DBTaskResult.objects.filter(status="READY", run_after__isnull=False)
        assert waiting.count() == 1
        assert waiting.get().run_after == email.next_attempt_at
    assert email_send_due() == 0  # the sweep leaves it to the queue (not due past the grace)
