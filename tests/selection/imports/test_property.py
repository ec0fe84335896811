"""Property: whatever the cells hold, the import answers with a page (never a server error), and confirm
writes the whole file or nothing."""

import csv
import io

import pytest
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from participants.models import Officer
from placements.models import NominationImport
from selection.imports.columns import COLUMNS
from selection.models import Nomination

from .conftest import fingerprint_of, last_import, snapshot, upload

pytestmark = pytest.mark.django_db

GOOD = {
    "name_en": ["CHOW Mei-ling", "AU-YEUNG Ka-lok", "Maria DA SILVA"],
    "name_zh": ["周美玲", "歐陽嘉樂", ""],
    "email": ["a1@hyd.gov.hk", "A2@HYD.gov.hk", "wsleung@devb.gov.hk", "sfwong@csb.gov.hk"],
    "post_title": ["Senior Engineer (Roads) 2", "Town Planner (Nansha Liaison)"],
    "rank": ["Senior Engineer", "高級工程師", "Town Planner"],
    "grade": ["Engineer", "Engr", "TP"],
    "department": ["HyD", "路政署", "planning department"],
    "ranking": ["", "2", "1", "0"],
    "focus_areas": ["Technology development", "Town planning; 科技發展", ""],
    "host_organisation": ["Nansha District People's Government", "Futian District People's Government", ""],
    "statement": ["Leads the cross-boundary projects.", ""],
    "endorsed_by_name": ["WONG Ka-ming", ""],
    "endorsed_by_post": ["Departmental Secretary", "Director of Highways"],
    "endorsed_on": ["2026-11-02", "02/11/2026", "2099-01-01"],
}
weird = st.text(alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"), max_size=40)
cell = st.one_of(weird, st.just(""), st.builds(lambda t: "=" + t, weird))


def row_strategy():
    return st.tuples(*[st.one_of(st.sampled_from(GOOD[c.key]), cell) for c in COLUMNS])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(row_strategy(), min_size=1, max_size=6), drop_header=st.booleans())
@example(
    rows=[tuple(GOOD[c.key][0] for c in COLUMNS), tuple(GOOD[c.key][1] for c in COLUMNS)], drop_header=False
)
def test_any_cells_give_a_page_and_confirm_writes_all_or_nothing(
    csb_client, guangzhou_batch, rows, drop_header
):
    headers = [c.header for c in COLUMNS]
    if drop_header:
        headers[0] = "Name please"
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    writer.writerows(rows)
    with transaction.atomic():
        before = snapshot()
        response = upload(csb_client, guangzhou_batch, "random.csv", out.getvalue().encode("utf-8"))
        assert response.status_code in (200, 302)
        if response.status_code == 302:
            preview = csb_client.get(response["Location"])
            assert preview.status_code == 200
            assert snapshot() == before
            done = csb_client.post(response["Location"], {"fingerprint": fingerprint_of(preview) or ""})
            assert done.status_code in (302, 409)
            if last_import().status == NominationImport.Status.APPLIED:
                emails = {r[2].strip().lower() for r in rows}
                officers = Officer.objects.filter(email__in=emails)
                assert officers.count() == len(emails)
                nominated = Nomination.objects.filter(call__batch=guangzhou_batch, officer__in=officers)
                assert nominated.count() == len(emails)
            else:
                assert snapshot() == before
        else:
            assert snapshot() == before
        transaction.set_rollback(True)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.binary(min_size=1, max_size=2000))
def test_any_bytes_give_a_page_and_write_nothing(csb_client, guangzhou_batch, content):
    with transaction.atomic():
        before = snapshot()
        response = upload(csb_client, guangzhou_batch, "random.xlsx", content)
        assert response.status_code in (200, 302)
        if response.status_code == 302:
            assert csb_client.get(response["Location"]).status_code == 200
        assert snapshot() == before
        transaction.set_rollback(True)
