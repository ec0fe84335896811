"""A changelist's rows written as Django's admin writes them (`admin_list.items_for_result`), with the work
that is the same for every row done once per page (issue 18).

Django looks up each column, its empty value, its choices' translations and the change view's address
again for every cell of every row, and the template then writes each cell separately. Here each column is
looked up once; a choice's label is translated once; a related object's name, a date and a boolean's icon
are written once per value; the change address is reversed once and each row's id put in it; and a row
reaches the template as one piece of markup. The markup is the same, character for character
(`tests/core/test_admin_list.py` compares the two on every changelist of the portal, in three languages).
Lists with editable columns (`list_editable`) are left to Django."""

import datetime
import html
import re

from django.contrib.admin.templatetags.admin_list import (
    ResultList,
    _boolean_icon,
    _coerce_field_name,
)
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import (
    FieldIsAForeignKeyColumnName,
    _get_non_gfk_field,
    display_for_field,
    display_for_value,
    lookup_field,
    quote,
)
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db import models
from django.template import Context
from django.template.base import render_value_in_context
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils import dateformat, formats, timezone
from django.utils.encoding import iri_to_uri
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

# Model fields, admin methods, anything else (a model attribute or property, "__str__": Django's own lookup).
_FIELD, _ADMIN, _OTHER = "field", "admin", "other"
# Fields whose cell depends only on the value (written once per value on a page).
_BY_VALUE = (models.IntegerField, models.FloatField, models.DecimalField)
_PK_MARK = "quickpk"
_PLAIN_PK = re.compile(r"[0-9A-Za-z_-]+")


def _escaped(text):
    """django.utils.html.conditional_escape(text), the same characters, without the check for lazy
    arguments its escape() makes on every call (some 1,100 calls on a page of the placement list)."""
    if isinstance(text, Promise):
        text = str(text)
    if hasattr(text, "__html__"):
        return text.__html__()
    return html.escape(str(text))


class _Column:
    """What `items_for_result` works out for one column, for every row alike."""

    def __init__(self, cl, index, name, empty, link, tag, dates):
        model_admin = cl.model_admin
        self.dates = dates
        self.name = name
        self.classes = [f"field-{_coerce_field_name(name, index)}"]
        self.empty = empty
        self.link = link
        self.tag = tag
        self.field = None
        self.attr = None
        self.choices = None
        self.values = {}
        try:
            field = _get_non_gfk_field(cl.lookup_opts, name)
        except (FieldDoesNotExist, FieldIsAForeignKeyColumnName):
            if callable(name):
                self.kind, self.attr = _ADMIN, name
                self.write = name
            elif hasattr(model_admin, name) and name != "__str__":
                self.kind, self.attr = _ADMIN, getattr(model_admin, name)
                self.write = self.attr
                if name == "action_checkbox" and hasattr(model_admin, "action_checkbox_writer"):
                    self.write = model_admin.action_checkbox_writer()
            else:
                self.kind = _OTHER
        else:
            self.kind = _FIELD
            self.field = field
            if not field.auto_created:
                if isinstance(field, (models.DateField, models.TimeField, models.ForeignKey)):
                    self.classes.append("nowrap")
                if not isinstance(field.remote_field, models.ManyToOneRel) and getattr(
                    field, "flatchoices", None
                ):
                    try:
                        self.choices = {
                            key: str(label) if isinstance(label, Promise) else label
                            for key, label in field.flatchoices
                        }
                    except TypeError:  # list-like choices: Django's own lookup per row
                        self.choices = None
        if self.kind == _ADMIN:
            self.empty = getattr(self.attr, "empty_value_display", empty)
            self.boolean = getattr(self.attr, "boolean", False)
            if name == "action_checkbox":
                self.classes = ["action-checkbox"]

    def cell(self, cl, result):
        """The cell's content (not yet escaped) and its classes."""
        try:
            if self.kind == _FIELD:
                field, attr, value = self.field, None, getattr(result, self.name)
            elif self.kind == _ADMIN:
                field, attr, value = None, self.attr, self.write(result)
            else:
                field, attr, value = lookup_field(self.name, result, cl.model_admin)
        except ObjectDoesNotExist:
            return self.empty, self.classes
        if isinstance(value, str) and value.strip() == "":
            value = ""
        if field is None or field.auto_created:
            return self._value_cell(attr, value)
        if isinstance(field.remote_field, models.ManyToOneRel):
            if value is None:
                return self.empty, self.classes
            # A related object's name, escaped once per object shown on the page.
            key = (type(value), value.pk)
            text = self.values.get(key)
            if text is None:
                text = self.values[key] = mark_safe(_escaped(value))
            return text, self.classes
        if self.choices is not None:
            try:
                return self.choices.get(value, self.empty), self.classes
            except TypeError:
                pass
        if isinstance(field, models.BooleanField):
            return self._icon(value), self.classes
        if isinstance(field, (models.DateField, models.TimeField)) and value not in field.empty_values:
            return self.dates.write(value, field), self.classes
        if isinstance(field, _BY_VALUE) and value not in field.empty_values:
            text = self.values.get(value)
            if text is None:
                text = self.values[value] = display_for_field(value, field, self.empty, self.link)
            return text, self.classes
        return display_for_field(value, field, self.empty, avoid_link=self.link), self.classes

    def _value_cell(self, attr, value):
        if self.kind == _ADMIN:
            empty, boolean = self.empty, self.boolean
        else:
            empty = getattr(attr, "empty_value_display", self.empty)
            boolean = getattr(attr, "boolean", False)
            if isinstance(attr, property) and hasattr(attr, "fget"):
                boolean = getattr(attr.fget, "boolean", False)
        text = self._icon(value) if boolean else display_for_value(value, empty)
        if isinstance(value, (datetime.date, datetime.time)):
            return text, [*self.classes, "nowrap"]
        return text, self.classes

    def _icon(self, value):
        key = ("icon", value)
        icon = self.values.get(key)
        if icon is None:
            icon = self.values[key] = _boolean_icon(value)
        return icon


