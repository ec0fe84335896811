"""Applying a file: all or nothing, through the services, re-imports change nothing, and a preview that
went stale or a concurrent write stops the confirm without writing."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from participants.models import Officer
from participants.services import officer_create
from placements.imports import plan as import_plan
from placements.imports import services as import_services
from placements.imports.services import ImportFailed, nomination_import_apply, nomination_import_create
from placements.models import NominationImport, Notice, OutgoingEmail, Placement
from tests.data.imports.make_files import csv_text, nomination

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
    """Another import saving one of the file's new officers between our check and our insert: the unique
    constraint refuses the bulk insert, and everything written before it is rolled back too."""
    real_write = import_services._write

    def clash_then_write(**kwargs):
        Placement.objects.filter(batch=guangzhou_batch).update(role="written before the clash")
        officer_create(
            name_en="CHOW Mei-ling",
            email="mlchow1@hyd.gov.hk",
            home_department=Officer.objects.first().home_department,
        )
        return real_write(**kwargs)

    monkeypatch.setattr(import_services, "_write", clash_then_write)
    nomination_import = stored(guangzhou_batch, csb_user)
    before = snapshot()
    with pytest.raises(ImportFailed, match="Someone else saved some of these officers"):
        nomination_import_apply(nomination_import=nomination_import, user=csb_user)
    assert snapshot() == before
    nomination_import.refresh_from_db()
    assert nomination_import.status == NominationImport.Status.FAILED
    assert "Someone else" in nomination_import.message


def test_a_refusal_by_the_rules_at_confirm_rolls_everything_back(csb_user, guangzhou_batch, monkeypatch):
    """The rules are checked again at confirm (services.placement_validate, through the plan)."""
    nomination_import = stored(guangzhou_batch, csb_user)
    real_validate = import_plan.placement_validate

    def refuse_third(*, placement, **kwargs):
        if placement.officer.email == "mdasilva@cmab.gov.hk":
            raise ValidationError({"officer": "Refused for the test."})
        return real_validate(placement=placement, **kwargs)

    monkeypatch.setattr(import_plan, "placement_validate", refuse_third)
    before = snapshot()
    with pytest.raises(ImportFailed) as failure:
        nomination_import_apply(nomination_import=nomination_import, user=csb_user)
    assert [(p.row, p.column, p.message) for p in failure.value.problems] == [
        (4, "email", "Refused for the test.")
    ]
    assert snapshot() == before


def _file_of(count, start=1):
    return csv_text([nomination(n) for n in range(start, start + count)]).encode()


def test_apply_writes_history_rows_by_the_user_with_the_focus_areas(csb_user, guangzhou_batch):
    nomination_import = nomination_import_create(
        batch=guangzhou_batch, user=csb_user, file_name="two.csv", content=_file_of(2)
    )
    nomination_import_apply(nomination_import=nomination_import, user=csb_user)
    placement = Placement.objects.get(officer__email="mlchow2@hyd.gov.hk")
    record = placement.history.get()
    assert (record.history_type, record.history_user) == ("+", csb_user)
    assert [f.focusarea.name_en for f in record.focus_areas.all()] == ["Technology development"]
    officer_record = placement.officer.history.get()
    assert (officer_record.history_type, officer_record.history_user) == ("+", csb_user)


def test_apply_makes_no_query_per_row(csb_user, guangzhou_batch):
    counts = []
    for count, start in ((10, 1), (100, 1000)):
        nomination_import = nomination_import_create(
            batch=guangzhou_batch, user=csb_user, file_name=f"{count}.csv", content=_file_of(count, start)
        )
        with CaptureQueriesContext(connection) as queries:
            applied, _plan = nomination_import_apply(nomination_import=nomination_import, user=csb_user)
        assert applied.new_placements == count
        counts.append(len(queries))
    # No query per row: ten times the rows only splits the INSERTs into more statements where the
    # database limits the parameters of one (SQLite: 999).
    assert counts[0] <= 25
    assert counts[1] - counts[0] <= 8


def test_changed_dates_send_each_officer_a_notice_and_an_email_in_their_language(
    csb_user, guangzhou_batch, django_capture_on_commit_callbacks
):
    first = nomination_import_create(
        batch=guangzhou_batch, user=csb_user, file_name="a.csv", content=_file_of(2)
    )
    nomination_import_apply(nomination_import=first, user=csb_user)
    Officer.objects.filter(email="mlchow2@hyd.gov.hk").update(preferred_language="zh-hant")
    start, end = guangzhou_batch.start_date.replace(day=20), guangzhou_batch.end_date.replace(day=1)
    rows = [nomination(n, **{"Start date": start.isoformat(), "End date": end.isoformat()}) for n in (1, 2)]
    changed = nomination_import_create(
        batch=guangzhou_batch, user=csb_user, file_name="b.csv", content=csv_text(rows).encode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        applied, _plan = nomination_import_apply(nomination_import=changed, user=csb_user)
    assert applied.changed_placements == 2
    notices = {
        n.officer.email: n
        for n in Notice.objects.filter(officer__email__startswith="mlchow").select_related("officer")
    }
    assert set(notices) == {"mlchow1@hyd.gov.hk", "mlchow2@hyd.gov.hk"}
    assert "has changed" in notices["mlchow1@hyd.gov.hk"].message
    assert "有變更" in notices["mlchow2@hyd.gov.hk"].message
    assert len(mail.outbox) == 2
    assert {e.status for e in OutgoingEmail.objects.filter(to_address__startswith="mlchow")} == {"sent"}
    chinese = next(m for m in mail.outbox if "mlchow2" in m.to[0])
    assert "登入" in chinese.body
    assert Placement.objects.get(officer__email="mlchow1@hyd.gov.hk").history.first().history_type == "~"


def test_changed_focus_areas_are_replaced_and_kept_in_the_history(csb_user, guangzhou_batch):
    first = nomination_import_create(
        batch=guangzhou_batch, user=csb_user, file_name="a.csv", content=_file_of(1)
    )
    nomination_import_apply(nomination_import=first, user=csb_user)
    rows = [nomination(1, **{"Focus areas": "Town planning"})]
    changed = nomination_import_create(
        batch=guangzhou_batch, user=csb_user, file_name="b.csv", content=csv_text(rows).encode()
    )
    applied, _plan = nomination_import_apply(nomination_import=changed, user=csb_user)
    assert applied.changed_placements == 1
    placement = Placement.objects.get(officer__email="mlchow1@hyd.gov.hk")
    assert [f.name_en for f in placement.focus_areas.all()] == ["Town planning"]
    newest, oldest = placement.history.order_by("-history_id")
    assert newest.history_type == "~" and newest.history_user == csb_user
    assert [f.focusarea.name_en for f in newest.focus_areas.all()] == ["Town planning"]
    assert [f.focusarea.name_en for f in oldest.focus_areas.all()] == ["Technology development"]


def test_apply_makes_cached_figures_stale(csb_user, guangzhou_batch):
    """The apply writes in bulk, which sends no signal: it bumps the figures version itself
    (placements.figures), so the dashboard and the batch page count the new placements at once."""
    from core import cache_versions
    from placements.figures import FIGURES

    before = cache_versions.current(FIGURES)
    nomination_import_apply(nomination_import=stored(guangzhou_batch, csb_user), user=csb_user)
    assert cache_versions.current(FIGURES) != before
