"""Reads shared by views, exports and commands. Access scoping is a queryset filter: what a user may not
see is simply not found."""

import datetime
from collections import Counter, defaultdict

from django.contrib.auth import get_user_model
from django.db.models import Count, F, Max, OuterRef, Prefetch, Q, Subquery, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import get_language

from core.names import local_name, local_text
from participants.models import Department, DepartmentFormerName, DepartmentName, Officer
from participants.services import ANONYMISED_EMAIL_DOMAIN, OFFICER_DETAILS_FIELDS

from .figures import figures_cached
from .models import (
    Batch,
    ChecklistCompletion,
    ChecklistItem,
    ContactSheetAccess,
    Document,
    DocumentRequirement,
    ExchangeReport,
    HostArea,
    Notice,
    Placement,
    ReminderSent,
)


def batch_list(*, user):
    """The batches `user` may see, with what a list shows and participant counts."""
    return (
        Batch.objects.visible_to(user)
        .with_list_related()
        .with_participant_counts()
        # Meta.ordering is dropped from aggregating queries; pagination needs a stable order.
        .order_by("-start_date", "programme__short_name", "number", "pk")
    )


def batch_get(*, user, pk):
    """One batch `user` may see (raises Batch.DoesNotExist otherwise)."""
    return Batch.objects.visible_to(user).with_list_related().get(pk=pk)


def placement_overlapping(*, officer, start_date, end_date, exclude_pk=None):
    """The officer's active placements that overlap the given dates."""
    placements = Placement.objects.active().for_officer(officer).overlapping(start_date, end_date)
    if exclude_pk:
        placements = placements.exclude(pk=exclude_pk)
    return placements.select_related("batch__programme")


# --- The participant portal --------------------------------------------------------------------------


def _placement_page_queryset(placements, prefetch=True):
    """What a placement page shows: batch, programme, host, area, home department (with former names,
    for the name in force at the time), focus areas, the batch's coordinators and the report. Without
    `prefetch`, the many-valued ones are left for placement_page_prefetch (a page whose placement block
    is cached needs none of them)."""
    placements = placements.select_related(
        "officer",
        "batch__programme",
        "batch__host_municipality",
        "host_organisation",
        "host_area",
        "home_department",
        "report",
    )
    return placements.prefetch_related(*_page_prefetches()) if prefetch else placements


def _page_prefetches():
    return [
        "focus_areas",
        "home_department__former_names",
        Prefetch("batch__coordinators", queryset=_coordinator_queryset()),
    ]


def placement_page_prefetch(placements):
    """Read the many-valued parts of a placement page (see _placement_page_queryset) for `placements`."""
    prefetch_related_objects(list(placements), *_page_prefetches())


def _coordinator_queryset():
    return get_user_model().objects.order_by("last_name", "first_name", "username")


def placement_list_for_user(*, user, prefetch=True):
    """The placements of the officer linked to `user` (none for anyone else), newest first."""
    if not user.is_authenticated:
        return Placement.objects.none()
    placements = Placement.objects.filter(officer__user=user)
    return _placement_page_queryset(placements, prefetch).order_by("-start_date", "-pk")


def placement_list_own(*, user):
    """The placements of the officer linked to `user`, newest first, with only what /my/'s list of them
    shows (batch and host organisation); see placement_list_for_user for a page's worth."""
    if not user.is_authenticated:
        return Placement.objects.none()
    placements = Placement.objects.filter(officer__user=user).select_related("batch", "host_organisation")
    return placements.order_by("-start_date", "-pk")


def placement_current(*, placements, today=None):
    """Of an officer's placements, the one their page leads with: the current one, else the next one,
    else the latest; withdrawn placements only when there is nothing else."""
    today = today or timezone.localdate()
    placements = list(placements)
    active = [p for p in placements if p.is_active] or placements
    current = [p for p in active if p.start_date <= today <= p.end_date]
    upcoming = sorted((p for p in active if p.start_date > today), key=lambda p: p.start_date)
    past = sorted((p for p in active if p.end_date < today), key=lambda p: p.end_date, reverse=True)
    for group in (current, upcoming, past):
        if group:
            return group[0]
    return None


