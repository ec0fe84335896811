"""The admin saves through the services, and a service's refusal comes back on the form.

A ModelAdmin that mixes in `ServiceAdminMixin` calls its services inside `refused_on(...)`. Django runs the
whole add or change (the object, its many-to-many fields, its inlines, the log entry) in one transaction;
a refusal raised while saving leaves that transaction, so nothing is half-saved, and the page is then built
again from the same POST with the refusal shown on the form, or on the inline row it concerns, with
everything typed kept. The forms check the same rules before saving (they call the services' validation),
so this second pass only catches what changed in between, such as a clash written by someone else."""

from contextlib import contextmanager

from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError


class Refused(Exception):
    """A service's ValidationError while the admin saved, with the inline row it concerns (if any)."""

    def __init__(self, error, *, prefix=None, index=None):
        super().__init__(error)
        self.error, self.prefix, self.index = error, prefix, index


@contextmanager
def refused_on(*, prefix=None, index=None):
    """Turn a service's ValidationError into a Refused for the form (or the inline row `prefix`-`index`)."""
    try:
        yield
    except ValidationError as error:
        raise Refused(error, prefix=prefix, index=index) from error


def add_refusal(form, error):
    """Show a ValidationError on `form`: each message on its field, or above the form (named after the
    field) when the form does not show that field."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        if field == NON_FIELD_ERRORS or field in form.fields:
            form.add_error(None if field == NON_FIELD_ERRORS else field, errors)
            continue
        try:
            label = str(form._meta.model._meta.get_field(field).verbose_name)
        except (AttributeError, FieldDoesNotExist):
            label = field
        form.add_error(None, [f"{label}: {message}" for e in errors for message in e.messages])


class ServiceAdminMixin:
    """See the module's docstring. Use `refused_on()` around every service call of save_model,
    save_related and save_formset."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except Refused as refused:
            # Django's transaction around the view has rolled back every write of this attempt.
            request.service_refusal = refused
        return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        refused = getattr(request, "service_refusal", None)
        if refused is None or refused.prefix is not None:
            return form

        def clean(self):
            cleaned_data = form.clean(self)
            add_refusal(self, refused.error)
            return cleaned_data

        return type(form.__name__, (form,), {"clean": clean})

    def get_formsets_with_inlines(self, request, obj=None):
        refused = getattr(request, "service_refusal", None)
        for formset, inline in super().get_formsets_with_inlines(request, obj):
            if refused is not None and refused.prefix == formset.get_default_prefix():
                formset = _formset_with_refusal(formset, refused)
            yield formset, inline


def _formset_with_refusal(formset, refused):
    def clean(self):
        formset.clean(self)
        if refused.index is not None and refused.index < len(self.forms):
            add_refusal(self.forms[refused.index], refused.error)
        else:
            raise refused.error

    return type(formset.__name__, (formset,), {"clean": clean})
