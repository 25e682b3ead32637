"""The overview of the real 24-indicator framework: live self-score and a fixed number of queries."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from layak.accounts.selectors import user_grants
from layak.evaluations.models import Answer, IndicatorAssignment
from layak.evaluations.scoring_input import framework_bands
from layak.evaluations.selectors import assessment_overview
from layak.evaluations.validation import choice_options, values_clean
from layak.frameworks.models import FrameworkVersion
from layak.frameworks.selectors import framework_indicators
from layak.frameworks.services import framework_load_file

from .factories import attach_evidence, make_assessment, make_cycle

# Measured on SQLite; the test fails if the overview ever needs more (or starts to depend on the data). A frozen
# version's indicators and bands are read once per process (the tests below read them first).
OVERVIEW_QUERIES = 9
SAMPLE = {"percentage": "95", "rate": "1", "yes_no": True, "text": "Sudah"}


@pytest.fixture
def kla_2021(db):
    framework_load_file(Path(settings.BASE_DIR) / "data" / "frameworks" / "kla-2021.yaml")
    return FrameworkVersion.objects.get(slug="kla-2021")


def best_values(elements) -> dict:
    """A valid, full answer: counts at their upper bound (a numerator then equals its denominator)."""
    values = {}
    for element in elements:
        if element.type == "count":
            values[element.code] = str(int(min(element.max_value or 100, 100)))
        elif element.type == "choice":
            values[element.code] = choice_options(element)[0][0]
        elif element.type != "document":
            values[element.code] = SAMPLE[element.type]
    return values


def fill(assessment, indicators):
    """Every indicator answered in full, with evidence linked to each indicator that has a document element."""
    rows = []
    for indicator in indicators:
        cleaned, errors = values_clean(indicator.elements.all(), best_values(indicator.elements.all()))
        assert errors == {}, (indicator.code, errors)
        rows.append(Answer(assessment=assessment, indicator=indicator, values=cleaned))
        if any(e.type == "document" for e in indicator.elements.all()):
            attach_evidence(assessment, indicator)
    Answer.objects.bulk_create(rows)


def overview_queries(assessment, user):
    user_grants(user)  # the user's grants in the shared cache, as after their first page
    user.__dict__.pop("_layak_grants", None)
    with CaptureQueriesContext(connection) as ctx:
        overview = assessment_overview(assessment, user)
    return len(ctx), overview


def assign_all(assessment, indicators, agency):
    IndicatorAssignment.objects.bulk_create(
        IndicatorAssignment(assessment=assessment, indicator=indicator, agency=agency) for indicator in indicators
    )


def test_overview_of_a_fully_answered_framework_runs_a_fixed_number_of_queries(
    kla_2021, region_coordinator, opd_contributor
):
    assessment = make_assessment(make_cycle(kla_2021))
    indicators = framework_indicators(kla_2021)
    framework_bands(assessment.cycle.framework)
    assert len(indicators) == 24
    assign_all(assessment, indicators[:1], opd_contributor.roles.get().agency)
    empty_count, _empty = overview_queries(assessment, region_coordinator)
    assign_all(assessment, indicators[1:], opd_contributor.roles.get().agency)
    fill(assessment, indicators)
    full_count, overview = overview_queries(assessment, region_coordinator)
    assert empty_count == full_count == OVERVIEW_QUERIES
    assert overview.answered == overview.total == 24
    assert overview.score.max_total == Decimal(1000)
    assert overview.score.total > Decimal(900) and overview.score.band.code == "kla"
    assert sum(points for points, _max in overview.score.groups.values()) == overview.score.total
    assert all(row.state == "complete" for cluster in overview.clusters for row in cluster.rows)


def test_overview_page_of_the_full_framework_is_bounded(
    kla_2021, region_coordinator, login, django_assert_max_num_queries
):
    assessment = make_assessment(make_cycle(kla_2021))
    fill(assessment, framework_indicators(kla_2021))
    framework_bands(assessment.cycle.framework)
    client = login(region_coordinator)
    # + session, user, roles, assessment, messages, and the readiness panel (points at risk of the stored flags)
    with django_assert_max_num_queries(OVERVIEW_QUERIES + 7):
        response = client.get(assessment.get_absolute_url())
    assert response.status_code == 200 and "Self-score" in response.content.decode()
