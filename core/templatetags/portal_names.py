"""{% load portal_names %}{{ department|local_name }} or {{ area|local_name:"full_name" }}: a name in the
reader's language (see core/names.py); {{ text|simplified_if_read }} converts free Chinese text;
{{ batch|local_field:"name" }} reads a field with an optional Chinese form (`name_zh`);
{{ placement.focus_areas.all|join_names }} joins names with "; " or 、; {{ text|bracketed }} puts text in
(…) or （…）; {{ user|user_name }} writes a user's name surname first ("CHAN Ka-ming")."""

import re

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from core import names

register = template.Library()


@register.filter
def local_name(obj, field="name"):
    return names.local_name(obj, field)


@register.filter
def local_field(obj, field):
    return names.local_field(obj, field)


@register.filter
def join_names(objects, empty="—"):
    """Reference rows (focus areas …) by their local names, joined as the reader's language joins a list."""
    return names.join_local(names.local_name(obj) for obj in objects) or empty


@register.filter
def bracketed(text):
    return names.bracketed(text)


_HYPHENATED = re.compile(r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)+")


@register.filter(needs_autoescape=True)
def keep_together(text, autoescape=True):
    """{{ title|keep_together }}: hyphenated words and years ("2023-24", "Ka-ming") never broken at the
    hyphen at the end of a line; the rest escaped as usual."""
    escape = conditional_escape if autoescape else str
    text = str(text)
    parts, last = [], 0
    for match in _HYPHENATED.finditer(text):
        parts.append(escape(text[last : match.start()]))
        parts.append(format_html('<span class="text-nowrap">{}</span>', match.group()))
        last = match.end()
    parts.append(escape(text[last:]))
    return mark_safe("".join(str(part) for part in parts))  # noqa: S308 (every part escaped above)


@register.filter
def spaced(text):
    """{{ title|spaced }}: a space between Chinese and Latin letters or digits (深圳 2023-24 名冊)."""
    return names.spaced(str(text))


@register.filter
def user_name(user):
    return names.user_name(user) if user else ""


@register.filter
def simplified_if_read(text):
    """Traditional Chinese text in Simplified script when the page is read in Simplified Chinese."""
    return names.to_simplified(text) if names.script_of() == names.SIMPLIFIED else text


@register.filter
def person_name(person):
    """{{ officer|person_name }}: English and Chinese names, the Chinese in the reader's script."""
    return names.person_name(person)
