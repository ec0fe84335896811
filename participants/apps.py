from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _


class ParticipantsConfig(AppConfig):
    name = "participants"
    verbose_name = _("Officers and the civil service")

    def ready(self):
        # Cache invalidation only, no rule: the permissions change through Django's own user and group
        # admin (and migrations' sync_roles), which have no service of ours to call it from.
        from django.contrib.auth.models import Group, Permission, User

        from . import backends
        from .models import Department, Grade

        def permissions_changed(**kwargs):
            backends.cache_versions.bump(backends.VERSION)

        def user_saved(instance, **kwargs):
            backends.permissions_forget(instance.pk)
            backends.user_forget(instance.pk)

        def profile_saved(**kwargs):
            backends.users_changed()

        def reference_changed(**kwargs):
            backends.cache_versions.bump(backends.REFERENCE_VERSION)

        # The officer list's filters name departments and grades (participants.admin).
        for model in (Department, Grade):
            post_save.connect(reference_changed, sender=model, weak=False)
            post_delete.connect(reference_changed, sender=model, weak=False)

        for through in (User.groups.through, User.user_permissions.through, Group.permissions.through):
            m2m_changed.connect(permissions_changed, sender=through, weak=False)
        for model in (Group, Permission):
            post_save.connect(permissions_changed, sender=model, weak=False)
            post_delete.connect(permissions_changed, sender=model, weak=False)
        post_save.connect(user_saved, sender=User, weak=False)
        post_delete.connect(user_saved, sender=User, weak=False)
        # The profiles read with the user (settings.PORTAL_USER_PROFILES), whichever app they belong to.
        for name in settings.PORTAL_USER_PROFILES:
            profile = User._meta.get_field(name).related_model
            post_save.connect(profile_saved, sender=profile, weak=False)
            post_delete.connect(profile_saved, sender=profile, weak=False)
