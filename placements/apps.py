from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _


class PlacementsConfig(AppConfig):
    name = "placements"
    verbose_name = _("Programmes and placements")

    def ready(self):
        # Cache invalidation only, no rule (placements.figures): whatever writes these rows, the services,
        # the admin or Django's forms, the cached dashboard figures and batch totals are stale after it.
        from django.contrib.auth import get_user_model

        from participants.models import Department, DepartmentFormerName, Grade, Officer, Rank

        from .figures import figures_changed
        from .models import (
            Batch,
            ChecklistCompletion,
            ChecklistItem,
            ExchangeReport,
            FocusArea,
            HostArea,
            HostOrganisation,
            Municipality,
            Placement,
            Programme,
        )

        def changed(**kwargs):
            figures_changed()

        counted = (
            Placement,
            Batch,
            ExchangeReport,
            ChecklistItem,
            ChecklistCompletion,
            Officer,
            Department,
            DepartmentFormerName,
            Grade,
            Rank,
            Municipality,
            HostArea,
            HostOrganisation,
            FocusArea,
            Programme,
        )
        for model in counted:
            post_save.connect(changed, sender=model, weak=False)

        def user_changed(update_fields=None, **kwargs):
            # Users are named on cached pages (a batch's coordinators on the placement block); signing in
            # only sets last_login, which no cached page shows.
            if update_fields is None or set(update_fields) - {"last_login"}:
                figures_changed()

        post_save.connect(user_changed, sender=get_user_model(), weak=False)
        # Deletes: only where a person deletes rows one by one. A receiver makes Django fetch the rows a
        # cascade or queryset delete removes instead of deleting them in one statement, so the bulk paths
        # (unticking, the import's focus areas) call figures_changed() themselves instead.
        # The reference rows the admin's placement list offers as filters (programmes, departments,
        # grades, host areas) and the host's accept form offers (organisations) are deleted one by one
        # too, in the admin.
        deleted_one_by_one = (Placement, Batch, ExchangeReport, ChecklistItem)
        for model in (*deleted_one_by_one, Programme, Department, Grade, HostArea, HostOrganisation):
            post_delete.connect(changed, sender=model, weak=False)
        for through in (
            Placement.focus_areas.through,
            Batch.coordinators.through,
            Batch.host_areas.through,
            Batch.focus_areas.through,
        ):
            m2m_changed.connect(changed, sender=through, weak=False)
