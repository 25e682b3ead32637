"""Publication with a preview, a confirmation and an audited way back (issue #10: "Umumkan hasil" published with
no preview, no confirmation and no way back)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from layak.audit.models import AuditEvent
from layak.reviews import services
from layak.reviews.models import FinalResult
from layak.reviews.tests.factories import submitted_assessment

from .test_views import scored_and_finalised


@pytest.fixture
def finalised(reviewers, indicators, national_admin, independent_evaluator, framework):
    scored_and_finalised(reviewers, indicators, national_admin, independent_evaluator)
    submitted_assessment(framework, region_code="31.75", cycle=reviewers.cycle)  # still in verification
    return reviewers


def test_the_preview_shows_exactly_what_becomes_public(client, finalised, national_admin, province_verifier):
    client.force_login(national_admin)
    url = f"/reviews/cycles/{finalised.cycle_id}/publish/preview/"
    page = client.get(url)
    text = page.content.decode()
    assert page.status_code == 200
    assert "1 finalised result" in text and "1 assessment still in verification stays private" in text
    assert "Jakarta Pusat" in text and ("700,00" in text or "700.00" in text)
    assert "Jakarta Timur" not in text
    assert f'action="/reviews/cycles/{finalised.cycle_id}/publish/"' in text
    client.force_login(province_verifier)
    assert client.get(url).status_code == 403


def test_the_cycle_page_leads_to_the_preview(client, finalised, national_admin):
    client.force_login(national_admin)
    text = client.get(f"/reviews/cycles/{finalised.cycle_id}/").content.decode()
    assert f"/reviews/cycles/{finalised.cycle_id}/publish/preview/" in text


def test_withdrawing_needs_a_reason_keeps_the_results_and_is_audited(finalised, national_admin, province_verifier):
    cycle = finalised.cycle
    with pytest.raises(ValidationError, match="not published"):
        services.cycle_results_unpublish(user=national_admin, cycle=cycle, reason="x")
    services.cycle_results_publish(user=national_admin, cycle=cycle)
    with pytest.raises(PermissionDenied):
        services.cycle_results_unpublish(user=province_verifier, cycle=cycle, reason="x")
    with pytest.raises(ValidationError):
        services.cycle_results_unpublish(user=national_admin, cycle=cycle, reason="  ")
    services.cycle_results_unpublish(user=national_admin, cycle=cycle, reason="Salah hitung klaster III")
    cycle.refresh_from_db()
    assert cycle.results_published_at is None
    assert FinalResult.objects.get(assessment=finalised).score == Decimal("700.00")
    event = AuditEvent.objects.get(verb="cycle.results_unpublished")
    assert event.after["reason"] == "Salah hitung klaster III" and event.before["published_at"]
    services.cycle_results_publish(user=national_admin, cycle=cycle)  # and published again


def test_withdrawing_through_the_pages_asks_first(client, finalised, national_admin):
    services.cycle_results_publish(user=national_admin, cycle=finalised.cycle)
    client.force_login(national_admin)
    url = f"/reviews/cycles/{finalised.cycle_id}/unpublish/"
    cycle_page = client.get(f"/reviews/cycles/{finalised.cycle_id}/").content.decode()
    assert "Withdraw the results" in cycle_page
    asked = client.post(url, {"reason": "Salah hitung"}).content.decode()
    assert "Nothing is lost" in asked
    finalised.cycle.refresh_from_db()
    assert finalised.cycle.results_published_at is not None
    client.post(url, {"reason": "Salah hitung", "confirmed": "yes"})
    finalised.cycle.refresh_from_db()
    assert finalised.cycle.results_published_at is None
