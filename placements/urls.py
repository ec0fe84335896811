from django.urls import path

from . import portal_views, views

app_name = "placements"

urlpatterns = [
    # The participant portal: the officer's own pages, and the coordinators' checklists and reports.
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
    # Coordinators: batch pages and roster exports.
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
