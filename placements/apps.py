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

        def batch_ids_of(instance, created=False):
            """The batches whose cached pages a write of `instance` makes stale: its batch, and the batch
            (or placement's batch) it was read in if it moved; None (everything) where that cannot be told:
            a row changed that was not read from the database with those columns."""
            if isinstance(instance, Batch):
                return {instance.pk}
            moved_from = None if created else instance.loaded_value(instance.remembered_fields[0])
            if not created and moved_from is None:
                return None
            if isinstance(instance, Placement | ChecklistItem):
                return {instance.batch_id, moved_from or instance.batch_id}
            # A tick or a report: its placement's batch (the placement is usually at hand: the services
            # pass it); a move to another placement is rare enough to make everything stale.
            if moved_from not in (None, instance.placement_id):
                return None
            if type(instance).placement.is_cached(instance):
                return {instance.placement.batch_id}
            batch_id = Placement.objects.filter(pk=instance.placement_id).values_list("batch_id", flat=True)
            return set(batch_id) or None

        def batch_changed(instance, created=False, **kwargs):
            # Only the rows of one batch (or two, for a move): the other batches' pages stay cached.
            figures_changed(batch_ids=batch_ids_of(instance, created))
            if hasattr(instance, "remember_values"):
                instance.remember_values()

        counted = (
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
        for model in (Placement, Batch, ExchangeReport, ChecklistItem, ChecklistCompletion):
            post_save.connect(batch_changed, sender=model, weak=False)

        def user_changed(update_fields=None, **kwargs):
            # Users are named on cached pages (a batch's coordinators on the placement block); signing in
            # only sets last_login, which no cached page shows.
            if update_fields is None or set(update_fields) - {"last_login"}:
                figures_changed()

        post_save.connect(user_changed, sender=get_user_model(), weak=False)
        # Deletes: only where a person deletes rows one by one. A receiver makes Django fetch the rows a
        # cascade or queryset delete removes instead of deleting them in one statement, so the bulk paths
        # (unticking, the import's focus areas) call figures_changed() themselves instead.
        for model in (Placement, Batch, ExchangeReport, ChecklistItem):
            post_delete.connect(batch_changed, sender=model, weak=False)
        # The reference rows the admin's placement list offers as filters (programmes, departments,
        # grades, host areas), the host's accept form offers (organisations) and the admin's pickers offer
        # (placements.reference_choices: ranks and focus areas too) are deleted one by one too, in the admin.
        for model in (Programme, Department, Grade, Rank, HostArea, HostOrganisation, FocusArea):
            post_delete.connect(changed, sender=model, weak=False)

        def batch_relation_changed(instance, reverse, pk_set, **kwargs):
            # A batch's coordinators, host areas and focus areas, or a placement's focus areas; from the
            # other side (a user's batches...) the batches are pk_set, unknown on a clear.
            if kwargs["action"].startswith("pre_"):
                return
            if not reverse:
                figures_changed(batch_ids=batch_ids_of(instance))
            elif kwargs["model"] is Batch and pk_set is not None:
                figures_changed(batch_ids=pk_set)
            else:
                figures_changed()

        for through in (
            Placement.focus_areas.through,
            Batch.coordinators.through,
            Batch.host_areas.through,
            Batch.focus_areas.through,
        ):
            m2m_changed.connect(batch_relation_changed, sender=through, weak=False)
