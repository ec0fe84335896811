"""A change form's fieldsets written in Python: `render_fieldsets` writes what Django's change form writes in
its `field_sets` block, each fieldset as `admin/includes/fieldset.html` writes it.

That template resolves a dozen variables and filters per field (the line's length three times, each field's
name, errors, checkbox, read-only state and help text), about a third of the batch and call forms' time
beside their widgets. `render_fieldsets` writes exactly the template's markup (the same escaping, spacing and
newlines; tests/core/test_admin_inlines.py compares the pages both ways in three languages, with errors,
for staff who may only view, and on add pages) from Django's own objects: the fieldsets, lines, fields,
labels, errors and read-only contents are Django's AdminForm's. A change form uses it by overriding the block:
`{% block field_sets %}{% quick_fieldsets %}{% endblock %}` (core/templatetags/quick_admin.py)."""

from django.utils.safestring import mark_safe

from .form_renderer import quick_escape as _e


def _class_names(line, fields, single):
    """The form row's classes: errors, hidden, and each field's name."""
    classes = "form-row"
    if single and line.errors():
        classes += " errors"
    if not line.has_visible_field:
        classes += " hidden"
    for field in fields:
        name = _name(field)
        if name:
            classes += f" field-{_e(name)}"
    return classes


def _name(field):
    return field.field["name"] if field.is_readonly else field.field.name


def _is_hidden(field):
    return field.field["is_hidden"] if field.is_readonly else field.field.is_hidden


def _field(field, single):
    out = ["\n                <div>\n                    "]
    if not single and not field.is_readonly:
        out.append(field.errors())
    classes = "flex-container"
    if not single:
        classes += " fieldBox"
        name = _name(field)
        if name:
            classes += f" field-{_e(name)}"
        if not field.is_readonly and field.errors():
            classes += " errors"
        if _is_hidden(field):
            classes += " hidden"
    if field.is_checkbox:
        classes += " checkbox-row"
    out.append(f'\n                        <div class="{classes}">\n                            ')
    cell = "\n" + " " * 32  # the label's and the widget's indent in the template
    if field.is_checkbox:
        out.append(f"{cell}{_e(field.field)}{_e(field.label_tag())}\n" + " " * 28)
    else:
        out.append(f"{cell}{_e(field.label_tag())}{cell}")
        if field.is_readonly:
            out.append(f'{cell}    <div class="readonly">{_e(field.contents())}</div>{cell}')
        else:
            out.append(f"{cell}    {_e(field.field)}{cell}")
        out.append("\n" + " " * 28)
    out.append("\n                        </div>\n                    ")
    if field.is_readonly:
        help_text, field_id = field.field["help_text"], None
    else:
        help_text, field_id = field.field.help_text, field.field.id_for_label
    if help_text:
        hidden = " hidden" if _is_hidden(field) else ""
        shown_id = f' id="{_e(field_id)}_helptext"' if field_id else ""
        out.append(
            f'\n                        <div class="help{hidden}"{shown_id}>\n'
            f"                            <div>{mark_safe(str(help_text))}</div>\n"
            f"                        </div>\n                    "
        )
    out.append("\n                </div>\n            ")
    return "".join(out)


def render_fieldset(fieldset, index, heading_level=2, prefix="fieldset", id_prefix=0):
    """`{% include "admin/includes/fieldset.html" %}` for `fieldset`, the `index`th of its form."""
    heading_id = f"{_e(prefix)}-{_e(id_prefix)}-{_e(index)}-heading"
    name = fieldset.name
    out = [f'<fieldset class="module aligned {_e(fieldset.classes)}"']
    if name:
        out.append(f' aria-labelledby="{heading_id}"')
    out.append(">\n    ")
    collapsible = bool(name) and fieldset.is_collapsible
    if name:
        level = _e(heading_level or 2)
        out.append(
            f"\n        {'<details><summary>' if collapsible else ''}\n"
            f'        <h{level} id="{heading_id}" class="fieldset-heading">{_e(name)}</h{level}>\n'
            f"        {'</summary>' if collapsible else ''}\n    "
        )
    out.append("\n    ")
    if fieldset.description:
        out.append(f'\n        <div class="description">{mark_safe(str(fieldset.description))}</div>\n    ')
    out.append("\n    ")
    for line in fieldset:
        fields = list(line)
        single = len(line.fields) == 1
        out.append(f'\n        <div class="{_class_names(line, fields, single)}">\n            ')
        out.append(line.errors() if single else '<div class="flex-container form-multiline">')
        out.append("\n            ")
        for field in fields:
            out.append(_field(field, single))
        out.append("\n            ")
        if not single:
            out.append("</div>")
        out.append("\n        </div>\n    ")
    out.append("\n    ")
    if collapsible:
        out.append("</details>")
    out.append("\n</fieldset>\n")
    return "".join(out)


def render_fieldsets(adminform):
    """Django's change form's `field_sets` block for `adminform`."""
    out = ["\n"]
    for index, fieldset in enumerate(adminform):
        out.append(f"\n  {render_fieldset(fieldset, index)}\n")
    out.append("\n")
    return mark_safe("".join(out))
