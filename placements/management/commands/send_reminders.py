"""The daily job, at once in this process: checklist reminders, the weekly coordinator digest and any
e-mail still waiting. Safe to run as often as you like: each reminder goes once per item and stage, the
digest once per coordinator per week. Run it from cron or a systemd timer, or let `run_clock` do it."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from placements.daily import daily_run


class Command(BaseCommand):
    help = __doc__.split("\n\n")[0]

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Run as on this day (YYYY-MM-DD); today by default.")

    def handle(self, *args, date=None, **options):
        try:
            today = datetime.date.fromisoformat(date) if date else None
        except ValueError as error:
            raise CommandError("--date takes a day as YYYY-MM-DD.") from error
        counts = daily_run(today=today)
        self.stdout.write(
            f"Reminders: {counts['reminders']}, coordinator digests: {counts['digests']}, "
            f"e-mails retried: {counts['emails_retried']}."
        )