def placement_get(*, user, pk, for_page=True, prefetch=True):
    """One placement `user` may see: their own, their batches' (coordinators), any (CSB staff); with what
    its page shows (its many-valued parts only with `prefetch`), or (`for_page=False`) only its officer,
    batch and report. Raises Placement.DoesNotExist otherwise."""
    placements = Placement.objects.visible_to(user)
    if for_page:
        return _placement_page_queryset(placements, prefetch).get(pk=pk)
    return placements.select_related("officer", "batch", "report").get(pk=pk)


def placement_get_own(*, user, pk):
    """One of the placements of the officer linked to `user`: only its officer may change its checklist
    or report. Raises Placement.DoesNotExist otherwise."""
    if not user.is_authenticated:
        raise Placement.DoesNotExist
    return Placement.objects.select_related("batch", "officer", "report").get(pk=pk, officer__user=user)


def placement_batchmates(*, placement):
    """The other active participants of the placement's batch: name, home department, host organisation
    (no private contact details)."""
    return (
        Placement.objects.for_batch(placement.batch_id)
        .active()
        .exclude(pk=placement.pk)
        .select_related("officer", "home_department", "host_organisation")
        .prefetch_related("home_department__former_names")
        .order_by("officer__name_en", "pk")
    )


def checklist_items_for_batch(*, batch):
    """A batch's checklist, before departure first, then during and after, each by order and due date."""
    return ChecklistItem.objects.filter(batch=batch).order_by(
        ChecklistItem.phase_order(), "order", "due_date", "pk"
    )


def checklist_for_placement(*, placement):
    """The checklist of the placement's batch, each item annotated with `done_at` (None: not done),
    in one query."""
    # At most one tick per placement and item: no ordering (Meta.ordering's would join five tables).
    done = ChecklistCompletion.objects.filter(item=OuterRef("pk"), placement=placement).order_by()
    return checklist_items_for_batch(batch=placement.batch_id).annotate(
        done_at=Subquery(done.values("completed_at")[:1])
    )


def checklist_completions_for_batch(*, batch):
    """The set of (placement id, item id) ticked in a batch, in one query."""
    return set(ChecklistCompletion.objects.filter(item__batch=batch).values_list("placement_id", "item_id"))


def checklist_progress(*, batch, placements, today=None):
    """Checklist progress of some placements of `batch` (all of them, or a page of its roster), in two
    queries whatever their number: a dict of placement id -> {checklist_total, checklist_done,
    checklist_overdue}, the last being the items past their due date and not done (who is behind). Only
    ticks of the batch's own items count. The batch page and the batch checklist both read this."""
    today = today or timezone.localdate()
    ids = [placement.pk for placement in placements]
    totals = ChecklistItem.objects.filter(batch=batch).aggregate(
        total=Count("pk"), past_due=Count("pk", filter=Q(due_date__lt=today))
    )
    done = {
        row["placement_id"]: row
        for row in ChecklistCompletion.objects.filter(placement_id__in=ids, item__batch=batch)
        .values("placement_id")
        .annotate(done=Count("pk"), done_past_due=Count("pk", filter=Q(item__due_date__lt=today)))
        .order_by()
    }
    progress = {}
    for pk in ids:
        ticks = done.get(pk, {"done": 0, "done_past_due": 0})
        progress[pk] = {
            "checklist_total": totals["total"],
            "checklist_done": ticks["done"],
            "checklist_overdue": totals["past_due"] - ticks["done_past_due"],
        }
    return progress


def checklist_progress_for_batch(*, batch, today=None):
    """The batch's placements, withdrawn ones last, each with the attributes of checklist_progress()
    set: three queries whatever the batch's size."""
    placements = list(
        Placement.objects.for_batch(batch)
        .select_related("officer", "host_organisation")
        .order_by(Placement.withdrawn_last(), "officer__name_en", "pk")
    )
    progress = checklist_progress(batch=batch, placements=placements, today=today)
    for placement in placements:
        vars(placement).update(progress[placement.pk])
    return placements


def report_status_for_batch(*, batch):
    """The batch's placements annotated with `report_status` (None: not started) and
    `report_submitted_at`, in one query."""
    return (
        Placement.objects.for_batch(batch)
        .select_related("officer", "host_organisation")
        .annotate(report_status=F("report__status"), report_submitted_at=F("report__submitted_at"))
        .order_by(Placement.withdrawn_last(), "officer__name_en", "pk")
    )


