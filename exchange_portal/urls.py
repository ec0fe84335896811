from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from placements.dashboard import views as dashboard_views

from . import views

admin.site.site_header = _("Exchange Portal · Civil Service Bureau")
admin.site.site_title = _("Exchange Portal admin")
admin.site.index_title = _("Staff exchange programmes with the Mainland")

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("participants.urls")),
    path("", include("placements.urls")),
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
    path("calendar/", include("placements.ical.urls")),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
]

# 400, 403 and 404 use Django's own handlers with the templates 400.html, 403.html and 404.html.
handler500 = "exchange_portal.views.server_error"
