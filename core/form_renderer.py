"""The form renderer (settings.FORM_RENDERER): Django's, except that a <select>, an <input> and a
<textarea> are written in Python.

Django renders every <option> of a select through two template includes (the option and its
attributes); an admin form with a few pickers of a hundred choices each, or the user form's 300
permissions, spent more than half its time there (docs/performance.md, "Page budgets"); every input
costs two includes too. `render` writes exactly the markup of `django/forms/widgets/select.html` and
`select_option.html`, `input.html` (and the widgets that only include it) and `textarea.html` (the same
escaping, spacing and newlines; tests/core/test_form_renderer.py compares them in three languages) and hands
anything it does not recognise (another template, an option with another template, an attribute or label
that is not plain text or a number) to Django's templates unchanged."""

from django.forms.renderers import DjangoTemplates
from django.utils.functional import Promise
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"
TEXTAREA_TEMPLATE = "django/forms/widgets/textarea.html"
# The widgets whose template is only `{% include "django/forms/widgets/input.html" %}`.
INPUT_TEMPLATES = {
    f"django/forms/widgets/{name}.html"
    for name in (
        "input",
        "text",
        "hidden",
        "checkbox",
        "date",
        "datetime",
        "time",
        "email",
        "number",
        "password",
        "url",
        "search",
        "tel",
        "color",
    )
}

_PLAIN = (str, int, Promise)


class _NotPlain(Exception):
    """Something the template would render differently from str(): leave it to the template."""


def _text(value):
    """`{{ value }}` for plain text: escaped unless already safe."""
    if isinstance(value, bool) or not isinstance(value, (str, Promise)):
        raise _NotPlain
    return conditional_escape(value)


def _formatted(value):
    """`{{ value|stringformat:'s' }}`: "%s" % value, escaped unless the value was safe."""
    if isinstance(value, (tuple, dict)):
        raise _NotPlain  # "%s" % a tuple formats its items; the filter would give "" on a mismatch
    text = str(value)  # "%s" % value, for anything but a tuple or a dict
    return text if isinstance(value, SafeString) else conditional_escape(text)


def _attrs(attrs):
    """`{% include "django/forms/widgets/attrs.html" %}`."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        if not isinstance(name, str):
            raise _NotPlain
        if value is True:
            out.append(f" {conditional_escape(name)}")
        elif isinstance(value, _PLAIN) and not isinstance(value, bool):
            out.append(f' {conditional_escape(name)}="{_formatted(value)}"')
        else:
            raise _NotPlain
    return "".join(out)


def render_select(widget):
    """The select's markup from its context's `widget`, as Django's two templates write it."""
    parts = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in group_choices:
            if option.get("template_name") != OPTION_TEMPLATE:
                raise _NotPlain
            parts.append(
                f'\n  <option value="{_formatted(option["value"])}"{_attrs(option["attrs"])}>'
                f"{_text(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def render_input(widget):
    """`django/forms/widgets/input.html`."""
    value = widget["value"]
    shown = "" if value is None else f' value="{_formatted(value)}"'
    kind, name = _text(widget["type"]), _text(widget["name"])
    return f'<input type="{kind}" name="{name}"{shown}{_attrs(widget["attrs"])}>'


def render_textarea(widget):
    """`django/forms/widgets/textarea.html`."""
    value = widget["value"]
    text = _text(value) if value else ""
    return f'<textarea name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>\n{text}</textarea>'


WRITERS = {SELECT_TEMPLATE: render_select, TEXTAREA_TEMPLATE: render_textarea}
WRITERS.update(dict.fromkeys(INPUT_TEMPLATES, render_input))


class PortalFormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        writer = WRITERS.get(template_name)
        if writer is not None and "widget" in context:
            try:
                # Django's renderer strips what its templates write.
                return mark_safe(writer(context["widget"]).strip())
            except _NotPlain:
                pass
        return super().render(template_name, context, request=request)
