from django.urls import path

from . import views

app_name = "calendar"

urlpatterns = [
    path("", views.calendar_settings, name="settings"),
    path("<str:token>.ics", views.calendar_feed, name="feed"),
]
