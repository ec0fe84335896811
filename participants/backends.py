"""The authentication backend: Django's ModelBackend, with what every page's navigation asks for loaded
once rather than on each request.

- The officer, nominating officer and host coordinator profiles linked to the user come with the user
  (settings.PORTAL_USER_PROFILES; one query, not four): the navigation shows "My placement" only to an
  officer and "Officers proposed" only to a host coordinator, and those pages start from the profile.
- The user's permissions (their own and their groups', two queries) are cached per user under the
  "permissions" version, which any change of a user's groups or permissions, or of a group's permissions,
  bumps (participants.apps). A user's own save (signing in sets last_login; CSB staff change is_active,
  is_staff or is_superuser) clears that user's entry."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache

from core import cache_versions

UserModel = get_user_model()

VERSION = "permissions"


def permissions_key(user_pk):
    return f"user-{user_pk}"


def permissions_forget(user_pk):
    cache.delete(f"{VERSION}:{permissions_key(user_pk)}")


class PortalBackend(ModelBackend):
    def get_user(self, user_id):
        try:
            user = UserModel._default_manager.select_related(*settings.PORTAL_USER_PROFILES).get(pk=user_id)
        except UserModel.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            user_obj._perm_cache = cache_versions.cached(
                VERSION,
                permissions_key(user_obj.pk),
                lambda: super(PortalBackend, self).get_all_permissions(user_obj),
            )
        return user_obj._perm_cache
