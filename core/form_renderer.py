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

from html import escape as html_escape

from django import forms
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.templatetags.static import static
from django.utils.choices import BaseChoiceIterator
from django.utils.functional import Promise
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

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

# Written from the whole context rather than its `widget`.
WRAPPER_TEMPLATE = "admin/widgets/related_widget_wrapper.html"
ADMIN_DATE_TEMPLATES = {
    "admin/widgets/date.html": "date",
    "admin/widgets/time.html": "time",
}
ERRORS_TEMPLATES = {"django/forms/errors/list/default.html", "django/forms/errors/list/ul.html"}
LABEL_TEMPLATE = "django/forms/label.html"

_PLAIN = (str, int, Promise)


def quick_escape(value):
    """conditional_escape(value), the same text: a plain str goes straight to html.escape(), which Django's
    escape() calls behind a check for lazy arguments that costs more than the escaping (an admin form with
    inline rows escaped some 2,000 values a request)."""
    if type(value) is str:
        return html_escape(value)
    return conditional_escape(value)


class _NotPlain(Exception):
    """Something the template would render differently from str(): leave it to the template."""


def _text(value):
    """`{{ value }}` for plain text: escaped unless already safe."""
    if isinstance(value, bool) or not isinstance(value, (str, Promise)):
        raise _NotPlain
    return quick_escape(value)


def _formatted(value):
    """`{{ value|stringformat:'s' }}`: "%s" % value, escaped unless the value was safe."""
    if isinstance(value, (tuple, dict)):
        raise _NotPlain  # "%s" % a tuple formats its items; the filter would give "" on a mismatch
    text = str(value)  # "%s" % value, for anything but a tuple or a dict
    return text if isinstance(value, SafeString) else quick_escape(text)


def _attrs(attrs):
    """`{% include "django/forms/widgets/attrs.html" %}`."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        if not isinstance(name, str):
            raise _NotPlain
        if value is True:
            out.append(f" {quick_escape(name)}")
        elif isinstance(value, _PLAIN) and not isinstance(value, bool):
            out.append(f' {quick_escape(name)}="{_formatted(value)}"')
        else:
            raise _NotPlain
    return "".join(out)


def _select_head(widget):
    return f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>'


def render_select(widget):
    """The select's markup from its context's `widget`, as Django's two templates write it."""
    parts = [_select_head(widget)]
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


def render_admin_date(widget, kind):
    """`admin/widgets/date.html` and `time.html`: the input in a paragraph."""
    return f'<p class="{kind}">\n  {render_input(widget)}\n\n\n</p>'


# The static files' addresses (hashed names from the manifest), found once: the wrappers ask for the same
# four icons on every picker. Forgotten when a test changes the settings.
_STATIC = {}


@receiver(setting_changed)
def _forget_static(**kwargs):
    _STATIC.clear()


def _static(path):
    url = _STATIC.get(path)
    if url is None:
        url = _STATIC[path] = static(path)
    return url


def render_related_wrapper(context):
    """`admin/widgets/related_widget_wrapper.html`: the picker and its change, add, delete and view links
    (the links between `{% spaceless %}`)."""
    if not isinstance(context.get("rendered_widget"), SafeString):
        raise _NotPlain
    name, params = _text(context["name"]), _text(context["url_params"])
    model = quick_escape(context["model"])
    ref = "" if context["model_has_limit_choices_to"] else f'data-model-ref="{_text(context["model_name"])}"'
    links = []
    if not context["is_hidden"]:
        if context["can_change_related"]:
            links.append(
                f'<a class="related-widget-wrapper-link change-related" id="change_id_{name}"\n'
                f'            data-href-template="{_text(context["change_related_template_url"])}?{params}"\n'
                f'            data-popup="yes"\n'
                f'            title="{gettext("Change selected %(model)s") % {"model": model}}">'
                f'<img src="{_static("admin/img/icon-changelink.svg")}" alt="" width="24" height="24"></a>'
            )
        if context["can_add_related"]:
            links.append(
                f'<a class="related-widget-wrapper-link add-related" id="add_id_{name}"\n'
                f'            data-popup="yes"\n'
                f'            href="{_text(context["add_related_url"])}?{params}"\n'
                f'            title="{gettext("Add another %(model)s") % {"model": model}}">'
                f'<img src="{_static("admin/img/icon-addlink.svg")}" alt="" width="24" height="24"></a>'
            )
        if context["can_delete_related"]:
            links.append(
                f'<a class="related-widget-wrapper-link delete-related" id="delete_id_{name}"\n'
                f'            data-href-template="{_text(context["delete_related_template_url"])}?{params}"\n'
                f'            data-popup="yes"\n'
                f'            title="{gettext("Delete selected %(model)s") % {"model": model}}">'
                f'<img src="{_static("admin/img/icon-deletelink.svg")}" alt="" width="24" height="24"></a>'
            )
        if context["can_view_related"]:
            template_url = _text(context["change_related_template_url"])
            view_params = _text(context["view_related_url_params"])
            links.append(
                f'<a class="related-widget-wrapper-link view-related" id="view_id_{name}"\n'
                f'             data-href-template="{template_url}?{view_params}"\n'
                f'             title="{gettext("View selected %(model)s") % {"model": model}}">'
                f'<img src="{_static("admin/img/icon-viewlink.svg")}" alt="" width="24" height="24"></a>'
            )
    return (
        f'<div class="related-widget-wrapper" {ref}>\n    {context["rendered_widget"]}\n    \n        '
        + "".join(links)
        + "\n    \n</div>"
    )


