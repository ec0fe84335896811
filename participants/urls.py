from django.urls import path  # noqa: F401

app_name = "participants"

# The participant's own details (/my/details/) are added here.
urlpatterns = []
