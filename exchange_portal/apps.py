from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in


class ExchangePortalConfig(AppConfig):
    name = "exchange_portal"
    verbose_name = "Exchange Portal"

    def ready(self):
        from .middleware import start_idle_timer

        # Signing in saves the session anyway: start the inactivity clock then, not one request later.
        user_logged_in.connect(start_idle_timer, dispatch_uid="exchange_portal.start_idle_timer")
