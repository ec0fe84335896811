from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("my/", views.my_placement_view, name="my_placement"),
    path("my/details/", views.my_details_view, name="my_details"),
    path("my/data.json", views.my_data_view, name="my_data"),
    path("my/notices/", views.notice_list_view, name="notice_list"),
    path("my/notices/<int:pk>/read/", views.notice_read_view, name="notice_read"),
    path("my/nominations/<int:pk>/consent/", views.nomination_consent_view, name="nomination_consent"),
    path("placements/<int:pk>/", views.placement_detail_view, name="placement_detail"),
    path("placements/<int:pk>/checklist/", views.placement_checklist_view, name="placement_checklist"),
    path("placements/<int:pk>/report/", views.placement_report_view, name="placement_report"),
    path("placements/<int:pk>/documents/", views.placement_documents_view, name="placement_documents"),
    path(
        "placements/<int:pk>/documents/forms/<int:requirement_pk>/",
        views.document_blank_form_view,
        name="document_blank_form",
    ),
    path("documents/<int:pk>/file/", views.document_file_view, name="document_file"),
]
