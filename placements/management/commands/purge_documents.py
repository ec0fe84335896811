from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from placements.selectors import documents_past_retention
from placements.services import documents_purge_expired


class Command(BaseCommand):
    help = (
        "Retention: delete the participants' documents of batches that ended more than DAYS days ago "
        "(default: the DOCUMENTS_RETENTION_DAYS setting), files and rows, logging each deletion. Prints "
        "what it would do unless given --apply. Run it daily (cron or a systemd timer)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="Override DOCUMENTS_RETENTION_DAYS.")
        parser.add_argument("--apply", action="store_true", help="Delete; without it, only report.")

    def handle(self, *args, days, apply, **options):
        days = settings.DOCUMENTS_RETENTION_DAYS if days is None else days
        if days < 0:
            raise CommandError("--days takes a whole number of days, at least 0.")
        today = timezone.localdate()
        if not apply:
            count = documents_past_retention(today=today, days=days).count()
            self.stdout.write(
                f"Dry run: Would delete {count} document(s) of batches that ended more than {days} days "
                "ago. Nothing was changed; run again with --apply to do it."
            )
            return
        count = documents_purge_expired(today=today, days=days)
        self.stdout.write(self.style.SUCCESS(f"Deleted {count} document(s) (retention {days} days)."))
