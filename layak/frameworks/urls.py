from django.urls import path

from . import views

app_name = "frameworks"

urlpatterns = [
    path("", views.version_list, name="version_list"),
    path("<slug:slug>/", views.version_detail, name="version_detail"),
    path("<slug:slug>/clone/", views.version_clone, name="version_clone"),
    path("<slug:slug>/weights/", views.version_weights, name="version_weights"),
    path("<slug:slug>/<str:code>/", views.indicator_detail, name="indicator_detail"),
]
