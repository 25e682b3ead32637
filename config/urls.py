from django.contrib import admin
from django.urls import include, path

from layak.common import views as common_views
from layak.home import views as home_views

from .api import api

urlpatterns = [
    path("", home_views.home, name="home"),
    path("healthz", common_views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("layak.accounts.urls")),
    path("regions/", include("layak.regions.urls")),
    path("frameworks/", include("layak.frameworks.urls")),
    path("evaluations/", include("layak.evaluations.urls")),
    path("evidence/", include("layak.evidence.urls")),
    path("reviews/", include("layak.reviews.urls")),
    path("dashboards/", include("layak.dashboards.urls")),
    path("taskforces/", include("layak.taskforces.urls")),
    path("plans/", include("layak.plans.urls")),
    path("trainings/", include("layak.trainings.urls")),
    path("partners/", include("layak.partners.urls")),
    path("participation/", include("layak.participation.urls")),
    path("reports/", include("layak.reports.urls")),
    path("protection/", include("layak.protection.urls")),
    path("facilities/", include("layak.facilities.urls")),
    path("villages/", include("layak.villages.urls")),
    path("readiness/", include("layak.readiness.urls")),
    path("notifications/", include("layak.notifications.urls")),
    path("jobs/", include("layak.jobs.urls")),
    path("guide/", include("layak.home.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]

handler400 = "layak.common.errors.bad_request"
handler403 = "layak.common.errors.permission_denied"
handler404 = "layak.common.errors.page_not_found"
handler500 = "layak.common.errors.server_error"
