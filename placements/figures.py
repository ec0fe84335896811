"""The "figures" version: the dashboard's aggregates and a batch page's totals are cached under it
(core.cache_versions), and every write that can change them bumps it.

Saves and deletes of the models the figures count, and changes of their many-to-many fields, bump it
through signals (placements.apps): the admin, the services and Django's own forms all write through
them. The writes that bypass signals (bulk inserts and updates) call `figures_changed()` themselves:
the nominations import's apply, the checklist's automatic ticks and the demo loader."""

from core import cache_versions

FIGURES = "figures"


def figures_changed():
    """Every cached figure is stale from now. (A page computed by another request between this write and
    its transaction's commit reads the rows as they were and is kept under the new version until it
    expires: at most ENTRY_SECONDS, a minute. Bumping again on commit would close that window, at the
    cost of a commit callback per write.)"""
    cache_versions.bump(FIGURES)


def figures_cached(key, compute):
    """`compute()`, or its value cached under `key` at the current figures version."""
    return cache_versions.cached(FIGURES, key, compute)
