"""The "figures" versions: the dashboard's aggregates, a batch page's totals, the placement block and other
blocks are cached under them (core.cache_versions), and every write that can change them bumps them.

Three kinds of version, so that a write to one batch leaves the other batches' pages cached (on launch
day a nominations import every few seconds would otherwise empty every participant's cached page):
- `FIGURES`, everything: shared rows (departments, grades, hosts, focus areas, officers, users named on
  pages...) and any write whose scope is not known;
- one per batch (`batch_version(pk)`): the rows of one batch (the batch, its placements, checklist items,
  ticks and reports, its coordinators, host areas and focus areas);
- `BATCHES`, what reads across batches (the dashboard, the batch list's filters, the nominate form): it
  is bumped with every batch's version, and by writes that change no batch's own pages.

A block of one batch (`figures_cached(..., batch_id=pk)`) is stale once `FIGURES` or its batch's version
moves; a block across batches, once `FIGURES` or `BATCHES` does.

Saves and deletes of the models the figures count, and changes of their many-to-many fields, bump them
through signals (placements.apps): the admin, the services and Django's own forms all write through
them. The writes that bypass signals (bulk inserts and updates) call `figures_changed()` themselves:
the nominations import's apply, the checklist's automatic ticks and the demo loader."""

from core import cache_versions

FIGURES = "figures"
BATCHES = "figures:batches"


def batch_version(batch_id):
    """The name of one batch's version."""
    return f"figures:batch:{batch_id}"


def figures_changed(*, batch_ids=None):
    """Cached figures are stale from now: all of them, or with `batch_ids` (any iterable, may be empty)
    those of these batches and those across batches. (A page computed by another request between this
    write and its transaction's commit reads the rows as they were and is kept under the new version until
    it expires: at most ENTRY_SECONDS, a minute. Bumping again on commit would close that window, at the
    cost of a commit callback per write.)"""
    if batch_ids is None:
        cache_versions.bump(FIGURES)
    else:
        cache_versions.bump_many([BATCHES, *(batch_version(pk) for pk in set(batch_ids))])


def figures_cached(key, compute, *, batch_id=None):
    """`compute()`, or its value cached under `key` at the current versions: those of the batch
    `batch_id` when the value shows that batch's rows alone, else those across batches."""
    return cache_versions.cached(_names(batch_id), key, compute)


def figures_lookup(key, *, batch_id=None):
    """For a value computed bit by bit (a streamed export): (the value cached under `key`, or
    cache_versions.MISSING; the versions to store a new one with, by `figures_store`)."""
    return cache_versions.lookup(_names(batch_id), key)


def figures_store(key, versions, value, *, batch_id=None):
    cache_versions.store(_names(batch_id), key, versions, value)


def _names(batch_id):
    return (FIGURES, BATCHES if batch_id is None else batch_version(batch_id))
