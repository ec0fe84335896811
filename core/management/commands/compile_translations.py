from django.core.management.base import BaseCommand

from core.translations import compile_catalogues


class Command(BaseCommand):
    help = "Compile locale/*/LC_MESSAGES/django.po to .mo with Babel (no GNU gettext needed)."

    def handle(self, *args, **options):
        for path in compile_catalogues():
            self.stdout.write(f"compiled {path.relative_to(path.parents[3])}")
