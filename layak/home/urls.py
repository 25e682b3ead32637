from django.urls import path

from . import guide

app_name = "guide"

urlpatterns = [
    path("", guide.guide_index, name="guide"),
    path("<slug:role>/", guide.guide_page, name="guide_page"),
]
