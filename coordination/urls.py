from django.urls import path

from . import views
from .dashboard.views import dashboard_view

app_name = "coordination"

urlpatterns = [
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
    path("batches/<int:pk>/checklist/", views.batch_checklist_view, name="batch_checklist"),
    path(
        "batches/<int:pk>/checklist/<int:item_pk>/",
        views.checklist_item_edit_view,
        name="checklist_item_edit",
    ),
    path(
        "batches/<int:pk>/checklist/<int:item_pk>/delete/",
        views.checklist_item_delete_view,
        name="checklist_item_delete",
    ),
    path("batches/<int:pk>/contacts/", views.batch_contacts_view, name="batch_contacts"),
    path("batches/<int:pk>/contacts.csv", views.batch_contacts_csv_view, name="batch_contacts_csv"),
    path("batches/<int:pk>/reports/", views.batch_reports_view, name="batch_reports"),
    path("batches/<int:pk>/documents/", views.batch_documents_view, name="batch_documents"),
    path("batches/<int:pk>/documents/<int:document_pk>/", views.document_review_view, name="document_review"),
    path(
        "batches/<int:pk>/documents/accepted.zip", views.batch_documents_zip_view, name="batch_documents_zip"
    ),
    path(
        "batches/<int:pk>/documents/requirements/",
        views.batch_document_requirements_view,
        name="batch_document_requirements",
    ),
    path(
        "batches/<int:pk>/documents/requirements/<int:requirement_pk>/",
        views.document_requirement_edit_view,
        name="document_requirement_edit",
    ),
    path("dashboard/", dashboard_view, name="dashboard"),
]
