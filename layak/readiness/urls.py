from django.urls import path

from . import views

app_name = "readiness"

urlpatterns = [
    path("assessments/<int:pk>/", views.assessment_readiness, name="assessment_readiness"),
    path("assessments/<int:pk>/run/", views.assessment_run, name="assessment_run"),
    path("flags/<int:pk>/wrong/", views.flag_mark_wrong, name="flag_mark_wrong"),
    path("checks/", views.check_list, name="check_list"),
]
