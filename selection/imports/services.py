"""Writes of the nominations import: store an upload for preview, and apply a file in one transaction.

The apply checks every row with the rules the services use (plan.py: model validation and
nomination_validate, with the reference data, officers and the call's nominations loaded once per file),
then writes officers in bulk with their history rows, and the nominations (a call's quotas keep them few)
one by one with theirs; each new nominee is asked for consent and the departments are told, as
nomination_create does."""

import hashlib
import os
import socket
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from core.models import single_line
from participants.backends import users_changed
from participants.models import Officer
from placements.figures import figures_changed
from placements.models import Batch, NominationImport, Placement

from ..services.nominations import nominations_imported_notify
from .plan import CHANGED, NEW, OFFICER_FIELDS, Problem, plan_build
from .reading import read_table

# Rows per INSERT or UPDATE statement.
BATCH = 500
# How long the progress of an import is kept (longer than any apply takes).
PROGRESS_SECONDS = 6 * 60 * 60
# On PostgreSQL, a running import whose row nobody has locked for this long has lost its worker.
LOCK_GRACE = timedelta(seconds=30)


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


def _officer_prepare(officer):
    """What officer_save does before it saves, without its per-row queries (the plan checked the row)."""
    officer.email = (officer.email or "").strip().lower()


def _write(*, plan, user, progress):
    """Write the plan's officers in bulk, with their history rows (django-simple-history's bulk helpers),
    then its new and changed nominations, each with its history row by `user`; then ask each new nominee
    for consent and tell the departments."""
    now = timezone.now()
    rows = plan.rows
    new_officers = [r.officer for r in rows if r.officer_action == NEW]
    changed_officers = [r.officer for r in rows if r.officer_action == CHANGED]
    for officer in new_officers + changed_officers:
        _officer_prepare(officer)
    bulk_create_with_history(new_officers, Officer, batch_size=BATCH, default_user=user, default_date=now)
    for officer in changed_officers:
        officer.updated_at = now
    if changed_officers:
        bulk_update_with_history(
            changed_officers,
            Officer,
            [*OFFICER_FIELDS, "updated_at"],
            batch_size=BATCH,
            default_user=user,
            default_date=now,
        )
    progress(len(rows) // 3)

    created = []
    for row in rows:
        if row.nomination_action not in (NEW, CHANGED):
            continue
        nomination = row.nomination
        nomination.officer = row.officer  # a new officer has its id only now
        if row.nomination_action == NEW:
            nomination.nominated_by = user
            created.append(nomination)
        nomination._history_user = user
        nomination.save()
        if row.focus_areas is not None:
            nomination.focus_areas.set(row.focus_areas)
    # Officers written in bulk send no signal: the pages of the batches the changed officers are placed in
    # show their names, and what reads across batches (the nominate form's pickers) every officer's.
    placed_in = Placement.objects.filter(officer__in=changed_officers).values_list("batch_id", flat=True)
    figures_changed(batch_ids=list(placed_in) if changed_officers else [])
    if changed_officers:
        users_changed()  # a changed officer may be a signed-in user's profile (participants.backends)
    progress(2 * len(rows) // 3)
    nominations_imported_notify(nominations=created)
    progress(len(rows))


def _no_progress(done):
    pass


def nomination_import_apply(*, nomination_import, user, fingerprint=None, progress=_no_progress):
    """Apply the whole file in one transaction, or nothing.

    The file is checked again against the database as it is now, with the officers it names locked; any
    problem, a plan that differs from the one previewed (`fingerprint`), a refusal by the rules, or a clash
    with a concurrent write (the database's unique constraints) rolls everything back and raises
    ImportFailed. The failure is then recorded on the import (outside the rolled-back transaction).
    Officers are written in bulk: a fixed number of queries per 500 rows, whatever the file's size; the
    nominations (no more than the call's quotas) one by one. `progress(rows_done)` is called as it goes: the
    plan counts the first half of the work, the writes the second."""
    try:
        with transaction.atomic():
            locked = NominationImport.objects.select_for_update().get(pk=nomination_import.pk)
            if locked.status == NominationImport.Status.APPLIED:
                raise ImportFailed([Problem(None, "", "", _("This file has already been imported."))])
            batch = Batch.objects.select_related("host_municipality").get(pk=locked.batch_id)
            table = read_table(bytes(locked.content))
            total = len(table.rows)
            plan = plan_build(batch=batch, table=table, lock=True, progress=lambda done: progress(done // 2))
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
                                "The officers or nominations changed since the preview was shown: check the "
                                "preview below again and confirm."
                            ),
                        )
                    ]
                )
            _write(plan=plan, user=user, progress=lambda done: progress((total + done) // 2))
            for name, value in plan.summary.items():
                setattr(locked, name, value)
            locked.status = NominationImport.Status.APPLIED
            locked.applied_at = timezone.now()
            locked.applied_by = user
            locked.message = ""
            locked.runner = ""
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
                        "Someone else saved some of these officers or nominations at the same moment. "
                        "Nothing was written: check the preview below again and confirm."
                    ),
                )
            ]
        )
    except ImportFailed as error:
        failure = error
    nomination_import_fail(
        nomination_import=nomination_import, message="\n".join(p.message for p in failure.problems)
    )
    raise failure


