from django.urls import path  # noqa: F401

app_name = "placements"

# Participant pages (/my/…, /placements/<id>/) and coordinator pages (/batches/…) are added here.
urlpatterns = []

# --- Coordinators: batch pages and roster exports ---
from . import views  # noqa: E402

urlpatterns += [
    path("batches/", views.batch_list_view, name="batch_list"),
    path("batches/<int:pk>/", views.batch_detail_view, name="batch_detail"),
    path(
        "batches/<int:pk>/roster.csv",
        views.batch_roster_export_view,
        {"extension": "csv"},
        name="batch_roster_csv",
    ),
    path(
        "batches/<int:pk>/roster.xlsx",
        views.batch_roster_export_view,
        {"extension": "xlsx"},
        name="batch_roster_xlsx",
    ),
    path("batches/<int:pk>/roster/print/", views.batch_roster_print_view, name="batch_roster_print"),
]
