"""{% load portal_names %}{{ department|local_name }} or {{ area|local_name:"full_name" }}: a name in the
reader's language (see exchange_portal/names.py); {{ text|simplified_if_read }} converts free Chinese text."""

from django import template

from core import names

register = template.Library()


@register.filter
def local_name(obj, field="name"):
    return names.local_name(obj, field)


@register.filter
def simplified_if_read(text):
    """Traditional Chinese text in Simplified script when the page is read in Simplified Chinese."""
    return names.to_simplified(text) if names.script_of() == names.SIMPLIFIED else text


@register.filter
def person_name(person):
    """{{ officer|person_name }}: English and Chinese names, the Chinese in the reader's script."""
    return names.person_name(person)
