from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from placements.exports import EXPORTERS, WRITERS
from placements.models import Batch
from placements.services import roster_export_record


class Command(BaseCommand):
    help = (
        "Write a batch's roster to a CSV or Excel file, with the same exporter as the batch page's "
        "downloads; the export is logged like a download."
    )

    def add_arguments(self, parser):
        parser.add_argument("batch_id", type=int, help="The batch's id (see /batches/ or the admin).")
        parser.add_argument("--format", choices=sorted(WRITERS), default="csv", help="csv (default) or xlsx.")
        parser.add_argument(
            "--output", help="File to write; default: the download's file name in the current directory."
        )
        parser.add_argument(
            "--without-withdrawn",
            action="store_true",
            help="Leave out withdrawn participants (by default they are listed last).",
        )
        parser.add_argument("--user", help="Username to record in the export log (default: none).")
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default="en",
            help="Language of the headers and names: en (default), zh-hant or zh-hans.",
        )

    def handle(self, *args, batch_id, format, output, without_withdrawn, user, language, **options):
        try:
            batch = Batch.objects.select_related("host_municipality").get(pk=batch_id)
        except Batch.DoesNotExist:
            raise CommandError(f"There is no batch with id {batch_id}.") from None
        account = None
        if user:
            try:
                account = get_user_model().objects.get(username=user)
            except get_user_model().DoesNotExist:
                raise CommandError(f"There is no user {user!r}.") from None
        exporter = EXPORTERS["roster"](batch, include_withdrawn=not without_withdrawn, language=language)
        writer = WRITERS[format](sheet_name=exporter.sheet_name) if format == "xlsx" else WRITERS[format]()
        path = Path(output or exporter.filename(format))
        with path.open("wb") as fileobj:
            row_count = writer.write_to(fileobj, exporter.iter_rows())
        roster_export_record(batch=batch, user=account, format=format, row_count=row_count, via="command")
        self.stdout.write(self.style.SUCCESS(f"Wrote {row_count:,} rows of {batch.name} to {path}."))
