"""The launch-day load test's accounts (`bench/load.py --users`), made in the load database only, never by
the demo loader that `make run` uses: participants linked to the demo's officers (the history's small
batches first, as real batches are, then the synthetic batch's), coordinators sharing out the batches,
and CSB staff. Safe to run again (existing accounts are kept). Prints what the load test needs as JSON.

    DATABASE_URL=... python bench/load_accounts.py --participants 250 --coordinators 40 --csb 10
"""

import argparse
import itertools
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "exchange_portal.settings")

PASSWORD = "exchange-demo"
MAX_QUOTA = 32767  # the largest a PositiveSmallIntegerField holds


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=250)
    parser.add_argument("--coordinators", type=int, default=40)
    parser.add_argument("--csb", type=int, default=10)
    args = parser.parse_args()

    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group, User
    from django.db import transaction

    from core.roles import COORDINATOR, CSB_STAFF, PARTICIPANT
    from demo.synthetic import SYNTHETIC_BATCH_NAME
    from placements.figures import figures_changed
    from placements.models import Batch, Placement
    from selection.models import CallInvitation

    synthetic = Batch.objects.get(name=SYNTHETIC_BATCH_NAME)
    password = make_password(PASSWORD)  # hashed once: every account shares it
    groups = {name: Group.objects.get(name=name) for name in (PARTICIPANT, COORDINATOR, CSB_STAFF)}

    def accounts(prefix, count, group, **fields):
        names = [f"{prefix}{n:03d}" for n in range(1, count + 1)]
        existing = set(User.objects.filter(username__in=names).values_list("username", flat=True))
        User.objects.bulk_create(
            User(username=name, password=password, email=f"{name}@load.test", **fields)
            for name in names
            if name not in existing
        )
        users = list(User.objects.filter(username__in=names).order_by("username"))
        group.user_set.add(*users)
        return users

    with transaction.atomic():
        participants = accounts("load-p", args.participants, groups[PARTICIPANT])
        coordinators = accounts("load-c", args.coordinators, groups[COORDINATOR])
        staff = accounts("load-s", args.csb, groups[CSB_STAFF], is_staff=True)

        # Participants: officers of small batches first (as on launch day), then the synthetic batch's; one
        # placement each, their latest.
        placements = {
            user.username: placement_id
            for user, placement_id in (
                (
                    user,
                    Placement.objects.filter(officer__user=user)
                    .order_by("-start_date")
                    .values_list("pk", flat=True)
                    .first(),
                )
                for user in participants
            )
            if placement_id is not None
        }
        free = iter(
            list(Placement.objects.filter(officer__user__isnull=True).exclude(batch=synthetic).order_by("pk"))
            + list(Placement.objects.filter(officer__user__isnull=True, batch=synthetic).order_by("pk"))
        )
        taken = set()
        for user in participants:
            if user.username in placements:
                continue
            placement = next(p for p in free if p.officer_id not in taken)
            taken.add(placement.officer_id)
            officer = placement.officer
            officer.user = user
            officer.save(update_fields=["user"])
            placements[user.username] = placement.pk

        # Coordinators share out the batches (every one of them has at least one) and the synthetic batch.
        batches = list(Batch.objects.exclude(pk=synthetic.pk).order_by("pk"))
        through = Batch.coordinators.through
        links = {(b, u) for b, u in through.objects.values_list("batch_id", "user_id")}
        rows = []
        for batch, user in zip(batches, itertools.cycle(coordinators)):
            if (batch.pk, user.pk) not in links:
                rows.append(through(batch_id=batch.pk, user_id=user.pk))
        for user in coordinators[:2]:
            if (synthetic.pk, user.pk) not in links:
                rows.append(through(batch_id=synthetic.pk, user_id=user.pk))
        through.objects.bulk_create(rows)
    figures_changed()

    coordinated = {}
    for batch_id, user_id in through.objects.filter(user__in=coordinators).values_list("batch_id", "user_id"):
        coordinated.setdefault(user_id, []).append(batch_id)
    import_batch = Batch.objects.get(name="GBA second batch · Guangzhou 2027")
    # The importer files 20 new HyD nominees to this batch's call again and again: in the load database
    # only, HyD's quota there is raised so that every file is valid and applied (the demo's is 3).
    CallInvitation.objects.filter(call__batch=import_batch, department__abbreviation="HyD").update(
        quota=MAX_QUOTA
    )
    print(
        json.dumps(
            {
                "participants": [[u.username, placements[u.username]] for u in participants],
                "coordinators": [
                    [u.username, sorted(b for b in coordinated.get(u.pk, []) if b != synthetic.pk)]
                    for u in coordinators
                ],
                "csb": [u.username for u in staff],
                "synthetic": synthetic.pk,
                "synthetic_coordinator": coordinators[0].username,
                "synthetic_coordinators": [u.username for u in coordinators[:2]],
                "import_batch": import_batch.pk,
                "first_batch": Batch.objects.get(name="GBA first batch · Shenzhen 2023-24").pk,
            }
        )
    )


if __name__ == "__main__":
    main()
