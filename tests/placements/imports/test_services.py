"""Applying a file: all or nothing, through the services, re-imports change nothing, and a preview that
went stale or a concurrent write stops the confirm without writing."""

import pytest
from django.db import IntegrityError

from participants.models import Officer
from participants.services import officer_create
from placements.imports import services as import_services
from placements.imports.services import ImportFailed, nomination_import_apply, nomination_import_create
from placements.models import NominationImport, Placement

from .conftest import DATA, fingerprint_of, snapshot, text_of, upload

pytestmark = pytest.mark.django_db


def stored(guangzhou_batch, user, name="guangzhou-2027.xlsx"):
    return nomination_import_create(
        batch=guangzhou_batch, user=user, file_name=name, content=(DATA / name).read_bytes()
    )


def test_apply_writes_officers_and_placements_with_history_by_the_user(csb_user, guangzhou_batch):
    nomination_import = stored(guangzhou_batch, csb_user)
    applied, plan = nomination_import_apply(nomination_import=nomination_import, user=csb_user)
    assert (applied.status, applied.new_officers, applied.new_placements) == ("applied", 3, 3)
    assert applied.applied_by == csb_user and applied.applied_at
    emails = {"mlchow1@hyd.gov.hk", "klauyeung@pland.gov.hk", "mdasilva@cmab.gov.hk"}
    placements = Placement.objects.filter(batch=guangzhou_batch, officer__email__in=emails)
    assert placements.count() == 3
    assert {p.status for p in placements} == {"nominated"}
    assert {p.home_department.abbreviation for p in placements} == {"HyD", "PlanD", "CMAB"}


def test_importing_the_same_file_again_changes_nothing(csb_client, csb_user, guangzhou_batch):
    nomination_import_apply(nomination_import=stored(guangzhou_batch, csb_user), user=csb_user)
    before = snapshot()
    response = upload(csb_client, guangzhou_batch, "guangzhou-2027.xlsx")
    preview = csb_client.get(response["Location"])
    page = text_of(preview)
    assert "unchanged rows: 3" in page
    assert "The same file was already imported into this batch" in page
    csb_client.post(response["Location"], {"fingerprint": fingerprint_of(preview)})
    assert snapshot() == before


def test_an_applied_import_cannot_be_applied_twice(csb_user, guangzhou_batch):
    nomination_import = stored(guangzhou_batch, csb_user)
    nomination_import_apply(nomination_import=nomination_import, user=csb_user)
    before = snapshot()
    with pytest.raises(ImportFailed, match="already been imported"):
        nomination_import_apply(nomination_import=nomination_import, user=csb_user)
    assert snapshot() == before
    nomination_import.refresh_from_db()
    assert nomination_import.status == NominationImport.Status.APPLIED


def test_existing_officers_are_matched_by_email_and_updated(csb_client, guangzhou_batch):
    officer = Officer.objects.get(email="wsleung@devb.gov.hk")  # already nominated for this batch
    content = (
        "English name,Chinese name,Official e-mail,Post title,Rank,Grade,Home department,Role at the host\r\n"
        "LEUNG Wing-sze,梁詠詩,WSLeung@DEVB.gov.hk,Principal Assistant Secretary (Planning),"
        "Senior Administrative Officer,AO,DEVB,Attached officer\r\n"
    ).encode()
    response = upload(csb_client, guangzhou_batch, "update.csv", content)
    preview = csb_client.get(response["Location"])
    page = text_of(preview)
    assert "existing officer, changes: post title, rank" in page
    assert "changes: role at the host" in page
    csb_client.post(response["Location"], {"fingerprint": fingerprint_of(preview)})
    officer.refresh_from_db()
    assert officer.rank.name_en == "Senior Administrative Officer"
    assert officer.placements.get(batch=guangzhou_batch).role == "Attached officer"
    assert Officer.objects.filter(email__iexact="wsleung@devb.gov.hk").count() == 1


def test_a_stale_preview_is_shown_again_and_nothing_written(csb_client, guangzhou_batch):
    response = upload(csb_client, guangzhou_batch, "guangzhou-2027.xlsx")
    preview = csb_client.get(response["Location"])
    # Meanwhile someone adds one of the officers by hand: the plan changes (new -> existing officer).
    officer_create(
        name_en="CHOW Mei-ling",
        email="MLCHOW1@hyd.gov.hk",
        home_department=Officer.objects.first().home_department,
    )
    before = snapshot()
    refused = csb_client.post(response["Location"], {"fingerprint": fingerprint_of(preview)})
    assert refused.status_code == 409
    assert "The officers or placements changed since the preview was shown" in text_of(refused)
    assert snapshot() == before
    again = fingerprint_of(refused)
    assert again and again != fingerprint_of(preview)
    assert csb_client.post(response["Location"], {"fingerprint": again}).status_code == 302
    assert Officer.objects.filter(email__iexact="mlchow1@hyd.gov.hk").count() == 1


def test_a_problem_that_appears_before_confirm_stops_it(csb_client, guangzhou_batch):
    response = upload(csb_client, guangzhou_batch, "guangzhou-2027.xlsx")
    preview = csb_client.get(response["Location"])
    guangzhou_batch.host_areas.clear()  # Nansha is no longer one of the batch's areas
    before = snapshot()
    refused = csb_client.post(response["Location"], {"fingerprint": fingerprint_of(preview)})
    assert refused.status_code == 409
    assert "Nansha is not one of this batch's host areas" in text_of(refused)
    assert snapshot() == before


def test_a_concurrent_write_caught_by_the_database_rolls_everything_back(
    csb_user, guangzhou_batch, monkeypatch
):
    """Another import saving the same officer between our check and our insert: the unique constraint
    refuses it, and the rows written before it are rolled back too."""
    real_save = import_services.placement_save
    calls = []

    def save_then_clash(**kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise IntegrityError("duplicate key value violates unique constraint")
        return real_save(**kwargs)

    monkeypatch.setattr(import_services, "placement_save", save_then_clash)
    nomination_import = stored(guangzhou_batch, csb_user)
    before = snapshot()
    with pytest.raises(ImportFailed, match="Someone else saved some of these officers"):
        nomination_import_apply(nomination_import=nomination_import, user=csb_user)
    assert snapshot() == before
    nomination_import.refresh_from_db()
    assert nomination_import.status == NominationImport.Status.FAILED
    assert "Someone else" in nomination_import.message


def test_a_refusal_by_the_services_at_confirm_rolls_everything_back(csb_user, guangzhou_batch, monkeypatch):
    from django.core.exceptions import ValidationError

    real_save = import_services.officer_save

    def refuse_third(**kwargs):
        if kwargs["officer"].email == "mdasilva@cmab.gov.hk":
            raise ValidationError({"email": "Refused for the test."})
        return real_save(**kwargs)

    monkeypatch.setattr(import_services, "officer_save", refuse_third)
    nomination_import = stored(guangzhou_batch, csb_user)
    before = snapshot()
    with pytest.raises(ImportFailed) as failure:
        nomination_import_apply(nomination_import=nomination_import, user=csb_user)
    assert [(p.row, p.column, p.message) for p in failure.value.problems] == [
        (4, "email", "Refused for the test.")
    ]
    assert snapshot() == before
