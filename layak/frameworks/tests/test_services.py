"""National-admin services: cloning a version and editing its provisional weights."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from layak.audit.models import AuditEvent
from layak.frameworks.choices import VersionStatus
from layak.frameworks.models import DataElement, FrameworkVersion
from layak.frameworks.services import framework_version_clone, indicator_weights_update

pytestmark = pytest.mark.django_db


def current_weights(version: FrameworkVersion) -> dict[str, Decimal]:
    return dict(version.indicators.values_list("code", "max_points"))


def test_clone_copies_everything_into_a_draft(national_admin, kla2021):
    clone = framework_version_clone(user=national_admin, source=kla2021, slug="kla-2026", name="KLA 2026", year=2026)
    assert clone.status == VersionStatus.DRAFT
    assert clone.derived_from == kla2021
    assert clone.indicators.count() == 24
    assert clone.groups.count() == 6
    assert clone.bands.count() == 5
    assert (
        DataElement.objects.filter(indicator__version=clone).count()
        == DataElement.objects.filter(indicator__version=kla2021).count()
    )
    assert current_weights(clone) == current_weights(kla2021)
    assert clone.indicators.get(code="K2").group.code == "K"
    event = AuditEvent.objects.get(verb="framework_version.cloned")
    assert event.actor == national_admin
    assert event.target_id == str(clone.pk)


def test_clone_refuses_an_existing_slug(national_admin, kla2021):
    with pytest.raises(ValidationError, match="already exists"):
        framework_version_clone(user=national_admin, source=kla2021, slug="kla-2021", name="Again", year=2026)


@pytest.mark.parametrize("persona", ["outsider", "region_coordinator", "province_verifier"])
def test_clone_is_refused_to_anyone_but_a_national_admin(persona, request, kla2021):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        framework_version_clone(user=user, source=kla2021, slug="kla-2026", name="KLA 2026", year=2026)
    assert not FrameworkVersion.objects.filter(slug="kla-2026").exists()


def moved(version: FrameworkVersion, amount: str = "5") -> dict[str, Decimal]:
    weights = current_weights(version)
    weights["K1"] += Decimal(amount)
    weights["K2"] -= Decimal(amount)
    return weights


def test_weights_update_saves_maxima_and_audits_before_and_after(national_admin, kla2021):
    indicator_weights_update(user=national_admin, version=kla2021, weights=moved(kla2021))
    assert current_weights(kla2021)["K1"] == Decimal(65)
    kla2021.refresh_from_db()
    assert kla2021.weights_provisional
    event = AuditEvent.objects.get(verb="framework_version.weights_updated")
    assert event.before["max_points"]["K1"] == "60.00"
    assert event.after["max_points"]["K1"] == "65.00"


def test_weights_must_sum_to_1000(national_admin, kla2021):
    weights = current_weights(kla2021)
    weights["K1"] += 1
    with pytest.raises(ValidationError, match="sum to 1001"):
        indicator_weights_update(user=national_admin, version=kla2021, weights=weights)
    assert current_weights(kla2021)["K1"] == Decimal(60)


def test_weights_must_cover_every_indicator(national_admin, kla2021):
    weights = current_weights(kla2021)
    weights["X9"] = weights.pop("K1")
    with pytest.raises(ValidationError, match=r"Missing: K1\. Unknown: X9"):
        indicator_weights_update(user=national_admin, version=kla2021, weights=weights)


def test_weights_stay_provisional_unless_unticked_with_a_note(national_admin, kla2021):
    with pytest.raises(ValidationError):
        indicator_weights_update(user=national_admin, version=kla2021, weights=moved(kla2021), provisional=False)
    indicator_weights_update(
        user=national_admin, version=kla2021, weights=moved(kla2021), provisional=False, note="Juknis 2026 table"
    )
    kla2021.refresh_from_db()
    assert not kla2021.weights_provisional
    assert kla2021.weights_note == "Juknis 2026 table"


def test_weights_of_a_frozen_version_cannot_change(national_admin, kla2021):
    kla2021.frozen_at = timezone.now()
    kla2021.save()
    with pytest.raises(ValidationError, match="frozen"):
        indicator_weights_update(user=national_admin, version=kla2021, weights=moved(kla2021))


@pytest.mark.parametrize("persona", ["outsider", "region_coordinator"])
def test_weights_update_is_refused_to_non_admins(persona, request, kla2021):
    with pytest.raises(PermissionDenied):
        indicator_weights_update(user=request.getfixturevalue(persona), version=kla2021, weights=moved(kla2021))
    assert current_weights(kla2021)["K1"] == Decimal(60)
