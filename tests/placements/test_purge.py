"""purge_personal_data: dry run by default; --apply anonymises officers placed long ago, keeps the
statistics, scrubs the history and records the purge in the audit trail."""

import datetime
from io import StringIO

import pytest
from axes.models import AccessLog
from django.core.management import CommandError, call_command
from django.utils import timezone

from participants.models import Officer
from placements.management.commands.purge_personal_data import years_before
from placements.models import Placement
from placements.selectors import officer_list_placed_before
from tests.factories import (
    BatchFactory,
    CsbStaffFactory,
    OfficerFactory,
    ParticipantUserFactory,
    PlacementFactory,
)

TODAY = timezone.localdate()


def batch_ended(years_ago):
    end = TODAY - datetime.timedelta(days=int(365.25 * years_ago))
    return BatchFactory(start_date=end - datetime.timedelta(days=90), end_date=end)


@pytest.fixture
def old_officer(db):
    officer = OfficerFactory(
        name_en="CHAN Old-timer",
        name_zh="陳舊",
        mobile_phone="+852 9123 4567",
        emergency_contact_name="CHAN Spouse",
        emergency_contact_relationship="Spouse",
        emergency_contact_phone="+852 9765 4321",
        dietary_access_needs="No peanuts",
        notes="Asked for a ground-floor office.",
        user=ParticipantUserFactory(username="oldtimer", first_name="Old", last_name="Chan"),
    )
    PlacementFactory(officer=officer, batch=batch_ended(9), host_supervisor="LI Supervisor")
    PlacementFactory(officer=officer, batch=batch_ended(8))
    officer.name_en = "CHAN Old-timer Senior"  # a second version in the history
    officer.save()
    AccessLog.objects.create(username="oldtimer", ip_address="10.0.0.1", user_agent="test")
    return officer


@pytest.fixture
def recent_officer(db):
    officer = OfficerFactory(name_en="WONG Recent")
    PlacementFactory(officer=officer, batch=batch_ended(9))
    PlacementFactory(officer=officer, batch=batch_ended(1))  # the last one is recent: kept
    return officer


def purge(*args):
    out = StringIO()
    call_command("purge_personal_data", *args, stdout=out)
    return out.getvalue()


def test_the_selector_finds_officers_whose_last_placement_ended_before_the_day(old_officer, recent_officer):
    OfficerFactory(name_en="NEVER Placed")
    found = officer_list_placed_before(day=years_before(TODAY, 7))
    assert list(found) == [old_officer]


def test_a_dry_run_reports_and_changes_nothing(old_officer, recent_officer):
    history_rows = Officer.history.count()
    output = purge("--older-than", "7")
    assert f"Would anonymise officer #{old_officer.pk} CHAN Old-timer Senior 陳舊" in output
    assert "WONG Recent" not in output
    assert "Dry run: 1 officer(s)" in output
    old_officer.refresh_from_db()
    assert old_officer.name_en == "CHAN Old-timer Senior"
    assert Officer.history.count() == history_rows


def test_apply_anonymises_the_officer_and_keeps_the_statistics(old_officer, recent_officer):
    department, rank = old_officer.home_department_id, old_officer.rank_id
    batches = set(old_officer.placements.values_list("batch_id", flat=True))
    output = purge("--older-than", "7", "--apply")
    assert "Anonymised 1 officer(s)" in output
    officer = Officer.objects.get(pk=old_officer.pk)
    assert officer.name_en == f"Anonymised officer {officer.pk}"
    assert officer.email == f"officer-{officer.pk}@anonymised.invalid"
    for field in (
        "name_zh",
        "phone",
        "post_title",
        "mobile_phone",
        "emergency_contact_name",
        "emergency_contact_relationship",
        "emergency_contact_phone",
        "dietary_access_needs",
        "notes",
    ):
        assert getattr(officer, field) == "", field
    assert officer.user is None
    # The statistics stay: department, rank (so grade), batches and placements.
    assert (officer.home_department_id, officer.rank_id) == (department, rank)
    assert set(officer.placements.values_list("batch_id", flat=True)) == batches
    assert not officer.placements.exclude(host_supervisor="").exists()
    recent_officer.refresh_from_db()
    assert recent_officer.name_en == "WONG Recent"


def test_apply_closes_the_login_and_renames_it_in_the_sign_in_log(old_officer):
    user = old_officer.user
    purge("--older-than", "7", "--apply")
    user.refresh_from_db()
    assert user.username == f"anonymised-{user.pk}"
    assert (user.first_name, user.last_name, user.email) == ("", "", "")
    assert not user.is_active and not user.has_usable_password()
    assert not user.groups.exists()
    assert not AccessLog.objects.filter(username="oldtimer").exists()


def test_apply_scrubs_the_history_and_records_the_purge(old_officer):
    staff = CsbStaffFactory(username="purger")
    purge("--older-than", "7", "--apply", "--by", "purger")
    history = Officer.history.filter(id=old_officer.pk)
    assert history.count() == 3  # created, renamed, anonymised
    assert not history.exclude(name_en=f"Anonymised officer {old_officer.pk}").exists()
    assert not history.exclude(mobile_phone="").exists()
    assert not history.filter(user__isnull=False).exists()
    latest = history.latest()
    assert latest.history_change_reason.startswith("Personal data purged")
    assert latest.history_user == staff
    placements = Placement.history.filter(officer_id=old_officer.pk)
    assert not placements.exclude(host_supervisor="").exists()
    assert placements.filter(history_change_reason__startswith="Personal data purged").count() == 1


def test_apply_twice_finds_nobody_the_second_time(old_officer):
    purge("--older-than", "7", "--apply")
    assert "Anonymised 0 officer(s)" in purge("--older-than", "7", "--apply")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--older-than", "0"], "at least 1"),
        (["--older-than", "7", "--by", "nobody"], "no staff account named 'nobody'"),
    ],
)
def test_refusals(db, args, message):
    with pytest.raises(CommandError, match=message):
        purge(*args)


def test_years_before_handles_29_february():
    assert years_before(datetime.date(2024, 2, 29), 1) == datetime.date(2023, 2, 28)
    assert years_before(datetime.date(2024, 3, 1), 7) == datetime.date(2017, 3, 1)
