import pytest
from django.core.exceptions import ValidationError

from layak.accounts.choices import Role
from layak.accounts.models import RoleAssignment
from layak.accounts.selectors import user_can_see_region, user_region_filter
from layak.accounts.tests.factories import UserFactory, make_agency
from layak.regions.models import Region
from layak.regions.tests.factories import make_region

pytestmark = pytest.mark.django_db


def _assignment(role, code=None, agency=None):
    return RoleAssignment(user=UserFactory(), role=role, region=make_region(code) if code else None, agency=agency)


def test_a_kabkota_coordinator_needs_a_kabkota_not_a_province():
    with pytest.raises(ValidationError, match="regency/city"):
        _assignment(Role.REGION_COORDINATOR, "31").clean()


def test_a_province_verifier_needs_a_province():
    with pytest.raises(ValidationError, match="province"):
        _assignment(Role.PROVINCE_VERIFIER, "31.71").clean()


def test_a_regional_role_needs_a_region():
    with pytest.raises(ValidationError, match="needs a region"):
        _assignment(Role.REGION_COORDINATOR).clean()


def test_an_opd_contributor_needs_an_agency_of_the_same_region():
    with pytest.raises(ValidationError, match="must belong to an agency"):
        _assignment(Role.OPD_CONTRIBUTOR, "31.71").clean()
    with pytest.raises(ValidationError, match="same region"):
        _assignment(Role.OPD_CONTRIBUTOR, "31.71", make_agency("63.71", "Dinas Kesehatan")).clean()
    _assignment(Role.OPD_CONTRIBUTOR, "31.71", make_agency("31.71", "Dinas Kesehatan")).clean()


def test_national_roles_may_have_no_region():
    for role in [Role.NATIONAL_ADMIN, Role.INDEPENDENT_EVALUATOR, Role.VIEWER]:
        _assignment(role).clean()


@pytest.mark.parametrize(
    ("persona", "visible", "hidden"),
    [
        ("national_admin", ["31", "31.71", "63.71.01"], []),
        ("independent_evaluator", ["31.71", "63.71"], []),
        ("province_verifier", ["31", "31.71", "31.75.01"], ["63", "63.71", "3"]),
        ("region_coordinator", ["31.71", "31.71.01"], ["31", "31.75", "31.7", "63.71"]),
        ("outsider", ["63.71", "63.71.01"], ["31", "31.71", "31.71.01", "63"]),
    ],
)
def test_user_can_see_region_follows_the_grant_subtree(request, persona, visible, hidden):
    user = request.getfixturevalue(persona)
    assert all(user_can_see_region(user, code) for code in visible)
    assert not any(user_can_see_region(user, code) for code in hidden)


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("national_admin", {"31", "31.71", "31.71.01", "31.75", "63", "63.71"}),
        ("province_verifier", {"31", "31.71", "31.71.01", "31.75"}),
        ("region_coordinator", {"31.71", "31.71.01"}),
        ("outsider", {"63.71"}),
    ],
)
def test_user_region_filter_keeps_only_the_granted_subtree(request, persona, expected):
    for code in ["31.71.01", "31.75", "63.71"]:
        make_region(code)
    user = request.getfixturevalue(persona)
    visible = set(Region.objects.filter(user_region_filter(user, "code")).values_list("code", flat=True))
    assert visible == expected


def test_a_user_without_roles_sees_no_region():
    user = UserFactory()
    make_region("31.71")
    assert not user_can_see_region(user, "31.71")
    assert not Region.objects.filter(user_region_filter(user, "code")).exists()
