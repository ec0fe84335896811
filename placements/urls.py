from django.urls import path  # noqa: F401

app_name = "placements"

# Participant pages (/my/…, /placements/<id>/) and coordinator pages (/batches/…) are added here.
urlpatterns = []

# The participant portal (issue 3): the officer's own pages, and the coordinators' checklist and reports.
from . import portal_views  # noqa: E402

urlpatterns += [
    path("my/", portal_views.my_placement, name="my_placement"),
    path("my/data.json", portal_views.my_data, name="my_data"),
    path("my/notices/<int:pk>/read/", portal_views.notice_read, name="notice_read"),
    path("placements/<int:pk>/", portal_views.placement_detail, name="placement_detail"),
    path("placements/<int:pk>/checklist/", portal_views.placement_checklist, name="placement_checklist"),
    path("placements/<int:pk>/report/", portal_views.placement_report, name="placement_report"),
    path("batches/<int:pk>/checklist/", portal_views.batch_checklist, name="batch_checklist"),
    path(
        "batches/<int:pk>/checklist/<int:item_pk>/",
        portal_views.checklist_item_edit,
        name="checklist_item_edit",
    ),
    path(
        "batches/<int:pk>/checklist/<int:item_pk>/delete/",
        portal_views.checklist_item_delete_view,
        name="checklist_item_delete",
    ),
    path("batches/<int:pk>/reports/", portal_views.batch_reports, name="batch_reports"),
]
