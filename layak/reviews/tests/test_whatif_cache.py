"""The what-if below the header is rendered once per data stamp of the assessment, review state, viewer's view
of the scores, query and language: every change of what it is built from shows at once."""

from __future__ import annotations

import pytest

from layak.evaluations.models import Answer

from .factories import submitted_assessment
from .test_views import url

pytestmark = pytest.mark.django_db
WEAK = {"K1": {"perda_kla": False, "policy_count": "0"}, "I1": {"children_total": "10", "children_with_akta": "1"}}
KEY = "K1:perda_kla:full"


def test_an_answer_changed_shows_at_once(login, framework, region_coordinator):
    assessment = submitted_assessment(framework, answers=WEAK)
    client = login(region_coordinator)
    assert f'value="{KEY}"' in client.get(url("assessment_whatif", assessment)).content.decode()
    answer = Answer.objects.get(assessment=assessment, indicator__code="K1")
    answer.values = {**answer.values, "perda_kla": True}
    answer.save()
    assert f'value="{KEY}"' not in client.get(url("assessment_whatif", assessment)).content.decode()


def test_each_choice_is_its_own_page(login, framework, region_coordinator):
    assessment = submitted_assessment(framework, answers=WEAK)
    client = login(region_coordinator)
    assert f'value="{KEY}" checked' in client.get(url("assessment_whatif", assessment), {"do": KEY}).content.decode()
    assert f'value="{KEY}" checked' not in client.get(url("assessment_whatif", assessment)).content.decode()


def test_a_repeat_view_reads_no_score(login, framework, region_coordinator, django_assert_max_num_queries):
    assessment = submitted_assessment(framework, answers=WEAK)
    client = login(region_coordinator)
    client.get(url("assessment_whatif", assessment))
    with django_assert_max_num_queries(6):  # session user, assessment, review, stamp (+ roles, bell when not cached)
        assert client.get(url("assessment_whatif", assessment)).status_code == 200
