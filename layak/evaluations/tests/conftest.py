"""Fixtures of the evaluations tests: a framework, an open cycle, Jakarta Pusat's assessment, an assignment."""

from __future__ import annotations

import pytest
from django.utils import timezone

from layak.evaluations.models import IndicatorAssignment
from layak.frameworks.models import FrameworkVersion, Indicator
from layak.frameworks.services import framework_load_file
from layak.frameworks.tests.conftest import SHIPPED

from .factories import make_assessment, make_cycle, make_framework


@pytest.fixture
def frozen(db):
    """Jakarta Pusat's assessment on the shipped kla-2024 instrument, frozen as a cycle's framework is once used."""
    framework_load_file(SHIPPED / "kla-2024.yaml")
    FrameworkVersion.objects.filter(slug="kla-2024").update(frozen_at=timezone.now())
    return make_assessment(make_cycle(FrameworkVersion.objects.get(slug="kla-2024"), year=2024))


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
