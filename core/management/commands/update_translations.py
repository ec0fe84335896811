from django.core.management.base import BaseCommand

from core.translations import update_catalogues


class Command(BaseCommand):
    help = (
        "Find every translatable string in the code and templates and merge it into the catalogues "
        "(locale/zh_Hant and locale/zh_Hans); pure Python, like makemessages without GNU gettext."
    )

    def handle(self, *args, **options):
        for locale, count in update_catalogues().items():
            self.stdout.write(f"{locale}: {count} string(s) still to translate")
