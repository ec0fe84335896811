"""Every file under tests/data/imports gets its message, and no file writes anything before confirm; bad
files write nothing at confirm either."""

import datetime

import pytest

from participants.models import Officer
from placements.models import NominationImport
from selection.models import Nomination
from tests.data.imports.make_files import CASES, SUGGESTIONS

from .conftest import fingerprint_of, last_import, snapshot, text_of, upload

pytestmark = pytest.mark.django_db


def test_every_case_has_its_file_and_every_file_a_case():
    from .conftest import DATA

    cases = {name for name, *_ in CASES}
    files = {p.name for p in DATA.iterdir() if p.suffix != ".py" and p.name != "__pycache__"}
    assert cases <= files
    assert files - cases == {"first-batch.xlsx"}  # the walk-through of the first batch, tested below


@pytest.mark.parametrize(("name", "what", "message", "setup"), CASES, ids=[c[0] for c in CASES])
def test_a_file_gets_its_message_and_writes_nothing_it_should_not(
    request, csb_client, guangzhou_batch, name, what, message, setup
):
    if setup:
        request.getfixturevalue(setup)
    before = snapshot()
    imports_before = NominationImport.objects.count()

    response = upload(csb_client, guangzhou_batch, name)

    if what == "refused":
        assert response.status_code == 200
        assert message in text_of(response)
        assert "The file was not imported" in text_of(response)
        assert NominationImport.objects.count() == imports_before  # a refused file is not even stored
        assert snapshot() == before
        return

    assert response.status_code == 302, text_of(response)[:2000]
    preview = csb_client.get(response["Location"])
    assert preview.status_code == 200
    page = text_of(preview)
    assert message in page
    assert snapshot() == before  # nothing is written at preview
    if name in SUGGESTIONS:
        assert SUGGESTIONS[name] in page

    if what == "problems":
        assert last_import().problem_count > 0
        assert fingerprint_of(preview) is None  # no confirm button
        refused = csb_client.post(response["Location"], {"fingerprint": "forged"})
        assert refused.status_code == 409
        assert "Nothing was imported." in text_of(refused)
        assert snapshot() == before
        assert last_import().status == NominationImport.Status.FAILED
    else:
        assert last_import().problem_count == 0
        done = csb_client.post(response["Location"], {"fingerprint": fingerprint_of(preview)})
        assert done.status_code == 302
        assert last_import().status == NominationImport.Status.APPLIED


@pytest.mark.parametrize(
    "name", ["utf-8.csv", "utf-8-bom.csv", "utf-16.txt", "big5.csv", "guangzhou-2027.xlsx"]
)
def test_chinese_and_mixed_names_arrive_intact_in_every_encoding(csb_client, guangzhou_batch, name):
    response = upload(csb_client, guangzhou_batch, name)
    preview = csb_client.get(response["Location"])
    csb_client.post(response["Location"], {"fingerprint": fingerprint_of(preview)})

    au_yeung = Officer.objects.get(email="klauyeung@pland.gov.hk")
    assert (au_yeung.name_en, au_yeung.name_zh) == ("AU-YEUNG Ka-lok", "歐陽嘉樂")
    assert au_yeung.rank.grade.name_en == "Town Planner" and au_yeung.home_department.abbreviation == "PlanD"
    da_silva = Nomination.objects.get(officer__email="mdasilva@cmab.gov.hk", call__batch=guangzhou_batch)
    assert (da_silva.department_ranking, da_silva.endorsed_by_name) == (1, "LEE Wai-man")
    assert da_silva.endorsed_on == datetime.date(2026, 11, 2)
    assert da_silva.officer.name_zh == ""
    assert da_silva.source == Nomination.Source.IMPORT
    assert sorted(f.name_en for f in Nomination.objects.get(officer=au_yeung).focus_areas.all()) == [
        "Technology development",
        "Town planning",
    ]


def test_spaces_around_values_are_removed_and_references_matched(csb_client, guangzhou_batch):
    response = upload(csb_client, guangzhou_batch, "spaces.csv")
    preview = csb_client.get(response["Location"])
    csb_client.post(response["Location"], {"fingerprint": fingerprint_of(preview)})
    officer = Officer.objects.get(email="mlchow1@hyd.gov.hk")
    assert officer.name_en == "CHOW Mei-ling"
    assert officer.home_department.abbreviation == "HyD"
    assert officer.nominations.get().endorsed_by_name == "WONG Ka-ming"


def test_a_batch_without_a_call_takes_no_nominations(csb_client, first_batch):
    """The first batch's officers, OGCIO under its 2023 name: every row reads, but the batch has no call
    for nominations, so nothing can be imported."""
    before = snapshot()
    response = upload(csb_client, first_batch, "first-batch.xlsx")
    page = text_of(csb_client.get(response["Location"]))
    assert "has no call for nominations: the import feeds a call's nominations." in page, page[:3000]
    assert last_import().problem_count == 1
    assert snapshot() == before


def test_every_officer_in_the_walk_through_file_has_their_own_departments_address():
    """Issue 14: a PlanD officer has a @pland.gov.hk address and a CMAB officer a @cmab.gov.hk one."""
    from tests.data.imports.make_files import good_rows

    domains = {row[6]: row[2].rsplit("@", 1)[1] for row in good_rows()}
    assert domains == {"HyD": "hyd.gov.hk", "規劃署": "pland.gov.hk", "CMAB": "cmab.gov.hk"}
