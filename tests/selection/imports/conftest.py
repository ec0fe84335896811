import datetime
import html
import pathlib
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from demo.first_batch import Demo
from participants.models import Officer
from placements.models import Batch, NominationImport, Placement

DATA = pathlib.Path(__file__).resolve().parents[2] / "data" / "imports"


@pytest.fixture
def demo(db):
    """The demo as `make run` loads it: the files under tests/data/imports target its batches."""
    Demo(password="pw-for-tests", log=lambda *args: None).load()


@pytest.fixture
def guangzhou_batch(demo):
    return Batch.objects.get(name="GBA second batch · Guangzhou 2027")


@pytest.fixture
def first_batch(demo):
    return Batch.objects.get(name="GBA first batch · Shenzhen 2023-24")


def snapshot():
    """Everything an import could write: officers, placements, their focus areas and history."""
    return {
        "officers": sorted(
            Officer.objects.values_list("pk", "email", "name_en", "name_zh", "rank_id", "updated_at")
        ),
        "placements": sorted(
            Placement.objects.values_list(
                "pk", "officer_id", "batch_id", "host_area_id", "role", "updated_at"
            )
        ),
        "focus": sorted(Placement.focus_areas.through.objects.values_list("placement_id", "focusarea_id")),
        "officer_history": Officer.history.count(),
        "placement_history": Placement.history.count(),
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
