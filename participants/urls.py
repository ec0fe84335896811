from django.urls import path

from . import views

app_name = "participants"

urlpatterns = [
    path("my/details/", views.my_details, name="my_details"),
]
