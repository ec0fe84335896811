"""Tabular inlines written in Python: `QuickTabularInline` is Django's TabularInline whose rows are written
by `render_tabular` rather than by `admin/edit_inline/tabular.html`.

An admin page with inline rows (the batch's placements, the call's invitations and host places) spent a
third of its time resolving that template's variables: a dozen lookups and tags per cell, for every field of
every row and of the empty row the "Add another" button copies. `render_tabular` writes exactly the markup
the template writes (the same escaping, spacing and newlines; tests/core/test_admin_inlines.py compares the
pages both ways in three languages, with errors and without), from the same objects: the rows, fields, links,
checkboxes and errors are Django's own."""

import copy
import re

from django import forms
from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.templatetags.admin_modify import cell_count
from django.contrib.admin.utils import quote
from django.forms.formsets import DELETION_FIELD_NAME
from django.forms.models import apply_limit_choices_to_to_formfield
from django.template.defaultfilters import capfirst, striptags
from django.templatetags.static import static
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from .admin_widgets import QuickRelatedLinksMixin
from .form_renderer import QuickSelect, WrittenChoices, quick_escape


def _e(value):
    return quick_escape(value)


def _header(formset):
    cells = []
    for field in formset.fields():
        classes = f"column-{_e(field['name'])}"
        if field["required"]:
            classes += " required"
        widget = field["widget"]  # a dict for a read-only field
        if widget["is_hidden"] if isinstance(widget, dict) else widget.is_hidden:
            classes += " hidden"
        help_text = ""
        if field["help_text"]:
            text = _e(striptags(field["help_text"]))
            help_text = (
                f'<img src="{_e(static("admin/img/icon-unknown.svg"))}" class="help help-tooltip" width="10" '
                f'height="10" alt="({text})" title="{text}">'
            )
        label = _e(capfirst(field["label"]))
        cells.append(f'\n       <th class="{classes}">{label}\n       {help_text}\n       </th>\n     ')
    delete = gettext("Delete?") if formset.formset.can_delete and formset.has_delete_permission else ""
    return (
        '\n     <thead><tr>\n       <th class="original"></th>\n     '
        + "".join(cells)
        + f"\n     <th>{delete}</th>\n     </tr></thead>\n"
    )


class _Plan:
    """What every row of one InlineAdminFormSet shares, worked out once rather than on each row: the change
    link's address around the row's id (reversed once), whether the rows show their key, and the cells the
    template's `for fieldset in row / for line in fieldset / for field in line` walks (InlineFieldset,
    Fieldline) for each set of read-only fields."""

    _MARK = "quickpk"
    _PLAIN_ID = re.compile(r"[0-9A-Za-z_-]+")

    def __init__(self, formset):
        self.formset = formset
        self.fk = getattr(formset.formset, "fk", None)
        self.show_delete = formset.formset.can_delete and formset.has_delete_permission
        self._cells = {}
        self._explicit_pk = None
        self._link = None

    def change_url(self, model_admin, pk):
        """reverse(...) of the row's change page, as the template's `{% url %}` gives it."""
        opts = model_admin.opts
        viewname = f"admin:{opts.app_label}_{opts.model_name}_change"
        if self._link is None:
            address = reverse(viewname, args=[self._MARK], current_app=model_admin.admin_site.name)
            self._link = tuple(address.split(self._MARK)) if address.count(self._MARK) == 1 else ()
        shown = quote(pk)
        if self._link and self._PLAIN_ID.fullmatch(str(shown)):
            return f"{self._link[0]}{shown}{self._link[1]}"
        return reverse(viewname, args=[shown], current_app=model_admin.admin_site.name)

    def needs_explicit_pk_field(self, row):
        # The rows are the same form class: the answer depends on its model and Meta only.
        if self._explicit_pk is None:
            self._explicit_pk = bool(row.needs_explicit_pk_field())
        return self._explicit_pk

    def cells(self, row):
        """[[ [(field, read-only), ...] for each line ] for each fieldset] for `row`."""
        key = tuple(row.readonly_fields)
        cells = self._cells.get(key)
        if cells is None:
            cells = self._cells[key] = []
            for _name, options in row.fieldsets:
                lines = []
                for line in options.get("fields", ()):
                    if self.fk and self.fk.name == line:
                        continue
                    fields = [line] if not hasattr(line, "__iter__") or isinstance(line, str) else line
                    lines.append([(field, field in row.readonly_fields) for field in fields])
                cells.append(lines)
        return cells


