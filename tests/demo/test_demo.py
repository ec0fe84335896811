import datetime
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.http import HttpRequest

from demo.synthetic import SYNTHETIC_BATCH_NAME
from participants.models import Officer
from placements.models import Batch, ChecklistItem, HostArea, Placement

pytestmark = pytest.mark.django_db

TABLES = [get_user_model(), Officer, Batch, Placement]


def snapshot():
    return {
        model.__name__: sorted(
            model.objects.values_list("pk", "updated_at" if model is not get_user_model() else "password")
        )
        for model in TABLES
    }


@pytest.fixture
def demo(settings):
    settings.DEBUG = True  # the test runner turns debugging off; the demo is for debugging set-ups
    call_command("load_demo", "--password", "pw-demo", stdout=StringIO())


def test_first_batch_is_as_the_press_release_describes(demo):
    batch = Batch.objects.get(programme__short_name="GBA", number=1)
    placements = batch.placements.select_related(
        "officer", "home_department", "host_area", "host_organisation"
    )

    assert (batch.start_date, batch.end_date, batch.launch_date) == (
        datetime.date(2023, 12, 18),
        datetime.date(2024, 3, 8),
        datetime.date(2023, 12, 18),
    )
    assert batch.host_municipality.name_en == "Shenzhen"
    assert sorted(batch.host_areas.values_list("name_en", flat=True)) == ["Futian", "Qianhai"]
    assert batch.focus_areas.count() == 5
    assert placements.count() == 10
    assert {p.host_area.name_en for p in placements} == {"Futian", "Qianhai"}
    assert len({p.host_organisation_id for p in placements}) == 5
    # Eight departments and grades: AO and EO grades, EPD, HyD, ITC, OGCIO, PlanD, TD.
    sources = set()
    for p in placements:
        grade = p.officer.rank.grade.abbreviation
        sources.add(grade if grade in ("AO", "EO") else p.home_department_name().abbreviation)
    assert sources == {"AO", "EO", "EPD", "HyD", "ITC", "OGCIO", "PlanD", "TD"}
    assert all("Fictional" in p.officer.notes for p in placements)
    roles = {p.role for p in placements}
    assert "Special assistant to a deputy district head" in roles
    assert "Special assistant to a deputy director" in roles


def test_qianhai_is_a_cooperation_zone_and_futian_a_district(demo):
    assert HostArea.objects.get(name_en="Qianhai").kind == HostArea.Kind.COOPERATION_ZONE
    assert HostArea.objects.get(name_en="Futian").kind == HostArea.Kind.DISTRICT


def test_demo_has_the_older_programme_both_ways(demo):
    older = Batch.objects.filter(programme__short_name="CSSEP")
    assert older.filter(direction=Batch.Direction.INBOUND).exists()
    assert older.filter(direction=Batch.Direction.OUTBOUND).exists()
    inbound = older.get(direction=Batch.Direction.INBOUND, number=1)
    assert all(p.officer.home_side == Officer.HomeSide.MAINLAND for p in inbound.placements.all())


def test_demo_accounts_sign_in_with_the_password(demo, client):
    User = get_user_model()
    for username in ["csb", "coordinator", "officer01", "officer10"]:
        # django-axes watches every sign-in, so it needs the request the sign-in came with.
        assert client.login(request=HttpRequest(), username=username, password="pw-demo"), username
    assert User.objects.get(username="csb").is_staff
    assert not User.objects.get(username="coordinator").is_staff
    assert Officer.objects.get(user__username="officer07").email == "psng@dpo.gov.hk"
    assert (
        Batch.objects.get(number=1, programme__short_name="GBA")
        .coordinators.filter(username="coordinator")
        .exists()
    )


def test_loading_the_demo_twice_changes_nothing(demo, settings):
    before = snapshot()
    call_command("load_demo", "--password", "pw-demo", stdout=StringIO())
    assert snapshot() == before


def test_demo_refuses_to_run_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DJANGO_DEBUG off"):
        call_command("load_demo")
    assert not Batch.objects.filter(programme__short_name="GBA", number=1).exists()


def test_demo_runs_with_debug_off_when_forced(settings):
    settings.DEBUG = False
    call_command("load_demo", "--force", stdout=StringIO())
    assert Batch.objects.filter(programme__short_name="GBA", number=1).exists()


def test_synthetic_batch_has_the_requested_placements_and_is_idempotent(demo, settings):
    call_command("load_demo", "--synthetic", "120", stdout=StringIO())
    batch = Batch.objects.get(name=SYNTHETIC_BATCH_NAME)
    assert batch.placements.count() == 120
    assert Placement.focus_areas.through.objects.filter(placement__batch=batch).count() == 120

    call_command("load_demo", "--synthetic", "120", stdout=StringIO())
    assert Placement.objects.filter(batch__name=SYNTHETIC_BATCH_NAME).count() == 120

    call_command("load_demo", "--synthetic", "50", stdout=StringIO())
    assert Placement.objects.filter(batch__name=SYNTHETIC_BATCH_NAME).count() == 50
    assert Officer.objects.filter(email__startswith="synthetic-").count() == 50


def dump_everything():
    """Every row of every table, history tables included (dumpdata), as text."""
    out = StringIO()
    call_command("dumpdata", "--exclude", "sessions", "--exclude", "contenttypes", stdout=out)
    return out.getvalue()


def test_load_demo_twice_writes_no_history_rows(demo):
    """Defect 4 of issue 11: a second run wrote 23 historical batch and many-to-many rows."""
    before = dump_everything()
    call_command("load_demo", "--password", "pw-demo", stdout=StringIO())
    after = dump_everything()
    assert after == before


def test_the_demo_gives_batches_checklist_items_and_roles_their_chinese_forms(demo):
    """Chinese readers see the demo in Chinese: every batch name, checklist title and role has a Chinese
    form (issue 13)."""
    assert not Batch.objects.filter(name_zh="").exists()
    assert not ChecklistItem.objects.filter(title_zh="").exists()
    assert not Placement.objects.exclude(role="").filter(role_zh="").exists()
    first = Batch.objects.get(name="GBA first batch · Shenzhen 2023-24")
    assert first.name_zh == "大灣區第一批 · 深圳 2023-24"
