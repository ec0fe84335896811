"""The documents in the admin: requirements saved through the service (the blank form checked as any
upload), documents and the access log read-only, and the batch action that copies requirements."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from placements.models import DocumentAccess, DocumentRequirement
from placements.services import document_access_record
from tests.factories import (
    BatchFactory,
    ChecklistItemFactory,
    DocumentFactory,
    DocumentRequirementFactory,
    ProgrammeFactory,
    pdf_bytes,
)

pytestmark = pytest.mark.django_db


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _make_rows(label, n):
    if label == "documentrequirement":
        DocumentRequirementFactory.create_batch(n)
    else:
        documents = [DocumentFactory() for _ in range(n)]
        if label == "documentaccess":
            document_access_record(documents=documents, user=None, action=DocumentAccess.Action.DOWNLOAD)


@pytest.mark.parametrize("label", ["documentrequirement", "document", "documentaccess"])
def test_changelist_queries_do_not_grow_with_rows(csb_client, label):
    url = reverse(f"admin:placements_{label}_changelist")
    _make_rows(label, 3)
    _count(csb_client, url)
    with_three = _count(csb_client, url)
    _make_rows(label, 5)
    _count(csb_client, url)  # warm again: the new rows' officers made the cached users stale
    assert _count(csb_client, url) == with_three


def test_add_a_requirement_with_a_blank_form(csb_client):
    batch = BatchFactory()
    item = ChecklistItemFactory(batch=batch)
    response = csb_client.post(
        reverse("admin:placements_documentrequirement_add"),
        {
            "batch": batch.pk,
            "name_en": "Signed undertaking",
            "name_zh": "已簽署的承諾書",
            "required": "on",
            "applies_to": "all",
            "accepted_types": ["pdf"],
            "checklist_item": item.pk,
            "order": 1,
            "blank_form_file": SimpleUploadedFile("undertaking.pdf", pdf_bytes()),
        },
    )
    assert response.status_code == 302, response.content[:2000]
    requirement = DocumentRequirement.objects.get()
    assert (requirement.accepted_types, requirement.checklist_item) == ("pdf", item)
    assert requirement.blank_form.startswith(f"forms/{batch.pk}/")


def test_a_scripted_blank_form_is_refused_on_the_form(csb_client):
    batch = BatchFactory()
    response = csb_client.post(
        reverse("admin:placements_documentrequirement_add"),
        {
            "batch": batch.pk,
            "name_en": "Undertaking",
            "applies_to": "all",
            "accepted_types": ["pdf"],
            "order": 1,
            "blank_form_file": SimpleUploadedFile("f.pdf", pdf_bytes(javascript=True)),
        },
    )
    assert response.status_code == 200
    assert "JavaScript" in response.content.decode()
    assert not DocumentRequirement.objects.exists()


def test_documents_are_read_only_in_the_admin(csb_client):
    document = DocumentFactory()
    url = reverse("admin:placements_document_change", args=[document.pk])
    response = csb_client.get(url)
    assert response.status_code == 200
    assert reverse("portal:document_file", args=[document.pk]) in response.content.decode()
    assert csb_client.get(reverse("admin:placements_document_add")).status_code == 403


def test_batch_action_copies_requirements_from_the_previous_batch(csb_client):
    programme = ProgrammeFactory()
    earlier = BatchFactory(
        programme=programme, start_date=datetime.date(2023, 12, 18), end_date=datetime.date(2024, 3, 8)
    )
    later = BatchFactory(
        programme=programme, start_date=datetime.date(2027, 3, 1), end_date=datetime.date(2027, 5, 31)
    )
    DocumentRequirementFactory(batch=earlier, name_en="Medical declaration")
    response = csb_client.post(
        reverse("admin:placements_batch_changelist"),
        {"action": "copy_document_requirements", "_selected_action": [later.pk, earlier.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert list(later.document_requirements.values_list("name_en", flat=True)) == ["Medical declaration"]
    assert "no earlier batch" in response.content.decode()
