"""A participant hands in a document from a phone (375 px wide); a coordinator reviews it, accepts it and
downloads the batch's accepted documents as one zip."""

import io
import re
import zipfile

from playwright.sync_api import expect

from placements.models import ChecklistCompletion, Document
from tests.factories import (
    BatchFactory,
    ChecklistItemFactory,
    CoordinatorUserFactory,
    DocumentRequirementFactory,
    OfficerFactory,
    ParticipantUserFactory,
    PlacementFactory,
    image_bytes,
)


def test_a_participant_uploads_from_a_phone_and_a_coordinator_reviews_and_downloads_the_zip(
    sign_in, page, live_server, tmp_path
):
    batch = BatchFactory(
        name="GBA documents batch", coordinators=[CoordinatorUserFactory(username="coord-docs")]
    )
    placement = PlacementFactory(
        batch=batch,
        officer=OfficerFactory(name_en="CHAN Docs", user=ParticipantUserFactory(username="part-docs")),
    )
    item = ChecklistItemFactory(batch=batch, title="Check your travel documents")
    DocumentRequirementFactory(
        batch=batch, name_en="Copy of the Mainland Travel Permit", name_zh="回鄉證副本", checklist_item=item
    )
    photo = tmp_path / "permit.jpg"
    photo.write_bytes(image_bytes("JPEG", gps=True, size=(800, 600)))

    # The participant, on a phone.
    page.set_viewport_size({"width": 375, "height": 812})
    sign_in("part-docs")
    page.get_by_role("link", name="Hand in documents").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Documents")
    expect(page.get_by_text("Missing")).to_be_visible()
    page.get_by_label("Choose a file").set_input_files(str(photo))
    page.get_by_role("button", name=re.compile("Upload")).click()
    expect(page.get_by_text("It now awaits review.")).to_be_visible()
    expect(page.locator('[data-status="awaiting_review"]')).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    document = Document.objects.get()
    assert document.placement == placement and document.content_type == "image/jpeg"

    # The coordinator, on a desktop.
    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in("coord-docs")
    page.goto(f"{live_server.url}/batches/{batch.pk}/")
    page.get_by_role("link", name="Documents", exact=True).click()
    page.get_by_role("link", name="Awaiting review").click()
    with page.expect_download() as opened:
        page.get_by_role("link", name="Download and open").click()
    assert opened.value.suggested_filename.endswith(".jpg")
    page.get_by_role("button", name="Accept").click()
    expect(page.get_by_text("Accepted.")).to_be_visible()
    assert ChecklistCompletion.objects.filter(placement=placement, item=item).exists()

    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("accepted document")).click()
    download = download_info.value
    assert download.suggested_filename.endswith(".zip")
    archive = zipfile.ZipFile(io.BytesIO(download.path().read_bytes()))
    [name] = archive.namelist()
    assert name.startswith("CHAN_Docs/") and name.endswith(".jpg")
    assert b"Exif" not in archive.read(name)[:64]
