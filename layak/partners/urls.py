from django.urls import path

from . import views

app_name = "partners"

urlpatterns = [
    path("region/<str:region_code>/", views.region_partners, name="region_partners"),
    path("region/<str:region_code>/new", views.partner_create, name="partner_create"),
    path("region/<str:region_code>/commitments", views.commitment_create, name="commitment_create"),
    path("<int:pk>/", views.partner_detail, name="partner_detail"),
    path("<int:pk>/edit", views.partner_edit, name="partner_edit"),
    path("<int:pk>/contributions", views.contribution_create, name="contribution_create"),
]
