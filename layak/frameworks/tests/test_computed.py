"""Data elements that a register can fill (`computed:`): known keys only, of the element's type, shown and served."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
import yaml
from django.urls import reverse

from layak.frameworks.models import DataElement, FrameworkVersion
from layak.frameworks.services import FrameworkFileError, framework_load_file, framework_version_clone
from layak.frameworks.tests.conftest import SHIPPED
from layak.frameworks.validation import KNOWN_COMPUTED_KEYS, RAD_STATUS_VALUES, framework_spec_problems

pytestmark = pytest.mark.django_db

K2_2021 = {
    "gt_decree": "taskforces.decree_complete",
    "gt_meetings": "taskforces.meetings_per_year",
    "gt_decisions_done_pct": "taskforces.decisions_done_pct",
    "kha_trained_staff": "trainings.kha_trained_staff",
    "rad_kla": "plans.rad_status",
    "profil_anak": "",
    "kelana_pct": "",
    "dekela_pct": "",
}


def shipped(name: str = "kla-2021") -> dict:
    return yaml.safe_load((SHIPPED / f"{name}.yaml").read_text())


def problems_of(data: dict) -> list[str]:
    return framework_spec_problems(data)


def computed(version: FrameworkVersion) -> dict[str, str]:
    rows = DataElement.objects.filter(indicator__version=version).exclude(computed_key="")
    triples = rows.values_list("indicator__code", "code", "computed_key")
    return {f"{code}.{element}": key for code, element, key in triples}


def element_for(key: str) -> dict:
    spec = KNOWN_COMPUTED_KEYS[key]
    element = {"code": key.replace(".", "_"), "type": str(spec.type), "label": key, "computed": key}
    if spec.values:
        element["choices"] = [{"value": value, "label": value} for value in spec.values]
    return element


def test_loader_accepts_every_known_key_on_an_element_of_its_type(tmp_path):
    data = shipped()
    data["groups"][0]["indicators"][0]["elements"] += [element_for(key) for key in KNOWN_COMPUTED_KEYS]
    path = tmp_path / "kla-2021.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    framework_load_file(path)
    keys = set(DataElement.objects.filter(indicator__code="K1").values_list("computed_key", flat=True))
    assert set(KNOWN_COMPUTED_KEYS) <= keys


def test_an_unknown_key_is_refused_with_its_path(tmp_path):
    data = shipped()
    data["groups"][0]["indicators"][2]["elements"][1]["computed"] = "partners.ngo_total"
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    with pytest.raises(FrameworkFileError) as caught:
        framework_load_file(path)
    (problem,) = caught.value.problems
    assert problem.startswith(
        "broken.yaml: groups[0].indicators[2].elements[1].computed: unknown computed value 'partners.ngo_total' "
        "(known: facilities.ila_exists, "
    )
    assert FrameworkVersion.objects.count() == 0


def test_a_key_that_is_not_text_is_refused():
    data = shipped()
    data["groups"][0]["indicators"][2]["elements"][1]["computed"] = 5
    (problem,) = problems_of(data)
    assert problem.startswith("groups[0].indicators[2].elements[1].computed: unknown computed value 5 (known: ")


def test_a_key_of_another_type_is_refused():
    data = shipped()
    data["groups"][0]["indicators"][2]["elements"][3]["computed"] = "partners.apsai_member"
    assert problems_of(data) == [
        "groups[0].indicators[2].elements[3].computed: partners.apsai_member computes a yes_no value; "
        "it cannot fill an element of type count"
    ]


def test_a_choice_key_needs_every_value_it_can_give_among_the_choices():
    data = shipped()
    rad_kla = next(e for e in data["groups"][0]["indicators"][1]["elements"] if e["code"] == "rad_kla")
    rad_kla["choices"] = [choice for choice in rad_kla["choices"] if choice["value"] != "exists"]
    index = data["groups"][0]["indicators"][1]["elements"].index(rad_kla)
    assert (
        f"groups[0].indicators[1].elements[{index}].choices: plans.rad_status can give integrated, exists, none; "
        "add the missing choices exists"
    ) in problems_of(data)


def test_kla_2021_k2_asks_for_the_task_force_and_training_data_with_points_unchanged(kla2021):
    k2 = kla2021.indicators.get(code="K2")
    assert {e.code: e.computed_key for e in k2.elements.all()} == K2_2021
    assert k2.max_points == Decimal(90)
    assert sum(Decimal(str(criterion["share"])) for criterion in k2.rubric) == 1
    meetings = next(c for c in k2.rubric if c["element"] == "gt_meetings")
    assert meetings["bands"] == [[1, "0.5"], [5, 1]]  # 1-4 meetings partial, more than 4 full (REFERENCE §2.4)
    assert {c["value"] for c in k2.elements.get(code="rad_kla").choices} == set(RAD_STATUS_VALUES)


def test_kla_2021_names_the_register_of_every_matching_element(kla2021):
    assert computed(kla2021) == {
        "K1.budget_pct": "plans.child_budget_pct",
        **{f"K2.{code}": key for code, key in K2_2021.items() if key},
        "K3.apsai": "partners.apsai_member",
        "K3.ngo_count": "partners.ngo_count",
        "K3.business_count": "partners.business_count",
        "K3.media_count": "partners.media_publications",
        "I6.forum_kabkota": "participation.forum_kabkota",
        "I6.forum_district_pct": "participation.forum_district_pct",
        "I6.forum_village_pct": "participation.forum_village_pct",
        "I6.musrenbang": "participation.musrenbang",
        "II10.lactation_rooms": "partners.lactation_rooms",
    }


def test_kla_2011_names_the_register_of_every_matching_element(kla2011):
    assert computed(kla2011) == {
        "K2.budget_pct": "plans.child_budget_pct",
        "K3.forum_anak": "participation.forum_kabkota",
        "K4.trained_staff": "trainings.kha_trained_staff",
        "K6.ngo_count": "partners.ngo_count",
        "K7.business_count": "partners.business_count",
        "K7.apsai": "partners.apsai_member",
        "I10.forum_kabkota": "participation.forum_kabkota",
        "I10.forum_district_pct": "participation.forum_district_pct",
        "I10.forum_village_pct": "participation.forum_village_pct",
        "III17.pojok_asi_count": "partners.lactation_rooms",
    }


def test_the_format_readme_lists_every_known_key_with_its_type():
    readme = (SHIPPED / "README.md").read_text()
    listed = dict(re.findall(r"^\| `([a-z_]+\.[a-z0-9_.]+)` \| ([a-z_]+) \|", readme, flags=re.MULTILINE))
    assert listed == {key: str(spec.type) for key, spec in KNOWN_COMPUTED_KEYS.items()}


def test_a_clone_keeps_the_computed_keys(national_admin, kla2021):
    clone = framework_version_clone(user=national_admin, source=kla2021, slug="kla-2026", name="KLA 2026", year=2026)
    assert computed(clone) == computed(kla2021)


def test_api_serves_the_computed_key_of_each_element(client, kla2021):
    data = client.get("/api/v1/frameworks/kla-2021").json()
    k2 = data["groups"][0]["indicators"][1]
    assert {element["code"]: element["computed_key"] for element in k2["elements"]} == K2_2021


@pytest.mark.parametrize("persona", [None, "outsider"])
def test_indicator_page_says_which_register_can_fill_an_element(
    persona, request, client, login, kla2021, django_assert_max_num_queries
):
    viewer = login(request.getfixturevalue(persona)) if persona else client
    with django_assert_max_num_queries(6):
        body = viewer.get(reverse("frameworks:indicator_detail", args=["kla-2021", "K2"])).content.decode()
    assert body.count("can be filled from the Gugus Tugas register") == 3
    assert "can be filled from the KHA training register" in body
    assert "can be filled from the RAD KLA and budget register" in body
    assert (
        "can be filled from"
        not in client.get(reverse("frameworks:indicator_detail", args=["kla-2021", "I4"])).content.decode()
    )
