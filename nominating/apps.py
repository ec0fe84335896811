from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NominatingConfig(AppConfig):
    name = "nominating"
    verbose_name = _("Department nominations")
