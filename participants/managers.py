from django.db import models


class DepartmentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def with_former_names(self):
        return self.prefetch_related("former_names")
