"""The sign-in logs (django-axes) as CSB staff read them: in their language, under names they know
(sign-ins, failed sign-ins, lockouts), with the browser column cut short. Deleting a lockout unlocks the
account. axes' own admin pages are switched off (AXES_ENABLE_ADMIN)."""

from axes.conf import settings as axes_settings
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, ngettext

from core.admin import BoundedDateHierarchyMixin, QuickModelAdmin

# axes names its models and fields in its own words, and its catalogue has no Chinese: breadcrumbs, counts
# and the detail pages use these names, so the portal's catalogues translate them.
AXES_NAMES = (
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("User Agent"),
    gettext_noop("IP Address"),
    gettext_noop("Username"),
    gettext_noop("Path"),
    gettext_noop("Attempt Time"),
    gettext_noop("Logout Time"),
    gettext_noop("HTTP Accept"),
    gettext_noop("Failed Logins"),
    gettext_noop("Access lock out"),
)

# The user agent is a long string nobody reads whole: the list shows its start, the full text on hover.
USER_AGENT_SHOWN = 40


class SignInLogAdmin(BoundedDateHierarchyMixin, QuickModelAdmin):
    """Read-only; named in the index and titles by `index_name` (the models' own names are axes'). The
    date hierarchy is bounded (core.admin): ?attempt_time__year=99999999999 answered 500."""

    index_name = None
    date_hierarchy = "attempt_time"
    search_fields = ["username", "ip_address", "user_agent"]
    ordering = ["-attempt_time"]
    list_per_page = 50

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {"title": self.index_name, **(extra_context or {})})

    @admin.display(description=_("time"), ordering="attempt_time")
    def time(self, log):
        return log.attempt_time

    @admin.display(description=_("user name"), ordering="username")
    def user_name(self, log):
        return log.username

    @admin.display(description=_("IP address"), ordering="ip_address")
    def ip(self, log):
        return log.ip_address

    @admin.display(description=_("browser"), ordering="user_agent")
    def browser(self, log):
        return format_html(
            '<span class="user-agent" title="{}">{}</span>',
            log.user_agent,
            Truncator(log.user_agent).chars(USER_AGENT_SHOWN),
        )


@admin.register(AccessLog)
class SignInAdmin(SignInLogAdmin):
    index_name = _("Sign-ins")
    list_display = ["time", "signed_out", "user_name", "ip", "browser"]
    fields = ["username", "attempt_time", "logout_time", "ip_address", "user_agent"]

    @admin.display(description=_("signed out"), ordering="logout_time")
    def signed_out(self, log):
        return log.logout_time


@admin.register(AccessFailureLog)
class FailedSignInAdmin(SignInLogAdmin):
    index_name = _("Failed sign-ins")
    list_display = ["time", "user_name", "ip", "browser", "locked"]
    list_filter = [("locked_out", admin.BooleanFieldListFilter)]
    fields = ["username", "attempt_time", "ip_address", "user_agent", "locked_out"]

    @admin.display(description=_("locked out"), boolean=True, ordering="locked_out")
    def locked(self, log):
        return log.locked_out


@admin.register(AccessAttempt)
class LockoutAdmin(SignInLogAdmin):
    """Failures counted per user name and address; at the limit the account is locked out. Deleting the
    row unlocks it."""

    index_name = _("Lockouts (delete one to unlock)")
    list_display = ["time", "user_name", "ip", "browser", "failures", "locked"]
    fields = ["username", "attempt_time", "ip_address", "user_agent", "failures_since_start"]

    @admin.display(description=_("failed sign-ins"), ordering="failures_since_start")
    def failures(self, attempt):
        return attempt.failures_since_start

    @admin.display(description=_("status"))
    def locked(self, attempt):
        limit = axes_settings.AXES_FAILURE_LIMIT
        if not isinstance(limit, int):
            return ""
        left = limit - attempt.failures_since_start
        if left <= 0:
            return _("Locked out")
        return ngettext(
            "%(count)s more failure before a lockout", "%(count)s more failures before a lockout", left
        ) % {"count": left}
