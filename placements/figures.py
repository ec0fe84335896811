"""The "figures" version: the dashboard's aggregates and a batch page's totals are cached under it
(core.cache_versions), and every write that can change them bumps it.

Saves and deletes of the models the figures count, and changes of their many-to-many fields, bump it
through signals (placements.apps): the admin, the services and Django's own forms all write through
them. The writes that bypass signals (bulk inserts and updates) call `figures_changed()` themselves:
the nominations import's apply, the checklist's automatic ticks and the demo loader."""

from django.db import transaction

from core import cache_versions

FIGURES = "figures"


def figures_changed():
    """Every cached figure is stale from now, and again when the transaction commits: a page computed
    between the two from the rows as they were before the commit is not kept."""
    cache_versions.bump(FIGURES)
    transaction.on_commit(lambda: cache_versions.bump(FIGURES))


def figures_cached(key, compute):
    """`compute()`, or its value cached under `key` at the current figures version."""
    return cache_versions.cached(FIGURES, key, compute)
