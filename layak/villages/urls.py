from django.urls import path

from . import views

app_name = "villages"

AREA = "area/<str:code>/cycle/<int:cycle_pk>/"
REGION = "region/<str:region_code>/cycle/<int:cycle_pk>/"

urlpatterns = [
    path("region/<str:region_code>/", views.region_villages, name="region_villages"),
    path("region/<str:region_code>/operators/", views.provision, name="provision"),
    path("region/<str:region_code>/operators.<str:fmt>", views.provision_template, name="provision_template"),
    path(REGION, views.rollup, name="rollup"),
    path(REGION + "q/<int:question_pk>/", views.rollup_detail, name="rollup_detail"),
    path(REGION + "remind", views.remind, name="remind"),
    path("area/<str:code>/", views.area_detail, name="area_detail"),
    path(AREA, views.checklist, name="checklist"),
    path(AREA + "q/<int:question_pk>/", views.checklist_question, name="checklist_question"),
    path(AREA + "q/<int:question_pk>/evidence", views.checklist_evidence, name="checklist_evidence"),
    path(AREA + "submit", views.checklist_submit, name="checklist_submit"),
    path(AREA + "verify", views.checklist_verify, name="checklist_verify"),
    path(AREA + "reopen", views.checklist_reopen, name="checklist_reopen"),
    path("progress/<int:cycle_pk>/", views.progress, name="progress_national"),
    path("progress/<int:cycle_pk>/points.json", views.progress_points, name="progress_points_national"),
    path("progress/<int:cycle_pk>/<str:code>/", views.progress, name="progress"),
    path("progress/<int:cycle_pk>/<str:code>/points.json", views.progress_points, name="progress_points"),
    path("mine/", views.my_areas, name="my_areas"),
    path("join/", views.join, name="join"),
]