def report_readable(*, user, placement):
    """The placement's report as `user` may read it: the officer sees their own, drafts included;
    coordinators and CSB staff see it once submitted. None when there is nothing to show."""
    report = getattr(placement, "report", None)
    if report is None:
        return None
    if placement.officer.user_id == user.pk or report.is_submitted:
        return report
    return None


def notice_list_for_officer(*, officer, unread_only=False):
    notices = Notice.objects.filter(officer=officer).select_related("placement__batch")
    return notices.filter(read_at__isnull=True) if unread_only else notices


def notice_get_own(*, user, pk):
    """One notice of the officer linked to `user`. Raises Notice.DoesNotExist otherwise."""
    if not user.is_authenticated:
        raise Notice.DoesNotExist
    return Notice.objects.get(pk=pk, officer__user=user)


def _json_value(value):
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return value


def officer_data_export(*, officer):
    """Everything the portal holds about `officer` that is theirs to see, as plain data for a JSON
    download: their record (not the staff notes) with the contact details the batch's contact sheet shows,
    placements (with host supervisors), checklists, reports, notices, and who viewed or downloaded a
    contact sheet showing their details. Nothing about anyone else: no batchmates, no coordinators'
    contact details. A fixed number of queries, each reading only the columns the download holds (no
    model instances): tests/portal/test_my_data_export.py compares it with the model-based reads."""
    record_fields = ["name_en", "name_zh", "email", "phone", "post_title", "home_side"]
    record_fields += [*OFFICER_DETAILS_FIELDS, "mainland_body_en", "mainland_body_zh"]
    record = {field: getattr(officer, field) for field in record_fields}
    report_fields = ["report__pk", "report__status", "report__submitted_at"]
    report_fields += [f"report__{field}" for field in ExchangeReport.TEXT_FIELDS]
    # One row per placement and focus area (in their order), with the officer's department and rank.
    rows = list(
        Placement.objects.for_officer(officer)
        .order_by("start_date", "pk", "focus_areas__name_en", "focus_areas__pk")
        .values(
            "pk", "batch_id", "batch__programme__name_en", "batch__name", "batch__host_municipality__name_en",
            "host_area_id", "host_area__name_en", "host_area__name_zh", "host_area__kind",
            "host_organisation_id", "host_organisation__name_en", "host_organisation__name_zh",
            "home_department_id", "home_department__name_en", "home_department__name_zh",
            "home_department__abbreviation", "role", "host_supervisor", "start_date", "end_date", "status",
            *report_fields, "focus_areas__name_en", "officer__home_department__name_en",
            "officer__home_department__abbreviation", "officer__rank__name_en",
        )
    )  # fmt: skip
    placements, focus_areas = {}, defaultdict(list)
    for row in rows:
        placements.setdefault(row["pk"], row)
        if row["focus_areas__name_en"] is not None:
            focus_areas[row["pk"]].append(row["focus_areas__name_en"])
    placements = list(placements.values())
    names = (None, None, None)
    if placements:
        first = placements[0]
        names = (
            first["officer__home_department__name_en"],
            first["officer__home_department__abbreviation"],
            first["officer__rank__name_en"],
        )
    elif officer.home_department_id or officer.rank_id:
        names = (
            Officer.objects.filter(pk=officer.pk)
            .values_list("home_department__name_en", "home_department__abbreviation", "rank__name_en")
            .get()
        )
    record["home_department"] = f"{names[0]} ({names[1]})" if officer.home_department_id else None
    record["rank"] = names[2] if officer.rank_id else None
    department_ids = {p["home_department_id"] for p in placements if p["home_department_id"]}
    former_names = defaultdict(list)
    if department_ids:
        for name in DepartmentFormerName.objects.filter(department_id__in=department_ids).values(
            "department_id", "name_en", "name_zh", "abbreviation", "renamed_on"
        ):
            former_names[name["department_id"]].append(name)
    # Each placement's checklist items with the placement's tick, if any.
    ticked = ChecklistCompletion.objects.filter(item=OuterRef("pk"), placement=OuterRef("placement_id"))
    items = (
        ChecklistItem.objects.filter(batch__placements__officer=officer)
        .annotate(
            placement_id=F("batch__placements__id"),
            done_at=Subquery(ticked.order_by().values("completed_at")[:1]),
        )
        .order_by(ChecklistItem.phase_order(), "order", "pk")
        .values_list("placement_id", "title", "phase", "due_date", "done_at")
    )
    checklists = defaultdict(list)
    for placement_id, title, phase, due_date, done_at in items:
        checklists[placement_id].append(
            {
                "title": title,
                "phase": phase,
                "due_date": _json_value(due_date),
                "done_at": _json_value(done_at),
            }
        )
    documents = defaultdict(list)
    for document in (
        Document.objects.filter(placement__officer=officer)
        # Meta.ordering within each placement (its documents answer its batch's requirements).
        .order_by("placement_id", "requirement__order", "requirement_id")
        .values(
            "placement_id", "requirement__name_en", "original_name", "content_type", "size", "sha256",
            "status", "return_reason", "uploaded_at", "reviewed_at",
        )
    ):  # fmt: skip
        documents[document["placement_id"]].append(
            {
                "requirement": document["requirement__name_en"],
                "file_name": document["original_name"],
                "type": document["content_type"],
                "size": document["size"],
                "sha256": document["sha256"],
                "status": document["status"],
                "return_reason": document["return_reason"],
                "uploaded_at": _json_value(document["uploaded_at"]),
                "reviewed_at": _json_value(document["reviewed_at"]),
            }
        )
    kinds = {value: str(label) for value, label in HostArea.Kind.choices}
    data_placements = []
    for p in placements:
        home = None
        if p["home_department_id"]:
            # The name in force when the placement started (Department.name_on).
            home = (
                p["home_department__name_en"],
                p["home_department__name_zh"],
                p["home_department__abbreviation"],
            )
            day = p["start_date"]
            earlier = [n for n in former_names[p["home_department_id"]] if day and day < n["renamed_on"]]
            if earlier:
                name = min(earlier, key=lambda n: n["renamed_on"])
                home = (name["name_en"], name["name_zh"], name["abbreviation"])
            home = str(DepartmentName(*home))
        host_area = None
        if p["host_area_id"]:
            kind = kinds.get(p["host_area__kind"], p["host_area__kind"])
            host_area = f"{p['host_area__name_en']} {p['host_area__name_zh']} ({kind})"
        host_organisation = None
        if p["host_organisation_id"]:
            host_organisation = f"{p['host_organisation__name_en']} {p['host_organisation__name_zh']}".strip()
        data_placements.append(
            {
                "id": p["pk"],
                "programme": p["batch__programme__name_en"],
                "batch": p["batch__name"],
                "host_municipality": p["batch__host_municipality__name_en"],
                "host_area": host_area,
                "host_organisation": host_organisation,
                "home_department": home,
                "role": p["role"],
                "host_supervisor": p["host_supervisor"],
                "focus_areas": focus_areas[p["pk"]],
                "start_date": _json_value(p["start_date"]),
                "end_date": _json_value(p["end_date"]),
                "status": p["status"],
                "checklist": checklists[p["pk"]],
                "documents": documents[p["pk"]],
                "report": None
                if p["report__pk"] is None
                else {
                    "status": p["report__status"],
                    "submitted_at": _json_value(p["report__submitted_at"]),
                    **{field: p[f"report__{field}"] for field in ExchangeReport.TEXT_FIELDS},
                },
            }
        )
    notices = [
        {"created_at": _json_value(created_at), "read_at": _json_value(read_at), "message": message}
        for created_at, read_at, message in Notice.objects.filter(officer=officer).values_list(
            "created_at", "read_at", "message"
        )
    ]
    # Who saw their phones, emergency contact and needs on a batch's contact sheet, and when.
    accesses = [
        {
            "at": _json_value(access["created_at"]),
            "batch": access["batch__name"],
            "action": access["action"],
            # User.get_full_name(), or the username.
            "by": (
                f"{access['user__first_name']} {access['user__last_name']}".strip()
                or access["user__username"]
            )
            if access["user_id"]
            else None,
        }
        for access in contact_sheet_accesses_for_officer(officer=officer).values(
            "created_at", "batch__name", "action", "user_id", "user__first_name", "user__last_name",
            "user__username",
        )
    ]  # fmt: skip
    return {
        "exported_at": _json_value(timezone.now()),
        "officer": record,
        "placements": data_placements,
        "notices": notices,
        "contact_sheet_accesses": accesses,
    }