# Format characters written here as django.utils.dateformat writes them; the names of months are asked of
# dateformat once per month and page; any other character sends the value to formats.localize itself.
_NUMBERS = {
    "d": lambda v: f"{v.day:02d}",
    "j": lambda v: str(v.day),
    "m": lambda v: f"{v.month:02d}",
    "n": lambda v: str(v.month),
    "Y": lambda v: f"{v.year:04d}",
    "y": lambda v: f"{v.year % 100:02d}",
    "H": lambda v: f"{v.hour:02d}",
    "G": lambda v: str(v.hour),
    "i": lambda v: f"{v.minute:02d}",
    "s": lambda v: f"{v.second:02d}",
}
_MONTH_NAMES = {"b", "E", "F", "M", "N"}
_DATE_ONLY = {"d", "j", "m", "n", "Y", "y", "b", "E", "F", "M", "N"}


class _Dates:
    """A page's dates and times as `display_for_field` writes them (formats.localize, in the reader's time
    zone), with the language's formats read once and a month's name translated once."""

    def __init__(self):
        self.formats = {}
        self.months = {}

    def _pieces(self, name):
        pieces = self.formats.get(name)
        if pieces is None:
            split = dateformat.re_formatchars.split(str(formats.get_format(name)))
            pieces = [
                (bool(index % 2), piece if index % 2 else dateformat.re_escaped.sub(r"\1", piece))
                for index, piece in enumerate(split)
            ]
            self.formats[name] = pieces
        return pieces

    def write(self, value, field):
        if isinstance(field, models.DateTimeField):
            value = timezone.template_localtime(value)
        if isinstance(value, datetime.datetime):
            name, allowed = "DATETIME_FORMAT", _NUMBERS.keys() | _MONTH_NAMES
        elif isinstance(value, datetime.date):
            name, allowed = "DATE_FORMAT", _DATE_ONLY
        else:
            return formats.localize(value)
        written = []
        for is_char, piece in self._pieces(name):
            if not is_char:
                written.append(piece)
            elif piece not in allowed:
                return formats.localize(value)
            elif piece in _MONTH_NAMES:
                key = (piece, value.month)
                month = self.months.get(key)
                if month is None:
                    month = self.months[key] = str(dateformat.DateFormat(value).format(piece))
                written.append(month)
            else:
                written.append(_NUMBERS[piece](value))
        return "".join(written)


