from django.urls import path

from . import views

app_name = "trainings"

urlpatterns = [
    path("region/<str:region_code>/", views.training_summary, name="training_summary"),
    path("region/<str:region_code>/new", views.training_create, name="training_create"),
    path(
        "region/<str:region_code>/participants-template.xlsx", views.participant_template, name="participant_template"
    ),
    path("<int:pk>/", views.training_detail, name="training_detail"),
    path("<int:pk>/edit", views.training_edit, name="training_edit"),
    path("<int:pk>/participants/new", views.participant_create, name="participant_create"),
    path("<int:pk>/participants/import", views.participant_import, name="participant_import"),
    path("<int:pk>/participants/<int:participant_id>/remove", views.participant_remove, name="participant_remove"),
]
