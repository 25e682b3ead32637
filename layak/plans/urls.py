from django.urls import path

from . import views

app_name = "plans"

urlpatterns = [
    path("region/<str:region_code>/", views.region_plans, name="region_plans"),
    path("region/<str:region_code>/new", views.plan_create, name="plan_create"),
    path("region/<str:region_code>/apbd", views.region_budget_save, name="region_budget_save"),
    path("region/<str:region_code>/gaps", views.gap_actions, name="gap_actions"),
    path("<int:pk>/", views.plan_detail, name="plan_detail"),
    path("<int:pk>/edit", views.plan_edit, name="plan_edit"),
    path("<int:pk>/actions/new", views.action_create, name="action_create"),
    path("<int:pk>/import", views.action_import, name="action_import"),
    path("<int:pk>/import/template.xlsx", views.import_template, name="import_template"),
    path("<int:pk>/reports/new", views.report_create, name="report_create"),
    path("actions/<int:pk>/", views.action_detail, name="action_detail"),
    path("actions/<int:pk>/edit", views.action_edit, name="action_edit"),
    path("actions/<int:pk>/years", views.action_year_save, name="action_year_save"),
    path("actions/<int:pk>/realisations", views.realisation_save, name="realisation_save"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
]
