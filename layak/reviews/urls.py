from django.urls import path

from . import progress_views, views

app_name = "reviews"

urlpatterns = [
    path("", views.review_queue, name="review_queue"),
    path("conflicts/", views.conflict_list, name="conflict_list"),
    path("cycles/<int:pk>/", views.cycle_reviews, name="cycle_reviews"),
    path("cycles/<int:pk>/publish/", views.cycle_publish, name="cycle_publish"),
    path("cycles/<int:pk>/recompute/", views.cycle_recompute, name="cycle_recompute"),
    path("cycles/<int:pk>/progress/", progress_views.cycle_progress, name="cycle_progress"),
    path("cycles/<int:pk>/progress/export/", progress_views.cycle_progress_export, name="cycle_progress_export"),
    path("cycles/<int:pk>/progress/finalise/", progress_views.cycle_finalise, name="cycle_finalise"),
    path("cycles/<int:pk>/progress/assign/", progress_views.cycle_progress_assign, name="cycle_progress_assign"),
    path("cycles/<int:pk>/publish/preview/", views.cycle_publish_preview, name="cycle_publish_preview"),
    path("cycles/<int:pk>/unpublish/", views.cycle_unpublish, name="cycle_unpublish"),
    path("cycles/<int:pk>/schedule/", views.cycle_window, name="cycle_window"),
    path("assessments/<int:pk>/", views.assessment_review, name="assessment_review"),
    path("assessments/<int:pk>/transition/", views.assessment_transition, name="assessment_transition"),
    path("assessments/<int:pk>/revision/", views.revision_request, name="revision_request"),
    path("assessments/<int:pk>/reviewers/", views.reviewer_assign, name="reviewer_assign"),
    path(
        "assessments/<int:pk>/reviewers/<int:assignment_id>/remove/",
        views.reviewer_unassign,
        name="reviewer_unassign",
    ),
    path("assessments/<int:pk>/predicate/", views.final_predicate, name="final_predicate"),
    path("assessments/<int:pk>/scores/", views.assessment_scores, name="assessment_scores"),
    path("assessments/<int:pk>/explanation/", views.assessment_explain, name="assessment_explain"),
    path("assessments/<int:pk>/what-if/", views.assessment_whatif, name="assessment_whatif"),
    path("assessments/<int:pk>/timeline/", views.assessment_timeline, name="assessment_timeline"),
    path("assessments/<int:pk>/indicators/<str:code>/", views.indicator_review, name="indicator_review"),
    path("assessments/<int:pk>/questions/<int:question_id>/", views.question_grade, name="question_grade"),
    path("assessments/<int:pk>/indicators/<str:code>/revise/", views.revision_answer, name="revision_answer"),
]

# The real stages (decision 0022).
from . import stage_views  # noqa: E402

urlpatterns += [
    path("cycles/<int:pk>/progress/field/", stage_views.cycle_progress_field, name="cycle_progress_field"),
    path("assessments/<int:pk>/stages/", stage_views.assessment_stages, name="assessment_stages"),
    path("assessments/<int:pk>/stages/letter/", stage_views.handover_letter, name="handover_letter"),
    path("assessments/<int:pk>/stages/agenda/", stage_views.field_agenda, name="field_agenda"),
    path("assessments/<int:pk>/stages/children/", stage_views.children_hearing, name="children_hearing"),
    path("assessments/<int:pk>/stages/completion/", stage_views.completion_open, name="completion_open"),
    path(
        "assessments/<int:pk>/stages/completion/<int:question_id>/",
        stage_views.completion_document,
        name="completion_document",
    ),
    path("assessments/<int:pk>/stages/extend/", stage_views.window_extend, name="window_extend"),
    path("assessments/<int:pk>/stages/objections/", stage_views.objection_file, name="objection_file"),
    path("assessments/<int:pk>/stages/objections/done/", stage_views.objections_done, name="objections_done"),
    path(
        "assessments/<int:pk>/stages/objections/<int:objection_id>/decide/",
        stage_views.objection_decide,
        name="objection_decide",
    ),
]
