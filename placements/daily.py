"""The daily job: checklist reminders, the coordinators' weekly digest (once a week, on the first run of
the week) and any e-mail still waiting. Run by `manage.py send_reminders` (cron or a systemd timer), and
by the clock (`manage.py run_clock`, in the Procfile) which enqueues `daily_job` for the worker."""

import datetime

from django.utils import timezone
from django_tasks import task

from .services import coordinator_digest_send, reminders_send
from .tasks import email_send_due


def daily_run(*, today=None):
    today = today or timezone.localdate()
    return {
        "reminders": reminders_send(today=today),
        "digests": coordinator_digest_send(today=today),
        "emails_retried": email_send_due(),
    }


@task()
def daily_job(day=None):
    """The daily job on the worker; `day` is an ISO date (today when empty)."""
    return daily_run(today=datetime.date.fromisoformat(day) if day else None)