def nomination_import_fail(*, nomination_import, message):
    """Record why a confirm failed (outside the rolled-back transaction); an applied import stays applied."""
    NominationImport.objects.filter(pk=nomination_import.pk).exclude(
        status=NominationImport.Status.APPLIED
    ).update(status=NominationImport.Status.FAILED, message=message, runner="")


# --- In the background: confirm enqueues, the worker applies, the page shows the progress ----------------


def _runner_here():
    return f"{socket.gethostname()}:{os.getpid()}"


def _progress_key(pk):
    return f"nomination-import-progress:{pk}"


def nomination_import_progress(*, nomination_import):
    """Rows done of rows, while a worker applies the file (the plan counts half, the writes the other)."""
    done = caches["progress"].get(_progress_key(nomination_import.pk), 0)
    return {"done": min(done, nomination_import.row_count), "total": nomination_import.row_count}


def nomination_import_confirm(*, nomination_import, user, fingerprint) -> NominationImport:
    """Queue the apply of a previewed file (the worker runs nomination_import_run). A second confirm while
    one is queued or running, or of an applied file, is refused with ImportFailed and changes nothing.
    Called outside a transaction (the admin's confirm view)."""
    with transaction.atomic():
        locked = NominationImport.objects.select_for_update().get(pk=nomination_import.pk)
        if locked.status == NominationImport.Status.APPLIED:
            raise ImportFailed([Problem(None, "", "", _("This file has already been imported."))])
        if locked.status in (NominationImport.Status.QUEUED, NominationImport.Status.RUNNING):
            raise ImportFailed(
                [Problem(None, "", "", _("This file is already being imported: wait for it to finish."))]
            )
        locked.status = NominationImport.Status.QUEUED
        locked.confirmed_fingerprint = fingerprint or ""
        locked.message = locked.runner = ""
        locked.started_at = None
        locked.save(update_fields=["status", "confirmed_fingerprint", "message", "runner", "started_at"])
    caches["progress"].set(_progress_key(locked.pk), 0, timeout=PROGRESS_SECONDS)
    # Enqueued once the status is committed (this service runs outside any other transaction), so that the
    # worker finds the import queued.
    nomination_import_task.enqueue(locked.pk, user.pk)
    return locked


def nomination_import_run(*, nomination_import_id, user_id):
    """The worker's part: claim the queued import (marked running, with this worker's host and process),
    apply it in one transaction, and leave it applied or failed with the reason."""
    claimed = NominationImport.objects.filter(
        pk=nomination_import_id, status=NominationImport.Status.QUEUED
    ).update(status=NominationImport.Status.RUNNING, runner=_runner_here(), started_at=timezone.now())
    if not claimed:
        return None  # applied, failed or taken by another worker meanwhile
    nomination_import = NominationImport.objects.get(pk=nomination_import_id)
    user = get_user_model().objects.filter(pk=user_id).first()
    cache = caches["progress"]

    def progress(done):
        cache.set(_progress_key(nomination_import_id), done, timeout=PROGRESS_SECONDS)

    try:
        applied, _plan = nomination_import_apply(
            nomination_import=nomination_import,
            user=user,
            fingerprint=nomination_import.confirmed_fingerprint,
            progress=progress,
        )
    except ImportFailed:
        return NominationImport.Status.FAILED
    except Exception:
        nomination_import_fail(
            nomination_import=nomination_import,
            message=_("The import stopped on an unexpected error. Nothing was written: try again."),
        )
        raise
    return applied.status


@task()
def nomination_import_task(nomination_import_id, user_id):
    """Apply a confirmed nominations file on the worker (enqueued by nomination_import_confirm)."""
    return nomination_import_run(nomination_import_id=nomination_import_id, user_id=user_id)


def _process_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _worker_gone(nomination_import):
    """Whether the worker that was applying the import is no longer doing so: its process is gone (when
    it ran on this machine), or, on PostgreSQL, nothing holds the lock its transaction takes on the
    import's row."""
    host, _sep, pid = nomination_import.runner.rpartition(":")
    if host == socket.gethostname() and pid.isdigit():
        return not _process_alive(int(pid))
    if connection.vendor == "postgresql":
        if nomination_import.started_at and timezone.now() - nomination_import.started_at < LOCK_GRACE:
            return False  # between being marked running and taking its lock
        with transaction.atomic():
            free = (
                NominationImport.objects.select_for_update(skip_locked=True)
                .filter(pk=nomination_import.pk, status=NominationImport.Status.RUNNING)
                .exists()
            )
        return free
    return False


def nomination_import_check_running(*, nomination_import) -> NominationImport:
    """An import shown as running whose worker died (killed, out of memory, machine restarted) wrote
    nothing, its transaction rolled back: mark it failed with the reason, so it can be confirmed again."""
    if nomination_import.status == NominationImport.Status.RUNNING and _worker_gone(nomination_import):
        nomination_import_fail(
            nomination_import=nomination_import,
            message=_(
                "The worker applying this file stopped before it finished (it was restarted or killed). "
                "Nothing was written: confirm again."
            ),
        )
        nomination_import.refresh_from_db()
    return nomination_import
