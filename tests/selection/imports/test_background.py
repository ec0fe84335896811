"""The apply in the background: confirm enqueues, the page shows the progress, a second confirm is
refused, and a worker that dies leaves nothing written and the import failed, not running."""

import subprocess

import pytest
from django.urls import reverse

from placements.models import NominationImport
from selection.imports import services as import_services
from selection.imports.services import (
    ImportFailed,
    nomination_import_confirm,
    nomination_import_create,
    nomination_import_plan,
    nomination_import_run,
)
from selection.models import Nomination
from tests.factories import UserFactory

from .conftest import DATA, fingerprint_of, snapshot, text_of, upload

pytestmark = pytest.mark.django_db

DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def stored(batch, user):
    return nomination_import_create(
        batch=batch,
        user=user,
        file_name="guangzhou-2027.xlsx",
        content=(DATA / "guangzhou-2027.xlsx").read_bytes(),
    )


def progress_url(nomination_import):
    return reverse("admin:placements_nominationimport_progress", args=[nomination_import.pk])


def test_confirm_queues_the_apply_and_the_page_shows_its_progress(csb_client, guangzhou_batch, settings):
    settings.TASKS = DUMMY  # enqueued, but no worker runs it yet
    url = upload(csb_client, guangzhou_batch, "guangzhou-2027.xlsx")["Location"]
    preview = csb_client.get(url)
    before = snapshot()
    response = csb_client.post(url, {"fingerprint": fingerprint_of(preview)})
    assert response.status_code == 302 and response["Location"] == url
    nomination_import = NominationImport.objects.get()
    assert nomination_import.status == NominationImport.Status.QUEUED
    page = csb_client.get(url)
    assert page.status_code == 200
    assert "Waiting for the worker" in text_of(page)
    assert b'<progress id="import-progress-bar" max="3" value="0">' in page.content
    assert b"js/import-progress.js" in page.content
    assert f'href="{url}"'.encode() in page.content  # the refresh link, for a browser without JavaScript
    assert csb_client.get(progress_url(nomination_import)).json() == {
        "status": "queued",
        "status_display": "Waiting for the worker",
        "finished": False,
        "done": 0,
        "total": 3,
    }
    assert snapshot() == before

    # A second confirm while the first is queued is refused and changes nothing.
    again = csb_client.post(url, {"fingerprint": fingerprint_of(preview)})
    assert again.status_code == 409
    assert "already being imported" in text_of(again)
    assert snapshot() == before

    # The worker's turn.
    assert nomination_import_run(
        nomination_import_id=nomination_import.pk, user_id=nomination_import.uploaded_by_id
    )
    nomination_import.refresh_from_db()
    assert nomination_import.status == NominationImport.Status.APPLIED
    assert csb_client.get(progress_url(nomination_import)).json()["finished"] is True
    emails = {"mlchow1@hyd.gov.hk", "klauyeung@pland.gov.hk", "mdasilva@cmab.gov.hk"}
    assert Nomination.objects.filter(call__batch=guangzhou_batch, officer__email__in=emails).count() == 3


def test_a_second_confirm_while_running_is_refused(csb_user, guangzhou_batch, settings):
    settings.TASKS = DUMMY
    nomination_import = stored(guangzhou_batch, csb_user)
    nomination_import_confirm(nomination_import=nomination_import, user=csb_user, fingerprint="")
    NominationImport.objects.filter(pk=nomination_import.pk).update(status=NominationImport.Status.RUNNING)
    with pytest.raises(ImportFailed, match="already being imported"):
        nomination_import_confirm(nomination_import=nomination_import, user=csb_user, fingerprint="")


def test_the_progress_counts_rows_checked_then_written(csb_user, guangzhou_batch, settings, monkeypatch):
    settings.TASKS = DUMMY
    nomination_import = stored(guangzhou_batch, csb_user)
    nomination_import_confirm(nomination_import=nomination_import, user=csb_user, fingerprint="")
    seen = []
    real_set = import_services.caches["progress"].set

    def record(key, value, **kwargs):
        seen.append(value)
        return real_set(key, value, **kwargs)

    monkeypatch.setattr(import_services.caches["progress"], "set", record)
    nomination_import_run(nomination_import_id=nomination_import.pk, user_id=csb_user.pk)
    assert seen == sorted(seen) and seen[-1] == 3


def test_a_killed_worker_leaves_nothing_written_and_the_import_failed(
    csb_client, csb_user, guangzhou_batch, settings, monkeypatch
):
    settings.TASKS = DUMMY
    nomination_import = stored(guangzhou_batch, csb_user)
    nomination_import_confirm(nomination_import=nomination_import, user=csb_user, fingerprint="")
    real_write = import_services._write

    def write_then_die(**kwargs):
        real_write(**kwargs)  # every row written inside the transaction …
        raise SystemExit("killed")  # … then the process ends before the commit

    monkeypatch.setattr(import_services, "_write", write_then_die)
    before = snapshot()
    with pytest.raises(SystemExit):
        nomination_import_run(nomination_import_id=nomination_import.pk, user_id=csb_user.pk)
    assert snapshot() == before
    nomination_import.refresh_from_db()
    assert nomination_import.status == NominationImport.Status.RUNNING  # what a killed worker leaves

    # While its process lives, the import is running; once it is gone, the page says what happened.
    url = reverse("admin:placements_nominationimport_preview", args=[nomination_import.pk])
    assert "Being applied" in text_of(csb_client.get(url))
    dead = subprocess.Popen(["true"])
    dead.wait()
    host = nomination_import.runner.rpartition(":")[0]
    NominationImport.objects.filter(pk=nomination_import.pk).update(runner=f"{host}:{dead.pid}")
    assert csb_client.get(progress_url(nomination_import)).json()["status"] == "failed"
    page = csb_client.get(url)
    assert page.status_code == 200
    assert "The worker applying this file stopped before it finished" in text_of(page)
    assert snapshot() == before

    # It can be confirmed again.
    monkeypatch.setattr(import_services, "_write", real_write)
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    plan = nomination_import_plan(nomination_import=nomination_import)
    nomination_import_confirm(
        nomination_import=nomination_import, user=csb_user, fingerprint=plan.fingerprint
    )
    nomination_import.refresh_from_db()
    assert nomination_import.status == NominationImport.Status.APPLIED


def test_the_progress_page_is_for_csb_staff_only(
    client, csb_user, coordinator_user, officer_with_login, guangzhou_batch
):
    nomination_import = stored(guangzhou_batch, csb_user)
    url = progress_url(nomination_import)
    for user in (coordinator_user, officer_with_login.user):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]
    client.force_login(UserFactory(is_staff=True))
    assert client.get(url).status_code == 403
    client.force_login(csb_user)
    assert client.get(url).status_code == 200
    assert client.get(reverse("admin:placements_nominationimport_progress", args=[999999])).status_code == 404


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_worker_applies_a_confirmed_import(csb_user, guangzhou_batch, settings, run_worker):
    settings.CACHES = {
        **settings.CACHES,
        "progress": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    nomination_import = stored(guangzhou_batch, csb_user)
    plan = nomination_import_plan(nomination_import=nomination_import)
    nomination_import_confirm(
        nomination_import=nomination_import, user=csb_user, fingerprint=plan.fingerprint
    )
    nomination_import.refresh_from_db()
    assert nomination_import.status == NominationImport.Status.QUEUED
    run_worker()
    nomination_import.refresh_from_db()
    assert nomination_import.status == NominationImport.Status.APPLIED
    assert nomination_import.applied_by == csb_user
