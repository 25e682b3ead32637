from django.urls import path

from . import views

app_name = "participation"

urlpatterns = [
    path("region/<str:region_code>/", views.region_forums, name="region_forums"),
    path("region/<str:region_code>/new", views.forum_create, name="forum_create"),
    path("<int:pk>/", views.forum_detail, name="forum_detail"),
    path("<int:pk>/edit", views.forum_edit, name="forum_edit"),
    path("<int:pk>/activities", views.activity_create, name="activity_create"),
    path("<int:pk>/inputs", views.input_create, name="input_create"),
    path("inputs/<int:pk>/", views.input_follow_up, name="input_follow_up"),
]
