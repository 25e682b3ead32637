"""Loading the shipped framework files, and refusing malformed ones whole with precise messages."""

from __future__ import annotations

from decimal import Decimal
from io import StringIO

import pytest
import yaml
from django.core.management import CommandError, call_command
from django.db.models import ProtectedError, Sum
from django.utils import timezone

from layak.audit.models import AuditEvent
from layak.frameworks import services
from layak.frameworks.models import DataElement, FrameworkVersion, Indicator, IndicatorGroup, PredicateBand
from layak.frameworks.services import (
    LOADED,
    REFUSED,
    UNCHANGED,
    FrameworkFileError,
    framework_load_file,
    frameworks_load_all,
)
from layak.frameworks.tests.conftest import SHIPPED

pytestmark = pytest.mark.django_db


def group_sizes(version: FrameworkVersion) -> dict[str, int]:
    return {group.code: group.indicators.count() for group in version.groups.order_by("order")}


def test_kla_2011_has_31_indicators_7_kelembagaan_and_24_in_clusters(kla2011):
    assert kla2011.indicators.count() == 31
    assert group_sizes(kla2011) == {"K": 7, "I": 3, "II": 3, "III": 9, "IV": 5, "V": 4}
    assert list(kla2011.indicators.values_list("number", flat=True)) == list(range(1, 32))


def test_kla_2021_has_24_indicators_3_kelembagaan_and_21_in_clusters(kla2021):
    assert kla2021.indicators.count() == 24
    assert group_sizes(kla2021) == {"K": 3, "I": 3, "II": 4, "III": 6, "IV": 4, "V": 4}
    unsure = set(kla2021.indicators.filter(certainty="unsure").values_list("number", flat=True))
    assert {22, 23, 24} <= unsure


@pytest.mark.parametrize("fixture", ["kla2011", "kla2021"])
def test_shipped_maxima_sum_to_1000_and_are_provisional(fixture, request):
    version = request.getfixturevalue(fixture)
    assert version.indicators.aggregate(total=Sum("max_points"))["total"] == Decimal(1000)
    assert version.weights_provisional and "NOT official" in version.weights_note
    assert list(version.bands.values_list("code", "lower", "upper")) == [
        ("pratama", 500, 600),
        ("madya", 601, 700),
        ("nindya", 701, 800),
        ("utama", 801, 900),
        ("kla", 901, 1000),
    ]


def test_every_shipped_indicator_has_sources_known_to_the_file_and_2_to_8_elements(kla2011, kla2021):
    for version in (kla2011, kla2021):
        refs = {source["ref"] for source in version.sources}
        for indicator in version.indicators.prefetch_related("elements"):
            assert set(indicator.sources) <= refs
            assert 2 <= len(indicator.elements.all()) <= 8, indicator.code


def test_reloading_an_unchanged_file_is_skipped(kla2021):
    before = (Indicator.objects.count(), DataElement.objects.count(), AuditEvent.objects.count())
    assert framework_load_file(SHIPPED / "kla-2021.yaml").outcome == UNCHANGED
    assert (Indicator.objects.count(), DataElement.objects.count(), AuditEvent.objects.count()) == before


def test_reloading_a_changed_file_updates_in_place_without_duplicates(kla2021, tmp_path):
    data = yaml.safe_load((SHIPPED / "kla-2021.yaml").read_text())
    data["groups"][0]["indicators"][0]["name_en"] = "Renamed"
    path = tmp_path / "kla-2021.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    ids = set(Indicator.objects.values_list("pk", flat=True))
    assert framework_load_file(path).outcome == LOADED
    assert set(Indicator.objects.values_list("pk", flat=True)) == ids
    assert Indicator.objects.get(version=kla2021, code="K1").name_en == "Renamed"
    assert IndicatorGroup.objects.filter(version=kla2021).count() == 6
    assert PredicateBand.objects.filter(version=kla2021).count() == 5


def write(tmp_path, data, name="broken.yaml"):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True) if not isinstance(data, str) else data)
    return path


def shipped() -> dict:
    return yaml.safe_load((SHIPPED / "kla-2021.yaml").read_text())


def refusal(path) -> list[str]:
    with pytest.raises(FrameworkFileError) as caught:
        framework_load_file(path)
    assert FrameworkVersion.objects.count() == 0, "a refused file must write nothing"
    return list(caught.value.problems)


