from decimal import Decimal

from layak.protection.providers import protection_values
from layak.protection.tests.factories import VIOLENCE_ROW, save_months
from layak.regions.tests.factories import make_region

ABH = {"children": 10, "perpetrator": 8, "victim": 2, "witness": 0, "diversion_attempted": 4, "diversion_succeeded": 3,
       "diversion_failed": 1, "diversion_not_attempted": 4, "investigation": 10}  # fmt: skip


def test_register_values_for_the_instrument_carry_their_provenance(region_coordinator):
    save_months(region_coordinator, "31.71", {1: VIOLENCE_ROW, 2: VIOLENCE_ROW})
    save_months(region_coordinator, "31.71", {1: ABH}, topic="abh")
    values = {v.key: v for v in protection_values(make_region("31.71"), 2025)}
    assert values["protection.violence_victims"].value == 12
    assert "from 2 months of recorded figures" in values["protection.violence_victims"].source
    assert values["protection.diversion_attempted_pct"].value == Decimal("50.0")
    assert values["protection.diversion_succeeded_pct"].value == Decimal("75.0")
    assert values["protection.violence_victims"].url.endswith("/protection/region/31.71/?year=2025")


def test_the_uptd_figures_are_offered_to_kla_2024_question_21b_1(region_coordinator):
    from layak.evaluations.prefill import computed_values
    from layak.frameworks.models import Question
    from layak.frameworks.services import frameworks_load_all

    frameworks_load_all()
    question = Question.objects.get(indicator__version__slug="kla-2024", indicator__code="21B", code="1")
    assert question.computed_key == "protection.victims_served"
    region = make_region("31.71")
    assert "protection.victims_served" not in computed_values(region, 2025)  # nothing recorded: no offer
    save_months(region_coordinator, "31.71", {1: {"reported": 3, "assisted": 2, "referred": 1, "closed": 0}},
                topic="uptd_services")  # fmt: skip
    offer = computed_values(region, 2025)["protection.victims_served"]
    assert offer.value is True and "assisted 2 children's cases in 2025" in offer.source
