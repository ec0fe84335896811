"""What the admin's pickers of reference rows offer (host areas and organisations, focus areas, grades and
ranks), as (key, label) pairs kept in the cache under the figures version (placements.figures), which
every save and delete of those rows bumps (placements.apps).

A picker reads its whole table and labels every row on each page: the batch page's host area and focus
area pickers and its rows' host pickers, the call page's grade and rank pickers, a query each. Only what the
picker shows comes from the cache: the field keeps its queryset, so what is posted is still checked against
the database (a choice deleted since is refused as Django refuses it)."""

from django.utils.translation import get_language

from core import cache_versions

from .figures import FIGURES


def reference_choices(field, key):
    """The choices of `field` (a ModelChoiceField or ModelMultipleChoiceField over reference rows, its empty
    choice first if it has one) as (key, label) pairs; `key` names the field (one key, one queryset and one
    empty choice: "batch.host_areas"). Read once per language until a reference row changes."""

    def read():
        # Iterated, not list(): list() would ask the choices' length first, a COUNT query.
        return [(getattr(value, "value", value), label) for value, label in field.choices]

    return cache_versions.cached(FIGURES, f"choices:{key}:{get_language()}", read)


def show_reference_choices(form, keys):
    """Let `form`'s pickers (`keys`: each field's key, by name) show their choices from the cache
    (reference_choices)."""
    for name, key in keys.items():
        field = form.fields.get(name)
        if field is not None:
            field.widget.choices = reference_choices(field, key)
