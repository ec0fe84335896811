"""Writes of the nominations import: store an upload for preview, and apply a file in one transaction
through the same services the admin uses (officer_save, placement_save)."""

import hashlib

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import single_line
from participants.services import officer_save

from ..models import Batch, NominationImport
from ..services import placement_save
from .plan import FIELD_COLUMNS, UNCHANGED, Problem, plan_build
from .reading import read_table


class ImportFailed(Exception):
    """Confirm wrote nothing; `problems` says why."""

    def __init__(self, problems):
        self.problems = problems
        super().__init__("; ".join(p.message for p in problems))


def nomination_import_plan(*, nomination_import):
    """Read the stored file and check it against the database as it is now (reads only)."""
    batch = Batch.objects.select_related("host_municipality").get(pk=nomination_import.batch_id)
    return plan_build(batch=batch, table=read_table(bytes(nomination_import.content)))


@transaction.atomic
def nomination_import_create(*, batch, user, file_name, content) -> NominationImport:
    """Store an uploaded file for preview once it reads as a nominations table (reading.FileRefused
    otherwise, and nothing is stored). Row problems do not stop it: the preview lists them."""
    table = read_table(content)
    plan = plan_build(batch=batch, table=table)
    nomination_import = NominationImport(
        batch=batch,
        uploaded_by=user,
        file_name=single_line(file_name)[:255] or "nominations",
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        **plan.summary,
    )
    nomination_import.full_clean()
    nomination_import.save()
    return nomination_import


def nomination_import_apply(*, nomination_import, user, fingerprint=None):
    """Apply the whole file in one transaction, or nothing.

    The file is checked again against the database as it is now; any problem, a plan that differs from
    the one previewed (`fingerprint`), a refusal by the services, or a clash with a concurrent write
    (the database's unique constraints) rolls everything back and raises ImportFailed. The failure is
    then recorded on the import (outside the rolled-back transaction)."""
    try:
        with transaction.atomic():
            locked = NominationImport.objects.select_for_update().get(pk=nomination_import.pk)
            if locked.status == NominationImport.Status.APPLIED:
                raise ImportFailed([Problem(None, "", "", _("This file has already been imported."))])
            plan = nomination_import_plan(nomination_import=locked)
            if plan.problems:
                raise ImportFailed(plan.problems)
            if fingerprint and fingerprint != plan.fingerprint:
                raise ImportFailed(
                    [
                        Problem(
                            None,
                            "",
                            "",
                            _(
                                "The officers or placements changed since the preview was shown: check the "
                                "preview below again and confirm."
                            ),
                        )
                    ]
                )
            problems = []
            for row in plan.rows:
                try:
                    if row.officer_action != UNCHANGED:
                        officer_save(officer=row.officer)
                    if row.placement_action != UNCHANGED:
                        row.placement.officer = row.officer
                        placement_save(placement=row.placement, focus_areas=row.focus_areas)
                except ValidationError as error:
                    for name, messages in error.message_dict.items():
                        key = FIELD_COLUMNS.get(name, "")
                        problems.extend(Problem(row.number, key, row.display(key), m) for m in messages)
            if problems:
                raise ImportFailed(problems)
            for name, value in plan.summary.items():
                setattr(locked, name, value)
            locked.status = NominationImport.Status.APPLIED
            locked.applied_at = timezone.now()
            locked.applied_by = user
            locked.message = ""
            locked.save()
            return locked, plan
    except IntegrityError:
        failure = ImportFailed(
            [
                Problem(
                    None,
                    "",
                    "",
                    _(
                        "Someone else saved some of these officers or placements at the same moment. Nothing "
                        "was written: check the preview below again and confirm."
                    ),
                )
            ]
        )
    except ImportFailed as error:
        failure = error
    NominationImport.objects.filter(pk=nomination_import.pk).exclude(
        status=NominationImport.Status.APPLIED
    ).update(status=NominationImport.Status.FAILED, message="\n".join(p.message for p in failure.problems))
    raise failure
