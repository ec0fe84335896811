from django.db import models
from django.db.models import Q


class DepartmentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def with_former_names(self):
        return self.prefetch_related("former_names")

    def matching(self, text):
        """Departments whose English or Chinese name or abbreviation is `text`, ignoring case and spaces."""
        key = " ".join((text or "").split())
        return self.filter(Q(name_en__iexact=key) | Q(name_zh=key) | Q(abbreviation__iexact=key))


class GradeQuerySet(models.QuerySet):
    def general(self):
        return self.filter(kind=self.model.Kind.GENERAL)


class RankQuerySet(models.QuerySet):
    def with_grade(self):
        return self.select_related("grade")


class OfficerQuerySet(models.QuerySet):
    def hong_kong(self):
        return self.filter(home_side=self.model.HomeSide.HONG_KONG)

    def mainland(self):
        return self.filter(home_side=self.model.HomeSide.MAINLAND)

    def with_account(self):
        return self.filter(user__isnull=False)

    def with_list_related(self):
        """What a list of officers shows: rank, grade, department and the login account."""
        return self.select_related("rank__grade", "home_department", "user")

    def search(self, text):
        text = (text or "").strip()
        if not text:
            return self
        return self.filter(Q(name_en__icontains=text) | Q(name_zh__icontains=text) | Q(email__icontains=text))
