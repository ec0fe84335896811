"""Work for the task queue (Django's tasks framework, the django-tasks backport): delivering e-mail.

Every e-mail the portal sends is an OutgoingEmail row written in the transaction that causes it; this task
delivers it after commit. A refusal or an unreachable SMTP server is tried again after
settings.EMAIL_RETRY_MINUTES, then the e-mail is marked failed (CSB staff resend it from the admin)."""

import logging
import smtplib
from datetime import timedelta
from email.utils import formataddr

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from .models import OutgoingEmail

logger = logging.getLogger(__name__)


def one_line(text):
    """A header value on one line: line breaks and runs of spaces (from a name or a subject typed with a
    line break) become single spaces, so nobody can add a header through a name."""
    return " ".join(str(text or "").split())


def email_message(email: OutgoingEmail) -> EmailMessage:
    to = formataddr((one_line(email.to_name), email.to_address)) if email.to_name else email.to_address
    return EmailMessage(subject=one_line(email.subject), body=email.body, to=[to])


def can_defer():
    """Whether the task backend runs a task at a later time (the database and Redis backends do; the
    immediate backend does not, and there the minute sweep, email_send_due, retries instead)."""
    return email_deliver.get_backend().supports_defer


def email_attempt(*, email_id) -> str:
    """Try to deliver one e-mail; returns its status afterwards."""
    with transaction.atomic():
        email = OutgoingEmail.objects.select_for_update().filter(pk=email_id).first()
        if email is None or email.status in (OutgoingEmail.Status.SENT, OutgoingEmail.Status.FAILED):
            return email.status if email else ""
        email.attempts += 1
        try:
            email_message(email).send(fail_silently=False)
        except (smtplib.SMTPException, OSError) as error:
            retries = settings.EMAIL_RETRY_MINUTES
            email.last_error = f"{type(error).__name__}: {error}"[:2000]
            if email.attempts <= len(retries):
                email.status = OutgoingEmail.Status.RETRYING
                email.next_attempt_at = timezone.now() + timedelta(minutes=retries[email.attempts - 1])
                if can_defer():
                    later = email_deliver.using(run_after=email.next_attempt_at)
                    transaction.on_commit(lambda: later.enqueue(email_id))
            else:
                email.status = OutgoingEmail.Status.FAILED
                email.next_attempt_at = None
            logger.warning("E-mail %s not delivered (attempt %s): %s", email.pk, email.attempts, error)
        else:
            email.status = OutgoingEmail.Status.SENT
            email.sent_at = timezone.now()
            email.next_attempt_at = None
        email.save(update_fields=["attempts", "status", "last_error", "next_attempt_at", "sent_at"])
        return email.status


@task()
def email_deliver(email_id):
    """Deliver one OutgoingEmail (placements.services.email_queue enqueues this after commit)."""
    return email_attempt(email_id=email_id)


@task()
def email_deliver_batch(email_ids):
    """Deliver many OutgoingEmails (the notices of one import), each retried on its own when refused."""
    return [email_attempt(email_id=pk) for pk in email_ids]


def email_send_due(*, now=None) -> int:
    """Enqueue every e-mail whose retry is due and was not run (a backend that cannot defer, a queue that
    lost its entry) or that was never picked up; the clock runs this every minute. Returns how many."""
    now = now or timezone.now()
    grace = now - timedelta(minutes=10)
    due = OutgoingEmail.objects.filter(
        status=OutgoingEmail.Status.RETRYING, next_attempt_at__lte=now if not can_defer() else grace
    ) | OutgoingEmail.objects.filter(status=OutgoingEmail.Status.QUEUED, created_at__lte=grace)
    ids = list(due.values_list("pk", flat=True))
    for pk in ids:
        email_deliver.enqueue(pk)
    return len(ids)
