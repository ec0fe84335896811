"""The sign-in logs' admin (django-axes registers it) with the date hierarchy bounded like ours."""

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin

from core.admin import BoundedDateHierarchyMixin

for _model, _admin_class in [
    (AccessAttempt, AccessAttemptAdmin),
    (AccessLog, AccessLogAdmin),
    (AccessFailureLog, AccessFailureLogAdmin),
]:
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
        _bounded = type(_admin_class.__name__, (BoundedDateHierarchyMixin, _admin_class), {})
        admin.site.register(_model, _bounded)
