from django.urls import path

from . import views

app_name = "taskforces"

urlpatterns = [
    path("region/<str:region_code>/", views.taskforce_home, name="taskforce_home"),
    path("region/<str:region_code>/decrees/new", views.decree_create, name="decree_create"),
    path("region/<str:region_code>/members-template.xlsx", views.member_template, name="member_template"),
    path("region/<str:region_code>/meetings/", views.meeting_list, name="meeting_list"),
    path("region/<str:region_code>/meetings/new", views.meeting_create, name="meeting_create"),
    path("decrees/<int:pk>/", views.decree_detail, name="decree_detail"),
    path("decrees/<int:pk>/edit", views.decree_edit, name="decree_edit"),
    path("decrees/<int:pk>/members/new", views.member_create, name="member_create"),
    path("decrees/<int:pk>/members/import", views.member_import, name="member_import"),
    path("members/<int:pk>/edit", views.member_edit, name="member_edit"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit", views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/decisions/new", views.decision_create, name="decision_create"),
    path("decisions/<int:pk>/", views.decision_follow_up, name="decision_follow_up"),
]
