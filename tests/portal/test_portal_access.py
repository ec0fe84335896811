"""Every URL of the participant portal × every role, with the answer each must get.

The world: participants A and B are both in batch 1 (so B is A's batchmate, the hardest case), coordinated
by "coordinator of the batch"; "coordinator of another batch" coordinates batch 2 only. Every URL below
targets participant A's placement, notice, checklist item or batch 1."""

import pytest
from django.urls import get_resolver, reverse

from placements.models import ChecklistCompletion, ChecklistItem, ExchangeReport, Notice
from tests.factories import (
    BatchFactory,
    ChecklistItemFactory,
    CoordinatorUserFactory,
    CsbStaffFactory,
    NoticeFactory,
    OfficerFactory,
    ParticipantUserFactory,
    PlacementFactory,
)

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "participant_a", "participant_b", "coordinator", "other_coordinator", "csb"]


@pytest.fixture
def world(db):
    coordinator = CoordinatorUserFactory(username="coord-batch")
    other_coordinator = CoordinatorUserFactory(username="coord-other")
    batch = BatchFactory(coordinators=[coordinator])
    BatchFactory(coordinators=[other_coordinator])
    a = PlacementFactory(batch=batch, officer=OfficerFactory(user=ParticipantUserFactory(username="part-a")))
    b = PlacementFactory(batch=batch, officer=OfficerFactory(user=ParticipantUserFactory(username="part-b")))
    item = ChecklistItemFactory(batch=batch)
    notice = NoticeFactory(placement=a)
    users = {
        "anonymous": None,
        "participant_a": a.officer.user,
        "participant_b": b.officer.user,
        "coordinator": coordinator,
        "other_coordinator": other_coordinator,
        "csb": CsbStaffFactory(username="csb-portal"),
    }
    return {"batch": batch, "a": a, "b": b, "item": item, "notice": notice, "users": users}


def _url(name, w):
    args = {
        "portal:my_placement": [],
        "portal:my_data": [],
        "portal:my_details": [],
        "portal:notice_list": [],
        "portal:notice_read": [w["notice"].pk],
        "portal:placement_detail": [w["a"].pk],
        "portal:placement_checklist": [w["a"].pk],
        "portal:placement_report": [w["a"].pk],
        "coordination:batch_checklist": [w["batch"].pk],
        "coordination:checklist_item_edit": [w["batch"].pk, w["item"].pk],
        "coordination:checklist_item_delete": [w["batch"].pk, w["item"].pk],
        "coordination:batch_reports": [w["batch"].pk],
    }[name]
    return reverse(name, args=args)


def _post_data(name, w):
    return {
        "portal:placement_checklist": {"item": w["item"].pk, "done": "on"},
        "portal:placement_report": {"learning": "Tried", "action": "save"},
        "portal:my_details": {"mobile_phone": "+852 9123 4567", "preferred_language": "en"},
        "coordination:batch_checklist": {
            "title": "New task",
            "phase": "during",
            "kind": "manual",
            "order": 5,
        },
        "coordination:checklist_item_edit": {
            "title": "Renamed task",
            "phase": "during",
            "kind": "manual",
            "order": 5,
        },
    }.get(name, {})


L = "login"  # redirected to sign-in
OWN = {"anonymous": L, "participant_a": 200, "participant_b": 200}
OWN.update(coordinator=404, other_coordinator=404, csb=404)
PLACEMENT_A = {"anonymous": L, "participant_a": 200, "participant_b": 404}
PLACEMENT_A.update(coordinator=200, other_coordinator=404, csb=200)
ONLY_A_WRITES = {"anonymous": L, "participant_a": 302, "participant_b": 404}
ONLY_A_WRITES.update(coordinator=404, other_coordinator=404, csb=404)
BATCH = {"anonymous": L, "participant_a": 404, "participant_b": 404}
BATCH.update(coordinator=200, other_coordinator=404, csb=200)
BATCH_WRITES = {**BATCH, "coordinator": 302, "csb": 302}

