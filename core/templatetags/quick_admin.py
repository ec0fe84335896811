"""The admin's tabular inlines (core.admin_inlines) and a change form's fieldsets (core.admin_fieldsets)
written in Python."""

from django import template

from core import admin_fieldsets
from core.admin_inlines import render_tabular

register = template.Library()


@register.simple_tag(takes_context=True)
def quick_tabular(context):
    forloop = context.get("forloop") or {}
    return render_tabular(context["inline_admin_formset"], bool(forloop.get("last")))


@register.simple_tag(takes_context=True)
def quick_fieldsets(context):
    """`{% block field_sets %}{% quick_fieldsets %}{% endblock %}` in a change form template."""
    return admin_fieldsets.render_fieldsets(context["adminform"])
