"""Every document URL × every role (portal and coordination), with the answer each must get.

The world: participants A and B are both in batch 1 (B is A's batchmate, the hardest case), coordinated
by "coordinator of the batch"; "coordinator of another batch" coordinates batch 2 only. Every URL targets
participant A's placement, A's document, or batch 1. Writes by anyone not allowed change nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import get_resolver, reverse

from placements.models import Document, DocumentAccess, DocumentRequirement
from placements.services import document_requirement_save
from tests.factories import (
    BatchFactory,
    CoordinatorUserFactory,
    CsbStaffFactory,
    DocumentFactory,
    DocumentRequirementFactory,
    OfficerFactory,
    ParticipantUserFactory,
    PlacementFactory,
    pdf_bytes,
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
    requirement = DocumentRequirementFactory(batch=batch, name_en="Undertaking")
    document_requirement_save(requirement=requirement, blank_form=SimpleUploadedFile("form.pdf", pdf_bytes()))
    second = DocumentRequirementFactory(batch=batch, name_en="Medical declaration")
    document = DocumentFactory(placement=a, requirement=requirement)
    DocumentFactory(placement=b, requirement=requirement, status=Document.Status.ACCEPTED)
    users = {
        "anonymous": None,
        "participant_a": a.officer.user,
        "participant_b": b.officer.user,
        "coordinator": coordinator,
        "other_coordinator": other_coordinator,
        "csb": CsbStaffFactory(username="csb-docs"),
    }
    return {
        "batch": batch,
        "a": a,
        "requirement": requirement,
        "second": second,
        "doc": document,
        "users": users,
    }


def _url(name, w):
    args = {
        "portal:placement_documents": [w["a"].pk],
        "portal:document_blank_form": [w["a"].pk, w["requirement"].pk],
        "portal:document_file": [w["doc"].pk],
        "coordination:batch_documents": [w["batch"].pk],
        "coordination:document_review": [w["batch"].pk, w["doc"].pk],
        "coordination:batch_documents_zip": [w["batch"].pk],
        "coordination:batch_document_requirements": [w["batch"].pk],
        "coordination:document_requirement_edit": [w["batch"].pk, w["second"].pk],
    }[name]
    return reverse(name, args=args)


def _post_data(name, w):
    return {
        "portal:placement_documents": {
            "requirement": w["second"].pk,
            "file": SimpleUploadedFile("declaration.pdf", pdf_bytes(), content_type="application/pdf"),
        },
        "coordination:document_review": {"action": "return", "reason": "Unreadable."},
        "coordination:batch_document_requirements": {
            "name_en": "Travel permit copy",
            "applies_to": "all",
            "accepted_types": ["pdf", "jpeg"],
            "order": 3,
            "required": "on",
        },
        "coordination:document_requirement_edit": {
            "name_en": "Medical declaration (signed)",
            "applies_to": "all",
            "accepted_types": ["pdf"],
            "order": 3,
        },
    }.get(name, {})


L = "login"
PLACEMENT_A = {"anonymous": L, "participant_a": 200, "participant_b": 404}
PLACEMENT_A.update(coordinator=200, other_coordinator=404, csb=200)
ONLY_A_WRITES = {"anonymous": L, "participant_a": 302, "participant_b": 404}
ONLY_A_WRITES.update(coordinator=404, other_coordinator=404, csb=404)
BATCH = {"anonymous": L, "participant_a": 404, "participant_b": 404}
BATCH.update(coordinator=200, other_coordinator=404, csb=200)
BATCH_WRITES = {**BATCH, "coordinator": 302, "csb": 302}

TABLE = {
    ("get", "portal:placement_documents"): PLACEMENT_A,
    ("post", "portal:placement_documents"): ONLY_A_WRITES,
    ("get", "portal:document_blank_form"): PLACEMENT_A,
    ("get", "portal:document_file"): PLACEMENT_A,
    ("get", "coordination:batch_documents"): BATCH,
    ("get", "coordination:document_review"): BATCH,
    ("post", "coordination:document_review"): BATCH_WRITES,
    ("get", "coordination:batch_documents_zip"): BATCH,
    ("get", "coordination:batch_document_requirements"): BATCH,
    ("post", "coordination:batch_document_requirements"): BATCH_WRITES,
    ("get", "coordination:document_requirement_edit"): BATCH,
    ("post", "coordination:document_requirement_edit"): BATCH_WRITES,
}

CASES = [(method, name, role) for (method, name), answers in TABLE.items() for role in ROLES]


@pytest.mark.parametrize(("method", "name", "role"), CASES, ids=[f"{m}-{n}-{r}" for m, n, r in CASES])
def test_document_url_role_table(client, world, method, name, role):
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    url = _url(name, world)
    response = client.post(url, _post_data(name, world)) if method == "post" else client.get(url)
    expected = TABLE[(method, name)][role]
    if expected == L:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == expected, response.content[:500]
    if response.status_code == 200 and name in ("portal:document_file", "coordination:batch_documents_zip"):
        assert response["Content-Disposition"].startswith("attachment")
        assert response["X-Content-Type-Options"] == "nosniff"


def test_the_table_covers_every_document_url():
    names = set()
    for namespace in ("portal", "coordination"):
        _, resolver = get_resolver().namespace_dict[namespace]
        names |= {f"{namespace}:{p.name}" for p in resolver.url_patterns if "document" in (p.name or "")}
    assert names == {name for _, name in TABLE}


def test_refused_writes_change_nothing(client, world):
    for role in ["participant_b", "coordinator", "other_coordinator", "csb"]:
        client.force_login(world["users"][role])
        client.post(
            _url("portal:placement_documents", world), _post_data("portal:placement_documents", world)
        )
    for role in ["participant_a", "participant_b", "other_coordinator"]:
        client.force_login(world["users"][role])
        for name in [
            "coordination:document_review",
            "coordination:batch_document_requirements",
            "coordination:document_requirement_edit",
        ]:
            client.post(_url(name, world), _post_data(name, world))
    assert Document.objects.count() == 2
    assert Document.objects.get(pk=world["doc"].pk).status == Document.Status.AWAITING_REVIEW
    assert set(DocumentRequirement.objects.values_list("name_en", flat=True)) == {
        "Undertaking",
        "Medical declaration",
    }


def test_only_allowed_downloads_are_logged(client, world):
    for role in ROLES:
        if world["users"][role]:
            client.force_login(world["users"][role])
        client.get(_url("portal:document_file", world))
    logged = list(DocumentAccess.objects.values_list("user__username", "action").order_by("pk"))
    assert logged == [("part-a", "download"), ("coord-batch", "download"), ("csb-docs", "download")]


def test_a_document_of_another_batch_is_not_found_on_this_batchs_review_page(client, world):
    other = DocumentFactory()
    client.force_login(world["users"]["csb"])
    assert (
        client.get(reverse("coordination:document_review", args=[world["batch"].pk, other.pk])).status_code
        == 404
    )


def test_a_coordinator_without_the_group_permissions_is_refused(client, world):
    world["users"]["coordinator"].groups.clear()
    client.force_login(world["users"]["coordinator"])
    assert client.get(_url("coordination:batch_documents", world)).status_code == 403
    assert client.get(_url("coordination:batch_documents_zip", world)).status_code == 403
