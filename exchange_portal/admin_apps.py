"""App configurations that rename or re-site third-party apps (kept out of apps.py, where Django would
take any of them for the project's own configuration)."""

from axes.apps import AppConfig as AxesConfig
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _


class ExchangePortalAdminConfig(AdminConfig):
    """Django's admin with the portal's own site (exchange_portal.admin_site)."""

    default_site = "exchange_portal.admin_site.ExchangePortalAdminSite"


class SignInLogsConfig(AxesConfig):
    """django-axes under the name CSB staff know it by; its admin pages are in exchange_portal/admin.py."""

    verbose_name = _("Sign-in logs")
