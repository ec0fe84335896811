"""A small batch for the batch-page and roster tests: Shenzhen (Futian district, Qianhai zone), a 2023-24
batch with an OGCIO officer (Digital Policy Office since 25 July 2024), Chinese names, a withdrawn
participant and a role a spreadsheet would read as a formula."""

import datetime

from participants.models import Department
from placements.models import HostArea, Municipality
from tests.factories import (
    BatchFactory,
    CoordinatorUserFactory,
    FocusAreaFactory,
    HostOrganisationFactory,
    OfficerFactory,
    PlacementFactory,
)


def roster_batch(coordinator, *, extra=0):
    shenzhen = Municipality.objects.get(name_en="Shenzhen")
    futian = HostArea.objects.get(municipality=shenzhen, name_en="Futian")
    qianhai = HostArea.objects.get(municipality=shenzhen, name_en="Qianhai")
    planning, transport = FocusAreaFactory(name_en="A planning"), FocusAreaFactory(name_en="B transport")
    batch = BatchFactory(
        name="GBA test batch 2023-24",
        host_municipality=shenzhen,
        host_areas=[futian, qianhai],
        focus_areas=[planning, transport],
        start_date=datetime.date(2023, 12, 18),
        end_date=datetime.date(2024, 3, 8),
        coordinators=[coordinator],
    )
    futian_host = HostOrganisationFactory(municipality=shenzhen, area=futian, name_en="Futian Test Bureau")
    qianhai_host = HostOrganisationFactory(municipality=shenzhen, area=qianhai, name_en="Qianhai Test Bureau")
    dpo = Department.objects.get(abbreviation="DPO")
    people = [
        (
            "CHAN Ka-ming",
            "陳家明",
            futian,
            futian_host,
            "Special assistant",
            [planning, transport],
            "confirmed",
        ),
        ("NG Pui-shan", "吳佩珊", futian, futian_host, '=HYPERLINK("http://x")', [transport], "confirmed"),
        ("WONG Siu-fan", "黃小芬", qianhai, qianhai_host, "+1 planner", [planning], "withdrawn"),
        ("AU Yan", "區欣", qianhai, qianhai_host, "\tTabbed", [], "in_progress"),
    ]
    people += [
        (f"ZZ Extra {n}", f"額外{n}", futian, futian_host, "Attached officer", [planning], "confirmed")
        for n in range(extra)
    ]
    for name_en, name_zh, area, host, role, focus, status in people:
        department = {"home_department": dpo} if name_en == "NG Pui-shan" else {}
        officer = OfficerFactory(name_en=name_en, name_zh=name_zh, **department)
        PlacementFactory(
            batch=batch,
            officer=officer,
            host_area=area,
            host_organisation=host,
            role=role,
            focus_areas=focus,
            status=status,
        )
    return batch


def other_coordinator():
    return CoordinatorUserFactory(username="coordinator-elsewhere")
