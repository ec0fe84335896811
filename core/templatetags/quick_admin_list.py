"""{% load quick_admin_list %}{% quick_result_list cl %}: Django's `{% result_list cl %}` (the same template,
`change_list_results.html`, overridable per model and app as Django's is) with the rows written by
core.admin_list, once per page rather than cell by cell; a list with editable columns is Django's own.
{% filter_options choices %}: a sidebar filter's options (templates/admin/filter.html)."""

from django import template
from django.contrib.admin.templatetags.admin_list import result_headers, result_list
from django.contrib.admin.templatetags.base import InclusionAdminNode

from core.admin_list import filter_options, quick_results

register = template.Library()
register.simple_tag(filter_options)


def quick_result_list(cl):
    if cl.formset:
        return result_list(cl)
    headers = list(result_headers(cl))
    return {
        "cl": cl,
        "result_hidden_fields": [],
        "result_headers": headers,
        "num_sorted_fields": sum(1 for header in headers if header["sortable"] and header["sorted"]),
        "results": quick_results(cl),
    }


@register.tag(name="quick_result_list")
def quick_result_list_tag(parser, token):
    return InclusionAdminNode(
        parser, token, func=quick_result_list, template_name="change_list_results.html", takes_context=False
    )
