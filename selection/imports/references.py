"""Reference cells (department, grade, rank, host organisation, host area, focus area) matched by their
English name, Chinese name or abbreviation, ignoring case, width and spaces, with suggestions for near
misses. Each kind is loaded once per file, so checking 5,000 rows costs a fixed number of queries."""

import difflib
import unicodedata

from django.db.models import Prefetch

from participants.models import Department, DepartmentFormerName, Grade, Rank
from placements.models import FocusArea, HostArea, HostOrganisation


def reference_key(text):
    """'  Highways   department ' and 'HIGHWAYSDEPARTMENT' and full-width letters give the same key."""
    text = unicodedata.normalize("NFKC", str(text or "")).casefold()
    return "".join(text.split())


class Lookup:
    """Objects found by any of their names; `describe` is how a suggestion names one."""

    def __init__(self, objects, names, describe=str):
        self.describe = describe
        self.index = {}
        for obj in objects:
            for name in names(obj):
                key = reference_key(name)
                if key:
                    bucket = self.index.setdefault(key, [])
                    if obj not in bucket:
                        bucket.append(obj)

    def find(self, text):
        """Every object `text` names (usually one; none when unknown)."""
        return list(self.index.get(reference_key(text), []))

    def suggest(self, text, limit=3):
        """Up to `limit` descriptions of the objects whose names are closest to `text`."""
        wanted = reference_key(text)
        scored = []
        for key in self.index:
            matcher = difflib.SequenceMatcher(None, wanted, key)
            if matcher.real_quick_ratio() >= 0.6 and matcher.quick_ratio() >= 0.6:
                ratio = matcher.ratio()
                if ratio >= 0.6:
                    scored.append((ratio, key))
        scored.sort(reverse=True)
        # The best match, and others only when they are about as close.
        keys = [key for ratio, key in scored if ratio >= scored[0][0] - 0.03] if scored else []
        found = []
        for key in keys:
            for obj in self.index[key]:
                label = self.describe(obj)
                if label not in found:
                    found.append(label)
        return found[:limit]


def _department_names(department):
    yield from (department.name_en, department.name_zh, department.abbreviation)
    for former in department.former_names.all():
        yield from (former.name_en, former.name_zh, former.abbreviation)


def _grade_label(grade):
    return f"{grade.name_en} ({grade.abbreviation})" if grade.abbreviation else grade.name_en


class References:
    """Every reference row a nominations file can name, loaded in a fixed number of queries."""

    def __init__(self, *, batch):
        departments = list(
            Department.objects.prefetch_related(
                Prefetch("former_names", queryset=DepartmentFormerName.objects.order_by("renamed_on"))
            )
        )
        self.departments = Lookup(departments, _department_names)
        grades = list(Grade.objects.all())
        self.grades = Lookup(grades, lambda g: (g.name_en, g.name_zh, g.abbreviation), _grade_label)
        ranks = list(Rank.objects.select_related("grade"))
        self.ranks = Lookup(ranks, lambda r: (r.name_en, r.name_zh), lambda r: r.name_en)
        self.ranks_by_grade = {
            grade.pk: Lookup(
                [r for r in ranks if r.grade_id == grade.pk],
                lambda r: (r.name_en, r.name_zh),
                lambda r: r.name_en,
            )
            for grade in grades
        }
        hosts = list(HostOrganisation.objects.select_related("municipality", "area"))
        self.hosts = Lookup(
            hosts,
            lambda h: (h.name_en, h.name_zh, h.abbreviation),
            lambda h: f"{h.name_en} {h.name_zh}".strip(),
        )
        areas = list(HostArea.objects.select_related("municipality"))
        self.areas = Lookup(
            areas,
            lambda a: (a.name_en, a.name_zh, a.full_name_en, a.full_name_zh),
            lambda a: f"{a.name_en} {a.name_zh}",
        )
        self.focus_areas = Lookup(
            list(FocusArea.objects.all()),
            lambda f: (f.name_en, f.name_zh),
            lambda f: f"{f.name_en} {f.name_zh}",
        )
        self.batch_area_ids = set(batch.host_areas.values_list("pk", flat=True))
        self.municipality_id = batch.host_municipality_id

    def in_city_first(self, found):
        """Of several matches, those in the batch's municipality when there are any."""
        local = [obj for obj in found if obj.municipality_id == self.municipality_id]
        return local or found
