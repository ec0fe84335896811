"""The documents demo: the first batch's accepted documents and the 2027 batch's mix, all through the
same checks as a real upload."""

from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from demo.documents import demo_pdf
from placements.documents import documents_storage
from placements.models import Batch, ChecklistCompletion, Document, Notice

pytestmark = pytest.mark.django_db


def test_demo_documents(settings):
    settings.DEBUG = True
    call_command("load_demo", "--password", "pw-demo", stdout=StringIO())
    first = Batch.objects.get(programme__short_name="GBA", number=1)
    nxt = Batch.objects.get(programme__short_name="GBA", number=2)
    assert first.document_requirements.count() == 4
    first_docs = Document.objects.filter(placement__batch=first)
    assert first_docs.count() == 4 * first.placements.count()
    assert set(first_docs.values_list("status", flat=True)) == {Document.Status.ACCEPTED}
    assert set(first_docs.values_list("content_type", flat=True)) == {"application/pdf", "image/jpeg"}
    assert all(documents_storage().exists(name) for name in first_docs.values_list("storage_name", flat=True))
    # The 2027 batch copied the requirements (with the blank form) and has every state but accepted.
    assert nxt.document_requirements.count() == 4
    assert nxt.document_requirements.exclude(blank_form="").count() == 1
    statuses = sorted(Document.objects.filter(placement__batch=nxt).values_list("status", flat=True))
    assert statuses == [
        Document.Status.AWAITING_REVIEW,
        Document.Status.AWAITING_REVIEW,
        Document.Status.RETURNED,
    ]
    assert Notice.objects.filter(message__contains="returned").count() == 1
    # Nothing accepted yet, so no item linked to a requirement is ticked (the portal's own items may be).
    assert not ChecklistCompletion.objects.filter(
        item__batch=nxt, item__document_requirements__isnull=False
    ).exists()
    # Loading again changes nothing.
    count = Document.objects.count()
    call_command("load_demo", "--password", "pw-demo", stdout=StringIO())
    assert Document.objects.count() == count


def test_the_demo_pdf_is_a_plain_readable_pdf():
    reader = PdfReader(BytesIO(demo_pdf("Signed undertaking")))
    assert "Signed undertaking" in reader.pages[0].extract_text()