class _Links:
    """Each row's address: the change view's, reversed once with a mark where the id goes, and the list's
    filters kept as `add_preserved_filters` keeps them."""

    def __init__(self, cl):
        self.cl = cl
        self.prefix = self.suffix = None
        self.query = None
        opts = cl.opts
        try:
            url = reverse(
                f"admin:{opts.app_label}_{opts.model_name}_change",
                args=(_PK_MARK,),
                current_app=cl.model_admin.admin_site.name,
            )
        except NoReverseMatch:
            self.reversible = False
            return
        self.reversible = True
        if url.count(_PK_MARK) == 1:
            self.prefix, self.suffix = url.split(_PK_MARK)

    def url(self, result):
        """The row's address with the list's filters, or None when the change view has none."""
        if not self.reversible:
            return None
        pk = quote(getattr(result, self.cl.pk_attname))
        if self.prefix is not None and _PLAIN_PK.fullmatch(str(pk)):
            path = f"{self.prefix}{pk}{self.suffix}"
        else:
            path = self.cl.url_for_result(result)
        if self.query is None:
            context = {"preserved_filters": self.cl.preserved_filters, "opts": self.cl.opts}
            linked = add_preserved_filters(context, path)
            if not linked.startswith(path):
                return linked
            self.query = linked[len(path) :]
        return path + self.query


def quick_results(cl):
    """The changelist's rows, each a ResultList of one piece of markup (the cells `items_for_result`
    writes, joined)."""
    model_admin = cl.model_admin
    empty = model_admin.get_empty_value_display()
    columns = []
    dates = _Dates()
    first = True
    for index, name in enumerate(cl.list_display):
        if cl.list_display_links is None:
            link = False
        elif first and not cl.list_display_links:
            link = True
        else:
            link = name in cl.list_display_links
        tag = "td"
        if link:
            tag = "th" if first else "td"
            first = False
        columns.append(_Column(cl, index, name, empty, link, tag, dates))
    links = _Links(cl)
    pk_name = str(cl.to_field) if cl.to_field else cl.lookup_opts.pk.attname
    rows = []
    for result in cl.result_list:
        cells = []
        for column in columns:
            text, classes = column.cell(cl, result)
            row_class = ' class="{}"'.format(" ".join(classes))
            if column.link:
                url = links.url(result)
                if url is not None:
                    popup = ""
                    if cl.is_popup:
                        popup = format_html(' data-popup-opener="{}"', result.serializable_value(pk_name))
                    url = _escaped(url)
                    text = mark_safe(f'<a href="{url}"{popup}>{_escaped(text)}</a>')
                cells.append(f"<{column.tag}{row_class}>{_escaped(text)}</{column.tag}>")
            else:
                cells.append(f"<td{row_class}>{_escaped(text)}</td>")
        rows.append(ResultList(None, [mark_safe("".join(cells))]))
    return rows


_ADDRESSES = {}
_ID_MARK = "9081726354"  # for a path whose converter takes digits only


def _split_address(viewname):
    """The address before and after the id's mark; () if it cannot be told apart."""
    for mark in (_PK_MARK, _ID_MARK):
        try:
            address = reverse(viewname, args=[mark])
        except NoReverseMatch:
            continue
        return tuple(address.split(mark)) if address.count(mark) == 1 else ()
    return ()


def reverse_with_id(viewname, pk):
    """reverse(viewname, args=[pk]) for a row's integer id, the address reversed once (per script prefix,
    URL configuration and language) with a mark where the id goes. A URL without a parameter or with
    more than one, or a wrong id, is reversed as usual (and so raises as usual)."""
    if type(pk) is not int or pk < 0:
        return reverse(viewname, args=[pk])
    key = (viewname, get_script_prefix(), get_urlconf(), get_language())
    parts = _ADDRESSES.get(key)
    if parts is None:
        parts = _ADDRESSES[key] = _split_address(viewname)
    if not parts:
        return reverse(viewname, args=[pk])
    return f"{parts[0]}{pk}{parts[1]}"


def filter_options(choices):
    """A sidebar filter's options as admin/filter.html's loop writes them (templates/admin/filter.html):
    each a list item, marked when selected, linking to its query string. The loop resolved a dozen
    variables for each of the placement list's 170-odd options."""
    context = Context()  # a value written as the template writes it: localised, then escaped
    items = []
    for choice in choices:
        selected = ' class="selected"' if choice["selected"] else ""
        href = render_value_in_context(iri_to_uri(choice["query_string"]), context)
        display = render_value_in_context(choice["display"], context)
        items.append(f'\n    <li{selected}>\n    <a href="{href}">{display}</a></li>\n  ')
    return mark_safe("".join(items))
