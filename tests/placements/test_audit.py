"""The audit trail: who changed what, before and after, visible to CSB staff in the admin."""

import pytest
from django.urls import reverse

from tests.factories import BatchFactory, OfficerFactory, PlacementFactory

pytestmark = pytest.mark.django_db


def test_admin_change_to_a_placement_records_who_and_what(csb_client, csb_user):
    placement = PlacementFactory(role="Attached officer")
    url = reverse("admin:placements_placement_change", args=[placement.pk])
    data = {
        "officer": placement.officer_id,
        "batch": placement.batch_id,
        "home_department": placement.home_department_id,
        "host_organisation": placement.host_organisation_id,
        "role": "Special assistant to a deputy director",
        "start_date": placement.start_date.isoformat(),
        "end_date": placement.end_date.isoformat(),
        "status": "confirmed",
    }
    response = csb_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]

    latest = placement.history.latest()
    assert latest.history_user == csb_user
    delta = latest.diff_against(latest.prev_record)
    assert [(c.field, c.old, c.new) for c in delta.changes if c.field == "role"] == [
        ("role", "Attached officer", "Special assistant to a deputy director")
    ]


@pytest.mark.parametrize(
    ("url_name", "factory"),
    [
        ("admin:placements_placement_history", PlacementFactory),
        ("admin:placements_batch_history", BatchFactory),
        ("admin:participants_officer_history", OfficerFactory),
    ],
)
def test_history_pages_open_for_csb_staff(csb_client, url_name, factory):
    row = factory()
    response = csb_client.get(reverse(url_name, args=[row.pk]))
    assert response.status_code == 200
