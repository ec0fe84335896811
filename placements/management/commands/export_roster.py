from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from placements.exports import EXPORTERS, FILE_FORMATS
from placements.exports.logged import export_to_file, writer_for
from placements.models import Batch


class Command(BaseCommand):
    help = (
        "Write a batch's roster to a CSV or Excel file, with the same exporter as the batch page's "
        "downloads; the export is logged like a download."
    )

    def add_arguments(self, parser):
        parser.add_argument("batch_id", type=int, help="The batch's id (see /batches/ or the admin).")
        parser.add_argument("--format", choices=FILE_FORMATS, default="csv", help="csv (default) or xlsx.")
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
        path = Path(output or exporter.filename(format))
        with path.open("wb") as fileobj:
            row_count = export_to_file(
                exporter, writer_for(exporter, format), fileobj, user=account, via="command"
            )
        self.stdout.write(self.style.SUCCESS(f"Wrote {row_count:,} rows of {batch.name} to {path}."))
