"""The JSON download of a participant's data (/my/data.json) is read with fewer, lighter queries since
issue 18; it must hold exactly what it held before. The reference below is the selector as it was."""

import datetime
import json
from collections import defaultdict

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from participants.services import OFFICER_DETAILS_FIELDS
from placements.models import (
    ChecklistCompletion,
    ChecklistItem,
    ContactSheetAccess,
    Document,
    ExchangeReport,
    HostArea,
    Notice,
    Placement,
)
from placements.selectors import _json_value, contact_sheet_accesses_for_officer, officer_data_export
from tests.factories import (
    BatchFactory,
    ChecklistCompletionFactory,
    ChecklistItemFactory,
    ContactSheetAccessFactory,
    DepartmentFactory,
    DepartmentFormerNameFactory,
    DocumentFactory,
    ExchangeReportFactory,
    FocusAreaFactory,
    HostAreaFactory,
    NoticeFactory,
    OfficerFactory,
    ParticipantUserFactory,
    PlacementFactory,
    RankFactory,
)

pytestmark = pytest.mark.django_db


def reference_export(*, officer):
    """Everything the portal holds about `officer` that is theirs to see, as plain data for a JSON
    download: their record (not the staff notes) with the contact details the batch's contact sheet shows,
    placements (with host supervisors), checklists, reports, notices, and who viewed or downloaded a
    contact sheet showing their details. Nothing about anyone else: no batchmates, no coordinators'
    contact details. A fixed number of queries."""
    record_fields = ["name_en", "name_zh", "email", "phone", "post_title", "home_side"]
    record_fields += [*OFFICER_DETAILS_FIELDS, "mainland_body_en", "mainland_body_zh"]
    record = {field: getattr(officer, field) for field in record_fields}
    record["home_department"] = str(officer.home_department) if officer.home_department_id else None
    record["rank"] = str(officer.rank) if officer.rank_id else None

    placements = (
        Placement.objects.for_officer(officer)
        .select_related("batch__programme", "batch__host_municipality", "host_organisation", "host_area")
        .select_related("home_department", "report")
        .prefetch_related("focus_areas", "home_department__former_names")
        .order_by("start_date", "pk")
    )
    placements = list(placements)
    batch_ids = {p.batch_id for p in placements}
    items = ChecklistItem.objects.filter(batch_id__in=batch_ids)
    items = list(items.order_by(ChecklistItem.phase_order(), "order", "pk"))
    done = {
        (c.placement_id, c.item_id): c.completed_at
        for c in ChecklistCompletion.objects.filter(placement__officer=officer)
    }
    documents = defaultdict(list)
    for document in Document.objects.filter(placement__officer=officer).select_related("requirement"):
        documents[document.placement_id].append(
            {
                "requirement": document.requirement.name_en,
                "file_name": document.original_name,
                "type": document.content_type,
                "size": document.size,
                "sha256": document.sha256,
                "status": document.status,
                "return_reason": document.return_reason,
                "uploaded_at": _json_value(document.uploaded_at),
                "reviewed_at": _json_value(document.reviewed_at),
            }
        )
    data_placements = []
    for p in placements:
        report = getattr(p, "report", None)
        home = p.home_department_name()
        data_placements.append(
            {
                "id": p.pk,
                "programme": p.batch.programme.name_en,
                "batch": p.batch.name,
                "host_municipality": p.batch.host_municipality.name_en,
                "host_area": str(p.host_area) if p.host_area_id else None,
                "host_organisation": str(p.host_organisation) if p.host_organisation_id else None,
                "home_department": str(home) if home else None,
                "role": p.role,
                "host_supervisor": p.host_supervisor,
                "focus_areas": [f.name_en for f in p.focus_areas.all()],
                "start_date": _json_value(p.start_date),
                "end_date": _json_value(p.end_date),
                "status": p.status,
                "checklist": [
                    {
                        "title": item.title,
                        "phase": item.phase,
                        "due_date": _json_value(item.due_date),
                        "done_at": _json_value(done.get((p.pk, item.pk))),
                    }
                    for item in items
                    if item.batch_id == p.batch_id
                ],
                "documents": documents[p.pk],
                "report": None
                if report is None
                else {
                    "status": report.status,
                    "submitted_at": _json_value(report.submitted_at),
                    **{field: getattr(report, field) for field in ExchangeReport.TEXT_FIELDS},
                },
            }
        )
    notices = [
        {"created_at": _json_value(n.created_at), "read_at": _json_value(n.read_at), "message": n.message}
        for n in Notice.objects.filter(officer=officer)
    ]
    # Who saw their phones, emergency contact and needs on a batch's contact sheet, and when.
    accesses = [
        {
            "at": _json_value(access.created_at),
            "batch": access.batch.name,
            "action": access.action,
            "by": (access.user.get_full_name() or access.user.username) if access.user_id else None,
        }
        for access in contact_sheet_accesses_for_officer(officer=officer)
    ]
    return {
        "exported_at": _json_value(timezone.now()),
        "officer": record,
        "placements": data_placements,
        "notices": notices,
        "contact_sheet_accesses": accesses,
    }


