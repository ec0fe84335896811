from pathlib import Path

from tests.factories import CoordinatorUserFactory
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
