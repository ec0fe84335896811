"""Sign-in lockouts (django-axes) with two limits: AXES_FAILURE_LIMIT failures for one username from one
address lock that username at that address only, so a stranger who knows a username cannot lock its
owner out; AXES_IP_FAILURE_LIMIT failures from one address, whatever the usernames, lock the address
(someone trying many accounts). docs/deployment.md explains the trade-off."""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from django.conf import settings
from django.db.models import Sum


def _failures(attempts):
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class LockoutHandler(AxesDatabaseHandler):
    """Axes compares one count with one limit; here the count is the username-and-address failures,
    raised to that limit once the address alone reaches its own, higher limit."""

    def get_failures(self, request, credentials=None) -> int:
        # settings.AXES_LOCKOUT_PARAMETERS, in order: the username with the address, the address alone.
        by_user_and_address, by_address = self.get_user_attempts(request, credentials)
        failures = _failures(by_user_and_address)
        if _failures(by_address) >= settings.AXES_IP_FAILURE_LIMIT:
            return max(failures, get_failure_limit(request, credentials))
        return failures
