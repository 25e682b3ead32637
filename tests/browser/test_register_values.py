"""The registers feed the self-assessment: Kota Banjarmasin's Gugus Tugas, trainings, RAD, partners and Forum
Anak (the demo registers, made through the services) show up in its kla-2021 self-assessment with their source,
the coordinator takes a value from the register, and the saved answer keeps where it came from.
"""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
DEMO_REGIONS = ("31.71", "31.75", "35.76", "63.71")


@pytest.fixture
def banjarmasin(transactional_db):
    """The demo users and registers of Kota Banjarmasin, and the demo cycle's assessment of it."""
    from layak.accounts.services import demo_seed
    from layak.evaluations import demo as evaluations_demo
    from layak.evaluations.models import Assessment
    from layak.frameworks.services import frameworks_load_all
    from layak.participation import demo as participation_demo
    from layak.partners import demo as partners_demo
    from layak.plans import demo as plans_demo
    from layak.regions.tests.factories import make_region
    from layak.taskforces import demo as taskforces_demo
    from layak.trainings import demo as trainings_demo

    for code in DEMO_REGIONS:
        make_region(code)
    frameworks_load_all()
    demo_seed(allow_production=True)
    out = StringIO()
    for module in (evaluations_demo, taskforces_demo, trainings_demo, plans_demo, partners_demo, participation_demo):
        module.seed_demo_data(stdout=out)
    return Assessment.objects.get(region_id="63.71", cycle__framework__slug="kla-2021")


def _log_in(page, live_server, username: str) -> None:
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "layak-demo")
    page.locator("form.stacked [type=submit]").click()
    page.wait_for_load_state()


@pytest.mark.browser
def test_the_self_assessment_offers_register_values_with_their_source(page, live_server, banjarmasin):
    from layak.evaluations.models import Answer

    ARTIFACTS.mkdir(exist_ok=True)
    _log_in(page, live_server, "dp3a_banjarmasin")
    page.goto(f"{live_server.url}/evaluations/assessments/{banjarmasin.pk}/indicators/K2/")
    meetings = page.locator(".ev-prefill", has_text="meetings recorded")
    assert meetings.is_visible()
    # KHA-trained staff, from the trainings register ("from 1 training, 6 people, latest 12 Mar 2026")
    assert page.locator(".ev-prefill", has_text="people, latest").is_visible()
    meetings.get_by_role("button", name="Use this value").click()
    offered = meetings.locator("strong").inner_text().split()[0]  # "2 rapat"
    assert page.locator("#id_v_gt_meetings").input_value() == offered
    page.screenshot(path=str(ARTIFACTS / "register-values-k2.png"), full_page=True)
    page.locator(".ev-save-bar [type=submit]").first.click()
    page.wait_for_load_state()

    answer = Answer.objects.get(assessment=banjarmasin, indicator__code="K2")
    assert str(answer.values["gt_meetings"]) == offered
    assert "meetings recorded" in answer.provenance["gt_meetings"]["source"]
    page.goto(f"{live_server.url}/evaluations/assessments/{banjarmasin.pk}/indicators/K2/")
    assert page.locator(".ev-provenance", has_text="meetings recorded").is_visible()
