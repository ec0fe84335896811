"""Autocomplete pickers that survive any input. Django's AutocompleteSelect looks the posted values up
when it shows the form again, so a value that is not a key ("2027-02-30" posted for an officer) makes the
refusal itself a 500. These pickers show such a value as not chosen; the field's own error says why."""

from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError


class _ValidKeysOnly:
    def optgroups(self, name, value, attr=None):
        model = self.field.remote_field.model
        key_name = getattr(self.field.remote_field, "field_name", None)
        key = model._meta.get_field(key_name) if key_name else model._meta.pk
        return super().optgroups(name, [v for v in value if _is_key(key, v)], attr)


def _is_key(field, value):
    try:
        field.get_prep_value(field.to_python(value))
    except (ValidationError, ValueError, TypeError):
        return False
    return True


class SafeAutocompleteSelect(_ValidKeysOnly, AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(_ValidKeysOnly, AutocompleteSelectMultiple):
    pass


class SafeAutocompleteMixin:
    """For a ModelAdmin or an inline: its autocomplete_fields use the pickers above."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)
