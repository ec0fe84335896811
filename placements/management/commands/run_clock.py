"""The clock beside the worker (Procfile): every minute it queues the e-mails whose retry is due, and once
a day, at DJANGO_REMINDERS_HOUR local time (and when it starts), it enqueues the daily job (reminders and
the weekly digest) for the worker. It only enqueues; run one clock per installation."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from placements.daily import daily_job
from placements.tasks import email_send_due


class Command(BaseCommand):
    help = __doc__.split("\n\n")[0]

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="One tick, then stop (for tests).")

    def handle(self, *args, once=False, **options):
        last_day = None
        while True:
            now = timezone.localtime()
            if last_day is None or (now.date() != last_day and now.hour >= settings.REMINDERS_HOUR):
                daily_job.enqueue(now.date().isoformat())
                last_day = now.date()
                self.stdout.write(f"{now:%Y-%m-%d %H:%M} daily job enqueued")
            email_send_due()
            if once:
                return
            time.sleep(60)