# (method, URL name): expected answer per role
TABLE = {
    ("get", "portal:my_placement"): OWN,
    ("get", "portal:my_data"): OWN,
    ("get", "portal:my_details"): OWN,
    ("post", "portal:my_details"): {**OWN, "participant_a": 302, "participant_b": 302},
    ("get", "portal:notice_list"): OWN,
    ("get", "portal:notice_read"): {**dict.fromkeys(ROLES, 405), "anonymous": L},
    ("post", "portal:notice_read"): ONLY_A_WRITES,
    ("get", "portal:placement_detail"): PLACEMENT_A,
    ("get", "portal:placement_checklist"): PLACEMENT_A,
    ("post", "portal:placement_checklist"): ONLY_A_WRITES,
    ("get", "portal:placement_report"): PLACEMENT_A,
    ("post", "portal:placement_report"): ONLY_A_WRITES,
    ("get", "coordination:batch_checklist"): BATCH,
    ("post", "coordination:batch_checklist"): BATCH_WRITES,
    ("get", "coordination:checklist_item_edit"): BATCH,
    ("post", "coordination:checklist_item_edit"): BATCH_WRITES,
    ("get", "coordination:checklist_item_delete"): BATCH,
    ("post", "coordination:checklist_item_delete"): BATCH_WRITES,
    ("get", "coordination:batch_reports"): BATCH,
}

CASES = [(method, name, role) for (method, name), answers in TABLE.items() for role in ROLES]


@pytest.mark.parametrize(("method", "name", "role"), CASES, ids=[f"{m}-{n}-{r}" for m, n, r in CASES])
def test_url_role_table(client, world, method, name, role):
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    url = _url(name, world)
    response = getattr(client, method)(url, _post_data(name, world)) if method == "post" else client.get(url)

    expected = TABLE[(method, name)][role]
    if expected == L:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == expected, response.content[:500]


def test_the_table_covers_every_url_of_the_portal():
    """Every participant page, and the coordinators' checklist and report pages (the batch pages and
    rosters have their own table in test_batch_pages)."""
    coordination_pages = {"batch_checklist", "checklist_item_edit", "checklist_item_delete", "batch_reports"}
    names = set()
    for namespace in ("portal", "coordination"):
        _, resolver = get_resolver().namespace_dict[namespace]
        for pattern in resolver.url_patterns:
            # The document URLs have their own table in test_document_access, the nomination consent
            # page in tests/nominating/test_views (the URL × role matrix of the selection's pages).
            if "document" in pattern.name or "nomination" in pattern.name:
                continue
            if namespace == "portal" or pattern.name in coordination_pages:
                names.add(f"{namespace}:{pattern.name}")
    assert names == {name for _, name in TABLE}
    for answers in TABLE.values():
        assert set(answers) == set(ROLES)


def test_refused_writes_change_nothing(client, world):
    """Participant B, both coordinators and CSB staff post to A's checklist, report and notice: nothing."""
    for role in ["participant_b", "coordinator", "other_coordinator", "csb"]:
        client.force_login(world["users"][role])
        for name in [
            "portal:placement_checklist",
            "portal:placement_report",
            "portal:notice_read",
        ]:
            client.post(_url(name, world), _post_data(name, world))
    assert not ChecklistCompletion.objects.exists()
    assert not ExchangeReport.objects.exists()
    assert Notice.objects.get().read_at is None


def test_refused_batch_writes_change_nothing(client, world):
    for role in ["participant_a", "participant_b", "other_coordinator"]:
        client.force_login(world["users"][role])
        for name in ["coordination:batch_checklist", "coordination:checklist_item_edit"]:
            client.post(_url(name, world), _post_data(name, world))
        client.post(_url("coordination:checklist_item_delete", world))
    assert list(ChecklistItem.objects.values_list("title", flat=True)) == [world["item"].title]


@pytest.mark.parametrize("offset", [1, 2, 10, 1000])
def test_any_other_placement_id_is_not_found_for_a_participant(client, world, offset):
    client.force_login(world["users"]["participant_a"])
    pk = world["a"].pk + offset
    for name in ["placement_detail", "placement_checklist", "placement_report"]:
        assert client.get(reverse(f"portal:{name}", args=[pk])).status_code == 404


def test_a_coordinator_without_the_group_permissions_is_refused(client, world):
    """Batch.coordinators links the batch; the Coordinator group's permissions allow the writes."""
    world["users"]["coordinator"].groups.clear()
    client.force_login(world["users"]["coordinator"])
    assert client.get(_url("coordination:batch_checklist", world)).status_code == 403
    response = client.post(_url("coordination:checklist_item_edit", world), _post_data("x", world))
    assert response.status_code == 403
