import re
from pathlib import Path

from placements.models import ContactSheetAccess
from tests.factories import CoordinatorUserFactory, OfficerFactory, PlacementFactory
from tests.placements.roster_data import roster_batch


def test_a_coordinator_opens_their_batch_and_downloads_the_roster(sign_in, live_server):
    coordinator = CoordinatorUserFactory(username="coordinator-e2e")
    batch = roster_batch(coordinator)
    page = sign_in("coordinator-e2e")
    assert page.url == f"{live_server.url}/batches/"
    page.get_by_role("link", name=batch.name).click()
    assert page.get_by_role("heading", level=1, name=batch.name).is_visible()
    assert page.get_by_text("陳家明").is_visible()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download CSV").click()
    content = Path(download.value.path()).read_bytes()
    assert content.startswith(b"\xef\xbb\xbf") and "陳家明".encode() in content
    page.get_by_role("button", name="Print view").click()
    assert page.get_by_role("heading", level=1, name=f"Roster: {batch.name}").is_visible()


def test_a_coordinator_opens_the_contact_sheet_prints_it_on_one_page_and_reads_it_on_a_phone(
    sign_in, live_server
):
    """Issue 14: one click from the batch page; tel: links; ten participants print on one A4 page; on a
    phone nothing runs off the screen; the view is logged."""
    coordinator = CoordinatorUserFactory(username="coordinator-contacts-e2e")
    batch = roster_batch(coordinator)
    area = batch.host_areas.first()
    for n in range(7):  # ten active participants in all (the roster batch has three, and one withdrawn)
        PlacementFactory(
            batch=batch,
            host_area=area,
            host_supervisor=f"Supervisor {n} (fictional)",
            officer=OfficerFactory(
                mobile_phone=f"+852 9123 45{n:02d}",
                emergency_contact_name=f"Contact {n}",
                emergency_contact_relationship="Spouse",
                emergency_contact_phone=f"+852 9876 54{n:02d}",
                dietary_access_needs="Vegetarian; step-free access where possible",
            ),
        )
    page = sign_in("coordinator-contacts-e2e")
    page.goto(f"{live_server.url}{batch.get_absolute_url()}")
    page.get_by_role("link", name="Open the contact sheet").click()
    assert page.get_by_role("heading", level=1, name=f"Contact sheet: {batch.name}").is_visible()
    assert page.locator('a[href="tel:+85291234500"]').count() == 1
    assert ContactSheetAccess.objects.filter(batch=batch, user=coordinator).count() == 1
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1  # one A4 page for ten participants
    page.set_viewport_size({"width": 375, "height": 800})
    page.reload()
    scroll = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert scroll <= 0