def officer_list_placed_before(*, day):
    """Officers whose last placement ended before `day` and who are not anonymised yet: the ones
    purge_personal_data anonymises. Officers never placed are left alone (nothing says they are done)."""
    return (
        Officer.objects.annotate(last_placement_end=Max("placements__end_date"))
        .filter(last_placement_end__lt=day)
        .exclude(email__endswith=f"@{ANONYMISED_EMAIL_DOMAIN}")
        .order_by("last_placement_end", "pk")
    )


# --- Batch pages and roster exports (coordinators) ---


def batch_placements_by_area(*, batch):
    """A batch's placements for its page, grouped by host area then host organisation (placements with
    no area last), withdrawn ones last within each organisation; everything a row shows is loaded."""
    return (
        Placement.objects.for_batch(batch)
        .with_roster_related()
        .order_by(
            F("host_area__name_en").asc(nulls_last=True),
            F("host_organisation__name_en").asc(nulls_last=True),
            Placement.withdrawn_last(),
            "officer__name_en",
            "pk",
        )
    )


def batch_totals(*, batch):
    """Counts of a batch's active participants by home department (the name in force when each placement
    started), by grade and by focus area, plus the number withdrawn: a fixed few aggregate queries."""
    active = Placement.objects.for_batch(batch).active()
    by_department = Counter()
    # Grouped by department and start day, since the name in force depends on the day; Mainland officers
    # (inbound batches) count under the body they come from. Names read in the reader's language.
    rows = list(
        active.values_list(
            "home_department_id", "officer__mainland_body_en", "officer__mainland_body_zh", "start_date"
        )
        .annotate(n=Count("pk"))
        .order_by()
    )
    departments = Department.objects.with_former_names().in_bulk(
        {department_id for department_id, _body, _body_zh, _day, _n in rows if department_id}
    )
    for department_id, mainland_body, mainland_body_zh, day, n in rows:
        department = departments.get(department_id)
        if department:
            by_department[local_name(department.name_on(day))] += n
        else:
            by_department[local_text(mainland_body, mainland_body_zh) or None] += n
    by_grade = _local_counts(active, "officer__rank__grade__name")
    by_focus_area = _local_counts(active, "focus_areas__name")
    return {
        "participants": sum(by_department.values()),
        "withdrawn": Placement.objects.for_batch(batch).filter(status=Placement.Status.WITHDRAWN).count(),
        "by_department": _sorted_counts(by_department),
        "by_grade": _sorted_counts(by_grade),
        "by_focus_area": _sorted_counts(by_focus_area),
    }


