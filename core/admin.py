"""Admin helpers every app's admin may use (no models here)."""

import html
import re

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .admin_inlines import QuickInlinesMixin
from .admin_widgets import QuickRelatedLinksMixin

# What the admin's date hierarchy accepts: a year Python's dates can hold, a month, a day.
_DATE_PARTS = {
    "year": (1, 9999, _("“%(value)s” is not a year from 1 to 9999: the list is shown without it.")),
    "month": (1, 12, _("“%(value)s” is not a month from 1 to 12: the list is shown without it.")),
    "day": (1, 31, _("“%(value)s” is not a day from 1 to 31: the list is shown without it.")),
}
_DIGITS = re.compile(r"[0-9]{1,5}")


class BoundedDateHierarchyMixin:
    """The date hierarchy's ?<field>__year=, __month= and __day= are bounded before Django's admin turns
    them into dates: a year past 9999 (99999999999 overflows a C integer) would answer 500. Out of range,
    the list opens without that parameter and says why."""

    def changelist_view(self, request, extra_context=None):
        field = self.date_hierarchy
        if field:
            for part, (low, high, message) in _DATE_PARTS.items():
                key = f"{field}__{part}"
                value = request.GET.get(key)
                if value is None or (_DIGITS.fullmatch(value) and low <= int(value) <= high):
                    continue
                messages.error(request, message % {"value": value[:20]})
                query = request.GET.copy()
                for other in _DATE_PARTS:
                    query.pop(f"{field}__{other}", None)
                return HttpResponseRedirect(f"{request.path}?{query.urlencode()}")
        return super().changelist_view(request, extra_context)


def named_by(*fields, cached=None):
    """A sidebar filter by a foreign key (Django's RelatedFieldListFilter: the same options, order and
    links) whose options read only `fields` of the related rows: what their names (`__str__`) show.
    `list_filter = [("batch", named_by("name"))]`.

    `cached(key, compute)`, if given, keeps the options between requests, keyed by the list, the filter,
    the ordering and the language: it must hold them under a version that every save and delete of the
    related rows bumps (placements.figures.figures_cached does, for the rows the placement list names)."""

    class NamedByFilter(admin.RelatedFieldListFilter):
        def field_choices(self, field, request, model_admin):
            # As Field.get_choices(include_blank=False, ordering=...), with only() the named fields.
            ordering = self.field_admin_ordering(field, request, model_admin)
            target = field.remote_field.get_related_field().attname

            def read():
                rows = field.related_model._default_manager.complex_filter(field.get_limit_choices_to())
                if ordering:
                    rows = rows.order_by(*ordering)
                return [(getattr(row, target), str(row)) for row in rows.only(target, *fields)]

            if cached is None:
                return read()
            key = "admin-filter:{}:{}:{}:{}".format(
                model_admin.opts.label_lower, self.field_path, ",".join(map(str, ordering)), get_language()
            )
            return cached(key, read)

    return NamedByFilter


class QuickChangeList(ChangeList):
    """The changelist whose page of rows reads only the columns its admin names in `list_only` (the rows
    shown and nothing else: filters, counts, dates and actions use the whole queryset), and is given to
    the admin's `list_rows(rows)`, if it has one, to add what its columns need to the page's rows."""

    def get_results(self, request):
        columns = getattr(self.model_admin, "list_only", None)
        if not columns:
            super().get_results(request)
        else:
            whole = self.queryset
            self.queryset = whole.only(*columns)
            try:
                super().get_results(request)
            finally:
                self.queryset = whole
        list_rows = getattr(self.model_admin, "list_rows", None)
        if list_rows is not None:
            self.result_list = list_rows(list(self.result_list))


class QuickChangelistMixin:
    """What a changelist costs per row and per page, cut without changing what it shows (issue 18):

    - each row's selection checkbox is written directly rather than rendered through the form widget
      templates (the same markup as Django's `action_checkbox`; the widget cost a third of a 100-row page),
      its label translated once per page (`action_checkbox_writer`, used by core.admin_list);
    - the rows are written once per page by core.admin_list (templates/admin/change_list.html);
    - `list_only`: the columns a page of rows reads, when its models have many more than it shows;
    - no second COUNT of the whole table for "(N total)" beside a filtered count: a filtered list links
      to the unfiltered one instead (`show_full_result_count`);
    - 50 rows a page rather than 100: each row costs a dozen escaped, translated cells, and the paging,
      search, filters and "Show all" still reach every row."""

    show_full_result_count = False
    list_per_page = 50
    list_only = None

    def get_changelist(self, request, **kwargs):
        return QuickChangeList

    def action_checkbox(self, obj):
        return self.action_checkbox_writer()(obj)

    def action_checkbox_writer(self):
        """Writes a row's checkbox: Django's markup, format_html's escaping, the label translated once."""
        label = gettext("Select this object for an action - {}")
        name = escape(helpers.ACTION_CHECKBOX_NAME)

        def write(obj):
            # html.escape is what Django's escape() calls, without its check for lazy arguments.
            aria_label = label.format(html.escape(str(obj)))
            value = html.escape(str(obj.pk))
            return mark_safe(
                f'<input type="checkbox" name="{name}" value="{value}" class="action-select"'
                f' aria-label="{aria_label}">'
            )

        return write


class QuickModelAdmin(QuickRelatedLinksMixin, QuickInlinesMixin, QuickChangelistMixin, admin.ModelAdmin):
    """The portal's ModelAdmin (QuickChangelistMixin, QuickInlinesMixin, QuickRelatedLinksMixin)."""


class HistoryAdmin(QuickRelatedLinksMixin, QuickInlinesMixin, QuickChangelistMixin, SimpleHistoryAdmin):
    """django-simple-history's admin, whose history page filters by the id in the address unchecked: an id
    that is not one (…/history/abc/) raised ValueError, a 500. Such an id is simply not found (404)."""

    def history_view(self, request, object_id, extra_context=None):
        try:
            self.model._meta.pk.to_python(unquote(object_id))
        except ValidationError:
            raise Http404 from None
        return super().history_view(request, object_id, extra_context=extra_context)
