"""Applying a file: all or nothing, through the services, re-imports change nothing, and a preview that
went stale or a concurrent write stops the confirm without writing."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from participants.models import Officer
from participants.services import officer_create
from placements.models import NominationImport, Notice, OutgoingEmail
from selection.imports import plan as import_plan
from selection.imports import services as import_services
from selection.imports.services import ImportFailed, nomination_import_apply, nomination_import_create
from selection.models import CallInvitation, Nomination
from tests.data.imports.make_files import HEADERS, csv_text, nomination
from tests.factories import NominatingOfficerFactory

from .conftest import DATA, fingerprint_of, last_import, snapshot, text_of, upload

pytestmark = pytest.mark.django_db


def stored(guangzhou_batch, user, name="guangzhou-2027.xlsx"):
    return nomination_import_create(
        batch=guangzhou_batch, user=user, file_name=name, content=(DATA / name).read_bytes()
    )


def test_apply_writes_officers_and_nominations_by_the_user(csb_user, guangzhou_batch):
    nomination_import = stored(guangzhou_batch, csb_user)
    applied, plan = nomination_import_apply(nomination_import=nomination_import, user=csb_user)
    # The model's counters predate the selection: its "new placements" are the new nominations.
    assert (applied.status, applied.new_officers, applied.new_placements) == ("applied", 3, 3)
    assert applied.applied_by == csb_user and applied.applied_at
    emails = {"mlchow1@hyd.gov.hk", "klauyeung@pland.gov.hk", "mdasilva@cmab.gov.hk"}
    nominations = Nomination.objects.filter(call__batch=guangzhou_batch, officer__email__in=emails)
    assert {(n.department.abbreviation, n.department_ranking) for n in nominations} == {
        ("HyD", 1),
        ("PlanD", 1),
        ("CMAB", 1),
    }
    assert {(n.status, n.consent, n.source, n.nominated_by) for n in nominations} == {
        ("nominated", "pending", "import", csb_user)
    }
    assert not guangzhou_batch.placements.filter(officer__email__in=emails).exists()  # CSB selects later


def test_new_nominees_are_asked_for_consent_and_the_departments_told_once(csb_user, guangzhou_batch):
    hyd = CallInvitation.objects.get(call__batch=guangzhou_batch, department__abbreviation="HyD").department
    nominator = NominatingOfficerFactory(departments=[hyd], preferred_language="zh-hans")
    nomination_import = nomination_import_create(
        batch=guangzhou_batch, user=csb_user, file_name="two.csv", content=_file_of(2)
    )
    nomination_import_apply(nomination_import=nomination_import, user=csb_user)
    notices = Notice.objects.filter(officer__email__startswith="mlchow")
    assert notices.count() == 2
    assert all("has nominated you" in n.message and n.placement is None for n in notices)
    to_nominator = OutgoingEmail.objects.get(to_address=nominator.email)
    assert to_nominator.language == "zh-hans"
    assert "CHOW Mei-ling" in to_nominator.body and "CHOW Mei-ling 2" in to_nominator.body


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
        "English name,Chinese name,Official e-mail,Post title,Rank,Grade,Home department,Endorsed by,"
        "Endorser's post,Endorsed on\r\n"
        "LEUNG Wing-sze,梁詠詩,WSLeung@DEVB.gov.hk,Principal Assistant Secretary (Planning),"
        "Senior Administrative Officer,AO,DEVB,CHAN Siu-ming,Permanent Secretary,2026-11-02\r\n"
    ).encode()
    response = upload(csb_client, guangzhou_batch, "update.csv", content)
    preview = csb_client.get(response["Location"])
    page = text_of(preview)
    assert "existing officer, changes: post title, rank" in page
    assert "new nomination" in page
    csb_client.post(response["Location"], {"fingerprint": fingerprint_of(preview)})
    officer.refresh_from_db()
    assert officer.rank.name_en == "Senior Administrative Officer"
    nomination = officer.nominations.get(call__batch=guangzhou_batch)
    assert (nomination.department.abbreviation, nomination.endorsed_by_name) == ("DEVB", "CHAN Siu-ming")
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
    assert "The officers or nominations changed since the preview was shown" in text_of(refused)
    assert snapshot() == before
    again = fingerprint_of(refused)
    assert again and again != fingerprint_of(preview)
    assert csb_client.post(response["Location"], {"fingerprint": again}).status_code == 302
    assert Officer.objects.filter(email__iexact="mlchow1@hyd.gov.hk").count() == 1


def test_a_problem_that_appears_before_confirm_stops_it(csb_client, guangzhou_batch):
    response = upload(csb_client, guangzhou_batch, "guangzhou-2027.xlsx")
    preview = csb_client.get(response["Location"])
    # CMAB is no longer invited
    CallInvitation.objects.filter(call__batch=guangzhou_batch, department__abbreviation="CMAB").delete()
    before = snapshot()
    refused = csb_client.post(response["Location"], {"fingerprint": fingerprint_of(preview)})
    assert refused.status_code == 409
    assert "CMAB is not invited to nominate to this call." in text_of(refused)
    assert snapshot() == before


def test_a_concurrent_write_caught_by_the_database_rolls_everything_back(
    csb_user, guangzhou_batch, monkeypatch
):
    """Another import saving one of the file's new officers between our check and our insert: the unique
    constraint refuses the bulk insert, and everything written before it is rolled back too."""
    real_write = import_services._write

    def clash_then_write(**kwargs):
        Officer.objects.filter(email="wsleung@devb.gov.hk").update(name_zh="寫在衝突前")
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
    """The rules are checked again at confirm (nomination_validate, through the plan)."""
    nomination_import = stored(guangzhou_batch, csb_user)
    real_validate = import_plan.nomination_validate

    def refuse_third(*, nomination, **kwargs):
        if nomination.officer.email == "mdasilva@cmab.gov.hk":
            raise ValidationError({"officer": "Refused for the test."})
        return real_validate(nomination=nomination, **kwargs)

    monkeypatch.setattr(import_plan, "nomination_validate", refuse_third)
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
    nomination = Nomination.objects.get(officer__email="mlchow2@hyd.gov.hk")
    assert nomination.department_ranking == 2  # the next free one in the department, in file order
    assert {(r.history_type, r.history_user) for r in nomination.history.all()} == {
        ("+", csb_user),
        ("~", csb_user),  # the focus areas, set after the row is saved
    }
    assert [f.focusarea.name_en for f in nomination.history.first().focus_areas.all()] == [
        "Technology development"
    ]
    officer_record = nomination.officer.history.get()
    assert (officer_record.history_type, officer_record.history_user) == ("+", csb_user)


def test_apply_writes_officers_in_bulk_and_each_nomination_in_a_fixed_number_of_queries(
    csb_user, guangzhou_batch
):
    CallInvitation.objects.filter(call__batch=guangzhou_batch, department__abbreviation="HyD").update(
        quota=200
    )
    counts = []
    for count, start in ((10, 1), (100, 1000)):
        nomination_import = nomination_import_create(
            batch=guangzhou_batch, user=csb_user, file_name=f"{count}.csv", content=_file_of(count, start)
        )
        with CaptureQueriesContext(connection) as queries:
            applied, _plan = nomination_import_apply(nomination_import=nomination_import, user=csb_user)
        assert applied.new_placements == count
        counts.append(len(queries))
    # Each nomination (no more than the call's quotas): its INSERT and history row, its focus areas
    # (read, insert) with a history row and its snapshot, the consent notice and e-mail, each validated
    # (their foreign keys read) and inserted: 17. Officers cost no query per row.
    per_nomination = (counts[1] - counts[0]) / 90
    assert per_nomination <= 17.5, counts


def test_a_reimport_changes_a_nomination_and_keeps_its_consent(csb_user, guangzhou_batch):
    first = nomination_import_create(
        batch=guangzhou_batch, user=csb_user, file_name="a.csv", content=_file_of(2)
    )
    nomination_import_apply(nomination_import=first, user=csb_user)
    Nomination.objects.filter(officer__email="mlchow1@hyd.gov.hk").update(consent=Nomination.Consent.GIVEN)
    rows = [nomination(1, **{"Ranking": "3", "Endorsed by": "HO Kin-wah"}), nomination(2)]
    changed = nomination_import_create(
        batch=guangzhou_batch, user=csb_user, file_name="b.csv", content=csv_text(rows).encode()
    )
    applied, _plan = nomination_import_apply(nomination_import=changed, user=csb_user)
    assert (applied.changed_placements, applied.unchanged_rows) == (1, 1)
    nomination_ = Nomination.objects.get(officer__email="mlchow1@hyd.gov.hk")
    assert (nomination_.department_ranking, nomination_.endorsed_by_name) == (3, "HO Kin-wah")
    assert nomination_.consent == Nomination.Consent.GIVEN
    assert nomination_.history.first().history_type == "~"


def test_a_decided_nomination_cannot_be_changed_by_a_reimport(csb_client, csb_user, guangzhou_batch):
    first = nomination_import_create(
        batch=guangzhou_batch, user=csb_user, file_name="a.csv", content=_file_of(1)
    )
    nomination_import_apply(nomination_import=first, user=csb_user)
    Nomination.objects.update(status=Nomination.Status.SHORTLISTED)
    content = csv_text([nomination(1, **{"Endorsed by": "HO Kin-wah"})]).encode()
    response = upload(csb_client, guangzhou_batch, "late.csv", content)
    assert "has decided on this nomination (Shortlisted)" in text_of(csb_client.get(response["Location"]))


def test_a_closed_call_takes_no_import(csb_client, guangzhou_batch):
    guangzhou_batch.call.__class__.objects.filter(batch=guangzhou_batch).update(status="closed")
    response = upload(csb_client, guangzhou_batch, "guangzhou-2027.xlsx")
    page = text_of(csb_client.get(response["Location"]))
    assert "The selection for this call has finished: it takes no more changes." in page
    assert last_import().problem_count == 1


def test_the_file_is_checked_against_itself_and_the_call(csb_user, guangzhou_batch):
    """Rankings and quotas count the call's nominations and the file's rows together."""
    first = nomination_import_create(
        batch=guangzhou_batch, user=csb_user, file_name="a.csv", content=_file_of(2)
    )
    nomination_import_apply(nomination_import=first, user=csb_user)
    rows = [nomination(3, **{"Ranking": "2"}), nomination(4)]
    plan = import_plan.plan_build(
        batch=guangzhou_batch, table=import_services.read_table(csv_text(rows).encode())
    )
    messages = [(p.row, p.column, p.message) for p in plan.problems]
    assert messages == [
        (2, "ranking", "Another nominee of HyD already has ranking 2."),
        (3, "department", "HyD has used its quota of 3 nominees for this call."),
    ], messages


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
    nomination_ = Nomination.objects.get(officer__email="mlchow1@hyd.gov.hk")
    assert [f.name_en for f in nomination_.focus_areas.all()] == ["Town planning"]
    newest = nomination_.history.first()
    oldest = nomination_.history.last()
    assert newest.history_user == csb_user
    assert [f.focusarea.name_en for f in newest.focus_areas.all()] == ["Town planning"]
    assert oldest.history_type == "+"


def test_the_template_headers_are_the_files_headers():
    from selection.imports.columns import COLUMNS

    assert [c.header for c in COLUMNS] == HEADERS


def test_apply_makes_cached_figures_stale(csb_user, guangzhou_batch):
    """The apply writes officers in bulk, which sends no signal: it bumps the version of what reads across
    batches itself (placements.figures), so the nominate form lists the imported officers at once."""
    from core import cache_versions
    from placements.figures import BATCHES

    before = cache_versions.current(BATCHES)
    nomination_import_apply(nomination_import=stored(guangzhou_batch, csb_user), user=csb_user)
    assert cache_versions.current(BATCHES) != before


def test_an_officer_changed_by_an_import_makes_the_batches_they_are_placed_in_stale(
    csb_user, guangzhou_batch
):
    """Only the batches where the changed officers are placed show their names: those batches' versions
    move, another batch's stays (its participants' pages stay cached through an import)."""
    from core import cache_versions
    from placements.figures import FIGURES, batch_version
    from tests.factories import BatchFactory, PlacementFactory

    first = nomination_import_create(
        batch=guangzhou_batch, user=csb_user, file_name="a.csv", content=_file_of(2)
    )
    nomination_import_apply(nomination_import=first, user=csb_user)
    placed_in, elsewhere = BatchFactory(), BatchFactory()
    PlacementFactory(officer=Officer.objects.get(email="mlchow1@hyd.gov.hk"), batch=placed_in)
    PlacementFactory(batch=elsewhere)
    names = (FIGURES, batch_version(placed_in.pk), batch_version(elsewhere.pk))
    before = dict(zip(names, map(cache_versions.current, names), strict=True))
    rows = [nomination(1, **{"Post title": "Chief Engineer (Roads)"}), nomination(2)]
    changed = nomination_import_create(
        batch=guangzhou_batch, user=csb_user, file_name="b.csv", content=csv_text(rows).encode()
    )
    nomination_import_apply(nomination_import=changed, user=csb_user)
    assert Officer.objects.get(email="mlchow1@hyd.gov.hk").post_title == "Chief Engineer (Roads)"
    after = dict(zip(names, map(cache_versions.current, names), strict=True))
    assert after[batch_version(placed_in.pk)] != before[batch_version(placed_in.pk)]
    assert after[batch_version(elsewhere.pk)] == before[batch_version(elsewhere.pk)]
    assert after[FIGURES] == before[FIGURES]