def batch_summary_cached(*, batch):
    """What a batch page shows above its participants: `totals` (batch_totals()), `host_areas` and
    `focus_areas`, cached under the figures version (placements.figures) for the reader's language (the
    totals are keyed by names in it): a write that changes any of them bumps the version."""
    return figures_cached(
        f"batch-summary:{batch.pk}:{get_language()}",
        lambda: {
            "totals": batch_totals(batch=batch),
            "host_areas": list(batch.host_areas.all()),
            "focus_areas": list(batch.focus_areas.all()),
        },
        batch_id=batch.pk,
    )


def _local_counts(placements, name):
    """Placements counted by a related name (`<name>_en`, `<name>_zh`), keyed by the name the reader reads;
    one aggregate query."""
    counts = Counter()
    for name_en, name_zh, n in (
        placements.values_list(f"{name}_en", f"{name}_zh").annotate(n=Count("pk")).order_by()
    ):
        counts[local_text(name_en, name_zh) or None] += n
    return counts


def _sorted_counts(counter):
    """(name, count) pairs, most first then by name; the unnamed group (None) last."""
    named = sorted(((k, v) for k, v in counter.items() if k is not None), key=lambda kv: (-kv[1], kv[0]))
    return named + ([(None, counter[None])] if counter.get(None) else [])


def contact_sheet(*, batch):
    """The batch's active participants (withdrawn ones left out: they are not away) with what the contact
    sheet shows: official e-mail and phones, emergency contact, dietary or access needs, host
    organisation and supervisor. One query."""
    return (
        Placement.objects.for_batch(batch)
        .active()
        .select_related("officer", "host_organisation")
        .order_by("officer__name_en", "pk")
    )


