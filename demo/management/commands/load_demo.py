from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.first_batch import Demo
from demo.synthetic import load_synthetic
from placements.figures import figures_changed


class Command(BaseCommand):
    help = (
        "Load the demo: the first GBA batch (Shenzhen, 18 Dec 2023 - 8 Mar 2024) with ten fictional "
        "officers, "
        "the older two-way programme, the 2027 Guangzhou batch's call for nominations, and accounts csb, "
        "coordinator, coordinator2, officer01-officer10, nominator.hyd, nominator.itc, nominator.pland and "
        "host.guangzhou. "
        "Running it twice changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--password", default="exchange-demo", help="Password of every demo account.")
        parser.add_argument(
            "--synthetic",
            type=int,
            default=0,
            metavar="N",
            help="Also add a synthetic batch of N placements.",
        )
        parser.add_argument("--force", action="store_true", help="Run even with DJANGO_DEBUG off.")

    def handle(self, *args, password, synthetic, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "Refusing to load demo accounts with DJANGO_DEBUG off: this looks like production. "
                "Pass --force if you really mean it."
            )
        if synthetic < 0 or synthetic > 1_000_000:
            raise CommandError("--synthetic takes a number of placements from 0 to 1,000,000.")
        Demo(password=password, log=self.stdout.write).load()
        self.stdout.write(
            self.style.SUCCESS(
                "Demo loaded. Sign in as csb, coordinator, officer01 … officer10, nominator.hyd or "
                "host.guangzhou."
            )
        )
        if synthetic:
            load_synthetic(synthetic, log=self.stdout.write)
            self.stdout.write(self.style.SUCCESS(f"Synthetic batch of {synthetic:,} placements ready."))
        # The demo is written in bulk, which sends no signal: cached figures are stale now.
        figures_changed()
