"""Form fields written as crispy-forms' Bootstrap 5 pack writes them (`{% crispy %}` or `|crispy`), for
the pages whose budget its nested templates would break (docs/performance.md, "Third pass"): one small
include per field (`includes/form_field.html`) and this filter for the widget's classes and ARIA
attributes. Only plain inputs, text areas, selects and checkboxes; anything else is a TypeError, so a
form that needs more stays on crispy. tests/core/test_portal_forms.py compares the markup with crispy's."""

from django import forms, template

register = template.Library()

# crispy's class for each widget: its class name in lower case, then Bootstrap's.
BOOTSTRAP_CLASSES = {
    forms.TextInput: "form-control",
    forms.EmailInput: "form-control",
    forms.NumberInput: "form-control",
    forms.DateInput: "form-control",
    forms.Textarea: "form-control",
    forms.Select: "form-select",
    forms.CheckboxInput: "form-check-input",
}


@register.filter
def is_checkbox(field):
    return isinstance(field.field.widget, forms.CheckboxInput)


@register.filter
def bootstrap_widget(field):
    """The field's widget with crispy's classes (`textinput form-control`, `select form-select`, and
    `is-invalid` with errors) and its `aria-describedby` naming the help text and the errors."""
    widget = field.field.widget
    bootstrap = BOOTSTRAP_CLASSES.get(type(widget))
    if bootstrap is None:
        raise TypeError(f"{type(widget).__name__} is not written by includes/form_field.html: use crispy")
    classes = [type(widget).__name__.lower(), widget.attrs.get("class", ""), bootstrap]
    attrs = {}
    described_by = []
    if field.help_text:
        described_by.append(f"{field.auto_id}_helptext")
    if field.errors:
        classes.append("is-invalid")
        described_by.append(f"{field.auto_id}_error")
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    attrs["class"] = " ".join(c for c in classes if c)
    return field.as_widget(attrs=attrs)
