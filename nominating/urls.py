from django.urls import path

from . import views

app_name = "nominating"

urlpatterns = [
    path("", views.call_list_view, name="call_list"),
    path("calls/<int:pk>/", views.call_detail_view, name="call_detail"),
    path("calls/<int:pk>/nominate/", views.nomination_create_view, name="nomination_create"),
    path("<int:pk>/", views.nomination_detail_view, name="nomination_detail"),
    path("<int:pk>/edit/", views.nomination_update_view, name="nomination_update"),
    path("<int:pk>/withdraw/", views.nomination_withdraw_view, name="nomination_withdraw"),
]