def contact_sheet_accesses_for_officer(*, officer):
    """Every view and download of a contact sheet that showed `officer`'s details, newest first."""
    return ContactSheetAccess.objects.filter(officers=officer).select_related("batch", "user")


def placement_progress(*, batch, placements, today=None):
    """Checklist progress (checklist_progress()) and report status of some placements of `batch` (a page
    of its roster), in three queries whatever their number: a dict of placement id -> {checklist_total,
    checklist_done, checklist_overdue, report_status}."""
    progress = checklist_progress(batch=batch, placements=placements, today=today)
    ids = list(progress)
    reports = dict(ExchangeReport.objects.filter(placement_id__in=ids).values_list("placement_id", "status"))
    for pk, row in progress.items():
        row["report_status"] = reports.get(pk)
    return progress


# --- Documents ---


def document_requirements_for_placement(*, placement):
    """The requirements asked of a placement (its batch's, for its direction), each with `document`: the
    placement's file for it, or None. Two queries."""
    requirements = [
        r
        for r in DocumentRequirement.objects.filter(batch_id=placement.batch_id).order_by("order", "pk")
        if r.applies_to_direction(placement.batch.direction)
    ]
    # One document per placement and requirement: no ordering (Meta.ordering's would join six tables).
    documents = {d.requirement_id: d for d in Document.objects.filter(placement=placement).order_by()}
    for requirement in requirements:
        requirement.document = documents.get(requirement.pk)
    return requirements


def document_requirement_for_placement(*, placement, pk):
    """One requirement asked of the placement. Raises DocumentRequirement.DoesNotExist otherwise."""
    requirement = DocumentRequirement.objects.get(pk=pk, batch_id=placement.batch_id)
    if not requirement.applies_to_direction(placement.batch.direction):
        raise DocumentRequirement.DoesNotExist
    return requirement


def document_get(*, user, pk):
    """One document `user` may open: their own (participant), their batches' (coordinators), any (CSB
    staff). Raises Document.DoesNotExist otherwise."""
    placements = Placement.objects.visible_to(user).values("pk")
    return Document.objects.select_related(
        "requirement", "placement__officer", "placement__batch", "reviewed_by"
    ).get(pk=pk, placement__in=placements)


def document_requirements_for_batch(*, batch):
    return (
        DocumentRequirement.objects.filter(batch=batch)
        .select_related("checklist_item")
        .order_by("order", "pk")
    )


def document_matrix_for_batch(*, batch):
    """The batch's review page: its requirements, and for each placement (withdrawn left out) one cell per
    requirement: the document, None (missing) or False (not asked of this direction). Three queries."""
    requirements = list(document_requirements_for_batch(batch=batch))
    placements = list(
        Placement.objects.for_batch(batch)
        .active()
        .select_related("officer")
        .only("pk", "officer__name_en")  # the page names each participant and links to their documents
        .order_by("officer__name_en", "pk")
    )
    documents = {
        (d.placement_id, d.requirement_id): d
        for d in Document.objects.filter(placement__batch=batch).only(
            "pk", "placement_id", "requirement_id", "status", "uploaded_at"
        )
    }
    rows = []
    for placement in placements:
        cells = [
            documents.get((placement.pk, r.pk)) if r.applies_to_direction(batch.direction) else False
            for r in requirements
        ]
        rows.append((placement, cells))
    return requirements, rows


def documents_accepted_for_batch(*, batch):
    """The accepted documents of a batch's active placements, for the zip."""
    return (
        Document.objects.filter(placement__batch=batch, status=Document.Status.ACCEPTED)
        .exclude(placement__status=Placement.Status.WITHDRAWN)
        .select_related("requirement", "placement__officer", "placement__batch")
        .order_by("placement__officer__name_en", "requirement__order", "requirement_id")
    )


def batches_to_copy_requirements_from(*, user, batch):
    """The other batches `user` may see that have document requirements."""
    return (
        Batch.objects.visible_to(user)
        .exclude(pk=batch.pk)
        .filter(document_requirements__isnull=False)
        .distinct()
        .order_by("-start_date", "pk")
    )


