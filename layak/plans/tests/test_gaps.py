from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from layak.evaluations.tests.factories import make_assessment, make_cycle
from layak.frameworks.models import Indicator
from layak.plans.gaps import actions_create_from_gaps, gap_list, snapshot_latest
from layak.reviews.models import ScoreSnapshot

from .factories import framework


@pytest.fixture
def snapshot(db, dp3a):
    version = framework()
    Indicator.objects.filter(version=version, code="K1").update(responsible_agencies=["Bappeda", "DP3A"])
    assessment = make_assessment(make_cycle(version))
    return ScoreSnapshot.objects.create(
        assessment=assessment,
        stage="self",
        total=Decimal("620"),
        max_total=Decimal("1000"),
        indicators={
            "K1": {
                "group": "K",
                "points": "200.00",
                "max": "400.00",
                "criteria": [
                    {"element": "perda_kla", "reason": "met", "points": "200", "max_points": "200"},
                    {"element": "policy_count", "reason": "missing", "points": "0", "max_points": "120"},
                    {"element": "policy_docs", "reason": "missing", "points": "0", "max_points": "80"},
                ],
            },
            "I1": {"group": "I", "points": "300.00", "max": "300.00", "criteria": []},
            "I2": {
                "group": "I",
                "points": "120.00",
                "max": "300.00",
                "criteria": [
                    {"element": "immunisation_pct", "reason": "partial", "points": "105", "max_points": "210"}
                ],
            },
        },
    )


def test_gap_list_shows_lost_points_with_reasons_and_suggested_opd(snapshot, dp3a):
    gaps = gap_list(region=snapshot.assessment.region, snapshot=snapshot)
    assert [(g.indicator.code, g.lost) for g in gaps] == [("K1", Decimal(200)), ("I2", Decimal(180))]
    k1 = gaps[0]
    assert [(c.label, c.reason) for c in k1.criteria] == [
        ("Label policy_count", "no answer"),
        ("Label policy_docs", "no answer"),
    ]
    assert k1.agency == dp3a
    assert gaps[1].agency is None


def test_latest_snapshot_is_found_for_the_region(snapshot):
    assert snapshot_latest(region=snapshot.assessment.region) == snapshot


def test_lost_points_become_draft_actions(snapshot, plan, region_coordinator, dp3a):
    actions = actions_create_from_gaps(user=region_coordinator, plan=plan, snapshot=snapshot, codes=["K1", "I2"])
    k1 = next(a for a in actions if a.indicators.get().code == "K1")
    assert k1.is_draft and k1.status == "planned" and k1.agency == dp3a
    assert k1.title == "K1: Label policy_count; Label policy_docs"
    i2 = next(a for a in actions if a.indicators.get().code == "I2")
    assert i2.rights_group == "participation"


def test_drafts_need_a_chosen_indicator_with_lost_points(snapshot, plan, region_coordinator):
    with pytest.raises(ValidationError, match="at least one"):
        actions_create_from_gaps(user=region_coordinator, plan=plan, snapshot=snapshot, codes=["I1"])


def test_opd_contributor_cannot_create_drafts(snapshot, plan, opd_contributor):
    with pytest.raises(PermissionDenied):
        actions_create_from_gaps(user=opd_contributor, plan=plan, snapshot=snapshot, codes=["K1"])


def test_gap_page_lists_lost_points_and_creates_drafts(login, region_coordinator, snapshot, plan):
    client = login(region_coordinator)
    page = client.get("/plans/region/31.71/gaps")
    assert page.status_code == 200 and b"Label policy_count" in page.content
    response = client.post("/plans/region/31.71/gaps", {"plan": plan.pk, "indicators": ["K1"]})
    assert response.status_code == 302
    assert plan.actions.filter(is_draft=True).count() == 1


def test_gap_page_queries_do_not_grow_with_indicators(
    login, region_coordinator, snapshot, django_assert_max_num_queries
):
    client = login(region_coordinator)
    with django_assert_max_num_queries(14):
        assert client.get("/plans/region/31.71/gaps").status_code == 200