def _original_cell(plan, row):
    formset = plan.formset
    out = ['\n        <td class="original">\n          ']
    if row.original or row.show_url:
        out.append("<p>\n          ")
        if row.original:
            out.append(f"\n          {_e(row.original)}\n          ")
            model_admin = row.model_admin
            if model_admin.show_change_link and model_admin.has_registered_model:
                url = plan.change_url(model_admin, row.original.pk)
                kind = "inlinechangelink" if formset.has_change_permission else "inlineviewlink"
                text = gettext("Change") if formset.has_change_permission else gettext("View")
                out.append(f'<a href="{_e(url)}" class="{kind}">{text}</a>')
            out.append("\n          ")
        out.append("\n          ")
        if row.show_url:
            out.append(f'<a href="{_e(row.absolute_url)}">{gettext("View on site")}</a>')
        out.append("\n            </p>")
    out.append("\n          ")
    form = row.form
    if plan.needs_explicit_pk_field(row):
        out.append(str(form[row.formset._pk_field.name]))
    out.append("\n          ")
    if plan.fk:
        out.append(str(form[plan.fk.name]))
    out.append("\n        </td>\n        ")
    return "".join(out)


def _field_cells(plan, row):
    out = []
    form = row.form
    for lines in plan.cells(row):
        out.append("\n          ")
        for line in lines:
            out.append("\n            ")
            for index, (name, readonly) in enumerate(line):
                if readonly:
                    field = helpers.AdminReadonlyField(form, name, index == 0, model_admin=row.model_admin)
                    shown, hidden = field.field["name"], field.field["is_hidden"]
                else:
                    bound = form[name]
                    shown, hidden = bound.name, bound.is_hidden
                classes = f"field-{_e(shown)}" if shown else ""
                if hidden:
                    classes += " hidden"
                out.append(f'\n              <td class="{classes}">\n              ')
                if readonly:
                    out.append(f"\n                  <p>{_e(field.contents())}</p>\n              ")
                else:
                    errors = _e(bound.errors.as_ul())
                    out.append(f"\n                  {errors}\n                  {_e(bound)}\n              ")
                out.append("\n              </td>\n            ")
            out.append("\n          ")
        out.append("\n        ")
    return "".join(out)


def _rows(formset):
    out = []
    rows = list(formset)
    plan = _Plan(formset)
    prefix = _e(formset.formset.prefix)
    for index, row in enumerate(rows):
        last = index == len(rows) - 1
        out.append("\n        ")
        errors = row.form.non_field_errors()
        if errors:
            cells = f'<td colspan="{cell_count(row)}">{_e(errors)}</td>'
            out.append(f'\n        <tr class="row-form-errors">{cells}</tr>\n        ')
        classes = "has_original" if (row.original or row.show_url) else ""
        empty = last and formset.has_add_permission
        if empty:
            classes += " empty-form"
        row_id = "empty" if empty else str(index)
        out.append(f'\n        <tr class="form-row {classes}"\n             id="{prefix}-{row_id}">')
        out.append(_original_cell(plan, row))
        out.append(_field_cells(plan, row))
        delete = ""
        if plan.show_delete and row.original:
            delete = _e(row.form[DELETION_FIELD_NAME])
        out.append(f'\n        <td class="delete">{delete}</td>\n        </tr>\n     ')
    return "".join(out)


def render_tabular(formset, last_group):
    """`admin/edit_inline/tabular.html` for the InlineAdminFormSet `formset` (`last_group`: the template's
    `forloop.last`, whether it is the page's last inline)."""
    prefix = _e(formset.formset.prefix)
    collapsible = formset.is_collapsible
    if formset.formset.max_num == 1:
        heading = capfirst(formset.opts.verbose_name)
    else:
        heading = capfirst(formset.opts.verbose_name_plural)
    return mark_safe(
        f'\n<div class="js-inline-admin-formset inline-group" id="{prefix}-group"\n'
        f'     data-inline-type="tabular"\n'
        f'     data-inline-formset="{_e(formset.inline_formset_data())}">\n'
        f'  <div class="tabular inline-related {"last-related" if last_group else ""}">\n'
        f"{_e(formset.formset.management_form)}\n"
        f'<fieldset class="module {_e(formset.classes)}" aria-labelledby="{prefix}-heading">\n'
        f"  {'<details><summary>' if collapsible else ''}\n"
        f'  <h2 id="{prefix}-heading" class="inline-heading">\n'
        f"  \n    {_e(heading)}\n  \n  </h2>\n"
        f"  {'</summary>' if collapsible else ''}\n"
        f"   {_e(formset.formset.non_form_errors())}\n"
        f"   <table>{_header(formset)}\n"
        f"     <tbody>\n     {_rows(formset)}\n     </tbody>\n"
        f"   </table>\n"
        f"  {'</details>' if collapsible else ''}\n"
        f"</fieldset>\n"
        f"  </div>\n"
        f"</div>\n"
    )


