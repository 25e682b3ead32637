from django.urls import path

from . import views

app_name = "evaluations"

urlpatterns = [
    path("", views.cycle_list, name="cycle_list"),
    path("cycles/new/", views.cycle_create, name="cycle_create"),
    path("cycles/<int:pk>/", views.cycle_detail, name="cycle_detail"),
    path("cycles/<int:pk>/extensions/", views.cycle_extension_create, name="cycle_extension_create"),
    path("assessments/<int:pk>/", views.assessment_detail, name="assessment_detail"),
    path("assessments/<int:pk>/assign/", views.assessment_assign, name="assessment_assign"),
    path("assessments/<int:pk>/submit/", views.assessment_submit, name="assessment_submit"),
    path("assessments/<int:pk>/indicators/<str:code>/", views.answer_edit, name="answer_edit"),
    path("assessments/<int:pk>/indicators/<str:code>/draft/", views.answer_autosave, name="answer_autosave"),
    path(
        "assessments/<int:pk>/indicators/<str:code>/draft/discard/",
        views.answer_draft_discard,
        name="answer_draft_discard",
    ),
]
