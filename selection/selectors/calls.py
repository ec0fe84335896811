"""CSB's reads for a call: its nominations with everything the selection page shows, filtered, and the
counts by department, grade and focus area against the places and quotas."""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Q

from core.names import local_name, local_text
from participants.models import Department

from ..models import Call, Nomination

DECIDED = (Nomination.Status.SELECTED,)


@dataclass
class SelectionFilters:
    status: str = ""
    consent: str = ""
    department: object = None
    grade: object = None
    focus_area: object = None
    search: str = ""


def call_get(*, pk):
    """A call with its batch (CSB staff only: the admin)."""
    return Call.objects.select_related("batch__host_municipality", "batch__programme").get(pk=pk)


def call_nominations(*, call, filters=None):
    """The call's nominations with all the selection page shows (officer, rank and grade, department,
    proposed host, placement; focus areas prefetched), by department and ranking; filtered by status,
    consent, department, grade, preferred focus area or a name."""
    nominations = (
        Nomination.objects.filter(call=call)
        .select_related(
            "officer__rank__grade",
            "department",
            "proposed_host_organisation",
            "placement",
            "decided_by",
        )
        .prefetch_related("focus_areas")
        .order_by("department__abbreviation", "department_ranking", "pk")
    )
    filters = filters or SelectionFilters()
    if filters.status:
        nominations = nominations.filter(status=filters.status)
    if filters.consent:
        nominations = nominations.filter(consent=filters.consent)
    if filters.department is not None:
        nominations = nominations.filter(department=filters.department)
    if filters.grade is not None:
        nominations = nominations.filter(officer__rank__grade=filters.grade)
    if filters.focus_area is not None:
        nominations = nominations.filter(focus_areas=filters.focus_area)
    if filters.search:
        text = filters.search.strip()
        nominations = nominations.filter(
            Q(officer__name_en__icontains=text) | Q(officer__name_zh__icontains=text)
        )
    return nominations


@dataclass
class CallCounts:
    """What the selection page weighs: the places taken, and for each department (against its quota),
    grade and preferred focus area the nominations and the officers selected."""

    places: int = 0
    selected: int = 0
    nominated: int = 0
    # [{"name", "quota", "nominated", "consented", "selected"}]
    departments: list = field(default_factory=list)
    # [{"name", "nominated", "selected"}]
    grades: list = field(default_factory=list)
    focus_areas: list = field(default_factory=list)
    # [{"name", "places", "selected"}]
    hosts: list = field(default_factory=list)

    @property
    def places_left(self):
        return max(self.places - self.selected, 0)


ACTIVE = ~Q(status=Nomination.Status.WITHDRAWN)
SELECTED = Q(status=Nomination.Status.SELECTED)


def call_counts(*, call):
    """The counts of CallCounts, four aggregate queries (departments with their quotas, grades, focus
    areas, host organisations), whatever the number of nominations."""
    active = Nomination.objects.filter(call=call).filter(ACTIVE)
    department_rows = (
        Department.objects.filter(Q(call_invitations__call=call) | Q(nominations__call=call))
        .distinct()
        .order_by("abbreviation")
    )
    invitations = {i.department_id: i.quota for i in call.invitations.all()}
    per_department = {
        row["department"]: row
        for row in active.values("department")
        .annotate(
            nominated=Count("pk"),
            consented=Count("pk", filter=Q(consent=Nomination.Consent.GIVEN)),
            selected=Count("pk", filter=SELECTED),
        )
        .order_by()
    }
    departments = []
    for department in department_rows:
        row = per_department.get(department.pk, {})
        departments.append(
            {
                "pk": department.pk,
                "name": local_name(department),
                "abbreviation": department.abbreviation,
                "quota": invitations.get(department.pk),
                "nominated": row.get("nominated", 0),
                "consented": row.get("consented", 0),
                "selected": row.get("selected", 0),
            }
        )
    grades = _named_counts(active, "officer__rank__grade")
    focus_areas = _named_counts(active, "focus_areas")
    hosts = [
        {
            "name": local_text(row["host_organisation__name_en"], row["host_organisation__name_zh"]),
            "places": row["places"],
            "selected": row["selected"],
        }
        for row in call.host_places.values(
            "places", "host_organisation__name_en", "host_organisation__name_zh"
        )
        .annotate(
            selected=Count(
                "host_organisation__proposed_nominations",
                filter=Q(
                    host_organisation__proposed_nominations__call=call,
                    host_organisation__proposed_nominations__status=Nomination.Status.SELECTED,
                ),
            )
        )
        .order_by("host_organisation__name_en")
    ]
    return CallCounts(
        places=call.places,
        selected=sum(d["selected"] for d in departments),
        nominated=sum(d["nominated"] for d in departments),
        departments=departments,
        grades=grades,
        focus_areas=focus_areas,
        hosts=hosts,
    )


def _named_counts(nominations, relation):
    """Nominations and selections by a related row's name (`<relation>__name_en`/`_zh`), in the reader's
    language, most nominated first; None for nominations without one. One query."""
    nominated, selected, pks = Counter(), Counter(), {}
    rows = (
        nominations.values(f"{relation}__pk", f"{relation}__name_en", f"{relation}__name_zh")
        .annotate(n=Count("pk", distinct=True), s=Count("pk", filter=SELECTED, distinct=True))
        .order_by()
    )
    for row in rows:
        name = local_text(row[f"{relation}__name_en"], row[f"{relation}__name_zh"]) or None
        nominated[name] += row["n"]
        selected[name] += row["s"]
        pks[name] = row[f"{relation}__pk"]
    return [
        {"name": name, "pk": pks[name], "nominated": count, "selected": selected[name]}
        for name, count in sorted(nominated.items(), key=lambda item: (-item[1], item[0] or "~"))
    ]