class QuickInlineAdminFormSet(helpers.InlineAdminFormSet):
    """Django's InlineAdminFormSet with its rows wrapped once a page. Django's is walked three times (for its
    media, for the prepopulated fields' script and for the rows), wrapping every form again each time, and
    its media are collected from every row."""

    @cached_property
    def _rows(self):
        return list(super().__iter__())

    def __iter__(self):
        return iter(self._rows)

    @property
    def media(self):
        # Django's own formset takes its media from its first form ("All the forms on a FormSet are the
        # same", BaseFormSet.media): one row stands for them all here too. The sum is the same: adding
        # the same media again adds nothing.
        media = self.opts.media + self.formset.media
        for row in self._rows[:1]:
            media += row.media
        return media


class _EmptyFormOnce:
    """A formset whose empty form (the row "Add another" copies) is built once: Django's is a property
    that builds a whole form each time it is read, and a page read it five times."""

    @cached_property
    def empty_form(self):
        return super().empty_form


class SharedFieldsForm(forms.ModelForm):
    """A row of a SharedFieldsFormSet: its fields are the formset's, built once for all the rows."""

    def __init__(self, *args, shared_fields=None, **kwargs):
        if shared_fields is not None:
            # Nothing for Django to deep-copy: the fields come built.
            self.base_fields = {}
        super().__init__(*args, **kwargs)
        if shared_fields is not None:
            # A dict of its own: the fields the formset adds to a row (its key, its parent's key, "Delete?")
            # are that row's alone.
            self.fields = dict(shared_fields)
            if self.field_order is not None:
                self.order_fields(self.field_order)


class SharedFieldsFormSet(forms.BaseModelFormSet):
    """Rows (SharedFieldsForm) that share one set of field objects instead of a deep copy each.

    Django deep-copies a form's fields for every form (a ModelChoiceField clones its queryset), and an inline
    of ten rows spent a fifth of the batch page's view doing so, then replaced those querysets and widgets
    on every row. Nothing Django does with a row's fields changes them (a row's errors, data and values are
    its form's), so the rows can share them; what a row would change on them is done once, for all of them,
    in `prepare_shared_fields`. tests/core/test_admin_inlines.py checks that rows with and without errors are
    kept apart."""

    def prepare_shared_fields(self, fields):
        """Change the rows' fields (`fields`, a dict by name) once for every row."""

    @cached_property
    def shared_fields(self):
        fields = copy.deepcopy(self.form.base_fields)
        if self.model._meta.pk.name in fields:
            # Django marks an editable key's field required on each row (BaseModelFormSet._construct_form):
            # such rows keep fields of their own.
            return None
        for field in fields.values():
            apply_limit_choices_to_to_formfield(field)  # what BaseModelForm.__init__ does to each form's
        self.prepare_shared_fields(fields)
        return fields

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "shared_fields": self.shared_fields}


class QuickTabularInline(QuickRelatedLinksMixin, admin.TabularInline):
    """Django's TabularInline, written by render_tabular (see the module's docstring), with its rows and
    empty row built once a page (QuickInlineAdminFormSet, _EmptyFormOnce: the admin must mix in
    QuickInlinesMixin)."""

    template = "admin/edit_inline/quick_tabular.html"
    admin_formset = QuickInlineAdminFormSet

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        # Every row offers the same choices: written once for all of them.
        kwargs.setdefault("widget", QuickSelect)
        formfield = super().formfield_for_choice_field(db_field, request, **kwargs)
        if type(formfield.widget) is QuickSelect:
            formfield.widget.choices = WrittenChoices(formfield.widget.choices)
        return formfield

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if issubclass(formset, _EmptyFormOnce):
            return formset
        return type(formset.__name__, (_EmptyFormOnce, formset), {})


class QuickInlinesMixin:
    """For a ModelAdmin: its QuickTabularInlines' rows wrapped by their `admin_formset`."""

    def get_inline_formsets(self, request, formsets, inline_instances, obj=None):
        wrapped = super().get_inline_formsets(request, formsets, inline_instances, obj)
        return [_as_quick(inline_admin_formset) for inline_admin_formset in wrapped]


def _as_quick(wrapped):
    """`wrapped` (Django's InlineAdminFormSet) as its inline's `admin_formset`, built with the same values."""
    quick = getattr(wrapped.opts, "admin_formset", None)
    if quick is None or isinstance(wrapped, quick):
        return wrapped
    return quick(
        wrapped.opts,
        wrapped.formset,
        wrapped.fieldsets,
        wrapped.prepopulated_fields,
        wrapped.readonly_fields,
        model_admin=wrapped.model_admin,
        has_add_permission=wrapped.has_add_permission,
        has_change_permission=wrapped.has_change_permission,
        has_delete_permission=wrapped.has_delete_permission,
        has_view_permission=wrapped.has_view_permission,
    )
