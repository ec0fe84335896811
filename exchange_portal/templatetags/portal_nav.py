"""The portal's navigation items (includes/nav_items.html), rendered once per reader, language, page and
what the items show: every signed-in page has them, and the sign-in page does not.

Which items show depends on the reader's permissions (cached under the permissions version, which any
change of a user's or a group's permissions bumps: participants.backends), on whether they are staff and
which profiles they have (officer, host coordinator: in the key, read with the user), on the language and
on the page's path (the item marked active). Nothing in them is personal beyond those, and entries last a
minute at most."""

import hashlib

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from core import cache_versions
from participants.backends import VERSION as PERMISSIONS_VERSION

register = template.Library()

TEMPLATE = "includes/nav_items.html"


@register.simple_tag(takes_context=True)
def nav_items(context):
    items = context.template.engine.get_template(TEMPLATE)
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return items.render(context)
    profiles = "".join(
        "1" if flag else "0"
        for flag in (user.is_staff, getattr(user, "officer", None), getattr(user, "host_coordinator", None))
    )
    path = hashlib.sha256(request.path.encode()).hexdigest()[:32]
    key = f"nav-items:{user.pk}:{profiles}:{get_language()}:{path}"
    return mark_safe(cache_versions.cached(PERMISSIONS_VERSION, key, lambda: str(items.render(context))))
