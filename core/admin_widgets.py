"""Autocomplete pickers that survive any input. Django's AutocompleteSelect looks the posted values up
when it shows the form again, so a value that is not a key ("2027-02-30" posted for an officer) makes the
refusal itself a 500. These pickers show such a value as not chosen; the field's own error says why."""

from django import forms
from django.contrib.admin.widgets import (
    AutocompleteSelect,
    AutocompleteSelectMultiple,
    RelatedFieldWidgetWrapper,
)
from django.core.exceptions import ValidationError
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

from .form_renderer import WrittenChoices

# Addresses reversed once (cached_reverse), forgotten when a test changes the settings.
_URLS = {}


@receiver(setting_changed)
def _forget_urls(**kwargs):
    _URLS.clear()


def cached_reverse(viewname, args=(), current_app=None):
    """reverse(viewname, args=args, current_app=current_app), kept per script prefix, URL configuration
    and language: a picker's addresses are the same on every inline row (four reverse() a picker)."""
    key = (viewname, tuple(args), current_app, get_script_prefix(), get_urlconf(), get_language())
    url = _URLS.get(key)
    if url is None:
        url = _URLS[key] = reverse(viewname, args=args, current_app=current_app)
    return url


class QuickRelatedFieldWidgetWrapper(RelatedFieldWidgetWrapper):
    """Django's wrapper (the picker's add, change, delete and view links), its addresses reversed once."""

    def get_related_url(self, info, action, *args):
        return cached_reverse("admin:%s_%s_%s" % (info + (action,)), args, self.admin_site.name)


class QuickRelatedLinksMixin:
    """For a ModelAdmin or an inline: its pickers' links are QuickRelatedFieldWidgetWrapper's."""

    related_wrapper = QuickRelatedFieldWidgetWrapper

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        wrapper = getattr(formfield, "widget", None)
        if self.related_wrapper is not None and type(wrapper) is RelatedFieldWidgetWrapper:
            # The same arguments Django gave it (its flags as it computed them).
            formfield.widget = self.related_wrapper(
                wrapper.widget,
                wrapper.rel,
                wrapper.admin_site,
                can_add_related=wrapper.can_add_related,
                can_change_related=wrapper.can_change_related,
                can_delete_related=wrapper.can_delete_related,
                can_view_related=wrapper.can_view_related,
            )
        return formfield


class _ValidKeysOnly:
    # The objects the page has already read, by key (an inline row's officer, read with its rows): shown
    # as they are, where Django's widget would read each row's chosen object again (a query per row).
    known = None

    def get_url(self):
        return cached_reverse(self.url_name % self.admin_site.name)

    def optgroups(self, name, value, attr=None):
        model = self.field.remote_field.model
        key_name = getattr(self.field.remote_field, "field_name", None)
        key = model._meta.get_field(key_name) if key_name else model._meta.pk
        value = [v for v in value if _is_key(key, v)]
        chosen = {str(v) for v in value if str(v) not in self.choices.field.empty_values}
        # Nothing chosen (an empty row): Django's query for the chosen objects would find none, and building
        # it costs as much as a small page's query.
        if not chosen or (self.known and chosen <= set(self.known)):
            return self._known_optgroups(name, chosen, key)
        return super().optgroups(name, value, attr)

    def _known_optgroups(self, name, chosen, key):
        """What AutocompleteSelect.optgroups gives, from the known objects (those `chosen`, by key) instead of
        a query."""
        options = []
        if not self.is_required and not self.allow_multiple_selected:
            options.append(self.create_option(name, "", "", False, 0))
        for value in sorted(chosen):
            obj = self.known[value]
            label = self.choices.field.label_from_instance(obj)
            options.append(self.create_option(name, getattr(obj, key.attname), label, chosen, len(options)))
        return [(None, options, 0)]


def _is_key(field, value):
    try:
        # The field's validators bound an integer key to the database's range (a longer one overflows).
        python_value = field.to_python(value)
        field.run_validators(python_value)
        field.get_prep_value(python_value)
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


def know_chosen(form, names):
    """Let `form`'s autocomplete pickers for these foreign keys show the objects already read with the
    form's instance (select_related), without a query each (the pickers of an inline's rows)."""
    instance = form.instance
    for name in names:
        field = form.fields.get(name)
        picker = getattr(getattr(field, "widget", None), "widget", getattr(field, "widget", None))
        if not isinstance(picker, _ValidKeysOnly):
            continue
        model_field = instance._meta.get_field(name)
        key = getattr(instance, model_field.attname)
        if key is not None and model_field.is_cached(instance):
            picker.known = {str(key): getattr(instance, name)}


class KnownChosenForm(forms.ModelForm):
    """An inline row whose autocomplete pickers (`known_fields`) show its related objects as read."""

    known_fields = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        know_chosen(self, self.known_fields)


class SharedChoicesFormSet(forms.BaseInlineFormSet):
    """Inline rows whose pickers (`shared_choices`) offer the same choices: read once for all the rows
    (and the empty row) instead of a query and a label for each option on every row."""

    shared_choices = ()

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        self._share_choices(form)
        return form

    @property
    def empty_form(self):
        form = super().empty_form
        self._share_choices(form)
        return form

    def _share_choices(self, form):
        shown = self.__dict__.setdefault("_shown_choices", {})
        for name in self.shared_choices:
            field = form.fields.get(name)
            if field is None:
                continue
            if name not in shown:
                # A comprehension, not list(): list() would ask the iterator's length, a COUNT query.
                # Written once for every row by a QuickSelect picker.
                shown[name] = WrittenChoices([choice for choice in field.widget.choices])  # noqa: C416
            field.widget.choices = shown[name]


class ObjectSelectRelatedMixin:
    """For a ModelAdmin: its change form's object read with `object_select_related` (the objects its
    pickers and title show) and `object_annotations`, rather than a query each."""

    object_select_related = ()
    # Values the change form shows, counted with its object rather than by queries of their own.
    object_annotations = {}

    def get_object(self, request, object_id, from_field=None):
        queryset = self.get_queryset(request).select_related(*self.object_select_related)
        if self.object_annotations:
            queryset = queryset.annotate(**self.object_annotations)
        model = queryset.model
        field = model._meta.pk if from_field is None else model._meta.get_field(from_field)
        try:
            object_id = field.to_python(object_id)
            return queryset.get(**{field.name: object_id})
        except (model.DoesNotExist, ValidationError, ValueError):
            return None
