"""A synthetic batch of any size, for scale tests and benchmarks (load_demo --synthetic N)."""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction

from participants.models import Department, Officer, Rank
from placements.models import Batch, FocusArea, HostArea, HostOrganisation, Municipality, Placement, Programme
from placements.services import batch_save

D = datetime.date

SYNTHETIC_BATCH_NAME = "Synthetic batch (scale tests)"


def load_synthetic(count, *, log=print):
    """A synthetic outbound batch of `count` placements for scale tests and benchmarks, written with bulk
    inserts (the services' rules hold by construction: new officers, one batch, dates = the batch's).
    Running it again with the same count changes nothing; another count replaces the batch."""
    programme = Programme.objects.get(short_name="GBA")
    shenzhen = Municipality.objects.get(name_en="Shenzhen")
    futian = HostArea.objects.get(municipality=shenzhen, name_en="Futian")
    batch = Batch.objects.filter(name=SYNTHETIC_BATCH_NAME).first()
    if batch is not None and batch.placements.count() == count:
        log(f"Synthetic batch already has {count} placements.")
        return batch
    with transaction.atomic():
        if batch is not None:
            officer_ids = list(batch.placements.values_list("officer_id", flat=True))
            Placement.focus_areas.through.objects.filter(placement__batch=batch).delete()
            batch.placements.all().delete()
            Officer.objects.filter(pk__in=officer_ids).delete()
            batch.delete()
        batch = batch_save(
            batch=Batch(
                programme=programme,
                direction=Batch.Direction.OUTBOUND,
                number=900,
                name=SYNTHETIC_BATCH_NAME,
                name_zh="合成批次（規模測試）",
                host_municipality=shenzhen,
                start_date=D(2030, 1, 7),
                end_date=D(2030, 4, 5),
                status=Batch.Status.PLANNED,
                notes="Synthetic rows for scale tests and benchmarks.",
            ),
            host_areas=[futian],
            focus_areas=list(FocusArea.objects.all()),
        )
        batch.coordinators.add(*get_user_model().objects.filter(username="coordinator"))
        departments = list(Department.objects.active())
        ranks = list(Rank.objects.select_related("grade").filter(grade__kind__in=["general", "common"]))
        hosts = list(HostOrganisation.objects.filter(municipality=shenzhen))
        focus = list(FocusArea.objects.all())
        chunk = 5000
        for offset in range(0, count, chunk):
            size = min(chunk, count - offset)
            officers = Officer.objects.bulk_create(
                [
                    Officer(
                        name_en=f"SYNTHETIC Officer {n:06d}",
                        name_zh=f"測試{n:06d}",
                        email=f"synthetic-{n:06d}@example.invalid",
                        post_title="Synthetic post",
                        home_side=Officer.HomeSide.HONG_KONG,
                        home_department=departments[n % len(departments)],
                        rank=ranks[n % len(ranks)],
                        notes="Synthetic officer for scale tests.",
                    )
                    for n in range(offset + 1, offset + size + 1)
                ]
            )
            if officers[0].pk is None:  # backends that do not return ids from bulk inserts
                officers = list(
                    Officer.objects.filter(email__startswith="synthetic-").order_by("pk")[offset:]
                )
            placements = Placement.objects.bulk_create(
                [
                    Placement(
                        officer=officer,
                        batch=batch,
                        home_department_id=officer.home_department_id,
                        host_organisation=hosts[i % len(hosts)],
                        host_area=futian,
                        role="Attached officer",
                        role_zh="掛職人員",
                        start_date=batch.start_date,
                        end_date=batch.end_date,
                        status=Placement.Status.CONFIRMED,
                    )
                    for i, officer in enumerate(officers)
                ]
            )
            Placement.focus_areas.through.objects.bulk_create(
                [
                    Placement.focus_areas.through(placement_id=p.pk, focusarea_id=focus[i % len(focus)].pk)
                    for i, p in enumerate(placements)
                ]
            )
            log(f"  {offset + size:,} / {count:,} placements")
    return batch