def test_yaml_syntax_error_names_the_file_and_line(tmp_path):
    path = write(tmp_path, "slug: kla-x\nname: [unclosed\nyear: 2030\n")
    (problem,) = refusal(path)
    assert problem.startswith("broken.yaml: line ")
    assert "YAML syntax error" in problem


def test_missing_key_is_named_with_its_path(tmp_path):
    data = shipped()
    del data["groups"][2]["indicators"][1]["elements"][0]["type"]
    assert "broken.yaml: groups[2].indicators[1].elements[0].type: missing required key" in refusal(
        write(tmp_path, data)
    )


def test_wrong_element_type_is_named_with_its_path(tmp_path):
    data = shipped()
    data["groups"][2]["indicators"][1]["elements"][0]["type"] = "percent"
    problems = refusal(write(tmp_path, data))
    assert any(
        p.startswith("broken.yaml: groups[2].indicators[1].elements[0].type: 'percent' is not one of") for p in problems
    )


def test_wrong_value_type_is_refused(tmp_path):
    data = shipped()
    data["groups"][0]["indicators"][0]["max_points"] = "sixty"
    assert "broken.yaml: groups[0].indicators[0].max_points: expected a number, got 'sixty'" in refusal(
        write(tmp_path, data)
    )


def test_maxima_not_summing_to_1000_are_refused(tmp_path):
    data = shipped()
    data["groups"][0]["indicators"][0]["max_points"] = 61
    assert refusal(write(tmp_path, data)) == ["broken.yaml: groups: the indicators' max_points sum to 1001, not 1000"]


def test_unknown_rubric_element_is_refused(tmp_path):
    data = shipped()
    data["groups"][1]["indicators"][0]["rubric"][0]["element"] = "ghost"
    problems = refusal(write(tmp_path, data))
    assert "broken.yaml: groups[1].indicators[0].rubric[0].element: unknown element 'ghost'" in problems


def test_gapped_bands_and_duplicate_codes_are_refused(tmp_path):
    data = shipped()
    data["bands"][1]["lower"] = 650
    data["groups"][1]["indicators"][1]["code"] = "I4"
    problems = refusal(write(tmp_path, data))
    assert any(p.startswith("broken.yaml: bands[1].lower: bands must be ordered and contiguous") for p in problems)
    assert "broken.yaml: groups[1].indicators[1].code: duplicate code 'I4'" in problems


def test_a_frozen_version_is_not_changed(kla2021, tmp_path):
    kla2021.frozen_at = timezone.now()
    kla2021.save()
    data = shipped()
    data["name"] = "Changed"
    with pytest.raises(FrameworkFileError, match="frozen"):
        framework_load_file(write(tmp_path, data, "kla-2021.yaml"))
    kla2021.refresh_from_db()
    assert kla2021.name != "Changed"


def test_a_version_in_use_refuses_a_file_that_removes_rows_it_needs(kla2021, tmp_path, monkeypatch):
    def in_use(*args):
        raise ProtectedError("in use", {kla2021.indicators.get(code="K1")})

    monkeypatch.setattr(services, "_upsert_version", in_use)
    data = shipped()
    data["name"] = "Changed"
    with pytest.raises(FrameworkFileError, match="is in use and the file removes rows it needs"):
        framework_load_file(write(tmp_path, data, "kla-2021.yaml"))


def test_load_all_reports_each_file(tmp_path):
    (tmp_path / "kla-2021.yaml").write_bytes((SHIPPED / "kla-2021.yaml").read_bytes())
    write(tmp_path, "not: [valid", "zz-bad.yaml")
    results = frameworks_load_all(tmp_path)
    assert [(r.file, r.outcome) for r in results] == [("kla-2021.yaml", LOADED), ("zz-bad.yaml", REFUSED)]


def test_command_loads_the_shipped_files_then_reports_them_unchanged():
    out = StringIO()
    call_command("load_frameworks", stdout=out)
    assert "kla-2011.yaml: loaded (kla-2011)" in out.getvalue()
    out = StringIO()
    call_command("load_frameworks", stdout=out)
    assert "kla-2021.yaml: unchanged (kla-2021)" in out.getvalue()


def test_command_exits_non_zero_on_a_refused_file(tmp_path):
    write(tmp_path, "slug: [", "bad.yaml")
    err = StringIO()
    with pytest.raises(CommandError, match="1 framework file"):
        call_command("load_frameworks", dir=tmp_path, stderr=err, stdout=StringIO())
    assert "bad.yaml: refused" in err.getvalue()
