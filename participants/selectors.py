"""Reads of officers. Access scoping is a queryset filter: what a user may not see is simply not found."""

from .models import Officer


def officer_for_user(*, user):
    """The officer record linked to `user` (a queryset of at most one row; empty for anyone else)."""
    if not user.is_authenticated:
        return Officer.objects.none()
    return Officer.objects.filter(user=user)


def officer_recent_changes(*, officer, fields, limit=5):
    """The latest changes to `fields` of the officer's record, newest first, from the audit trail:
    a list of (history record, [(field verbose name, old, new), ...]). Changes to other fields (such as
    the staff notes) are left out. One query."""
    records = list(
        officer.history.select_related("history_user").order_by("-history_date", "-history_id")[:20]
    )
    labels = {name: Officer._meta.get_field(name).verbose_name for name in fields}
    changes = []
    for newer, older in zip(records, records[1:], strict=False):
        changed = [
            (labels[name], getattr(older, name), getattr(newer, name))
            for name in fields
            if getattr(older, name) != getattr(newer, name)
        ]
        if changed:
            changes.append((newer, changed))
        if len(changes) == limit:
            break
    return changes
