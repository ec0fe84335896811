"""The admin site CSB staff work in: titles, "View site" to the portal's pages for staff (the dashboard),
links to the dashboard and the batch pages on the index, and pickers whose answers tell namesakes apart."""

import hashlib

from django.contrib import admin
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from core import cache_versions
from participants.backends import VERSION as PERMISSIONS_VERSION


def app_list_key(user):
    """What the admin's app list depends on: who reads (their pk, flags and every permission they hold,
    so two users never share an entry and a changed permission is a new key) and the language."""
    perms = ",".join(sorted(user.get_all_permissions()))
    digest = hashlib.sha256(
        f"{user.is_active}:{user.is_staff}:{user.is_superuser}:{perms}".encode()
    ).hexdigest()[:32]
    return f"admin-app-list:{user.pk}:{translation.get_language()}:{digest}"


class LabelledAutocompleteJsonView(AutocompleteJsonView):
    """A picker's answers as the model's admin labels them (`autocomplete_label`), else as str()."""

    def serialize_result(self, obj, to_field_name):
        result = super().serialize_result(obj, to_field_name)
        label = getattr(self.model_admin, "autocomplete_label", None)
        if label is not None:
            result["text"] = label(obj)
        return result


class ExchangePortalAdminSite(admin.AdminSite):
    site_header = _("Exchange Portal · Civil Service Bureau")
    site_title = _("Exchange Portal admin")
    index_title = _("Staff exchange programmes with the Mainland")

    def each_context(self, request):
        context = super().each_context(request)
        # Only CSB staff get into the admin (staff status); their portal pages start at the dashboard.
        # The home page would send them back here.
        context["site_url"] = reverse("coordination:dashboard")
        return context

    def get_app_list(self, request, app_label=None):
        """The index and the sidebar name a model as its admin's `index_name` says, when it has one (the
        sign-in logs: axes' models are named in the library's words).

        The whole list (every admin page's sidebar asks for it) is cached per user, language and
        permissions (app_list_key) under the permissions version, which any change of a user's or a
        group's permissions bumps (participants.backends)."""
        if app_label is None and request.user.is_authenticated:
            return cache_versions.cached(
                PERMISSIONS_VERSION, app_list_key(request.user), lambda: self._app_list_text(request)
            )
        return self._app_list(request, app_label)

    def _app_list_text(self, request):
        """The whole list with its names as text in the current language (the key has the language), so
        that it can be stored."""
        app_list = self._app_list(request, None)
        for app in app_list:
            app["name"] = str(app["name"])
            for entry in app["models"]:
                entry["name"] = str(entry["name"])
        return app_list

    def _app_list(self, request, app_label):
        app_list = super().get_app_list(request, app_label)
        for app in app_list:
            for entry in app["models"]:
                name = getattr(self._registry.get(entry["model"]), "index_name", None)
                if name:
                    entry["name"] = name
        return app_list

    def autocomplete_view(self, request):
        return LabelledAutocompleteJsonView.as_view(admin_site=self)(request)
