"""Writes to a user's calendar feed: create or replace its secret address, or revoke it."""

import secrets

from django.db import transaction

from placements.models import CalendarFeed


@transaction.atomic
def calendar_feed_renew(*, user, language="en") -> CalendarFeed:
    """Give `user` a new secret feed address (the old one, if any, stops working at once)."""
    feed = CalendarFeed.objects.select_for_update().filter(user=user).first() or CalendarFeed(user=user)
    feed.token = secrets.token_urlsafe(32)
    feed.language = language
    feed.full_clean()
    feed.save()
    return feed


@transaction.atomic
def calendar_feed_revoke(*, user) -> bool:
    """Remove `user`'s feed address; True if there was one."""
    deleted, _ = CalendarFeed.objects.filter(user=user).delete()
    return bool(deleted)
