import datetime
import html
import pathlib
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from demo.first_batch import Demo
from participants.models import Department, Officer
from placements.models import Batch, NominationImport
from selection.models import Call, CallInvitation, HostChangeRequest, Nomination
from tests.data.imports.make_files import CALL_QUOTAS

DATA = pathlib.Path(__file__).resolve().parents[2] / "data" / "imports"


@pytest.fixture
def demo(db):
    """The demo as `make run` loads it: the files under tests/data/imports target its batches."""
    Demo(password="pw-for-tests", log=lambda *args: None).load()


def open_call(batch, quotas=CALL_QUOTAS):
    """The batch's call for nominations, open from a week ago for two weeks, inviting `quotas`, as
    departments start it: the files were written for a call without the selection demo's own nominations
    (demo/selection.py), which would use up the quotas the files are checked against."""
    HostChangeRequest.objects.filter(placement__batch=batch).delete()
    Nomination.objects.filter(call__batch=batch).delete()
    today = datetime.date.today()
    call, _created = Call.objects.update_or_create(
        batch=batch,
        defaults={
            "places": 10,
            "status": Call.Status.OPEN,
            "opens_on": today - datetime.timedelta(days=7),
            "closes_on": today + datetime.timedelta(days=14),
        },
    )
    for abbreviation, quota in quotas.items():
        CallInvitation.objects.update_or_create(
            call=call, department=Department.objects.get(abbreviation=abbreviation), defaults={"quota": quota}
        )
    return call


@pytest.fixture
def guangzhou_batch(demo):
    """The 2027 Guangzhou batch with its call for nominations open (the files under tests/data/imports
    nominate to it)."""
    batch = Batch.objects.get(name="GBA second batch · Guangzhou 2027")
    open_call(batch)
    return batch


@pytest.fixture
def first_batch(demo):
    return Batch.objects.get(name="GBA first batch · Shenzhen 2023-24")


def snapshot():
    """Everything an import could write: officers, nominations, their focus areas and history."""
    return {
        "officers": sorted(
            Officer.objects.values_list("pk", "email", "name_en", "name_zh", "rank_id", "updated_at")
        ),
        "nominations": sorted(
            Nomination.objects.values_list(
                "pk", "officer_id", "call_id", "department_ranking", "endorsed_by_name", "updated_at"
            )
        ),
        "focus": sorted(Nomination.focus_areas.through.objects.values_list("nomination_id", "focusarea_id")),
        "officer_history": Officer.history.count(),
        "nomination_history": Nomination.history.count(),
        "users": get_user_model().objects.count(),
    }


def text_of(response):
    """The page as a person reads it: tags dropped, entities decoded, spaces collapsed."""
    content = re.sub(r"<[^>]+>", " ", response.content.decode())
    return " ".join(html.unescape(content).split())


def upload(client, batch, name, content=None):
    content = (DATA / name).read_bytes() if content is None else content
    return client.post(
        reverse("admin:placements_nominationimport_add"),
        {"batch": batch.pk, "file": SimpleUploadedFile(name, content)},
    )


def fingerprint_of(response):
    match = re.search(r'name="fingerprint" value="(\w+)"', response.content.decode())
    return match.group(1) if match else None


def last_import():
    return NominationImport.objects.order_by("-pk").first()


DAY = datetime.date


@pytest.fixture(autouse=True)
def _no_reading_deadline_in_tests(monkeypatch):
    """Reading a file stops after bounds.MAX_SECONDS of wall time; on a loaded test machine (and under
    tracemalloc) that could refuse a good file. Tests of the deadline set it themselves."""
    from selection.imports import bounds

    monkeypatch.setattr(bounds, "MAX_SECONDS", 120.0)
