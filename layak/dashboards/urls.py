from django.urls import path

from . import views

app_name = "dashboards"

urlpatterns = [
    path("", views.national_dashboard, name="national"),
    path("provinces/<str:code>/", views.province_dashboard, name="province"),
    path("provinces/<str:code>/target/", views.province_target_edit, name="province_target"),
    path("regions/<str:code>/", views.region_dashboard, name="region"),
    path("public/", views.public_index, name="public_index"),
    path("public/regions/<str:code>/", views.public_region, name="public_region"),
    path("public/what-is-kla/", views.public_kla, name="public_kla"),
]
