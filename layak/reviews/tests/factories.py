"""A submitted assessment of Jakarta Pusat (31.71) in verification, built without the self-assessment UI."""

from __future__ import annotations

from django.utils import timezone

from layak.evaluations.choices import AssessmentStatus
from layak.evaluations.models import Answer, Assessment
from layak.evaluations.stamps import assessments_changed
from layak.evaluations.tests.factories import COMPLETE, attach_all_documents, make_assessment, make_cycle
from layak.frameworks.models import Indicator
from layak.reviews.models import ReviewerAssignment
from layak.reviews.services import review_start


def indicators_of(assessment: Assessment) -> dict[str, Indicator]:
    return {i.code: i for i in Indicator.objects.filter(version_id=assessment.cycle.framework_id)}


def answer_all(assessment: Assessment, answers: dict | None = None) -> None:
    """Answers every indicator of the small test framework (COMPLETE unless given) with its evidence."""
    indicators = indicators_of(assessment)
    Answer.objects.bulk_create(
        Answer(assessment=assessment, indicator=indicators[code], values=values)
        for code, values in (answers or COMPLETE).items()
    )
    attach_all_documents(assessment, indicators)


def submit(assessment: Assessment, user=None) -> Assessment:
    """Marks the assessment submitted (as `assessment_submit` does) and starts its review."""
    assessment.status, assessment.submitted_at, assessment.submitted_by = (
        AssessmentStatus.SUBMITTED,
        timezone.now(),
        user,
    )
    assessment.save(update_fields=["status", "submitted_at", "submitted_by"])
    review_start(assessment=assessment, user=user)
    return assessment


def open_review_windows(cycle, *, days: int = 60):
    """Opens every verification stage's window around now (tests act at once; the real windows follow one another)."""
    from datetime import timedelta

    from layak.reviews.workflow import STATE_WINDOW

    now = timezone.now()
    fields = {}
    for stage in set(STATE_WINDOW.values()):
        fields |= {f"{stage}_start": now - timedelta(days=1), f"{stage}_end": now + timedelta(days=days)}
    type(cycle).objects.filter(pk=cycle.pk).update(**fields)
    for name, value in fields.items():
        setattr(cycle, name, value)
    return cycle


def submitted_assessment(framework, region_code: str = "31.71", answers: dict | None = None, cycle=None):
    assessment = make_assessment(cycle or open_review_windows(make_cycle(framework)), region_code)
    answer_all(assessment, answers)
    return submit(assessment)


def assign(assessment: Assessment, stage: str, *reviewers) -> None:
    ReviewerAssignment.objects.bulk_create(
        ReviewerAssignment(assessment=assessment, stage=stage, reviewer=reviewer) for reviewer in reviewers
    )
    assessments_changed([assessment.pk])  # as the services do after a bulk insert


def request_revision(assessment: Assessment, reviewer, items: dict[str, str], *, days: int = 5, comment: str = "x"):
    """The reviewer sends `items` (indicator code -> what to fix) back to the region, due in `days` days."""
    from datetime import timedelta

    from django.utils import timezone

    from layak.reviews.choices import ReviewAction
    from layak.reviews.services import review_transition

    return review_transition(
        user=reviewer,
        assessment=assessment,
        action=ReviewAction.REQUEST_REVISION,
        comment=comment,
        items=items,
        deadline=timezone.now() + timedelta(days=days),
    )


def hand_over_letter(assessment: Assessment, user, number: str = "400/123/DP3A") -> None:
    """Attaches the governor's hand-over letter (the province's approval needs it), as the province would."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from layak.evaluations.tests.factories import PDF
    from layak.evidence.services import evidence_create_unchecked
    from layak.reviews.models import HandoverLetter

    province = assessment.region.parent or assessment.region
    upload = SimpleUploadedFile(f"surat-{assessment.pk}.pdf", PDF + number.encode(), content_type="application/pdf")
    evidence = evidence_create_unchecked(user=user, region=province, upload=upload, title=f"Surat gubernur {number}")
    HandoverLetter.objects.create(assessment=assessment, evidence=evidence, number=number, uploaded_by=user)


def select_for_field(assessment: Assessment, user=None) -> None:
    """The ministry selects the assessment's region for field verification (VLH)."""
    from layak.reviews.models import FieldVisit

    FieldVisit.objects.get_or_create(assessment=assessment, defaults={"selected_by": user})


def finalise(assessment: Assessment, admin):
    """The ministry announces the provisional results, the region says it has no objection, the ministry
    finalises (the route every finalised assessment takes)."""
    from layak.reviews.choices import ReviewAction
    from layak.reviews.models import ObjectionPeriod
    from layak.reviews.services import review_transition

    review_transition(user=admin, assessment=assessment, action=ReviewAction.ANNOUNCE)
    ObjectionPeriod.objects.filter(assessment=assessment).update(done_at=timezone.now())
    return review_transition(user=admin, assessment=assessment, action=ReviewAction.FINALISE)
