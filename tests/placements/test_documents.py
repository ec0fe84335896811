"""Documents: the file checks (refusals judged by content), the services (upload, replace, accept, return,
copy, purge, retention) and the access log, run against both storage backends: the private folder and
a real S3 protocol server (moto's server mode, in-process)."""

import datetime
import io
import socket
import uuid
import zipfile

import boto3
import pytest
import requests
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from moto.server import ThreadedMotoServer
from PIL import Image

from placements.documents import document_check_file, documents_storage, storage_signs_urls
from placements.models import (
    Batch,
    ChecklistCompletion,
    Document,
    DocumentAccess,
    DocumentRequirement,
    Notice,
)
from placements.selectors import officer_data_export
from placements.services import (
    document_accept,
    document_requirement_save,
    document_requirements_copy,
    document_return,
    document_upload,
    documents_purge_expired,
    officer_purge_personal_data,
)
from tests.factories import (
    BatchFactory,
    ChecklistItemFactory,
    CoordinatorUserFactory,
    DocumentFactory,
    DocumentRequirementFactory,
    ParticipantUserFactory,
    PlacementFactory,
    image_bytes,
    pdf_bytes,
)

pytestmark = pytest.mark.django_db

ALL = ["pdf", "jpeg", "png"]


def upload(content, name="scan.pdf", content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


# --- The file checks --------------------------------------------------------------------------------------


def test_a_pdf_passes_unchanged():
    content = pdf_bytes()
    checked = document_check_file(upload=upload(content), accepted_types=ALL)
    assert checked.content == content and checked.content_type == "application/pdf"


def test_wrong_type_under_a_right_name_is_refused():
    """An HTML page named .pdf and declared as a PDF is judged by its bytes."""
    with pytest.raises(ValidationError, match="not a PDF"):
        document_check_file(upload=upload(b"<html><script>alert(1)</script></html>"), accepted_types=["pdf"])
    # A real PNG named .pdf, when only PDFs are accepted, is refused too.
    with pytest.raises(ValidationError, match="not a PDF"):
        document_check_file(upload=upload(image_bytes("PNG")), accepted_types=["pdf"])


def test_an_oversized_file_is_refused(settings):
    settings.DOCUMENTS_MAX_BYTES = 1024 * 1024
    with pytest.raises(ValidationError, match="larger than 1 MB"):
        document_check_file(upload=upload(pdf_bytes() + b"%" * (1024 * 1024)), accepted_types=ALL)


def test_the_default_limit_is_ten_megabytes(settings):
    assert settings.DOCUMENTS_MAX_BYTES == 10 * 1024 * 1024


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError, match="empty"):
        document_check_file(upload=upload(b""), accepted_types=ALL)


def test_an_encrypted_pdf_is_refused():
    with pytest.raises(ValidationError, match="encrypted"):
        document_check_file(upload=upload(pdf_bytes(password="secret")), accepted_types=ALL)


def test_a_pdf_with_javascript_is_refused():
    with pytest.raises(ValidationError, match="JavaScript"):
        document_check_file(upload=upload(pdf_bytes(javascript=True)), accepted_types=ALL)


def test_a_pdf_with_a_launch_action_is_refused():
    with pytest.raises(ValidationError, match="launches a program"):
        document_check_file(upload=upload(pdf_bytes(launch=True)), accepted_types=ALL)


def test_a_pdf_with_a_hex_escaped_javascript_name_is_refused():
    """/J#61vaScript is /JavaScript to a reader: the check compares decoded names."""
    content = pdf_bytes(javascript=True).replace(b"/JavaScript", b"/J#61vaScript")
    with pytest.raises(ValidationError, match="JavaScript"):
        document_check_file(upload=upload(content), accepted_types=ALL)


def test_a_damaged_pdf_is_refused_not_a_500():
    with pytest.raises(ValidationError):
        document_check_file(upload=upload(b"%PDF-1.7\n" + b"\x00garbage" * 50), accepted_types=ALL)


@pytest.mark.parametrize(("fmt", "mime"), [("JPEG", "image/jpeg"), ("PNG", "image/png")])
def test_an_image_whose_exif_is_then_gone(fmt, mime):
    content = image_bytes(fmt, gps=True)
    with Image.open(io.BytesIO(content)) as before:
        assert before.getexif().get(0x0110) == "Test camera"
        assert before.getexif().get_ifd(0x8825)
    checked = document_check_file(upload=upload(content, "photo.pdf", "application/pdf"), accepted_types=ALL)
    assert checked.content_type == mime
    assert b"Test camera" not in checked.content
    with Image.open(io.BytesIO(checked.content)) as after:
        assert not after.getexif()
        assert after.size == (64, 48)


