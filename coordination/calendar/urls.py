from django.urls import path

from . import views

app_name = "calendar"

urlpatterns = [
    path("", views.calendar_settings_view, name="settings"),
    path("<str:token>.ics", views.calendar_feed_view, name="feed"),
]
