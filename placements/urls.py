from django.urls import path  # noqa: F401

app_name = "placements"

# Participant pages (/my/…, /placements/<id>/) and coordinator pages (/batches/…) are added here.
urlpatterns = []
