"""Database rules speak in sentences: every constraint has its own message, and forms show it once."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db.models import BaseConstraint


def test_every_constraint_of_layak_has_a_message_in_words():
    default = BaseConstraint.default_violation_error_message
    missing = [
        f"{model._meta.label}.{constraint.name}"
        for model in apps.get_models()
        if model._meta.app_label in {c.label for c in apps.get_app_configs() if c.name.startswith("layak.")}
        for constraint in model._meta.constraints
        if constraint.violation_error_message in (None, default)
    ]
    assert not missing, f"Give these constraints a violation_error_message (a translated sentence): {missing}"


@pytest.mark.django_db
def test_a_form_shows_a_broken_rule_once_in_words(login, region_coordinator):
    from layak.frameworks.services import frameworks_load_all

    frameworks_load_all()
    response = login(region_coordinator).post(
        "/plans/region/31.71/new", {"title": "RAD", "start_year": "2026", "end_year": "2024", "status": "draft"}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "plan_period_order" not in page
    assert page.count("The last year of the plan cannot be before its first year.") == 1
