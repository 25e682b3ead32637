"""Fixtures of the reports tests: the evaluations tests' small framework, Jakarta Pusat's assessment with
narratives, and score snapshots written directly (as the review workflow will write them).
"""

from __future__ import annotations

import pytest

from layak.accounts.tests.factories import make_agency
from layak.evaluations.tests.factories import make_assessment, make_cycle, make_framework
from layak.frameworks.models import DataElement, Indicator

from .factories import make_answers, make_final, make_snapshot


@pytest.fixture
def framework(db):
    version = make_framework()
    DataElement.objects.filter(indicator__version=version, code="akta_doc").update(
        evidence_hint="Salinan SK layanan akta kelahiran"
    )
    return version


@pytest.fixture
def cycle(framework):
    return make_cycle(framework)


@pytest.fixture
def indicators(framework):
    return {i.code: i for i in Indicator.objects.filter(version=framework).select_related("group")}


@pytest.fixture
def assessment(cycle, indicators):
    assessment = make_assessment(cycle)
    make_answers(assessment, indicators, make_agency("31.71", "Badan Perencanaan Pembangunan Daerah", "Bappeda"))
    return assessment


@pytest.fixture
def verified(assessment):
    """Self, province, central and field snapshots plus the final result."""
    for stage in ("self", "province", "central", "field"):
        make_snapshot(assessment, stage)
    make_final(assessment)
    return assessment
