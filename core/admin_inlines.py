"""Tabular inlines written in Python: `QuickTabularInline` is Django's TabularInline whose rows are written
by `render_tabular` rather than by `admin/edit_inline/tabular.html`.

An admin page with inline rows (the batch's placements, the call's invitations and host places) spent a
third of its time resolving that template's variables: a dozen lookups and tags per cell, for every field of
every row and of the empty row the "Add another" button copies. `render_tabular` writes exactly the markup
the template writes (the same escaping, spacing and newlines; tests/core/test_admin_inlines.py compares the
pages both ways in three languages, with errors and without), from the same objects: the rows, fields, links,
checkboxes and errors are Django's own."""

from django.contrib import admin
from django.contrib.admin.templatetags.admin_modify import cell_count
from django.contrib.admin.utils import quote
from django.template.defaultfilters import capfirst, striptags
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext


def _e(value):
    return conditional_escape(value)


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


def _original_cell(formset, row):
    out = ['\n        <td class="original">\n          ']
    if row.original or row.show_url:
        out.append("<p>\n          ")
        if row.original:
            out.append(f"\n          {_e(row.original)}\n          ")
            model_admin = row.model_admin
            if model_admin.show_change_link and model_admin.has_registered_model:
                opts = model_admin.opts
                url = reverse(
                    f"admin:{opts.app_label}_{opts.model_name}_change",
                    args=[quote(row.original.pk)],
                    current_app=model_admin.admin_site.name,
                )
                kind = "inlinechangelink" if formset.has_change_permission else "inlineviewlink"
                text = gettext("Change") if formset.has_change_permission else gettext("View")
                out.append(f'<a href="{_e(url)}" class="{kind}">{text}</a>')
            out.append("\n          ")
        out.append("\n          ")
        if row.show_url:
            out.append(f'<a href="{_e(row.absolute_url)}">{gettext("View on site")}</a>')
        out.append("\n            </p>")
    out.append("\n          ")
    if row.needs_explicit_pk_field():
        out.append(str(row.pk_field().field))
    out.append("\n          ")
    fk_field = row.fk_field()
    if fk_field:
        out.append(str(fk_field.field))
    out.append("\n        </td>\n        ")
    return "".join(out)


def _field_cells(row):
    out = []
    for fieldset in row:
        out.append("\n          ")
        for line in fieldset:
            out.append("\n            ")
            for field in line:
                bound = field.field
                if field.is_readonly:
                    name, hidden = bound["name"], bound.get("is_hidden")
                else:
                    name, hidden = bound.name, bound.is_hidden
                classes = f"field-{_e(name)}" if name else ""
                if hidden:
                    classes += " hidden"
                out.append(f'\n              <td class="{classes}">\n              ')
                if field.is_readonly:
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
        out.append(_original_cell(formset, row))
        out.append(_field_cells(row))
        delete = ""
        if formset.formset.can_delete and formset.has_delete_permission and row.original:
            delete = _e(row.deletion_field().field)
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


class QuickTabularInline(admin.TabularInline):
    """Django's TabularInline, written by render_tabular (see the module's docstring)."""

    template = "admin/edit_inline/quick_tabular.html"
