"""Fixtures of the reviews tests: Jakarta Pusat's assessment submitted and in province verification, with the
province verifier assigned to the province stage and the independent evaluator to the central and field ones."""

from __future__ import annotations

import pytest

from layak.accounts.choices import Role
from layak.accounts.tests.factories import make_user_with_role
from layak.evaluations.tests.factories import make_framework
from layak.reviews.choices import ScoreStage

from .factories import assign, hand_over_letter, indicators_of, select_for_field, submitted_assessment


@pytest.fixture
def framework(db):
    return make_framework()


@pytest.fixture
def assessment(framework, region_coordinator):
    return submitted_assessment(framework)


@pytest.fixture
def indicators(assessment):
    return indicators_of(assessment)


@pytest.fixture
def province_coordinator(db):
    return make_user_with_role("koordinator_dki", Role.PROVINCE_COORDINATOR, "31")


@pytest.fixture
def viewer(db):
    return make_user_with_role("pemantau", Role.VIEWER)


@pytest.fixture
def reviewers(assessment, province_verifier, independent_evaluator):
    """Assigns the province verifier (province) and the independent evaluator (central, field); the province's
    hand-over letter is attached and the region is selected for field verification (the full route)."""
    assign(assessment, ScoreStage.PROVINCE, province_verifier)
    hand_over_letter(assessment, province_verifier)
    select_for_field(assessment)
    assign(assessment, ScoreStage.CENTRAL, independent_evaluator)
    assign(assessment, ScoreStage.FIELD, independent_evaluator)
    return assessment
