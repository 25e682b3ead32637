from django.urls import path

from . import views

app_name = "evidence"

urlpatterns = [
    path("region/<str:region_code>/", views.evidence_library, name="evidence_library"),
    path("region/<str:region_code>/upload", views.evidence_upload, name="evidence_upload"),
    path("region/<str:region_code>/link", views.evidence_link_create, name="evidence_link_create"),
    path("<int:pk>/", views.evidence_detail, name="evidence_detail"),
    path("<int:pk>/replace", views.evidence_replace, name="evidence_replace"),
    path("<int:pk>/download", views.evidence_download, name="evidence_download"),
    path(
        "<int:pk>/versions/<int:version_id>/download", views.evidence_version_download, name="evidence_version_download"
    ),
]
