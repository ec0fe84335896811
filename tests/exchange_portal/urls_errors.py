"""The portal's URLs plus views that raise, for tests/exchange_portal/test_errors.py."""

from django.urls import path

from exchange_portal.urls import handler500
from exchange_portal.urls import urlpatterns as portal_urlpatterns
from tests.exchange_portal.test_errors import RAISING_VIEWS

urlpatterns = [
    *portal_urlpatterns,
    *[path(f"raise/{name}/", view) for name, view in RAISING_VIEWS.items()],
]

__all__ = ["handler500", "urlpatterns"]