def documents_past_retention(*, today, days):
    """Documents of batches that ended more than `days` days before `today`."""
    return Document.objects.filter(placement__batch__end_date__lt=today - datetime.timedelta(days=days))


def batch_previous_with_requirements(*, batch):
    """The latest earlier batch of the same programme and direction that asks for documents, or None."""
    return (
        Batch.objects.filter(
            programme_id=batch.programme_id, direction=batch.direction, start_date__lt=batch.start_date
        )
        .filter(document_requirements__isnull=False)
        .distinct()
        .order_by("-start_date", "-pk")
        .first()
    )


# --- Reminders -------------------------------------------------------------------------------------------

# Reminders stop this many days after a placement ends (items after the return, like the report, are due
# then), and an item overdue longer than this is no longer reminded of (an old batch is not nagged).
REMINDER_WINDOW_DAYS = 60


def reminders_due(*, today, stage):
    """(placement, item) pairs to remind of at `stage` on `today`: an open item of the placement's batch,
    due within 7 days (DUE_SOON) or past its due date (OVERDUE), not ticked, not reminded at that stage
    yet, for an active placement whose officer takes reminders and has an address. Two queries."""
    window = today - datetime.timedelta(days=REMINDER_WINDOW_DAYS)
    if stage == ReminderSent.Stage.DUE_SOON:
        items = ChecklistItem.objects.filter(
            due_date__gt=today, due_date__lte=today + datetime.timedelta(days=7)
        )
    else:
        items = ChecklistItem.objects.filter(due_date__lt=today, due_date__gte=window)
    items = list(items.select_related("batch").order_by("due_date", "pk"))
    if not items:
        return []
    placements = (
        Placement.objects.active()
        .filter(batch_id__in={i.batch_id for i in items}, end_date__gte=window, officer__email_reminders=True)
        .exclude(officer__email="")
        .exclude(officer__email__endswith=f"@{ANONYMISED_EMAIL_DOMAIN}")
        .select_related("officer", "batch")
        .prefetch_related(
            Prefetch(
                "checklist_completions",
                queryset=ChecklistCompletion.objects.only("placement_id", "item_id"),
                to_attr="done",
            ),
            Prefetch("reminders", queryset=ReminderSent.objects.filter(stage=stage), to_attr="sent"),
        )
        .order_by("pk")
    )
    pairs = []
    for placement in placements:
        closed = {c.item_id for c in placement.done} | {r.item_id for r in placement.sent}
        pairs.extend(
            (placement, item)
            for item in items
            if item.batch_id == placement.batch_id and item.pk not in closed
        )
    return pairs


def batches_behind_for_coordinators(*, today):
    """{coordinator: [(batch, [(placement, overdue item count)])]} for the running batches: the
    participants with checklist items past their due date and not ticked. A fixed number of queries."""
    window = today - datetime.timedelta(days=REMINDER_WINDOW_DAYS)
    batches = (
        Batch.objects.filter(end_date__gte=window, checklist_items__due_date__lt=today)
        .distinct()
        .prefetch_related("coordinators")
        .order_by("start_date", "pk")
    )
    overdue = {}
    for batch in batches:
        overdue[batch.pk] = (batch, [])
    if not overdue:
        return {}
    items_by_batch = {}
    for item in ChecklistItem.objects.filter(batch_id__in=overdue, due_date__lt=today):
        items_by_batch.setdefault(item.batch_id, set()).add(item.pk)
    placements = (
        Placement.objects.active()
        .filter(batch_id__in=overdue)
        .select_related("officer")
        .prefetch_related(
            Prefetch(
                "checklist_completions",
                queryset=ChecklistCompletion.objects.only("placement_id", "item_id"),
                to_attr="done",
            )
        )
        .order_by("officer__name_en", "pk")
    )
    for placement in placements:
        missing = items_by_batch[placement.batch_id] - {c.item_id for c in placement.done}
        if missing:
            overdue[placement.batch_id][1].append((placement, len(missing)))
    digest = {}
    for batch, behind in overdue.values():
        if not behind:
            continue
        for coordinator in batch.coordinators.all():
            if coordinator.email and coordinator.is_active:
                digest.setdefault(coordinator, []).append((batch, behind))
    return digest
