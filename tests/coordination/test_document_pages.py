"""The document pages: the participant's Documents page (upload, refusal shown on the page, replace), the
batch's review matrix with its query count, accept/return, copying requirements, and the zip."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from placements.models import ChecklistCompletion, Document, DocumentAccess, DocumentRequirement
from tests.factories import (
    BatchFactory,
    ChecklistItemFactory,
    DocumentFactory,
    DocumentRequirementFactory,
    OfficerFactory,
    ParticipantUserFactory,
    PlacementFactory,
    image_bytes,
    pdf_bytes,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def batch(coordinator_user):
    return BatchFactory(coordinators=[coordinator_user])


@pytest.fixture
def own_placement(batch):
    return PlacementFactory(
        batch=batch, officer=OfficerFactory(user=ParticipantUserFactory(username="p-own"))
    )


def _upload_url(placement):
    return reverse("portal:placement_documents", args=[placement.pk])


def test_a_participant_uploads_and_sees_awaiting_review(client, own_placement):
    requirement = DocumentRequirementFactory(batch=own_placement.batch, name_en="Undertaking")
    client.force_login(own_placement.officer.user)
    response = client.post(
        _upload_url(own_placement),
        {
            "requirement": requirement.pk,
            "file": SimpleUploadedFile("u.jpg", image_bytes(gps=True), "image/jpeg"),
        },
        follow=True,
    )
    assert response.status_code == 200
    document = Document.objects.get()
    assert document.status == Document.Status.AWAITING_REVIEW and document.content_type == "image/jpeg"
    assert b'data-status="awaiting_review"' in response.content


def test_a_refused_upload_says_why_on_the_page(client, own_placement):
    requirement = DocumentRequirementFactory(batch=own_placement.batch)
    client.force_login(own_placement.officer.user)
    response = client.post(
        _upload_url(own_placement),
        {"requirement": requirement.pk, "file": SimpleUploadedFile("x.pdf", pdf_bytes(javascript=True))},
    )
    assert response.status_code == 200
    assert "JavaScript" in response.content.decode()
    assert not Document.objects.exists()


@pytest.mark.parametrize(
    "data",
    [{}, {"requirement": "abc"}, {"requirement": 999999, "file": SimpleUploadedFile("a.pdf", b"%PDF")}],
)
def test_bad_upload_input_never_gives_a_500(client, own_placement, data):
    client.force_login(own_placement.officer.user)
    response = client.post(_upload_url(own_placement), data)
    assert response.status_code == 200
    assert "Choose a file for one of the documents below." in response.content.decode()


def test_the_documents_page_query_count(client, own_placement, django_assert_num_queries):
    for _ in range(4):
        DocumentFactory(placement=own_placement, requirement__batch=own_placement.batch)
    client.force_login(own_placement.officer.user)
    # session, user with the navigation's officer (a query of its own before issue 18: 8), placement
    # (+officer, batch, report), requirements, documents, and the two permission queries of the base
    # template (a first view: then cached)
    with django_assert_num_queries(7):
        response = client.get(_upload_url(own_placement))
    assert response.content.count(b'data-status="awaiting_review"') == 4


def test_the_review_matrix_and_its_query_count(coordinator_client, batch, django_assert_num_queries):
    requirements = [DocumentRequirementFactory(batch=batch) for _ in range(3)]
    inbound_only = DocumentRequirementFactory(batch=batch, applies_to=DocumentRequirement.AppliesTo.INBOUND)
    placements = [PlacementFactory(batch=batch) for _ in range(6)]
    DocumentFactory(placement=placements[0], requirement=requirements[0], status=Document.Status.ACCEPTED)
    DocumentFactory(placement=placements[1], requirement=requirements[1], status=Document.Status.RETURNED)
    DocumentFactory(placement=placements[2], requirement=requirements[2])
    url = reverse("coordination:batch_documents", args=[batch.pk])
    # session, user with the navigation's officer (a query of its own before issue 18: 9), batch, user
    # permissions, group permissions (a first view: then cached), requirements, placements, documents:
    # the same with 6 participants as with 600
    with django_assert_num_queries(8):
        response = coordinator_client.get(url)
    content = response.content.decode()
    assert content.count('data-status="missing"') == 6 * 3 - 3
    assert content.count('data-status="not-asked"') == 6
    assert content.count('data-status="accepted"') == 1
    assert inbound_only.name_en in content


def test_accept_on_the_review_page_ticks_the_checklist(
    coordinator_client, coordinator_user, batch, own_placement
):
    item = ChecklistItemFactory(batch=batch)
    document = DocumentFactory(
        placement=own_placement, requirement__batch=batch, requirement__checklist_item=item
    )
    url = reverse("coordination:document_review", args=[batch.pk, document.pk])
    assert coordinator_client.get(url).status_code == 200
    response = coordinator_client.post(url, {"action": "accept"})
    assert response.status_code == 302
    assert ChecklistCompletion.objects.filter(placement=own_placement, item=item).exists()
    # Accepting twice is refused with a message, not a 500.
    assert coordinator_client.post(url, {"action": "accept"}).status_code == 200


def test_return_without_a_reason_is_refused_on_the_page(coordinator_client, batch, own_placement):
    document = DocumentFactory(placement=own_placement, requirement__batch=batch)
    url = reverse("coordination:document_review", args=[batch.pk, document.pk])
    assert coordinator_client.post(url, {"action": "return", "reason": ""}).status_code == 200
    assert coordinator_client.post(url, {"action": "whatever"}).status_code == 200
    document.refresh_from_db()
    assert document.status == Document.Status.AWAITING_REVIEW


def test_copy_requirements_from_an_earlier_batch_on_the_page(coordinator_client, coordinator_user, batch):
    earlier = BatchFactory(coordinators=[coordinator_user])
    DocumentRequirementFactory(batch=earlier, name_en="Undertaking")
    DocumentRequirementFactory(batch=earlier, name_en="Medical declaration")
    url = reverse("coordination:batch_document_requirements", args=[batch.pk])
    assert "Copy from an earlier batch" in coordinator_client.get(url).content.decode()
    response = coordinator_client.post(url, {"action": "copy", "source": earlier.pk})
    assert response.status_code == 302
    assert set(batch.document_requirements.values_list("name_en", flat=True)) == {
        "Undertaking",
        "Medical declaration",
    }
    # A batch the coordinator may not see is not a choice.
    hidden = BatchFactory()
    DocumentRequirementFactory(batch=hidden, name_en="Secret")
    assert coordinator_client.post(url, {"action": "copy", "source": hidden.pk}).status_code == 200
    assert not batch.document_requirements.filter(name_en="Secret").exists()


def test_the_zip_holds_only_accepted_documents_and_logs_each(coordinator_client, batch):
    placements = [PlacementFactory(batch=batch) for _ in range(3)]
    requirement = DocumentRequirementFactory(batch=batch, name_en="Undertaking")
    for placement in placements[:2]:
        DocumentFactory(placement=placement, requirement=requirement, status=Document.Status.ACCEPTED)
    DocumentFactory(placement=placements[2], requirement=requirement)
    response = coordinator_client.get(reverse("coordination:batch_documents_zip", args=[batch.pk]))
    assert response.streaming
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert len(archive.namelist()) == 2
    assert archive.testzip() is None
    assert DocumentAccess.objects.filter(action=DocumentAccess.Action.ZIP).count() == 2


def test_requirement_edit_and_delete(coordinator_client, batch, own_placement):
    requirement = DocumentRequirementFactory(batch=batch, name_en="Permit")
    DocumentFactory(placement=own_placement, requirement=requirement)
    url = reverse("coordination:document_requirement_edit", args=[batch.pk, requirement.pk])
    response = coordinator_client.post(
        url,
        {
            "name_en": "Permit copy",
            "applies_to": "outbound",
            "accepted_types": ["pdf"],
            "order": 1,
            "blank_form_file": SimpleUploadedFile("f.pdf", pdf_bytes()),
        },
    )
    assert response.status_code == 302
    requirement.refresh_from_db()
    assert (requirement.name_en, requirement.accepted_types) == ("Permit copy", "pdf")
    assert requirement.blank_form
    assert coordinator_client.post(url, {"action": "delete"}).status_code == 302
    assert not DocumentRequirement.objects.exists() and not Document.objects.exists()
    assert DocumentAccess.objects.get().action == DocumentAccess.Action.PURGE
