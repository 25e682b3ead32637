from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("assessments/<int:pk>/", views.assessment_report, name="assessment_report"),
    path("cycles/<int:pk>/results/", views.cycle_results, name="cycle_results"),
]
