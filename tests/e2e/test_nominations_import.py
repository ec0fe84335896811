"""CSB staff import nominations in a real browser: from the batch's admin page, upload the file, read the
preview, confirm (the file's nominations go to the batch's call); and a bad file's problems with the
error report."""

from pathlib import Path

from playwright.sync_api import expect

from demo.first_batch import Demo
from participants.models import Officer
from placements.models import Batch, NominationImport
from selection.imports.services import nomination_import_run
from selection.models import Nomination
from tests.selection.imports.conftest import open_call

DATA = Path(__file__).resolve().parents[1] / "data" / "imports"


def test_upload_preview_confirm_as_csb_staff(sign_in, live_server):
    Demo(password="pw-for-tests", log=lambda *args: None).load()
    batch = Batch.objects.get(name="GBA second batch · Guangzhou 2027")
    open_call(batch)
    page = sign_in("csb")
    page.goto(f"{live_server.url}/admin/placements/batch/{batch.pk}/change/")
    page.get_by_role("link", name="Import nominations").click()
    expect(page.get_by_role("heading", name="Import nominations", level=1)).to_be_visible()
    assert page.get_by_label("Batch").input_value() == str(batch.pk)

    # A bad file first: every problem on the preview, no confirm button, an error report.
    page.get_by_label("Nominations file").set_input_files(str(DATA / "unknown-department.csv"))
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.get_by_text("“Highway Department” is not a bureau or department.")).to_be_visible()
    expect(page.get_by_text("Did you mean Highways Department (HyD)?")).to_be_visible()
    assert page.get_by_role("button", name="Confirm and import").count() == 0
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the error report (CSV)").click()
    assert download.value.suggested_filename == "unknown-department-problems.csv"

    # The good file: preview, then confirm.
    page.get_by_role("link", name="Upload a corrected file").click()
    page.get_by_label("Nominations file").set_input_files(str(DATA / "guangzhou-2027.xlsx"))
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.get_by_text("new officers: 3")).to_be_visible()
    expect(page.get_by_text("歐陽嘉樂")).to_be_visible()
    assert not Officer.objects.filter(email="mlchow1@hyd.gov.hk").exists()  # nothing written yet
    page.get_by_role("button", name="Confirm and import").click()
    expect(page.get_by_text("were imported into GBA second batch · Guangzhou 2027")).to_be_visible()
    assert page.url.endswith(f"/admin/placements/batch/{batch.pk}/change/")
    emails = {"mlchow1@hyd.gov.hk", "klauyeung@pland.gov.hk", "mdasilva@cmab.gov.hk"}
    assert Nomination.objects.filter(call__batch=batch, officer__email__in=emails).count() == 3


def test_the_progress_page_follows_the_worker_and_shows_the_outcome(sign_in, live_server, settings):
    """Confirm with a queue no worker serves yet: the progress page shows the bar; when the worker has
    applied the file, the page's script notices within a second and shows the outcome."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    Demo(password="pw-for-tests", log=lambda *args: None).load()
    batch = Batch.objects.get(name="GBA second batch · Guangzhou 2027")
    open_call(batch)
    page = sign_in("csb")
    page.goto(f"{live_server.url}/admin/placements/nominationimport/add/?batch={batch.pk}")
    page.get_by_label("Nominations file").set_input_files(str(DATA / "guangzhou-2027.xlsx"))
    page.get_by_role("button", name="Upload and preview").click()
    page.get_by_role("button", name="Confirm and import").click()
    expect(page.get_by_role("heading", name="Importing guangzhou-2027.xlsx")).to_be_visible()
    expect(page.locator("#import-status")).to_have_text("Waiting for the worker")
    expect(page.locator("#import-progress-total")).to_have_text("3")
    expect(page.get_by_role("link", name="Refresh")).to_be_visible()

    nomination_import = NominationImport.objects.get()
    nomination_import_run(nomination_import_id=nomination_import.pk, user_id=nomination_import.uploaded_by_id)
    # No click: the script sees the import finished and reloads the page, which shows it applied.
    expect(page.get_by_text("This file has been imported.")).to_be_visible(timeout=10_000)
    emails = {"mlchow1@hyd.gov.hk", "klauyeung@pland.gov.hk", "mdasilva@cmab.gov.hk"}
    assert Nomination.objects.filter(call__batch=batch, officer__email__in=emails).count() == 3
