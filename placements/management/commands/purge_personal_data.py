from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from placements.selectors import officer_list_placed_before
from placements.services import officer_purge_personal_data


def years_before(day, years):
    """The same calendar day `years` earlier (28 February for 29 February in a non-leap year)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


class Command(BaseCommand):
    help = (
        "Anonymise officers whose last placement ended more than YEARS years ago: names, contact "
        "details, emergency contacts, needs, notes and login are replaced, in the rows and their history; "
        "departments, grades, batches and placements stay for the statistics. Prints what it would do "
        "unless given --apply. Each anonymisation is recorded in the audit trail."
    )

    def add_arguments(self, parser):
        parser.add_argument("--older-than", type=int, required=True, metavar="YEARS", dest="years")
        parser.add_argument("--apply", action="store_true", help="Anonymise; without it, only report.")
        parser.add_argument(
            "--by", metavar="USERNAME", help="The CSB staff account to record as having made the change."
        )

    def handle(self, *args, years, apply, by, **options):
        if years < 1:
            raise CommandError("--older-than takes a whole number of years, at least 1.")
        user = None
        if by:
            user = get_user_model().objects.filter(username=by, is_staff=True).first()
            if user is None:
                raise CommandError(f"--by: no staff account named {by!r}.")
        cutoff = years_before(timezone.localdate(), years)
        reason = f"Personal data purged: last placement ended before {cutoff:%Y-%m-%d} ({years} years)"
        officers = list(officer_list_placed_before(day=cutoff))
        verb = "Anonymising" if apply else "Would anonymise"
        for officer in officers:
            self.stdout.write(
                f"{verb} officer #{officer.pk} {officer} "
                f"(last placement ended {officer.last_placement_end:%Y-%m-%d})"
            )
            if apply:
                officer_purge_personal_data(officer=officer, reason=reason, by=user)
        count = len(officers)
        if apply:
            self.stdout.write(self.style.SUCCESS(f"Anonymised {count} officer(s) placed before {cutoff}."))
        else:
            self.stdout.write(
                f"Dry run: {count} officer(s) whose last placement ended before {cutoff} would be "
                "anonymised. Nothing was changed; run again with --apply to do it."
            )
