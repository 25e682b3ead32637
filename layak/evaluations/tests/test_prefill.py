"""Values from the registers: offered on the form with source and date, saved with provenance when accepted."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from layak.evaluations import prefill
from layak.evaluations.models import Answer
from layak.evaluations.services import answer_save
from layak.frameworks.models import DataElement

SOURCE = "from 14 meetings recorded in 2025"


@pytest.fixture
def register(framework):
    """A provider computing K1's policy count (one query, like a real register) and the element naming it."""
    DataElement.objects.filter(indicator__version=framework, code="policy_count").update(computed_key="test.policies")
    calls = []

    def provider(region, year):
        calls.append((region.code, year))
        list(DataElement.objects.filter(code="policy_count")[:1])  # stands for the register's one query
        yield prefill.ComputedValue("test.policies", 14, SOURCE, date(2025, 11, 3), "/taskforces/")

    prefill.register_provider(provider)
    yield calls
    prefill._providers.remove(provider)


def edit_url(assessment, code="K1"):
    return reverse("evaluations:answer_edit", args=[assessment.pk, code])


def test_form_offers_the_register_value_with_its_source_and_date(login, region_coordinator, assessment, register):
    body = login(region_coordinator).get(edit_url(assessment)).content.decode()
    assert "From the register:" in body and SOURCE in body and "3 Nov 2025" in body
    assert 'data-fill="id_v_policy_count" data-value="14"' in body and "Use this value" in body
    assert register == [("31.71", 2025)]


def test_a_form_without_computed_elements_asks_no_register(login, region_coordinator, assessment, register):
    login(region_coordinator).get(edit_url(assessment, "I1"))
    assert register == []


def test_saving_the_register_value_records_its_provenance(region_coordinator, assessment, indicators, register):
    answer = answer_save(
        user=region_coordinator,
        assessment=assessment,
        indicator=indicators["K1"],
        values={"policy_count": "14"},
        expected_revision=0,
    )
    assert answer.provenance == {
        "policy_count": {"key": "test.policies", "source": SOURCE, "as_of": "2025-11-03", "url": "/taskforces/"}
    }


def test_an_overridden_value_has_no_provenance(region_coordinator, assessment, indicators, register):
    answer = answer_save(
        user=region_coordinator,
        assessment=assessment,
        indicator=indicators["K1"],
        values={"policy_count": "15"},
        expected_revision=0,
    )
    assert answer.provenance == {}


def test_reviewers_see_where_a_value_came_from(
    login, client, region_coordinator, province_verifier, assessment, indicators, register
):
    answer_save(
        user=region_coordinator,
        assessment=assessment,
        indicator=indicators["K1"],
        values={"policy_count": "14"},
        expected_revision=0,
    )
    body = login(province_verifier).get(edit_url(assessment)).content.decode()
    assert f"From register: {SOURCE}" in body and "<fieldset disabled>" in body
    api = client.get(f"/api/v1/assessments/{assessment.pk}/answers/K1").json()
    assert api["provenance"]["policy_count"]["source"] == SOURCE


def test_the_api_records_provenance_too(client, login, region_coordinator, assessment, register):
    login(region_coordinator)
    response = client.put(
        f"/api/v1/assessments/{assessment.pk}/answers/K1",
        json.dumps({"values": {"policy_count": 14}, "expected_revision": 0}),
        content_type="application/json",
    )
    assert response.status_code == 200 and "policy_count" in Answer.objects.get().provenance


def test_form_page_asks_the_registers_once_however_many_elements_they_fill(
    login, region_coordinator, assessment, register
):
    client = login(region_coordinator)
    client.get(edit_url(assessment))
    with CaptureQueriesContext(connection) as one:
        client.get(edit_url(assessment))
    DataElement.objects.filter(code="perda_kla").update(computed_key="test.perda")
    with CaptureQueriesContext(connection) as two:
        client.get(edit_url(assessment))
    assert len(one) == len(two) and len(register) == 3


def test_choosing_a_value_is_exact_for_decimals(region_coordinator, assessment, indicators, framework):
    DataElement.objects.filter(code="immunisation_pct").update(computed_key="test.imm")

    def provider(region, year):
        return [prefill.ComputedValue("test.imm", Decimal("96.50"), "from 12 posyandu reports")]

    prefill.register_provider(provider)
    try:
        answer = answer_save(
            user=region_coordinator,
            assessment=assessment,
            indicator=indicators["I2"],
            values={"immunisation_pct": "96,5"},
            expected_revision=0,
        )
    finally:
        prefill._providers.remove(provider)
    assert answer.provenance["immunisation_pct"]["as_of"] is None
