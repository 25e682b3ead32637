"""Demo data of the reviews app: nothing invented. Submitted demo assessments enter verification (province
stage, self-score snapshot computed from their answers), so the review pages have something to show."""

from __future__ import annotations

from layak.evaluations.choices import AssessmentStatus
from layak.evaluations.models import Assessment

from .services import review_start


def seed_demo_data(*, stdout) -> None:
    """Starts the review of every submitted assessment that has none yet (idempotent)."""
    waiting = Assessment.objects.filter(status=AssessmentStatus.SUBMITTED, review__isnull=True).select_related(
        "cycle__framework", "submitted_by"
    )
    started = [review_start(assessment=assessment) for assessment in waiting]
    stdout.write(f"Reviews: {len(started)} submitted assessment(s) entered province verification.")
