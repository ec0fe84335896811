"""Admin helpers every app's admin may use (no models here)."""

import re

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

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


class HistoryAdmin(SimpleHistoryAdmin):
    """django-simple-history's admin, whose history page filters by the id in the address unchecked: an id
    that is not one (…/history/abc/) raised ValueError, a 500. Such an id is simply not found (404)."""

    def history_view(self, request, object_id, extra_context=None):
        try:
            self.model._meta.pk.to_python(unquote(object_id))
        except ValidationError:
            raise Http404 from None
        return super().history_view(request, object_id, extra_context=extra_context)
