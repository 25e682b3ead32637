import pytest
from django.core.management import CommandError, call_command

from layak.dashboards.synthetic import synthetic_dataset_build
from layak.evaluations.models import Answer, Cycle
from layak.frameworks.services import frameworks_load_all
from layak.regions.tests.factories import make_region
from layak.reviews.models import FinalResult


def test_command_refuses_without_yes(db):
    with pytest.raises(CommandError, match="--yes"):
        call_command("build_synthetic_dataset")


def test_builds_labelled_answered_results_for_every_kabkota(db):
    frameworks_load_all()
    for code in ("31.71", "31.72", "63.71"):
        make_region(code)
    result = synthetic_dataset_build()
    assert (result.cycles, result.assessments) == (6, 18)
    assert all(name.startswith("SYNTHETIC") for name in Cycle.objects.values_list("name", flat=True))
    assert FinalResult.objects.count() == 18 and Answer.objects.count() == result.answers > 18 * 20
    assert all(0 <= r.score <= 1000 for r in FinalResult.objects.all())
