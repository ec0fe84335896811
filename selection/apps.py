from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SelectionConfig(AppConfig):
    name = "selection"
    verbose_name = _("Calls and selection")

    def ready(self):
        # Cache invalidation only, no rule (placements.figures): the nominating officer's call page is
        # cached under the figures version, so whatever writes a call, its eligible grades and ranks, its
        # invitations (quotas) or its nominations (status, consent, ranking, focus areas) bumps it, the
        # services, the admin, the import or Django's forms alike. Deletes are rare and one by one (a
        # call's invitations dropped by call_save are fetched for the signal: a few rows).
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from placements.figures import figures_changed

        from .models import Call, CallInvitation, HostCoordinator, Nomination

        def changed(**kwargs):
            # What reads across batches only: no batch's own cached page shows calls or nominations, so
            # an import's nominations leave the participants' pages cached (placements.figures).
            figures_changed(batch_ids=())

        for model in (Call, CallInvitation, Nomination):
            post_save.connect(changed, sender=model, weak=False)
            post_delete.connect(changed, sender=model, weak=False)
        for through in (
            Call.eligible_grades.through,
            Call.eligible_ranks.through,
            Nomination.focus_areas.through,
            # The host's accept form offers the coordinator's organisations (hosting.views).
            HostCoordinator.host_organisations.through,
        ):
            m2m_changed.connect(changed, sender=through, weak=False)
