"""The batch contact sheet (issue 14): every role on its page and its CSV, what it shows (tel: links, the
emergency contact, needs, host supervisor), that it is a separate export from the roster, its access
log, the admin's read-only log, and the personal-data requests (JSON download, purge)."""

import csv
import io
import json

import pytest
from django.urls import reverse

from participants.models import Officer
from placements.models import ContactSheetAccess, Placement, RosterExport
from placements.services import officer_purge_personal_data
from tests.factories import (
    BatchFactory,
    CoordinatorUserFactory,
    CsbStaffFactory,
    OfficerFactory,
    ParticipantUserFactory,
    PlacementFactory,
)

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "participant_in_batch", "other_participant", "coordinator", "other_coordinator", "csb"]
NAMES = ["coordination:batch_contacts", "coordination:batch_contacts_csv"]


@pytest.fixture
def world(db):
    coordinator = CoordinatorUserFactory(username="coord-contacts")
    other_coordinator = CoordinatorUserFactory(username="coord-elsewhere")
    batch = BatchFactory(coordinators=[coordinator], name="GBA contacts batch")
    other_batch = BatchFactory(coordinators=[other_coordinator])
    a = PlacementFactory(
        batch=batch,
        host_supervisor="ZHOU Min (fictional)",
        officer=OfficerFactory(
            name_en="CHAN Ka-ming",
            name_zh="陳家明",
            user=ParticipantUserFactory(username="contacts-a"),
            phone="+852 2810 3001",
            mobile_phone="+852 9123 4501",
            emergency_contact_name="CHAN Mei-ling",
            emergency_contact_relationship="Spouse",
            emergency_contact_phone="+852 9876 5401",
            dietary_access_needs="Allergic to peanuts",
        ),
    )
    withdrawn = PlacementFactory(batch=batch, status=Placement.Status.WITHDRAWN, officer=OfficerFactory())
    elsewhere = PlacementFactory(
        batch=other_batch, officer=OfficerFactory(user=ParticipantUserFactory(username="contacts-b"))
    )
    users = {
        "anonymous": None,
        "participant_in_batch": a.officer.user,
        "other_participant": elsewhere.officer.user,
        "coordinator": coordinator,
        "other_coordinator": other_coordinator,
        "csb": CsbStaffFactory(username="csb-contacts"),
    }
    return {"batch": batch, "a": a, "withdrawn": withdrawn, "users": users}


def url(name, world):
    return reverse(name, args=[world["batch"].pk])


def consume(response):
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


EXPECTED = {
    "anonymous": "login",
    "participant_in_batch": 404,
    "other_participant": 404,
    "coordinator": 200,
    "other_coordinator": 404,
    "csb": 200,
}
CASES = [(name, role) for name in NAMES for role in ROLES]


@pytest.mark.parametrize(("name", "role"), CASES, ids=[f"{n}-{r}" for n, r in CASES])
def test_url_role_table(client, world, name, role):
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    response = client.get(url(name, world))
    consume(response)
    expected = EXPECTED[role]
    if expected == "login":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == expected
    # Only what was served is logged: a refused request leaves no trace of details shown.
    assert ContactSheetAccess.objects.count() == (1 if expected == 200 else 0)


def test_a_coordinator_without_the_view_officer_permission_is_refused(client, world):
    coordinator = world["users"]["coordinator"]
    coordinator.groups.clear()
    client.force_login(coordinator)
    for name in NAMES:
        assert client.get(url(name, world)).status_code == 403
    assert not ContactSheetAccess.objects.exists()


def test_the_page_shows_every_detail_with_tel_links(client, world):
    client.force_login(world["users"]["coordinator"])
    html = client.get(url("coordination:batch_contacts", world)).content.decode()
    a = world["a"]
    for text in [
        "CHAN Ka-ming",
        "陳家明",
        a.officer.email,
        "CHAN Mei-ling",
        "(Spouse)",
        "Allergic to peanuts",
        "ZHOU Min (fictional)",
        a.host_organisation.name_en,
    ]:
        assert text in html
    for number in ["+85228103001", "+85291234501", "+85298765401"]:
        assert f'href="tel:{number}"' in html
    assert reverse("portal:placement_detail", args=[a.pk]) in html
    # Withdrawn participants are not away with the batch: not on the sheet.
    assert world["withdrawn"].officer.name_en not in html
    assert 'rel="stylesheet" href="/static/css/contact-sheet.css"' in html


def test_a_participant_who_gave_nothing_shows_the_gap(client, world):
    PlacementFactory(batch=world["batch"], officer=OfficerFactory(name_en="TSANG Nothing-given"))
    client.force_login(world["users"]["csb"])
    html = client.get(url("coordination:batch_contacts", world)).content.decode()
    assert "TSANG Nothing-given" in html and "not given" in html


def test_each_view_is_logged_with_who_which_batch_and_whose_details(client, world):
    coordinator = world["users"]["coordinator"]
    client.force_login(coordinator)
    client.get(url("coordination:batch_contacts", world))
    consume(client.get(url("coordination:batch_contacts_csv", world)))
    view, download = ContactSheetAccess.objects.order_by("pk")
    assert (view.user, view.batch, view.action) == (
        coordinator,
        world["batch"],
        ContactSheetAccess.Action.VIEW,
    )
    assert download.action == ContactSheetAccess.Action.CSV
    for access in (view, download):
        assert list(access.officers.all()) == [world["a"].officer]
        assert access.row_count == 1
    # A separate export from the roster: nothing lands in the roster's log.
    assert not RosterExport.objects.exists()


