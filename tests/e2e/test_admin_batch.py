"""CSB staff add a batch with two placements in the admin, one of them invalid (issue 11, defect 1): the
error shows on that placement's row, nothing is saved, nothing typed is lost, and once fixed it saves."""

from placements.models import Batch
from tests.factories import CsbStaffFactory, MunicipalityFactory, OfficerFactory, ProgrammeFactory


def pick(page, select_id, text):
    """Choose `text` in an autocomplete picker (select2), as a user does: open, type, click."""
    page.locator(f"#{select_id} + .select2").click()
    page.locator(".select2-container--open .select2-search__field").fill(text)
    page.locator(".select2-results__option", has_text=text).first.click()


def test_a_batch_with_an_invalid_placement_is_refused_on_the_row_and_saved_once_fixed(sign_in, live_server):
    CsbStaffFactory(username="csb-e2e")
    ProgrammeFactory(name_en="E2E Exchange Programme", short_name="E2E")
    MunicipalityFactory(name_en="E2E City", name_zh="測試城")
    OfficerFactory(name_en="CHAN Early-bird", email="early@e2e.gov.hk")
    OfficerFactory(name_en="WONG On-time", email="ontime@e2e.gov.hk")
    page = sign_in("csb-e2e")

    page.goto(f"{live_server.url}/admin/placements/batch/add/")
    pick(page, "id_programme", "E2E Exchange Programme")
    page.fill("#id_number", "7")
    page.fill("#id_name", "E2E City 2027-28")
    page.select_option("#id_direction", "outbound")
    pick(page, "id_host_municipality", "E2E City")
    page.fill("#id_start_date", "2027-10-04")
    page.fill("#id_end_date", "2027-12-31")
    add_row = page.locator("#placements-group .add-row a")
    add_row.click()
    add_row.click()
    pick(page, "id_placements-0-officer", "WONG On-time")
    pick(page, "id_placements-1-officer", "CHAN Early-bird")
    page.fill("#id_placements-1-start_date", "2027-09-01")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_load_state()

    row = page.locator("#placements-1")
    assert "before its batch starts (4 Oct 2027)" in row.inner_text()
    assert page.locator("#placements-0 .errorlist").count() == 0
    assert not Batch.objects.filter(name="E2E City 2027-28").exists()
    # Nothing typed is lost.
    assert page.input_value("#id_name") == "E2E City 2027-28"
    assert page.input_value("#id_placements-1-start_date") == "2027-09-01"
    assert "CHAN Early-bird" in page.locator("#placements-1 .field-officer").inner_text()
    assert "WONG On-time" in page.locator("#placements-0 .field-officer").inner_text()

    page.fill("#id_placements-1-start_date", "2027-10-04")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_load_state()

    assert "was added successfully" in page.locator(".messagelist").inner_text()
    batch = Batch.objects.get(name="E2E City 2027-28")
    assert sorted(batch.placements.values_list("officer__name_en", "start_date")) == [
        ("CHAN Early-bird", batch.start_date),
        ("WONG On-time", batch.start_date),
    ]