def render_errors(context):
    """`django/forms/errors/list/default.html` (`ul.html`): nothing when there is no error."""
    errors = context["errors"]
    if not errors:
        return ""
    field_id = getattr(errors, "field_id", None)
    shown_id = f' id="{quick_escape(field_id)}_error"' if field_id else ""
    items = "".join(f"<li>{quick_escape(error)}</li>" for error in errors)
    return f'<ul class="{quick_escape(context["error_class"])}"{shown_id}>{items}</ul>'


def render_label(context):
    """`django/forms/label.html`."""
    label = _text(context["label"])
    if not context["use_tag"]:
        return label
    tag, attrs = _text(context["tag"]), context["attrs"]
    if attrs is not None and not isinstance(attrs, dict):
        raise _NotPlain
    return f"<{tag}{_attrs(attrs or {})}>{label}</{tag}>"


WRITERS = {SELECT_TEMPLATE: render_select, TEXTAREA_TEMPLATE: render_textarea}
WRITERS.update(dict.fromkeys(INPUT_TEMPLATES, render_input))
for _template, _kind in ADMIN_DATE_TEMPLATES.items():
    WRITERS[_template] = lambda widget, kind=_kind: render_admin_date(widget, kind)
CONTEXT_WRITERS = {WRAPPER_TEMPLATE: render_related_wrapper, LABEL_TEMPLATE: render_label}
CONTEXT_WRITERS.update(dict.fromkeys(ERRORS_TEMPLATES, render_errors))


class PortalFormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        writer = WRITERS.get(template_name)
        try:
            # Django's renderer strips what its templates write.
            if writer is not None and "widget" in context:
                return mark_safe(writer(context["widget"]).strip())
            writer = CONTEXT_WRITERS.get(template_name)
            if writer is not None:
                return mark_safe(writer(context).strip())
        except _NotPlain:
            pass
        return super().render(template_name, context, request=request)


class WrittenChoices(BaseChoiceIterator):
    """A select's choices that many selects share (the same picker on every inline row, its choices read once
    for all of them): each <option> is written once per language for them all, and each row only marks its
    chosen one (QuickSelect). Anything else iterates them as the (value, label) pairs they hold."""

    def __init__(self, choices):
        self.choices = list(choices)
        # Shared by the copies Django makes of a widget's choices for each form (copy.copy).
        self._written = {}

    def __iter__(self):
        return iter(self.choices)

    def __len__(self):
        return len(self.choices)

    def options(self, values):
        """The <option>s as select.html writes them, the first whose value is in `values` chosen (as
        ChoiceWidget.optgroups chooses); None when a choice cannot be written here (a group of choices, a
        label that is not text)."""
        language = get_language()
        written = self._written.get(language)
        if written is None:
            written = self._written[language] = self._write()
        if not written and self.choices:
            return None
        out, chosen = [], False
        for key, start, end in written:
            if not chosen and key in values:
                chosen = True
                out.append(f"{start} selected{end}")
            else:
                out.append(f"{start}{end}")
        return "".join(out)

    def _write(self):
        written = []
        try:
            for value, label in self.choices:
                if isinstance(label, (list, tuple)):
                    return []
                value = "" if value is None else value
                written.append(
                    (str(value), f'\n  <option value="{_formatted(value)}"', f">{_text(label)}</option>\n")
                )
        except _NotPlain:
            return []
        return written


class QuickSelect(forms.Select):
    """Django's Select, whose WrittenChoices are written once for all the rows sharing them when the portal's
    renderer writes it (the same markup as render_select); otherwise, or with other choices, Django's."""

    def render(self, name, value, attrs=None, renderer=None):
        choices = self.choices
        if (
            type(self) is QuickSelect
            and isinstance(choices, WrittenChoices)
            and isinstance(renderer or get_default_renderer(), PortalFormRenderer)
        ):
            # Select.get_context without its optgroups: the options come written.
            widget = forms.Widget.get_context(self, name, value, attrs)["widget"]
            options = choices.options(widget["value"])
            if options is not None:
                try:
                    return mark_safe(f"{_select_head(widget)}{options}\n</select>".strip())
                except _NotPlain:
                    pass
        return super().render(name, value, attrs, renderer)
