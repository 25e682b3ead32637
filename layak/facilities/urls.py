from django.urls import path

from . import views

app_name = "facilities"

urlpatterns = [
    path("region/<str:region_code>/", views.region_facilities, name="region_facilities"),
    path("region/<str:region_code>/new", views.facility_create, name="facility_create"),
    path("region/<str:region_code>/import", views.facility_import, name="facility_import"),
    path("region/<str:region_code>/template.xlsx", views.import_template, name="import_template"),
    path("region/<str:region_code>/export.csv", views.facility_export, name="facility_export"),
    path("region/<str:region_code>/counts", views.region_counts, name="region_counts"),
    path("region/<str:region_code>/totals", views.total_save, name="total_save"),
    path("region/<str:region_code>/coverage", views.region_coverage, name="region_coverage"),
    path("region/<str:region_code>/zones", views.region_zones, name="region_zones"),
    path("region/<str:region_code>/zones/new", views.zone_create, name="zone_create"),
    path("region/<str:region_code>/map", views.region_map, name="region_map"),
    path("region/<str:region_code>/map.json", views.map_data, name="map_data"),
    path("public/<str:region_code>/", views.public_facilities, name="public_facilities"),
    path("<int:pk>/", views.facility_detail, name="facility_detail"),
    path("<int:pk>/edit", views.facility_edit, name="facility_edit"),
    path("<int:pk>/step", views.facility_step, name="facility_step"),
    path("<int:pk>/renew", views.facility_renew, name="facility_renew"),
    path("zones/<int:pk>/", views.zone_detail, name="zone_detail"),
    path("zones/<int:pk>/members", views.zone_member, name="zone_member"),
    path("zones/<int:pk>/delete", views.zone_delete, name="zone_delete"),
]