def _rich_officer():
    """An officer with a bit of everything the download holds, and a batchmate whose data it must not."""
    department = DepartmentFactory()
    DepartmentFormerNameFactory(department=department, renamed_on=datetime.date(2030, 1, 1))
    DepartmentFormerNameFactory(department=department, renamed_on=datetime.date(2031, 1, 1))
    officer = OfficerFactory(
        user=ParticipantUserFactory(),
        home_department=department,
        rank=RankFactory(),
        emergency_contact_name="CHAN Mei-ling",
        dietary_access_needs='No peanuts, please; "quoted"\nand a new line',
    )
    first = PlacementFactory(
        officer=officer,
        focus_areas=[FocusAreaFactory(name_en="Zoning"), FocusAreaFactory(name_en="Air quality")],
        host_supervisor="ZHOU Min",
    )
    area = HostAreaFactory(municipality=first.batch.host_municipality, kind=HostArea.Kind.COOPERATION_ZONE)
    later = BatchFactory(start_date=datetime.date(2032, 3, 1), end_date=datetime.date(2032, 6, 30))
    second = PlacementFactory(
        officer=officer, batch=later, status=Placement.Status.WITHDRAWN, host_organisation=None, role="專員"
    )
    Placement.objects.filter(pk=first.pk).update(host_area=area)
    PlacementFactory(officer=officer, home_department=None, host_organisation=None)
    items = [ChecklistItemFactory(batch=first.batch, due_date=None), ChecklistItemFactory(batch=first.batch)]
    ChecklistItemFactory(batch=later, phase=ChecklistItem.Phase.DURING)
    ChecklistItemFactory(batch=later, phase=ChecklistItem.Phase.PRE_DEPARTURE)
    ChecklistCompletionFactory(placement=first, item=items[1])
    ExchangeReportFactory(
        placement=first,
        status=ExchangeReport.Status.SUBMITTED,
        submitted_at=timezone.now(),
        highlights="Mine",
    )
    ExchangeReportFactory(placement=second)
    DocumentFactory(placement=first, original_name="permit.pdf")
    DocumentFactory(placement=second, original_name="passport.pdf", status=Document.Status.RETURNED)
    NoticeFactory(placement=first, message="First")
    NoticeFactory(placement=second, message="Second", read_at=timezone.now())
    access = ContactSheetAccessFactory(batch=first.batch, action=ContactSheetAccess.Action.CSV)
    access.officers.add(officer)
    anonymous = ContactSheetAccessFactory(batch=first.batch, user=None)
    anonymous.officers.add(officer)

    mate = PlacementFactory(batch=first.batch)
    ChecklistCompletionFactory(placement=mate, item=items[0])
    ExchangeReportFactory(placement=mate, highlights="Someone else's")
    NoticeFactory(placement=mate, message="Not mine")
    ContactSheetAccessFactory(batch=first.batch).officers.add(mate.officer)
    return officer


@pytest.mark.parametrize("language", ["en", "zh-hant", "zh-hans"])
def test_the_download_holds_what_it_held_before(language):
    officer = _rich_officer()
    with translation.override(language):
        expected = reference_export(officer=officer)
        data = officer_data_export(officer=officer)
    del expected["exported_at"], data["exported_at"]
    assert data == expected
    assert json.dumps(data, ensure_ascii=False, indent=2) == json.dumps(
        expected, ensure_ascii=False, indent=2
    )
    assert len(data["placements"]) == 3 and data["contact_sheet_accesses"]


def test_the_download_of_an_officer_with_nothing_is_what_it_was():
    officer = OfficerFactory(user=ParticipantUserFactory(), home_department=None, rank=None)
    expected, data = reference_export(officer=officer), officer_data_export(officer=officer)
    del expected["exported_at"], data["exported_at"]
    assert data == expected


def test_the_view_serves_the_same_download(client):
    officer = _rich_officer()
    client.force_login(officer.user)
    body = client.get(reverse("portal:my_data")).content
    data = json.loads(body)
    expected = json.loads(json.dumps(reference_export(officer=officer), ensure_ascii=False))
    # Written by orjson, byte for byte as the standard library writes it indented (two spaces, UTF-8).
    assert body.decode() == json.dumps(data, ensure_ascii=False, indent=2)
    del expected["exported_at"], data["exported_at"]
    assert data == expected