def test_a_truncated_image_is_refused():
    content = image_bytes("JPEG", size=(400, 300))[:300]
    with pytest.raises(ValidationError, match="cannot be read"):
        document_check_file(upload=upload(content, "photo.jpg"), accepted_types=ALL)


# --- Both storage backends --------------------------------------------------------------------------------


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def s3_server():
    """A real S3 protocol server in this process (moto's server mode) on a free local port."""
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture(params=["folder", "s3"])
def storage_backend(request, settings):
    """Each storage test runs twice: on the private folder (conftest's default) and on S3."""
    if request.param == "s3":
        endpoint = request.getfixturevalue("s3_server")
        bucket = f"documents-{uuid.uuid4().hex[:12]}"
        credentials = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
        boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", **credentials).create_bucket(
            Bucket=bucket
        )
        settings.STORAGES = {
            **settings.STORAGES,
            "documents": {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {
                    "bucket_name": bucket,
                    "endpoint_url": endpoint,
                    "region_name": "us-east-1",
                    "access_key": "testing",
                    "secret_key": "testing",
                    "default_acl": None,
                    "file_overwrite": False,
                    "querystring_auth": True,
                    "signature_version": "s3v4",
                    "querystring_expire": 60,
                },
            },
        }
    return request.param


@pytest.fixture
def placement(db):
    return PlacementFactory(officer__user=ParticipantUserFactory())


def _stored_files(placement):
    try:
        return documents_storage().listdir(f"documents/{placement.batch_id}")[1]
    except FileNotFoundError:  # the folder backend has no folder before the first file
        return []


def test_upload_stores_under_a_generated_name(storage_backend, placement):
    requirement = DocumentRequirementFactory(batch=placement.batch)
    user = placement.officer.user
    document = document_upload(
        placement=placement,
        requirement=requirement,
        upload=upload(pdf_bytes(), "../../etc/passwd.pdf"),
        actor=user,
    )
    assert document.status == Document.Status.AWAITING_REVIEW
    assert document.original_name == "passwd.pdf"  # the label only
    assert document.storage_name.startswith(f"documents/{placement.batch_id}/")
    assert "passwd" not in document.storage_name and ".." not in document.storage_name
    assert documents_storage().exists(document.storage_name)
    assert storage_signs_urls(documents_storage()) == (storage_backend == "s3")


def test_replace_before_review_deletes_the_old_file(
    storage_backend, placement, django_capture_on_commit_callbacks
):
    requirement = DocumentRequirementFactory(batch=placement.batch)
    first = document_upload(
        placement=placement, requirement=requirement, upload=upload(pdf_bytes()), actor=None
    )
    old_name = first.storage_name
    with django_capture_on_commit_callbacks(execute=True):
        second = document_upload(
            placement=placement,
            requirement=requirement,
            upload=upload(image_bytes("PNG"), "p.png"),
            actor=None,
        )
    assert second.pk == first.pk and second.content_type == "image/png"
    assert not documents_storage().exists(old_name)
    assert documents_storage().exists(second.storage_name)


def test_a_refused_upload_leaves_nothing_stored(storage_backend, placement):
    requirement = DocumentRequirementFactory(batch=placement.batch)
    with pytest.raises(ValidationError):
        document_upload(
            placement=placement,
            requirement=requirement,
            upload=upload(pdf_bytes(javascript=True)),
            actor=None,
        )
    assert not Document.objects.exists()
    assert _stored_files(placement) == []


def test_an_accepted_document_cannot_be_replaced(storage_backend, placement):
    requirement = DocumentRequirementFactory(batch=placement.batch)
    document = document_upload(
        placement=placement, requirement=requirement, upload=upload(pdf_bytes()), actor=None
    )
    document_accept(document=document, actor=CoordinatorUserFactory())
    with pytest.raises(ValidationError, match="accepted"):
        document_upload(placement=placement, requirement=requirement, upload=upload(pdf_bytes()), actor=None)
    assert len(_stored_files(placement)) == 1


