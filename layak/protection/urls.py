from django.urls import path

from . import views

app_name = "protection"

urlpatterns = [
    path("region/<str:region_code>/", views.region_figures, name="region_figures"),
    path("region/<str:region_code>/new", views.report_entry, name="report_entry"),
    path("region/<str:region_code>/import", views.figures_import, name="figures_import"),
    path("region/<str:region_code>/template.xlsx", views.figures_template, name="figures_template"),
    path("region/<str:region_code>/population", views.population_edit, name="population_edit"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("flags/<int:pk>/confirm", views.flag_confirm, name="flag_confirm"),
    path("public/", views.public_figures, name="public"),
    path("public/<str:code>/", views.public_figures, name="public_place"),
]
