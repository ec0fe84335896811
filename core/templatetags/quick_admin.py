"""The admin's tabular inlines written in Python (core.admin_inlines)."""

from django import template

from core.admin_inlines import render_tabular

register = template.Library()


@register.simple_tag(takes_context=True)
def quick_tabular(context):
    forloop = context.get("forloop") or {}
    return render_tabular(context["inline_admin_formset"], bool(forloop.get("last")))
