"""The admin site CSB staff work in: titles, "View site" to the portal's pages for staff (the dashboard),
links to the dashboard and the batch pages on the index, and pickers whose answers tell namesakes apart."""

from django.contrib import admin
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


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
        sign-in logs: axes' models are named in the library's words)."""
        app_list = super().get_app_list(request, app_label)
        for app in app_list:
            for entry in app["models"]:
                name = getattr(self._registry.get(entry["model"]), "index_name", None)
                if name:
                    entry["name"] = name
        return app_list

    def autocomplete_view(self, request):
        return LabelledAutocompleteJsonView.as_view(admin_site=self)(request)
