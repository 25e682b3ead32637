from django.urls import path

from . import views

app_name = "villages"

urlpatterns = [
    path("region/<str:region_code>/", views.region_villages, name="region_villages"),
    path("region/<str:region_code>/operators/", views.provision, name="provision"),
    path("region/<str:region_code>/operators.<str:fmt>", views.provision_template, name="provision_template"),
    path("area/<str:code>/", views.area_detail, name="area_detail"),
    path("mine/", views.my_areas, name="my_areas"),
    path("join/", views.join, name="join"),
]