def test_the_csv_is_its_own_export_with_the_emergency_details(client, world):
    client.force_login(world["users"]["coordinator"])
    response = client.get(url("coordination:batch_contacts_csv", world))
    assert response["Content-Disposition"].startswith('attachment; filename="contacts-')
    rows = list(csv.reader(io.StringIO(consume(response).decode("utf-8-sig"))))
    assert rows[0][:3] == ["Officer name (English)", "Officer name (Chinese)", "Official email"]
    assert "Emergency contact phone" in rows[0] and "Host supervisor" in rows[0]
    [row] = rows[1:]
    record = dict(zip(rows[0], row, strict=True))
    assert record["Emergency contact"] == "CHAN Mei-ling"
    assert record["Dietary or access needs"] == "Allergic to peanuts"
    assert record["Host supervisor"] == "ZHOU Min (fictional)"
    # A leading "+" is neutralised as every CSV cell is (a spreadsheet would read it as a formula).
    assert record["Mobile phone"].endswith("+852 9123 4501")
    # The roster does not carry them.
    roster = consume(client.get(reverse("coordination:batch_roster_csv", args=[world["batch"].pk])))
    assert b"CHAN Mei-ling" not in roster and b"Allergic" not in roster


def test_the_csv_in_chinese(client, world):
    client.force_login(world["users"]["coordinator"])
    response = client.get(url("coordination:batch_contacts_csv", world), HTTP_ACCEPT_LANGUAGE="zh-hans")
    header = consume(response).decode("utf-8-sig").splitlines()[0]
    assert "紧急联络人" in header or "緊急聯絡人" in header


def test_the_batch_page_links_the_contact_sheet_and_each_placement(client, world):
    client.force_login(world["users"]["coordinator"])
    html = client.get(world["batch"].get_absolute_url()).content.decode()
    assert url("coordination:batch_contacts", world) in html
    assert reverse("portal:placement_detail", args=[world["a"].pk]) in html


def test_page_query_count(client, world, django_assert_num_queries):
    client.force_login(world["users"]["coordinator"])
    page = url("coordination:batch_contacts", world)
    client.get(page)
    # session, user with the navigation's officer; the batch with programme and municipality; the sheet's
    # placements with officer and host; the log row and its officers (a savepoint pair around the
    # many-to-many insert on some databases is not counted here: the insert itself). 9 before issue 18:
    # the officer was a query of its own, and the permissions (view_officer), now cached, two more.
    # ... and the user with their profiles, cached since the first request (participants.backends)
    with django_assert_num_queries(5) as few:
        assert client.get(page).status_code == 200
    few = len(few.captured_queries)  # read now: the next request clears the queries' log
    for _ in range(8):
        PlacementFactory(batch=world["batch"], officer=OfficerFactory(mobile_phone="+852 9000 0000"))
    client.get(page)  # new users may change the permissions' version: cached again
    with django_assert_num_queries(few):
        assert client.get(page).status_code == 200


def test_the_admin_lists_the_log_read_only_for_csb_staff(client, world, django_assert_num_queries):
    client.force_login(world["users"]["coordinator"])
    client.get(url("coordination:batch_contacts", world))
    csb = world["users"]["csb"]
    client.force_login(csb)
    changelist = reverse("admin:placements_contactsheetaccess_changelist")
    response = client.get(changelist)
    assert response.status_code == 200
    assert "coord-contacts" in response.content.decode()
    access = ContactSheetAccess.objects.first()
    assert client.get(reverse("admin:placements_contactsheetaccess_add")).status_code == 403
    assert (
        client.get(reverse("admin:placements_contactsheetaccess_delete", args=[access.pk])).status_code == 403
    )
    assert (
        client.get(reverse("admin:placements_contactsheetaccess_change", args=[access.pk])).status_code == 200
    )
    client.force_login(world["users"]["coordinator"])
    assert client.get(changelist).status_code in (302, 403)


def test_my_data_lists_the_details_and_who_saw_them(client, world):
    client.force_login(world["users"]["coordinator"])
    client.get(url("coordination:batch_contacts", world))
    client.force_login(world["users"]["participant_in_batch"])
    data = json.loads(client.get(reverse("portal:my_data")).content)
    assert data["officer"]["emergency_contact_name"] == "CHAN Mei-ling"
    assert data["officer"]["dietary_access_needs"] == "Allergic to peanuts"
    assert data["placements"][0]["host_supervisor"] == "ZHOU Min (fictional)"
    [access] = data["contact_sheet_accesses"]
    assert access["batch"] == "GBA contacts batch" and access["action"] == "view"


def test_a_purge_removes_the_details_and_the_officer_from_the_log(client, world):
    client.force_login(world["users"]["coordinator"])
    client.get(url("coordination:batch_contacts", world))
    officer = world["a"].officer
    officer_purge_personal_data(officer=officer, reason="test")
    officer = Officer.objects.get(pk=officer.pk)
    assert officer.emergency_contact_name == officer.mobile_phone == officer.dietary_access_needs == ""
    assert Placement.objects.get(pk=world["a"].pk).host_supervisor == ""
    access = ContactSheetAccess.objects.get()
    assert not access.officers.exists()  # the log keeps who looked at the batch, not at whom
    assert access.batch == world["batch"]