def test_file_download_and_zip_through_the_views(storage_backend, client, placement):
    """The officer's download: the folder streams it as an attachment; S3 answers with a short-lived
    signed URL that makes the store send it as an attachment. The zip streams from either."""
    requirement = DocumentRequirementFactory(batch=placement.batch, name_en="Undertaking")
    content = pdf_bytes()
    document = document_upload(
        placement=placement, requirement=requirement, upload=upload(content), actor=None
    )
    client.force_login(placement.officer.user)
    response = client.get(f"/documents/{document.pk}/file/")
    assert response["X-Content-Type-Options"] == "nosniff"
    if storage_backend == "folder":
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment;")
        assert b"".join(response.streaming_content) == content
    else:
        assert response.status_code == 302
        url = response["Location"]
        assert "X-Amz-Expires=60" in url and "response-content-disposition=attachment" in url
        fetched = requests.get(url, timeout=10)
        assert fetched.content == content
        assert fetched.headers["Content-Disposition"].startswith("attachment")
    document_accept(document=document, actor=None)
    coordinator = CoordinatorUserFactory()
    placement.batch.coordinators.add(coordinator)
    client.force_login(coordinator)
    response = client.get(f"/batches/{placement.batch_id}/documents/accepted.zip")
    assert response.status_code == 200 and response.streaming
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    [name] = archive.namelist()
    assert name.endswith("/Undertaking.pdf")
    assert archive.read(name) == content


# --- Review, checklist, notices ---------------------------------------------------------------------------


def test_accepting_ticks_the_linked_checklist_item(placement):
    item = ChecklistItemFactory(batch=placement.batch)
    requirement = DocumentRequirementFactory(batch=placement.batch, checklist_item=item)
    document = DocumentFactory(placement=placement, requirement=requirement)
    reviewer = CoordinatorUserFactory()
    document_accept(document=document, actor=reviewer)
    document.refresh_from_db()
    assert document.status == Document.Status.ACCEPTED and document.reviewed_by == reviewer
    completion = ChecklistCompletion.objects.get()
    assert (completion.placement, completion.item, completion.completed_by) == (placement, item, reviewer)
    assert not Notice.objects.exists()  # accepting needs no notice


def test_accepting_in_a_completed_batch_leaves_its_checklist_as_it_was(placement):
    """A completed batch's checklist is a record (issue 14): a late acceptance does not tick it."""
    item = ChecklistItemFactory(batch=placement.batch)
    requirement = DocumentRequirementFactory(batch=placement.batch, checklist_item=item)
    document = DocumentFactory(placement=placement, requirement=requirement)
    Batch.objects.filter(pk=placement.batch_id).update(status=Batch.Status.COMPLETED)
    document_accept(document=document, actor=CoordinatorUserFactory())
    document.refresh_from_db()
    assert document.status == Document.Status.ACCEPTED
    assert not ChecklistCompletion.objects.exists()


