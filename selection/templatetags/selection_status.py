"""{% load selection_status %}{% status_badge nomination.status "nomination" %}: a status as a badge that
explains itself (on hover, and to screen readers) and links to its entry on the glossary page /statuses/.
Kinds: "nomination", "consent" and "placement" (selection/glossary.py)."""

from django import template
from django.urls import reverse
from django.utils.html import format_html

from selection.glossary import BADGE_COLOURS, status_entry

register = template.Library()


def status_anchor(value, kind):
    """The glossary page's anchor of a status: "nomination-selected"."""
    return f"{kind}-{value}".replace("_", "-")


@register.simple_tag
def status_badge(value, kind):
    label, explanation = status_entry(value, kind)
    colour = BADGE_COLOURS.get(kind, {}).get(value, "secondary")
    url = f"{reverse('statuses')}#{status_anchor(value, kind)}"
    return format_html(
        '<a class="badge status-badge text-bg-{colour}" href="{url}" title="{explanation}">{label}'
        '<span class="visually-hidden">: {explanation}</span></a>',
        colour=colour,
        url=url,
        explanation=explanation,
        label=label,
    )


@register.filter
def status_anchor_of(value, kind):
    return status_anchor(value, kind)
