from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("assessments/<int:pk>/", views.assessment_report, name="assessment_report"),
    path("cycles/<int:pk>/results/", views.cycle_results, name="cycle_results"),
    path("cycles/<int:pk>/bundles/", views.bundle_create, name="bundle_create"),
    path("bundles/<int:pk>/download/", views.bundle_download, name="bundle_download"),
]
