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
# The users as get_user() reads them, with their profiles (a profile's save bumps it: participants.apps).
USERS_VERSION = "users"
# Departments and grades as the officer list's filters name them (participants.admin), bumped by every
# save and delete of either (participants.apps).
REFERENCE_VERSION = "participants:reference"


def permissions_key(user_pk):
    return f"user-{user_pk}"


def permissions_forget(user_pk):
    cache.delete(f"{VERSION}:{permissions_key(user_pk)}")


def user_forget(user_pk):
    cache.delete(f"{USERS_VERSION}:user-{user_pk}")


def users_changed():
    """Every cached user is stale: a profile (officer, nominating officer, host coordinator) changed."""
    cache_versions.bump(USERS_VERSION)


class PortalBackend(ModelBackend):
    def get_user(self, user_id):
        # Read from the cache on most requests: compiling the query with its three profiles costs more CPU
        # than the rest of a small page's queries. A save of the user forgets it, a profile's save every
        # user (participants.apps), and entries last a minute at most.
        user = cache_versions.cached(USERS_VERSION, f"user-{user_id}", lambda: self._read_user(user_id))
        return user if user is not None and self.user_can_authenticate(user) else None

    @staticmethod
    def _read_user(user_id):
        try:
            return UserModel._default_manager.select_related(*settings.PORTAL_USER_PROFILES).get(pk=user_id)
        except (UserModel.DoesNotExist, ValueError):
            return None

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
