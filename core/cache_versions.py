"""Version keys for cached reads (Django's cache: Redis when REDIS_URL is set, local memory otherwise).

A cached read stores its value beside the version it was computed at; a write that changes what it
reads bumps the version, and every entry of the old version is ignored from then on. The version is a
new number each time (not an increment), so a version key the cache evicted or lost is simply set again:
an entry can never match a version that was bumped after it was stored.

With local memory each process has its own cache, so a bump reaches only the process that wrote; that is
why entries also expire after a short time (ENTRY_SECONDS) and why several app servers or workers should
share Redis (docs/performance.md)."""

import time

from django.core.cache import cache

ENTRY_SECONDS = 60


def _key(name):
    return f"version:{name}"


def current(name):
    """The version `name` is at now (set, if the cache has none)."""
    version = cache.get(_key(name))
    if version is None:
        version = bump(name)
    return version


def bump(name):
    """A new version of `name`: everything cached under the old one is stale."""
    version = time.time_ns()
    cache.set(_key(name), version, None)
    return version


def cached(name, key, compute, *, timeout=ENTRY_SECONDS):
    """`compute()`, or its value cached under `key` at the current version of `name`."""
    entry_key = f"{name}:{key}"
    found = cache.get_many([_key(name), entry_key])
    version = found.get(_key(name))
    if version is None:
        version = bump(name)
    entry = found.get(entry_key)
    if entry is not None and entry[0] == version:
        return entry[1]
    value = compute()
    cache.set(entry_key, (version, value), timeout)
    return value
