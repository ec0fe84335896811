"""{% load quick_admin_list %}{% quick_result_list cl %}: Django's `{% result_list cl %}` (the same template,
`change_list_results.html`, overridable per model and app as Django's is) with the rows written by
core.admin_list, once per page rather than cell by cell; a list with editable columns is Django's own.
{% filter_options choices %}: a sidebar filter's options (templates/admin/filter.html).
{% quick_date_hierarchy cl %}: Django's `{% date_hierarchy cl %}`, kept by the admin's
`date_hierarchy_cached(key, compute)` if it has one."""

import hashlib

from django import template
from django.contrib.admin.templatetags.admin_list import date_hierarchy, result_headers, result_list
from django.contrib.admin.templatetags.base import InclusionAdminNode
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language

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


def quick_date_hierarchy(cl):
    """The date hierarchy's links (two queries: the first and last dates, then the years, months or days),
    kept by the admin's `date_hierarchy_cached(key, compute)` per list, filters, search, language and
    time zone: it must keep them under a version that every write to the list's rows bumps."""
    cached = getattr(cl.model_admin, "date_hierarchy_cached", None)
    if cached is None:
        return date_hierarchy(cl)
    query = hashlib.sha256(urlencode(sorted(cl.filter_params.items()), doseq=True).encode()).hexdigest()
    zone = timezone.get_current_timezone_name()
    key = f"admin-dates:{cl.opts.label_lower}:{get_language()}:{zone}:{query}"
    return cached(key, lambda: date_hierarchy(cl))


@register.tag(name="quick_date_hierarchy")
def quick_date_hierarchy_tag(parser, token):
    return InclusionAdminNode(
        parser, token, func=quick_date_hierarchy, template_name="date_hierarchy.html", takes_context=False
    )
