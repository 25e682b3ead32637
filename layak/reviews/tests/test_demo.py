from io import StringIO

from layak.evaluations.choices import AssessmentStatus
from layak.evaluations.tests.factories import make_assessment, make_cycle
from layak.reviews.demo import seed_demo_data
from layak.reviews.models import ReviewProcess

from .factories import answer_all


def test_demo_starts_reviews_of_submitted_assessments_once(framework):
    assessment = make_assessment(make_cycle(framework))
    answer_all(assessment)
    assessment.status = AssessmentStatus.SUBMITTED
    assessment.submitted_at = assessment.created_at
    assessment.save()
    out = StringIO()
    seed_demo_data(stdout=out)
    seed_demo_data(stdout=out)
    assert ReviewProcess.objects.count() == 1
    assert "1 submitted assessment(s)" in out.getvalue() and "0 submitted assessment(s)" in out.getvalue()