def test_returning_needs_a_reason_and_notifies_the_participant(
    placement, mailoutbox, django_capture_on_commit_callbacks
):
    document = DocumentFactory(placement=placement, requirement__batch=placement.batch)
    with pytest.raises(ValidationError):
        document_return(document=document, actor=None, reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        document_return(document=document, actor=None, reason="The scan is cut off.")
    document.refresh_from_db()
    assert document.status == Document.Status.RETURNED and document.return_reason == "The scan is cut off."
    notice = Notice.objects.get()
    assert notice.officer == placement.officer and "The scan is cut off." in notice.message
    assert len(mailoutbox) == 1
    # Only a document awaiting review can be reviewed again.
    with pytest.raises(ValidationError, match="awaiting review"):
        document_accept(document=document, actor=None)


def test_a_returned_document_can_be_handed_in_again(placement):
    document = DocumentFactory(placement=placement, requirement__batch=placement.batch)
    document_return(document=document, actor=None, reason="Blurred.")
    again = document_upload(
        placement=placement, requirement=document.requirement, upload=upload(pdf_bytes()), actor=None
    )
    assert (
        again.pk == document.pk
        and again.status == Document.Status.AWAITING_REVIEW
        and not again.return_reason
    )


def test_upload_refuses_a_requirement_of_another_batch_or_direction(placement):
    with pytest.raises(ValidationError):
        document_upload(
            placement=placement,
            requirement=DocumentRequirementFactory(),
            upload=upload(pdf_bytes()),
            actor=None,
        )
    inbound_only = DocumentRequirementFactory(
        batch=placement.batch, applies_to=DocumentRequirement.AppliesTo.INBOUND
    )
    with pytest.raises(ValidationError):
        document_upload(placement=placement, requirement=inbound_only, upload=upload(pdf_bytes()), actor=None)


def test_requirement_types_limit_what_is_accepted(placement):
    requirement = DocumentRequirementFactory(batch=placement.batch, accepted_types="pdf")
    with pytest.raises(ValidationError, match="not a PDF"):
        document_upload(
            placement=placement, requirement=requirement, upload=upload(image_bytes(), "x.jpg"), actor=None
        )


def test_requirement_refuses_unknown_types_and_another_batchs_checklist_item():
    batch = BatchFactory()
    with pytest.raises(ValidationError):
        document_requirement_save(
            requirement=DocumentRequirement(batch=batch, name_en="X", accepted_types="exe")
        )
    with pytest.raises(ValidationError):
        document_requirement_save(
            requirement=DocumentRequirement(batch=batch, name_en="Y", checklist_item=ChecklistItemFactory())
        )


def test_copy_requirements_from_an_earlier_batch_is_one_action():
    source = BatchFactory(start_date=datetime.date(2024, 1, 1), end_date=datetime.date(2024, 3, 1))
    target = BatchFactory(start_date=datetime.date(2025, 1, 6), end_date=datetime.date(2025, 4, 4))
    source_item = ChecklistItemFactory(batch=source, title="Hand in the undertaking")
    target_item = ChecklistItemFactory(batch=target, title="Hand in the undertaking")
    form = SimpleUploadedFile("form.pdf", pdf_bytes())
    undertaking = DocumentRequirementFactory(
        batch=source, name_en="Undertaking", due_date=datetime.date(2023, 12, 20), checklist_item=source_item
    )
    document_requirement_save(requirement=undertaking, blank_form=form)
    DocumentRequirementFactory(batch=source, name_en="Medical declaration")
    DocumentRequirementFactory(batch=target, name_en="Medical declaration")

    created = document_requirements_copy(source=source, target=target)

    assert [r.name_en for r in created] == ["Undertaking"]
    copy = created[0]
    assert copy.due_date == datetime.date(2024, 12, 25)  # moved by the gap between the starts
    assert copy.checklist_item == target_item
    assert copy.blank_form and copy.blank_form != undertaking.blank_form
    assert documents_storage().exists(copy.blank_form)
    with pytest.raises(ValidationError):
        document_requirements_copy(source=target, target=target)


# --- Records and retention --------------------------------------------------------------------------------


def test_retention_deletes_documents_of_batches_ended_long_ago_and_logs_it(
    django_capture_on_commit_callbacks,
):
    old = DocumentFactory(
        placement__batch=BatchFactory(
            start_date=datetime.date(2023, 1, 1), end_date=datetime.date(2023, 3, 1)
        )
    )
    recent = DocumentFactory()
    with django_capture_on_commit_callbacks(execute=True):
        count = documents_purge_expired(today=datetime.date(2024, 3, 2), days=365)
    assert count == 1
    assert list(Document.objects.all()) == [recent]
    assert not documents_storage().exists(old.storage_name)
    log = DocumentAccess.objects.get()
    assert (
        log.action == DocumentAccess.Action.PURGE and "Retention" in log.description and log.document is None
    )


def test_the_retention_command(settings):
    settings.DOCUMENTS_RETENTION_DAYS = 30
    DocumentFactory(
        placement__batch=BatchFactory(
            start_date=datetime.date(2020, 1, 1), end_date=datetime.date(2020, 3, 1)
        )
    )
    out = io.StringIO()
    call_command("purge_documents", stdout=out)
    assert "Would delete 1" in out.getvalue() and Document.objects.count() == 1
    call_command("purge_documents", "--apply", stdout=out)
    assert "Deleted 1" in out.getvalue() and not Document.objects.exists()


def test_purge_personal_data_deletes_the_officers_documents(django_capture_on_commit_callbacks):
    document = DocumentFactory()
    other = DocumentFactory()
    with django_capture_on_commit_callbacks(execute=True):
        officer_purge_personal_data(officer=document.placement.officer, reason="test purge")
    assert list(Document.objects.all()) == [other]
    assert not documents_storage().exists(document.storage_name)
    assert DocumentAccess.objects.get().action == DocumentAccess.Action.PURGE


def test_the_data_download_lists_the_officers_documents():
    document = DocumentFactory(original_name="permit.pdf")
    DocumentFactory()  # someone else's
    data = officer_data_export(officer=document.placement.officer)
    [entry] = data["placements"][0]["documents"]
    assert entry["file_name"] == "permit.pdf" and entry["status"] == "awaiting_review"
    assert entry["requirement"] == document.requirement.name_en
