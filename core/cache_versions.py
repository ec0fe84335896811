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


def bump_many(names):
    """A new version of each of `names`, in one round trip to the cache."""
    version = time.time_ns()
    cache.set_many({_key(name): version for name in names}, None)


def cached(names, key, compute, *, timeout=ENTRY_SECONDS):
    """`compute()`, or its value cached under `key` at the current version of `names` (one name, or
    several: the entry is stale as soon as any of them is bumped). The versions and the entry are read in
    one round trip."""
    value, versions = lookup(names, key)
    if value is MISSING:
        value = compute()
        store(names, key, versions, value, timeout=timeout)
    return value


MISSING = object()


def lookup(names, key):
    """(the value cached under `key` at the current versions of `names`, or MISSING; those versions), in
    one round trip. Compute a missing value after this, and `store` it with these versions: a write that
    bumps one of them meanwhile then leaves the stored value stale, as it should."""
    names = _names(names)
    version_keys = [_key(name) for name in names]
    entry_key = _entry_key(names, key)
    found = cache.get_many([*version_keys, entry_key])
    versions = tuple(
        found[version_key] if found.get(version_key) is not None else bump(name)
        for name, version_key in zip(names, version_keys, strict=True)
    )
    entry = found.get(entry_key)
    if entry is not None and entry[0] == versions:
        return entry[1], versions
    return MISSING, versions


def store(names, key, versions, value, *, timeout=ENTRY_SECONDS):
    """Keep `value` under `key` at `versions` (as `lookup` gave them)."""
    cache.set(_entry_key(_names(names), key), (versions, value), timeout)


def _names(names):
    return (names,) if isinstance(names, str) else tuple(names)


def _entry_key(names, key):
    return f"{names[0]}:{key}"
