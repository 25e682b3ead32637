"""Fixtures of the evaluations tests: a framework, an open cycle, Jakarta Pusat's assessment, an assignment."""

from __future__ import annotations

import pytest

from layak.evaluations.models import IndicatorAssignment
from layak.frameworks.models import Indicator

from .factories import make_assessment, make_cycle, make_framework


@pytest.fixture
def framework(db):
    return make_framework()


@pytest.fixture
def cycle(framework):
    return make_cycle(framework)


@pytest.fixture
def assessment(cycle):
    return make_assessment(cycle)


@pytest.fixture
def indicators(framework):
    return {i.code: i for i in Indicator.objects.filter(version=framework).select_related("group")}


@pytest.fixture
def dinkes_assignment(assessment, indicators, opd_contributor):
    """Indicator I1 assigned to the OPD contributor's agency (Dinkes)."""
    agency = opd_contributor.roles.get().agency
    return IndicatorAssignment.objects.create(assessment=assessment, indicator=indicators["I1"], agency=agency)
