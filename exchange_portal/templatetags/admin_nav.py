"""The admin's navigation sidebar, rendered once per user, language, permissions and current section.

Every admin page renders the sidebar: a table row for each of some thirty models. Its markup depends on
the app list (who reads, their permissions and the language: exchange_portal.admin_site.app_list_key)
and on which of its links the page's path lies under (the highlighted section and model), nothing else;
so it is cached under those, beside the permissions version (participants.backends) that any change of a
user's or a group's permissions bumps, and for a minute at most."""

import hashlib

from django import template
from django.template.defaultfilters import urlencode
from django.utils.safestring import mark_safe

from core import cache_versions
from exchange_portal.admin_site import app_list_key
from participants.backends import VERSION as PERMISSIONS_VERSION

register = template.Library()

TEMPLATE = "admin/portal_nav_sidebar.html"


def _current(apps, path):
    """The sidebar's links the page is under (app_list.html's `url in request.path|urlencode`)."""
    encoded = urlencode(path)
    urls = []
    for app in apps:
        urls.append(app.get("app_url"))
        urls.extend(model.get("admin_url") for model in app.get("models", ()))
    return [url for url in urls if url and url in encoded]


@register.simple_tag(takes_context=True)
def nav_sidebar(context):
    sidebar = context.template.engine.get_template(TEMPLATE)
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return sidebar.render(context)
    current = hashlib.sha256("\n".join(_current(context.get("available_apps") or [], request.path)).encode())
    key = f"{app_list_key(user)}:sidebar:{current.hexdigest()[:32]}"
    return mark_safe(cache_versions.cached(PERMISSIONS_VERSION, key, lambda: str(sidebar.render(context))))
