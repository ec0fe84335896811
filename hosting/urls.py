from django.urls import path

from . import views

app_name = "hosting"

urlpatterns = [
    path("", views.placement_list_view, name="placement_list"),
    path("placements/<int:pk>/", views.placement_detail_view, name="placement_detail"),
]
