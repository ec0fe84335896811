from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home_view, name="home"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("portal.urls")),
    path("", include("coordination.urls")),
    path("calendar/", include("coordination.calendar.urls")),
    path("host/", include("hosting.urls")),
    path("statuses/", views.statuses_view, name="statuses"),
    path("nominations/", include("nominating.urls")),
    path("healthz", views.healthz_view, name="healthz"),
    path("robots.txt", views.robots_txt_view, name="robots_txt"),
]

# 400, 403 and 404 use Django's own handlers with the templates 400.html, 403.html and 404.html.
handler500 = "exchange_portal.views.server_error_view"
