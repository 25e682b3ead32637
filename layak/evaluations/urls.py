from django.urls import path

from . import question_views, views

app_name = "evaluations"

urlpatterns = [
    path("assessments/<int:pk>/instrument/assign/", question_views.instrument_assign, name="instrument_assign"),
    path("assessments/<int:pk>/instrument/rekap/", question_views.instrument_rekap, name="instrument_rekap"),
    path(
        "assessments/<int:pk>/instrument/rekap/upload/",
        question_views.instrument_rekap_upload,
        name="instrument_rekap_upload",
    ),
    path(
        "assessments/<int:pk>/instrument/<str:code>/", question_views.instrument_indicator, name="instrument_indicator"
    ),
    path("assessments/<int:pk>/questions/<int:question_id>/", question_views.question_save, name="question_save"),
    path(
        "assessments/<int:pk>/questions/<int:question_id>/take/",
        question_views.question_take_offer,
        name="question_take_offer",
    ),
    path(
        "assessments/<int:pk>/questions/<int:question_id>/agency/",
        question_views.question_agency,
        name="question_agency",
    ),
    path(
        "assessments/<int:pk>/questions/<int:question_id>/evidence/upload/",
        question_views.question_evidence_upload,
        name="question_evidence_upload",
    ),
    path(
        "assessments/<int:pk>/questions/<int:question_id>/evidence/<int:link_id>/unlink/",
        question_views.question_evidence_unlink,
        name="question_evidence_unlink",
    ),
    path(
        "assessments/<int:pk>/questions/<int:question_id>/matriks.xlsx",
        question_views.question_matriks_template,
        name="question_matriks_template",
    ),
    path(
        "assessments/<int:pk>/questions/<int:question_id>/matriks/upload/",
        question_views.question_matriks_upload,
        name="question_matriks_upload",
    ),
    path("", views.cycle_list, name="cycle_list"),
    path("cycles/new/", views.cycle_create, name="cycle_create"),
    path("cycles/<int:pk>/", views.cycle_detail, name="cycle_detail"),
    path("cycles/<int:pk>/extensions/", views.cycle_extension_create, name="cycle_extension_create"),
    path("assessments/<int:pk>/", views.assessment_detail, name="assessment_detail"),
    path("assessments/<int:pk>/assign/", views.assessment_assign, name="assessment_assign"),
    path("assessments/<int:pk>/submit/", views.assessment_submit, name="assessment_submit"),
    path("assessments/<int:pk>/excel/", views.assessment_excel_download, name="assessment_excel_download"),
    path("assessments/<int:pk>/excel/upload/", views.assessment_excel_upload, name="assessment_excel_upload"),
    path("assessments/<int:pk>/indicators/<str:code>/assignment/", views.assignment_edit, name="assignment_edit"),
    path("regions/<str:region_code>/agencies/", views.agency_list, name="agency_list"),
    path("agencies/<int:pk>/", views.agency_edit, name="agency_edit"),
    path("assessments/<int:pk>/indicators/<str:code>/", views.answer_edit, name="answer_edit"),
    path("assessments/<int:pk>/indicators/<str:code>/draft/", views.answer_autosave, name="answer_autosave"),
    path(
        "assessments/<int:pk>/indicators/<str:code>/draft/discard/",
        views.answer_draft_discard,
        name="answer_draft_discard",
    ),
    path(
        "assessments/<int:pk>/indicators/<str:code>/evidence/upload/",
        views.answer_evidence_upload,
        name="answer_evidence_upload",
    ),
    path(
        "assessments/<int:pk>/indicators/<str:code>/evidence/pick/",
        views.answer_evidence_pick,
        name="answer_evidence_pick",
    ),
    path(
        "assessments/<int:pk>/indicators/<str:code>/evidence/link/",
        views.answer_evidence_url,
        name="answer_evidence_url",
    ),
    path(
        "assessments/<int:pk>/indicators/<str:code>/evidence/carry/<int:link_id>/",
        views.answer_evidence_carry,
        name="answer_evidence_carry",
    ),
    path(
        "assessments/<int:pk>/indicators/<str:code>/evidence/<int:link_id>/unlink/",
        views.answer_evidence_unlink,
        name="answer_evidence_unlink",
    ),
]
